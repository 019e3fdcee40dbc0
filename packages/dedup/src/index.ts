export const DEDUP_VERSION = 'dedup-0.2.0';

export { DEFAULT_DEDUP_PARAMETERS, resolveParameters, signatureKey, type DedupParameters } from './params.js';
export { documentSignature, type DocumentSignature } from './documents.js';
export { documentPassages, type DocumentPassages, type PassageEntry, type PassageOptions } from './passages.js';
// Corpus-level: they compare documents, and no per-document analysis runs them.
export { findDuplicateDocuments, duplicateOfMap, canonicalOrder, resemblance, PairVerdicts, type DedupDocument, type DuplicateMember, type Resemblance, type SavedVerdicts } from './duplicates.js';
export { findRepeatedPassages, type PassageInput, type RepeatedPassages, type RepeatedPassagesOptions } from './repeated.js';
export { clusterQuotes, quoteKey, QuoteWordings, type QuoteClusters, type QuoteForClustering } from './quotes.js';
/** Deterministic PRNG for synthetic test and benchmark corpora. */
export { mulberry32 } from './hash.js';
