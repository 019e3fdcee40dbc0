import { encodeU32, fmix32, hashString32, sha256Hex } from './hash.js';
import { type DedupParameters, resolveParameters, signatureKey } from './params.js';
import { words } from './text.js';

/**
 * Per-document, cacheable (plain JSON, ~2 KB with the defaults): everything corpus-level duplicate
 * detection needs of a body, so the body itself never has to be reloaded.
 */
export interface DocumentSignature {
  /** Shingle size, slot count and sample size the signature was built with (see `signatureKey`). */
  key: string;
  /** SHA-256 prefix of the normalised word sequence: equal means exact duplicate. */
  exact: string;
  /** Characters of the body (the canonical member is the longest among equally early ones). */
  length: number;
  words: number;
  /** Distinct shingles (for containment and size ratio). */
  shingles: number;
  /** MinHash slots, little-endian uint32, base64. Empty when the body has no shingle. */
  minhash: string;
  /** The `sampleSize` smallest shingle hashes, sorted (bottom-k sketch), little-endian uint32, base64. */
  sample: string;
}

const EMPTY_SLOT = 0xffffffff;

function shingleHash(tokens: Uint32Array, i: number, k: number): number {
  let h = k;
  for (let j = 0; j < k; j++) {
    h = Math.imul(h ^ tokens[i + j], 0x9e3779b1);
    h = (h << 13) | (h >>> 19);
  }
  return fmix32(h);
}

/**
 * Shingle hashes of a body (with repeats); shingles stay inside a paragraph so that reordering
 * paragraphs leaves the set unchanged.
 */
function shingleHashes(text: string, k: number): { all: string[]; hashes: Uint32Array } {
  const all: string[] = [];
  let out = new Uint32Array(256);
  let count = 0;
  let th = new Uint32Array(64);
  for (const para of text.split(/\n+/)) {
    const w = words(para);
    for (const x of w) all.push(x);
    if (w.length < k) continue;
    if (th.length < w.length) th = new Uint32Array(w.length * 2);
    for (let i = 0; i < w.length; i++) th[i] = hashString32(w[i]);
    for (let i = 0; i + k <= w.length; i++) {
      if (count === out.length) {
        const grown = new Uint32Array(out.length * 2);
        grown.set(out);
        out = grown;
      }
      out[count++] = shingleHash(th, i, k);
    }
  }
  return { all, hashes: out.subarray(0, count) };
}

/** Rank of a shingle: a second permutation of its hash, so slot choice and rank are independent. */
const rankOf = (x: number) => fmix32(x ^ 0x5bd1e995);

/**
 * One-permutation MinHash with optimal densification (Shrivastava 2017): each shingle is hashed once
 * and lands in one slot, so the cost is linear in the body instead of `numHashes` × shingles; empty
 * slots borrow from a fixed pseudo-random sequence of other slots, identical for every document.
 */
function minhash(hashes: Uint32Array, numHashes: number): Uint32Array {
  const slots = new Uint32Array(numHashes).fill(EMPTY_SLOT);
  const filled = new Uint8Array(numHashes);
  for (const x of hashes) {
    const slot = x % numHashes;
    const rank = rankOf(x);
    if (!filled[slot] || rank < slots[slot]) slots[slot] = rank;
    filled[slot] = 1;
  }
  const out = slots.slice();
  for (let i = 0; i < numHashes; i++) {
    if (filled[i]) continue;
    for (let attempt = 1; attempt < 64 * numHashes; attempt++) {
      const j = fmix32(Math.imul(i + 1, 0x9e3779b1) ^ Math.imul(attempt, 0x85ebca6b)) % numHashes;
      if (filled[j]) {
        out[i] = slots[j];
        break;
      }
    }
  }
  return out;
}

export function documentSignature(text: string, params?: Partial<DedupParameters>): DocumentSignature {
  const p = resolveParameters(params);
  const { all, hashes } = shingleHashes(text, p.shingleSize);
  const ranks = new Uint32Array(hashes.length);
  for (let i = 0; i < hashes.length; i++) ranks[i] = rankOf(hashes[i]);
  ranks.sort();
  // rankOf is a bijection, so distinct ranks are distinct shingles.
  let distinct = 0;
  const sample: number[] = [];
  for (let i = 0; i < ranks.length; i++) {
    if (i > 0 && ranks[i] === ranks[i - 1]) continue;
    distinct++;
    if (sample.length < p.sampleSize) sample.push(ranks[i]);
  }
  return {
    key: signatureKey(p),
    exact: all.length ? sha256Hex(all.join(' '), 32) : '',
    length: text.length,
    words: all.length,
    shingles: distinct,
    minhash: distinct ? encodeU32(minhash(hashes, p.numHashes)) : '',
    sample: encodeU32(sample),
  };
}
