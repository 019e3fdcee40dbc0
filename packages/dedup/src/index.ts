export const DEDUP_VERSION = 'dedup-0.2.0';

export { DEFAULT_DEDUP_PARAMETERS, resolveParameters, signatureKey, type DedupParameters } from './params.js';
export {
  documentSignature,
  findDuplicateDocuments,
  duplicateOfMap,
  canonicalOrder,
  resemblance,
  type DocumentSignature,
  type DedupDocument,
  type DuplicateMember,
  type Resemblance,
} from './documents.js';
export {
  documentPassages,
  findRepeatedPassages,
  type DocumentPassages,
  type PassageEntry,
  type PassageInput,
  type PassageOptions,
  type RepeatedPassages,
  type RepeatedPassagesOptions,
} from './passages.js';
export { clusterQuotes, quoteKey, type QuoteClusters, type QuoteForClustering } from './quotes.js';
/** Deterministic PRNG for synthetic test and benchmark corpora. */
export { mulberry32 } from './hash.js';
