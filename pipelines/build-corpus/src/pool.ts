import { Worker } from 'node:worker_threads';
import { createDocumentProcessor, type AnalysisOptions } from './analyse.js';
import { AnalysisCache } from './cache.js';
import { runTask, type AnalysisTask, type TaskResult } from './task.js';

export interface PoolOptions {
  workers: number;
  options: AnalysisOptions;
  cacheDir: string;
  /** A document that takes longer than this is abandoned (its worker replaced) and reported as an error. */
  timeoutMs: number;
}

// Under the test runner this module runs from src/*.ts; workers always run the compiled code.
const WORKER_URL = import.meta.url.endsWith('.ts') ? new URL('../dist/worker.js', import.meta.url) : new URL('./worker.js', import.meta.url);

interface Pending {
  id: number;
  task: AnalysisTask;
  resolve: (r: TaskResult) => void;
}

interface Slot {
  worker: Worker;
  current: Pending | null;
  timer: NodeJS.Timeout | null;
}

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

  constructor(private readonly config: PoolOptions) {
    if (config.workers <= 0) {
      const processor = createDocumentProcessor(config.options);
      const cache = new AnalysisCache(config.cacheDir);
      this.inProcess = (task) => runTask(processor, cache, task);
    } else {
      for (let i = 0; i < config.workers; i++) this.slots.push(this.spawn());
    }
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
    const worker = new Worker(WORKER_URL, {
      workerData: { options: this.config.options, cacheDir: this.config.cacheDir },
      // The stages allocate many short-lived objects; a larger young generation spends less time collecting them.
      resourceLimits: { maxYoungGenerationSizeMb: 64 },
    });
    const slot: Slot = { worker, current: null, timer: null };
    worker.on('message', (message: { id: number; result: TaskResult }) => {
      const pending = slot.current;
      if (!pending || pending.id !== message.id) return;
      this.finish(slot, message.result);
    });
    worker.on('error', (error) => this.replace(slot, { ok: false, stage: 'worker', message: `worker crashed: ${error.message}` }));
    worker.on('exit', (code) => {
      if (!this.closed && slot.current) this.replace(slot, { ok: false, stage: 'worker', message: `worker exited with code ${code}` });
    });
    return slot;
  }

  private finish(slot: Slot, result: TaskResult) {
    const pending = slot.current!;
    if (slot.timer) clearTimeout(slot.timer);
    slot.current = null;
    slot.timer = null;
    pending.resolve(result);
    this.pump();
  }

  /** A crashed or stuck worker takes only its own document down: it is replaced and the queue goes on. */
  private replace(slot: Slot, result: TaskResult) {
    const index = this.slots.indexOf(slot);
    if (index < 0 || !slot.current) return;
    const pending = slot.current;
    if (slot.timer) clearTimeout(slot.timer);
    slot.current = null;
    void slot.worker.terminate();
    if (!this.closed) this.slots[index] = this.spawn();
    pending.resolve(result);
    this.pump();
  }

  private pump() {
    for (const slot of this.slots) {
      if (slot.current || !this.queue.length) continue;
      const pending = this.queue.shift()!;
      slot.current = pending;
      slot.timer = setTimeout(
        () => this.replace(slot, { ok: false, stage: 'timeout', message: `analysis took longer than ${this.config.timeoutMs} ms` }),
        this.config.timeoutMs,
      );
      slot.worker.postMessage({ id: pending.id, task: pending.task });
    }
  }
}
