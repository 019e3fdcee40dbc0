/**
 * Every tunable of the stage in one place. The defaults were chosen by measurement on the synthetic
 * near-duplicate set (see README and `synthetic.test.ts`); change them through the `params` argument.
 */
export interface DedupParameters {
  /** Words per shingle. Shingles never cross a paragraph break, so reordering paragraphs keeps the set. */
  shingleSize: number;
  /** MinHash slots (one-permutation hashing with optimal densification); must equal bands × rows. */
  numHashes: number;
  /** LSH bands; a pair becomes a candidate when all rows of at least one band agree. */
  bands: number;
  /** Bottom-k sample of shingle hashes kept per document to verify candidates (Jaccard and containment). */
  sampleSize: number;
  /** Documents with fewer distinct shingles than this can only be exact duplicates. */
  minShingles: number;
  /** A candidate is a near-duplicate when its estimated Jaccard resemblance reaches this... */
  jaccardThreshold: number;
  /** ...or when the smaller document is this much contained in the larger one... */
  containmentThreshold: number;
  /** ...and the smaller one is at least this fraction of the larger (an excerpt is not a copy). */
  minSizeRatio: number;
  /** LSH buckets larger than this compare each member only with its `bucketWindow` predecessors. */
  maxBucketPairs: number;
  bucketWindow: number;
  /** Passages shared across documents are reported from this many words on. */
  minPassageWords: number;
  /** Quotes shorter than this (in words, editorial insertions removed) never cluster. */
  minQuoteWords: number;
  /** Words per quote shingle. */
  quoteShingleSize: number;
  /** Share of the shorter quote's shingles that must occur in the longer one. */
  quoteContainment: number;
  /** Quotes with different known speakers merge only when this share of the longer one's shingles is shared (same wording, misattributed). */
  quoteConflictingSpeakerSimilarity: number;
}

export const DEFAULT_DEDUP_PARAMETERS: Readonly<DedupParameters> = Object.freeze({
  shingleSize: 5,
  numHashes: 128,
  bands: 32,
  sampleSize: 256,
  minShingles: 8,
  jaccardThreshold: 0.5,
  containmentThreshold: 0.8,
  minSizeRatio: 0.5,
  maxBucketPairs: 20,
  bucketWindow: 8,
  minPassageWords: 6,
  minQuoteWords: 5,
  quoteShingleSize: 3,
  quoteContainment: 0.6,
  quoteConflictingSpeakerSimilarity: 0.9,
});

export function resolveParameters(params?: Partial<DedupParameters>): DedupParameters {
  const p = { ...DEFAULT_DEDUP_PARAMETERS, ...params };
  if (p.numHashes % p.bands !== 0) throw new RangeError(`numHashes (${p.numHashes}) must be a multiple of bands (${p.bands})`);
  if (p.shingleSize < 1 || p.quoteShingleSize < 1) throw new RangeError('shingle sizes must be ≥ 1');
  return p;
}

/** The parameters that shape a signature: signatures built with other values cannot be compared. */
export const signatureKey = (p: DedupParameters) => `k${p.shingleSize}-h${p.numHashes}-s${p.sampleSize}`;
