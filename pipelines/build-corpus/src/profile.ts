import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * `CORPUS_PROFILE=1` prints each phase's time and memory on stderr; threads name themselves. With node --expose-gc
 * the heap is measured after a collection (the live heap), otherwise as it stands.
 */
export function phaseProfiler(thread: string): (phase: string) => void {
  if (!process.env.CORPUS_PROFILE) return () => {};
  const started = performance.now();
  const gc = (globalThis as { gc?: () => void }).gc;
  return (phase) => {
    gc?.();
    const { rss, heapUsed } = process.memoryUsage();
    const mib = (n: number) => `${(n / 2 ** 20).toFixed(0)} MiB`;
    // The wall clock too (seconds within the minute), to line the threads' phases up.
    const clock = ((Date.now() % 60_000) / 1000).toFixed(2);
    console.error(`[profile] ${thread}: ${phase}: ${((performance.now() - started) / 1000).toFixed(2)}s (at :${clock}), rss ${mib(rss)}, heap ${mib(heapUsed)}`);
  };
}

let collector: (() => void) | null | undefined;

/**
 * A full garbage collection, where a thread has just dropped most of what it held and is about to run beside the
 * others at the build's memory peak: V8 would otherwise keep the garbage until its heap had grown much further.
 */
export function collectGarbage(): void {
  if (collector === undefined) {
    try {
      // `gc` is exposed only in contexts created after the flag is set; the call itself is the same full collection.
      setFlagsFromString('--expose-gc');
      collector = runInNewContext('gc') as () => void;
    } catch {
      collector = null;
    }
  }
  collector?.();
}
