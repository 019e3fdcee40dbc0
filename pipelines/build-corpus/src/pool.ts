import { Worker } from 'node:worker_threads';
import type { AnalysisOptions } from './analyse.js';
import type { AnalysisTask, TaskResult } from './task.js';
import { threadUrl } from './bundled.js';

/** What a worker needs to analyse: given when it starts, or in its first message when it was started ahead. */
export interface WorkerSetup {
  options: AnalysisOptions;
  cacheDir: string;
}

export interface PoolOptions {
  workers: number;
  options: AnalysisOptions;
  cacheDir: string;
  /** A document that takes longer than this is abandoned (its worker replaced) and reported as an error. */
  timeoutMs: number;
  /** Documents a worker analyses before it is replaced by a fresh one (default `RECYCLE_AFTER`). */
  recycleAfter?: number;
  /** Heap size (bytes) past which a worker is replaced after its current documents (default `RECYCLE_HEAP_BYTES`). */
  recycleHeapBytes?: number;
}


/**
 * An analysis worker started before the build knows its options (see `prestartAnalysisWorker`), for the first pool to
 * adopt. Loading the stages (compromise above all) is what the first new document of an incremental build waits for.
 */
let prestarted: Worker | null = null;

function startWorker(workerData: unknown): Worker {
  return new Worker(threadUrl('worker'), {
    workerData,
    // The stages allocate many short-lived objects; a larger young generation spends less time collecting them.
    resourceLimits: { maxYoungGenerationSizeMb: 64 },
  });
}

/**
 * Starts an analysis worker loading the stages now, before the build's own modules are loaded and its inputs read: the
 * CLI calls it first thing. The first pool with workers adopts it and gives it its options; until then it does not
 * keep the process alive, and a build that analyses in its own thread stops it.
 */
export function prestartAnalysisWorker(): void {
  if (prestarted) return;
  const worker = startWorker(null);
  worker.unref();
  // A worker that fails while waiting is simply not adopted.
  worker.on('error', () => {
    if (prestarted === worker) prestarted = null;
  });
  prestarted = worker;
}

/** Whether a worker started ahead waits to be adopted. */
export const hasPrestartedWorker = (): boolean => prestarted !== null;

function adoptPrestarted(): Worker | null {
  const worker = prestarted;
  prestarted = null;
  worker?.removeAllListeners('error');
  worker?.ref();
  return worker;
}

interface Pending {
  id: number;
  task: AnalysisTask;
  resolve: (r: TaskResult) => void;
}

interface Slot {
  worker: Worker;
  /** Tasks posted to the worker, oldest first; it runs them one after the other. */
  inFlight: Pending[];
  timers: Map<number, NodeJS.Timeout>;
  /** Documents posted to this worker so far. */
  posted: number;
  /** The worker's heap (V8's total heap size) after its last analysis. */
  heap: number;
}

/**
 * Tasks posted ahead to each worker. With two, a worker never waits for the main thread to hand it the next
 * document while its last one is being written out: its reading and writing overlap the other's analysis.
 */
const DEPTH = 2;

/**
 * A worker is replaced after this many documents, or sooner once its heap passes `RECYCLE_HEAP_BYTES`. The stages'
 * bounded caches keep a few megabytes live, but scattered over the heap they can keep V8 from giving pages back, so
 * a long-lived worker's memory creeps up. Not much sooner: a fresh worker runs its first few hundred documents at a
 * third of the speed while V8 compiles the stages' hot code again.
 */
export const RECYCLE_AFTER = 2500;
export const RECYCLE_HEAP_BYTES = 384 * 2 ** 20;

/**
 * Runs document analyses on a fixed set of worker threads. Results come back per task, so the order of
 * completion never leaks into the output: the caller keys everything by document.
 */
export class AnalysisPool {
  private readonly queue: Pending[] = [];
  private readonly slots: Slot[] = [];
  private nextId = 0;
  private closed = false;
  private readonly inProcess: ((task: AnalysisTask) => Promise<TaskResult>) | null = null;
  private readonly recycleAfter: number;
  private readonly recycleHeap: number;

  constructor(private readonly config: PoolOptions) {
    this.recycleAfter = config.recycleAfter ?? RECYCLE_AFTER;
    this.recycleHeap = config.recycleHeapBytes ?? RECYCLE_HEAP_BYTES;
    if (config.workers <= 0) {
      // The stages (compromise above all) take a while to load: loaded only here, never by a build that uses workers.
      const ready = Promise.all([import('./analyse.js'), import('./cache.js'), import('./task.js')]).then(([{ createDocumentProcessor }, { AnalysisCache }, { runTask }]) => {
        const processor = createDocumentProcessor(config.options);
        const cache = new AnalysisCache(config.cacheDir);
        return (task: AnalysisTask) => runTask(processor, cache, task);
      });
      this.inProcess = async (task) => (await ready)(task);
      void adoptPrestarted()?.terminate();
    } else {
      for (let i = 0; i < config.workers; i++) this.slots.push(this.spawn());
    }
  }

  /** More worker threads, up to `total`. */
  grow(total: number): void {
    if (this.inProcess || this.closed) return;
    while (this.slots.length < total) this.slots.push(this.spawn());
    this.pump();
  }

  run(task: AnalysisTask): Promise<TaskResult> {
    if (this.inProcess) return this.inProcess(task);
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, task, resolve });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    const workerData: WorkerSetup = { options: this.config.options, cacheDir: this.config.cacheDir };
    const adopted = adoptPrestarted();
    const worker = adopted ?? startWorker(workerData);
    // Before any task: messages reach the worker in order.
    if (adopted) adopted.postMessage({ setup: workerData });
    const slot: Slot = { worker, inFlight: [], timers: new Map(), posted: 0, heap: 0 };
    worker.on('message', (message: { id: number; result: TaskResult } | { started: number } | { analysed: number; heap: number }) => {
      // A document's clock runs while the worker analyses it (not while it waits, loads or stores).
      if ('started' in message) {
        const pending = slot.inFlight.find((p) => p.id === message.started);
        if (pending) this.arm(slot, pending);
        return;
      }
      if ('analysed' in message) {
        slot.heap = message.heap;
        clearTimeout(slot.timers.get(message.analysed));
        slot.timers.delete(message.analysed);
        return;
      }
      const at = slot.inFlight.findIndex((p) => p.id === message.id);
      if (at < 0) return;
      const [pending] = slot.inFlight.splice(at, 1);
      clearTimeout(slot.timers.get(pending.id));
      slot.timers.delete(pending.id);
      pending.resolve(message.result);
      this.pump();
    });
    worker.on('error', (error) => this.replace(slot, null, { ok: false, stage: 'worker', message: `worker crashed: ${error.message}` }));
    worker.on('exit', (code) => {
      if (!this.closed && slot.inFlight.length) this.replace(slot, null, { ok: false, stage: 'worker', message: `worker exited with code ${code}` });
    });
    return slot;
  }

  /**
   * A crashed or stuck worker takes only one document down: the one it was analysing (or, after a crash, the oldest
   * it held) gets the error; the worker is replaced and the other documents it held go back to the front of the queue.
   */
  private replace(slot: Slot, culprit: Pending | null, result: TaskResult) {
    const index = this.slots.indexOf(slot);
    if (index < 0 || !slot.inFlight.length) return;
    const failed = culprit ?? slot.inFlight.find((p) => slot.timers.has(p.id)) ?? slot.inFlight[0];
    for (const timer of slot.timers.values()) clearTimeout(timer);
    const requeue = slot.inFlight.filter((p) => p !== failed);
    slot.inFlight = [];
    slot.timers.clear();
    void slot.worker.terminate();
    if (!this.closed) this.slots[index] = this.spawn();
    this.queue.unshift(...requeue);
    failed.resolve(result);
    this.pump();
  }

  private pump() {
    for (const [index, slot] of this.slots.entries()) {
      if (this.spent(slot) && !slot.inFlight.length && this.queue.length && !this.closed) {
        void slot.worker.terminate();
        this.slots[index] = this.spawn();
        this.pump();
        return;
      }
      while (slot.inFlight.length < DEPTH && this.queue.length && !this.spent(slot)) {
        const pending = this.queue.shift()!;
        slot.inFlight.push(pending);
        slot.posted++;
        slot.worker.postMessage({ id: pending.id, task: pending.task });
      }
    }
  }

  /** Due for replacement (see `RECYCLE_AFTER`). */
  private spent(slot: Slot): boolean {
    return slot.posted >= this.recycleAfter || slot.heap >= this.recycleHeap;
  }

  private arm(slot: Slot, pending: Pending) {
    slot.timers.set(
      pending.id,
      setTimeout(
        () => this.replace(slot, pending, { ok: false, stage: 'timeout', message: `analysis took longer than ${this.config.timeoutMs} ms` }),
        this.config.timeoutMs,
      ),
    );
  }
}
