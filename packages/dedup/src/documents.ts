import type { DuplicateGroup } from '@corpus/schema';
import { DisjointSets, decodeU32, encodeU32, fmix32, hashString32, sha256Hex } from './hash.js';
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

/** Distinct shingle values of a body; shingles stay inside a paragraph so paragraph order does not matter. */
function shingleValues(text: string, k: number): { all: string[]; values: Uint32Array } {
  const all: string[] = [];
  const set = new Set<number>();
  for (const para of text.split(/\n+/)) {
    const w = words(para);
    for (const x of w) all.push(x);
    if (w.length < k) continue;
    const th = new Uint32Array(w.length);
    for (let i = 0; i < w.length; i++) th[i] = hashString32(w[i]);
    // The rank hash is a second permutation of the shingle hash, so slot choice and rank are independent.
    for (let i = 0; i + k <= w.length; i++) set.add(shingleHash(th, i, k));
  }
  return { all, values: Uint32Array.from(set) };
}

/**
 * One-permutation MinHash with optimal densification (Shrivastava 2017): each shingle is hashed once
 * and lands in one slot, so the cost is linear in the body instead of `numHashes` × shingles; empty
 * slots borrow from a fixed pseudo-random sequence of other slots, identical for every document.
 */
function minhash(values: Uint32Array, numHashes: number): Uint32Array {
  const slots = new Uint32Array(numHashes).fill(EMPTY_SLOT);
  const filled = new Uint8Array(numHashes);
  for (const x of values) {
    const slot = x % numHashes;
    const rank = fmix32(x ^ 0x5bd1e995);
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
  const { all, values } = shingleValues(text, p.shingleSize);
  const ranks = new Uint32Array(values.length);
  for (let i = 0; i < values.length; i++) ranks[i] = fmix32(values[i] ^ 0x5bd1e995);
  ranks.sort();
  const sample: number[] = [];
  for (let i = 0; i < ranks.length && sample.length < p.sampleSize; i++) if (i === 0 || ranks[i] !== ranks[i - 1]) sample.push(ranks[i]);
  return {
    key: signatureKey(p),
    exact: all.length ? sha256Hex(all.join(' '), 32) : '',
    length: text.length,
    words: all.length,
    shingles: values.length,
    minhash: values.length ? encodeU32(minhash(values, p.numHashes)) : '',
    sample: encodeU32(sample),
  };
}

export interface Resemblance {
  /** Estimated Jaccard resemblance of the two shingle sets (exact when both sets fit in the sample). */
  jaccard: number;
  /** Estimated share of the smaller set contained in the larger one. */
  containment: number;
  /** Smaller set size / larger set size. */
  sizeRatio: number;
}

/** Bottom-k estimate: among the k smallest hashes of the union, the share present in both sketches. */
export function resemblance(a: Uint32Array, na: number, b: Uint32Array, nb: number, k: number): Resemblance {
  let i = 0, j = 0, union = 0, both = 0;
  while (union < k && (i < a.length || j < b.length)) {
    if (j >= b.length || (i < a.length && a[i] < b[j])) i++;
    else if (i >= a.length || b[j] < a[i]) j++;
    else {
      both++;
      i++;
      j++;
    }
    union++;
  }
  const jaccard = union ? both / union : 0;
  const small = Math.min(na, nb), large = Math.max(na, nb);
  const containment = small ? Math.min(1, (jaccard * (na + nb)) / ((1 + jaccard) * small)) : 0;
  return { jaccard, containment, sizeRatio: large ? small / large : 0 };
}

export interface DedupDocument {
  id: string;
  /** ISO date (YYYY-MM-DD) or null; undated documents are never preferred as canonical. */
  published: string | null;
  signature: DocumentSignature;
}

export interface DuplicateMember {
  documentId: string;
  similarity: number;
  method: 'canonical' | 'exact' | 'near';
  jaccard?: number;
  containment?: number;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** Canonical member first: earliest published, then the longest body, then id. */
export function canonicalOrder(a: DedupDocument, b: DedupDocument): number {
  const pa = a.published ?? '\uffff', pb = b.published ?? '\uffff';
  if (pa !== pb) return pa < pb ? -1 : 1;
  return b.signature.length - a.signature.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Groups exact and near-duplicate documents. Cost is near-linear: exact copies collapse by hash, LSH
 * banding over the MinHash slots proposes candidate pairs, and only candidates are verified with the
 * bottom-k samples. Each group is a star around its canonical member: every member is verified
 * against the canonical one (not merely chained through others), so a group never drifts.
 */
export function findDuplicateDocuments(docs: readonly DedupDocument[], params?: Partial<DedupParameters>): DuplicateGroup[] {
  const p = resolveParameters(params);
  const key = signatureKey(p);
  const n = docs.length;
  for (const d of docs) {
    if (d.signature.key !== key) {
      throw new RangeError(`signature of ${d.id} was built with ${d.signature.key}, parameters say ${key}: rebuild signatures`);
    }
  }
  const sets = new DisjointSets(n);

  // Exact copies: one representative per normalised body enters LSH.
  const byExact = new Map<string, number>();
  const reps: number[] = [];
  for (let i = 0; i < n; i++) {
    const e = docs[i].signature.exact;
    if (!e) continue;
    const first = byExact.get(e);
    if (first === undefined) {
      byExact.set(e, i);
      reps.push(i);
    } else sets.union(first, i);
  }

  const samples = new Map<number, Uint32Array>();
  const sampleOf = (i: number) => {
    let s = samples.get(i);
    if (!s) samples.set(i, (s = decodeU32(docs[i].signature.sample)));
    return s;
  };
  const verify = (i: number, j: number) => {
    const a = docs[i].signature, b = docs[j].signature;
    const r = resemblance(sampleOf(i), a.shingles, sampleOf(j), b.shingles, p.sampleSize);
    const byJaccard = r.jaccard >= p.jaccardThreshold;
    const byContainment = r.containment >= p.containmentThreshold && r.sizeRatio >= p.minSizeRatio;
    return { ...r, ok: byJaccard || byContainment, similarity: byJaccard ? r.jaccard : byContainment ? r.containment : r.jaccard };
  };

  // LSH banding: a band's rows hash to one 32-bit bucket key per band.
  const rows = p.numHashes / p.bands;
  const buckets: Map<number, number[]>[] = Array.from({ length: p.bands }, () => new Map());
  for (const i of reps) {
    const s = docs[i].signature;
    if (s.shingles < p.minShingles || !s.minhash) continue;
    const mh = decodeU32(s.minhash);
    for (let b = 0; b < p.bands; b++) {
      let h = b + 1;
      for (let r = 0; r < rows; r++) h = fmix32(Math.imul(h, 0x9e3779b1) ^ mh[b * rows + r]);
      const list = buckets[b].get(h);
      if (list) list.push(i);
      else buckets[b].set(h, [i]);
    }
  }
  const tried = new Set<number>();
  const consider = (i: number, j: number) => {
    const pairKey = i < j ? i * n + j : j * n + i;
    if (tried.has(pairKey)) return;
    tried.add(pairKey);
    if (sets.find(i) !== sets.find(j) && verify(i, j).ok) sets.union(i, j);
  };
  for (const band of buckets) {
    for (const list of band.values()) {
      if (list.length < 2) continue;
      const all = list.length <= p.maxBucketPairs;
      for (let x = 1; x < list.length; x++) {
        for (let y = all ? 0 : Math.max(0, x - p.bucketWindow); y < x; y++) consider(list[y], list[x]);
      }
    }
  }
  tried.clear();

  const components = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    if (!docs[i].signature.exact) continue;
    const r = sets.find(i);
    const c = components.get(r);
    if (c) c.push(i);
    else components.set(r, [i]);
  }

  const groups: DuplicateGroup[] = [];
  for (const comp of components.values()) {
    if (comp.length < 2) continue;
    let remaining = comp.sort((a, b) => canonicalOrder(docs[a], docs[b]));
    while (remaining.length > 1) {
      const c = remaining[0];
      const members: DuplicateMember[] = [{ documentId: docs[c].id, similarity: 1, method: 'canonical' }];
      const rest: number[] = [];
      for (const m of remaining.slice(1)) {
        if (docs[m].signature.exact === docs[c].signature.exact) {
          members.push({ documentId: docs[m].id, similarity: 1, method: 'exact', jaccard: 1, containment: 1 });
          continue;
        }
        const v = verify(c, m);
        if (v.ok) {
          members.push({ documentId: docs[m].id, similarity: round3(v.similarity), method: 'near', jaccard: round3(v.jaccard), containment: round3(v.containment) });
        } else rest.push(m);
      }
      if (members.length > 1) groups.push({ id: `dup-${docs[c].id}`, canonical: docs[c].id, members });
      remaining = rest;
    }
  }
  return groups.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** documentId → canonical id, for every non-canonical member (what `DocumentRecord.duplicateOf` holds). */
export function duplicateOfMap(groups: readonly DuplicateGroup[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const g of groups) for (const m of g.members) if (m.documentId !== g.canonical) out.set(m.documentId, g.canonical);
  return out;
}
