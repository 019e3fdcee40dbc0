import type { DuplicateGroup } from '@corpus/schema';
import type { DocumentSignature } from './documents.js';
import { DisjointSets, decodeU32, fmix32 } from './hash.js';
import { type DedupParameters, resolveParameters, signatureKey } from './params.js';

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
  /**
   * What fixes the signature (a content hash, say: one key, one signature, for good). Given for every document along
   * with `PairVerdicts`, the verdict on each candidate pair is remembered by the two keys and read back in later runs.
   */
  key?: string;
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
  /** Set when the member matched this (directly matched) member rather than the canonical one. */
  via?: string;
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
 * against the canonical one, or (`via`) against a member that was, never along longer chains, so a
 * group cannot drift from one article to another.
 */
export function findDuplicateDocuments(docs: readonly DedupDocument[], params?: Partial<DedupParameters>, verdicts?: PairVerdicts): DuplicateGroup[] {
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

  // Decoded once per document, not once per candidate pair (a document meets many); bounded, so a corpus of
  // millions does not hold every sample at once.
  let samples = new Map<number, Uint32Array>();
  const sampleOf = (i: number) => {
    let sample = samples.get(i);
    if (!sample) {
      if (samples.size >= 100_000) samples = new Map();
      samples.set(i, (sample = decodeU32(docs[i].signature.sample)));
    }
    return sample;
  };
  const verify = (i: number, j: number, si = sampleOf(i), sj = sampleOf(j)) => {
    const a = docs[i].signature, b = docs[j].signature;
    const r = resemblance(si, a.shingles, sj, b.shingles, p.sampleSize);
    const byJaccard = r.jaccard >= p.jaccardThreshold;
    const byContainment = r.containment >= p.containmentThreshold && r.sizeRatio >= p.minSizeRatio;
    // Built field by field: spreading `r` was most of the time of checking a pair.
    return { jaccard: r.jaccard, containment: r.containment, sizeRatio: r.sizeRatio, ok: byJaccard || byContainment, similarity: byJaccard ? r.jaccard : byContainment ? r.containment : r.jaccard };
  };

  // LSH banding. Each band's rows hash to a 32-bit key; one band at a time, (key, doc) pairs are packed
  // into doubles and sorted, so equal keys form runs: no per-bucket objects, memory ~ 8 bytes × docs.
  const rows = p.numHashes / p.bands;
  const banded = reps.filter((i) => docs[i].signature.shingles >= p.minShingles && docs[i].signature.minhash);
  const bandKeys = new Uint32Array(banded.length * p.bands);
  banded.forEach((i, x) => {
    const mh = decodeU32(docs[i].signature.minhash);
    for (let b = 0; b < p.bands; b++) {
      let h = b + 1;
      for (let r = 0; r < rows; r++) h = fmix32(Math.imul(h, 0x9e3779b1) ^ mh[b * rows + r]);
      bandKeys[x * p.bands + b] = h;
    }
  });
  const indexBits = Math.max(1, Math.ceil(Math.log2(banded.length + 1)));
  // Beyond 2^21 documents the key loses low bits to stay exact in a double: a few more candidates, no misses.
  const keyShift = Math.max(0, indexBits - 21);
  // Pairs already found not to be duplicates, by document index (smaller first).
  const failed = new PairTable();
  const remembered = verdicts && docs.every((d) => d.key !== undefined) ? docs.map((d) => verdicts.idOf(d.key!)) : null;
  // Whether a pair is a duplicate (verify's `ok`, which is symmetric), from the verdicts when they hold it.
  const isPair = (i: number, j: number): boolean => {
    let ok = remembered ? verdicts!.get(remembered[i], remembered[j]) : undefined;
    if (ok === undefined) {
      ok = verify(i, j).ok;
      if (remembered) verdicts!.set(remembered[i], remembered[j], ok);
    }
    return ok;
  };
  const consider = (i: number, j: number) => {
    if (sets.find(i) === sets.find(j)) return;
    const a = Math.min(i, j), b = Math.max(i, j);
    if (failed.get(a, b) >= 0) return;
    if (isPair(i, j)) sets.union(i, j);
    else failed.set(a, b, 1);
  };
  const packed = new Float64Array(banded.length);
  for (let b = 0; b < p.bands; b++) {
    for (let x = 0; x < banded.length; x++) packed[x] = (bandKeys[x * p.bands + b] >>> keyShift) * 2 ** indexBits + x;
    packed.sort();
    for (let start = 0; start < packed.length; ) {
      const key = Math.floor(packed[start] / 2 ** indexBits);
      let end = start + 1;
      while (end < packed.length && Math.floor(packed[end] / 2 ** indexBits) === key) end++;
      const size = end - start;
      if (size > 1) {
        const all = size <= p.maxBucketPairs;
        for (let x = start + 1; x < end; x++) {
          const i = banded[packed[x] % 2 ** indexBits];
          for (let y = all ? start : Math.max(start, x - p.bucketWindow); y < x; y++) consider(banded[packed[y] % 2 ** indexBits], i);
        }
      }
      start = end;
    }
  }

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
      const direct: number[] = [];
      let rest: number[] = [];
      // The measures are worked out only for the pairs that are duplicates: the verdicts spare the others.
      for (const m of remaining.slice(1)) {
        if (docs[m].signature.exact === docs[c].signature.exact) {
          members.push({ documentId: docs[m].id, similarity: 1, method: 'exact', jaccard: 1, containment: 1 });
          direct.push(m);
        } else if (isPair(c, m)) {
          const v = verify(c, m);
          members.push({ documentId: docs[m].id, similarity: round3(v.similarity), method: 'near', jaccard: round3(v.jaccard), containment: round3(v.containment) });
          direct.push(m);
        } else rest.push(m);
      }
      // One hop, no more: a copy too edited to match an early-dated copy still joins when it matches a
      // member that matched the canonical one directly (say, the original). Longer chains could drift.
      if (direct.length && rest.length) {
        const left: number[] = [];
        for (const m of rest) {
          const hit = direct.find((d) => isPair(d, m));
          if (hit === undefined) {
            left.push(m);
            continue;
          }
          const v = verify(c, m);
          members.push({ documentId: docs[m].id, similarity: round3(v.similarity), method: 'near', jaccard: round3(v.jaccard), containment: round3(v.containment), via: docs[hit].id });
        }
        rest = left;
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

/**
 * A map from pairs of small non-negative integers to a byte, by open addressing over typed arrays: candidate pairs
 * number in the hundreds of thousands on a large corpus, and a `Map` of their numeric keys spends most of its time
 * hashing heap numbers.
 */
class PairTable {
  private firsts = new Int32Array(1024).fill(-1);
  private seconds = new Int32Array(1024);
  private values = new Uint8Array(1024);
  private size = 0;

  /** The pair's byte, or -1 if the pair is not in the table. */
  get(a: number, b: number): number {
    const h = this.slot(a, b);
    return this.firsts[h] === -1 ? -1 : this.values[h];
  }

  set(a: number, b: number, value: number): void {
    const h = this.slot(a, b);
    this.values[h] = value;
    if (this.firsts[h] !== -1) return;
    this.firsts[h] = a;
    this.seconds[h] = b;
    if (++this.size * 2 > this.firsts.length) this.grow();
  }

  *entries(): Generator<[a: number, b: number, value: number]> {
    for (let h = 0; h < this.firsts.length; h++) if (this.firsts[h] !== -1) yield [this.firsts[h], this.seconds[h], this.values[h]];
  }

  private slot(a: number, b: number): number {
    const mask = this.firsts.length - 1;
    let h = fmix32(Math.imul(a, 0x9e3779b1) ^ b) & mask;
    while (this.firsts[h] !== -1 && (this.firsts[h] !== a || this.seconds[h] !== b)) h = (h + 1) & mask;
    return h;
  }

  private grow(): void {
    const { firsts, seconds, values } = this;
    this.firsts = new Int32Array(firsts.length * 2).fill(-1);
    this.seconds = new Int32Array(firsts.length * 2);
    this.values = new Uint8Array(firsts.length * 2);
    for (let h = 0; h < firsts.length; h++) {
      if (firsts[h] === -1) continue;
      const to = this.slot(firsts[h], seconds[h]);
      this.firsts[to] = firsts[h];
      this.seconds[to] = seconds[h];
      this.values[to] = values[h];
    }
  }
}

/** `PairVerdicts` as saved: the keys of the documents its pairs join, and each pair (indexes into `keys`) and verdict. */
export interface SavedVerdicts {
  keys: string[];
  firsts: Int32Array;
  seconds: Int32Array;
  ok: Uint8Array;
}

/**
 * Verdicts on candidate pairs of documents, by the documents' keys (see `DedupDocument.key`), so that a corpus
 * searched again with a few new documents verifies only the pairs they bring: the verdict on a pair depends on the two
 * signatures and the parameters alone, and the candidates themselves are found again each time, so the groups are
 * exactly those a search without verdicts finds. Only the pairs asked about since the verdicts were restored are
 * saved, so pairs of documents that have gone drop out. Verdicts of other parameters, or of other verification code,
 * must not be restored (the caller keys what it saves by both).
 */
export class PairVerdicts {
  private readonly ids = new Map<string, number>();
  private readonly keys: string[] = [];
  /** Pairs by id, smaller first: bit 1, a duplicate; bit 2, asked about in this run. */
  private readonly table = new PairTable();

  constructor(saved?: SavedVerdicts) {
    if (!saved) return;
    const ids = saved.keys.map((k) => this.idOf(k));
    for (let x = 0; x < saved.firsts.length; x++) {
      const a = ids[saved.firsts[x]], b = ids[saved.seconds[x]];
      this.table.set(Math.min(a, b), Math.max(a, b), saved.ok[x] ? 1 : 0);
    }
  }

  /** The small integer standing for a document's key here. */
  idOf(key: string): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      this.ids.set(key, (id = this.keys.length));
      this.keys.push(key);
    }
    return id;
  }

  /** The verdict on two documents (by `idOf`), if known. */
  get(a: number, b: number): boolean | undefined {
    const lo = Math.min(a, b), hi = Math.max(a, b);
    const verdict = this.table.get(lo, hi);
    if (verdict < 0) return undefined;
    if (!(verdict & 2)) this.table.set(lo, hi, verdict | 2);
    return (verdict & 1) === 1;
  }

  set(a: number, b: number, ok: boolean): void {
    this.table.set(Math.min(a, b), Math.max(a, b), ok ? 3 : 2);
  }

  /** The pairs asked about or set since the verdicts were restored, for the next run. */
  save(): SavedVerdicts {
    const renumbered = new Map<number, number>();
    const keys: string[] = [];
    const number = (id: number) => {
      let n = renumbered.get(id);
      if (n === undefined) {
        renumbered.set(id, (n = keys.length));
        keys.push(this.keys[id]);
      }
      return n;
    };
    const firsts: number[] = [], seconds: number[] = [], ok: number[] = [];
    for (const [a, b, verdict] of this.table.entries()) {
      if (!(verdict & 2)) continue;
      firsts.push(number(a));
      seconds.push(number(b));
      ok.push(verdict & 1);
    }
    return { keys, firsts: Int32Array.from(firsts), seconds: Int32Array.from(seconds), ok: Uint8Array.from(ok) };
  }
}
