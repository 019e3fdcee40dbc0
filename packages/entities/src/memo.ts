/**
 * A bounded memo of a function of one string. Names and words recur within and across documents, so the stages look
 * the same ones up again and again; the bound keeps a long-running worker from growing without limit (the memo is
 * simply emptied when full: recurring keys come back at once).
 */
export function memoize<T>(compute: (key: string) => T, limit = 50_000): (key: string) => T {
  const cache = new Map<string, T>();
  return (key) => {
    const hit = cache.get(key);
    if (hit !== undefined || cache.has(key)) return hit as T;
    if (cache.size >= limit) cache.clear();
    const value = compute(key);
    cache.set(key, value);
    return value;
  };
}

interface LruNode<T> {
  key: string;
  value: T;
  older: LruNode<T> | undefined;
  newer: LruNode<T> | undefined;
}

/**
 * A least-recently-used cache of string keys. (A Map alone can serve, by deleting and re-adding a key on use and
 * dropping `keys().next()`, but V8 keeps deleted entries in place until the table is rebuilt, so finding the
 * oldest key walks past every entry deleted since: thousands, for every eviction of a full cache.)
 */
export class Lru<T> {
  private readonly map = new Map<string, LruNode<T>>();
  private oldest: LruNode<T> | undefined;
  private newest: LruNode<T> | undefined;
  constructor(private readonly limit: number) {}
  get size(): number {
    return this.map.size;
  }
  /** The value, now the most recently used. */
  get(key: string): T | undefined {
    const node = this.map.get(key);
    if (!node) return undefined;
    if (node !== this.newest) {
      this.unlink(node);
      this.append(node);
    }
    return node.value;
  }
  /** Adds a key as the most recently used, first dropping the least recently used if full; a key already
   * there (the oldest excepted, which is dropped) keeps its place and takes the new value, as in a Map. */
  set(key: string, value: T): void {
    if (this.map.size >= this.limit && this.oldest) {
      this.map.delete(this.oldest.key);
      this.unlink(this.oldest);
    }
    const node = this.map.get(key);
    if (node) {
      node.value = value;
      return;
    }
    const added: LruNode<T> = { key, value, older: undefined, newer: undefined };
    this.map.set(key, added);
    this.append(added);
  }
  clear(): void {
    this.map.clear();
    this.oldest = this.newest = undefined;
  }
  private unlink(node: LruNode<T>): void {
    if (node.older) node.older.newer = node.newer;
    else this.oldest = node.newer;
    if (node.newer) node.newer.older = node.older;
    else this.newest = node.older;
    node.older = node.newer = undefined;
  }
  private append(node: LruNode<T>): void {
    node.older = this.newest;
    if (this.newest) this.newest.newer = node;
    else this.oldest = node;
    this.newest = node;
  }
}
