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
