import { createHash } from 'node:crypto';

/** MurmurHash3's finaliser: a cheap, well-mixed 32-bit permutation. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over UTF-16 code units, finalised with fmix32 (FNV alone mixes the high bits poorly). */
export function hashString32(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return fmix32(h);
}

/**
 * 64-bit key as 16 hex digits from two differently built 32-bit hashes (FNV-1a, and a murmur-style
 * multiply-xorshift): cheap enough for every line of every source, and collisions stay negligible at
 * millions of distinct lines (a cryptographic hash per line cost more than the rest of the stage).
 */
export function hash64Hex(s: string): string {
  let b = 0x9747b28c;
  for (let i = 0; i < s.length; i++) {
    b = Math.imul(b ^ s.charCodeAt(i), 0x5bd1e995);
    b ^= b >>> 15;
  }
  b = fmix32(b ^ s.length);
  return hashString32(s).toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

export const sha256Hex = (s: string, length = 64): string => createHash('sha256').update(s).digest('hex').slice(0, length);

/** Uint32 values as little-endian base64: a quarter of the size of a JSON number array. */
export function encodeU32(values: ArrayLike<number>): string {
  const buf = Buffer.allocUnsafe(values.length * 4);
  for (let i = 0; i < values.length; i++) buf.writeUInt32LE(values[i] >>> 0, i * 4);
  return buf.toString('base64');
}

export function decodeU32(b64: string): Uint32Array {
  const buf = Buffer.from(b64, 'base64');
  const out = new Uint32Array(buf.length >>> 2);
  for (let i = 0; i < out.length; i++) out[i] = buf.readUInt32LE(i * 4);
  return out;
}

/** Deterministic PRNG (mulberry32) for the synthetic sets: same seed, same corpus. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Union-find with path halving; used by both document and quote grouping. */
export class DisjointSets {
  private readonly parent: Int32Array;
  constructor(n: number) {
    this.parent = new Int32Array(n);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }
  find(x: number): number {
    const p = this.parent;
    while (p[x] !== x) {
      p[x] = p[p[x]];
      x = p[x];
    }
    return x;
  }
  union(a: number, b: number): void {
    const ra = this.find(a), rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}
