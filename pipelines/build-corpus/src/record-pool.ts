import { Worker } from 'node:worker_threads';
import type { AnalysisOptions } from './analyse.js';
import type { RecordPlan, RecordResult } from './record.js';
import type { AnalysisTask } from './task.js';
import { threadUrl } from './bundled.js';

export interface RecordJob {
  id: number;
  plan: RecordPlan;
  /** Where the document's analysis is cached (and how to make it again if it is gone). */
  task: AnalysisTask;
  /** The record's file. */
  path: string;
}

/** A job's record, or the error that stopped the job (a failed write, say). */
export type RecordReply = { id: number; result: RecordResult } | { id: number; failed: string };


/**
 * Threads that make, validate and write document records. A build that writes thousands of records (a first build,
 * or the first after the stages changed) has nothing else left to run by then but documents.jsonl, which the main
 * thread writes from the lines they send back. They load neither the stages nor compromise: a record is its cached
 * analysis plus what the corpus decided (`RecordPlan`), and only an analysis gone from the cache is made again.
 */
export class RecordWriters {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, { worker: Worker; resolve: (r: RecordResult) => void; reject: (e: Error) => void }>();
  private nextId = 0;

  constructor(count: number, cacheDir: string, options: AnalysisOptions) {
    for (let i = 0; i < count; i++) {
      const worker = new Worker(threadUrl('record-worker'), { workerData: { cacheDir, options } });
      worker.on('message', (reply: RecordReply) => {
        const job = this.pending.get(reply.id);
        if (!job) return;
        this.pending.delete(reply.id);
        if ('failed' in reply) job.reject(new Error(reply.failed));
        else job.resolve(reply.result);
      });
      const fail = (error: Error) => {
        // A thread that failed takes no more jobs; those it had are made by the caller instead.
        const at = this.workers.indexOf(worker);
        if (at >= 0) this.workers.splice(at, 1);
        for (const [id, job] of this.pending) {
          if (job.worker !== worker) continue;
          this.pending.delete(id);
          job.reject(error);
        }
      };
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`record thread exited with code ${code}`)));
      this.workers.push(worker);
    }
  }

  /** Makes and writes one record on the least busy thread. */
  write(plan: RecordPlan, task: AnalysisTask, path: string): Promise<RecordResult> {
    if (!this.workers.length) return Promise.reject(new Error('no record thread is left'));
    const load = new Map(this.workers.map((w) => [w, 0]));
    for (const job of this.pending.values()) load.set(job.worker, load.get(job.worker)! + 1);
    const worker = this.workers.reduce((a, b) => (load.get(b)! < load.get(a)! ? b : a));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { worker, resolve, reject });
      worker.postMessage({ id, plan, task, path } satisfies RecordJob);
    });
  }

  async close(): Promise<void> {
    const workers = this.workers.splice(0);
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
