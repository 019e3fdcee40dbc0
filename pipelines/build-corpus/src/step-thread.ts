import { parentPort, Worker, type ResourceLimits } from 'node:worker_threads';
import type { AnalysisTask } from './task.js';

/** What a step's thread posts back: results it has before it ends (`partial`), then its end. */
type Reply<Result, Partial> = { partial: Partial } | { ok: true; result: Result } | { ok: false; error: string };

/**
 * A corpus-level step's thread (entity linking, dedup), started before its input exists: it loads its modules while
 * the main thread reads the inputs, and its log once `prepare` says which documents are live, while new ones are
 * analysed. It runs once; `close` stops it unless that run finished (a build that fails midway must not leave it
 * waiting). The thread's side is `serveStep`.
 */
export class StepThread<Input, Result, Partial = never> {
  private readonly worker: Worker;
  private started = false;
  private finished = false;

  constructor(
    private readonly name: string,
    url: URL,
    workerData: unknown,
    resourceLimits?: ResourceLimits,
  ) {
    this.worker = new Worker(url, { workerData, resourceLimits });
    // Until `run`, an error has nobody to tell; `run` reports the thread's state.
    this.worker.on('error', () => {});
  }

  /** The cache keys of the corpus's documents, as soon as they are known. */
  prepare(live: readonly string[]): void {
    this.worker.postMessage({ prepare: live });
  }

  /** A message of the step's own (handled by `serveStep`'s `message`). */
  send(message: object): void {
    this.worker.postMessage(message);
  }

  run(input: Input, onPartial?: (value: Partial) => void): Promise<Result> {
    if (this.started) throw new Error(`the ${this.name} thread runs once`);
    this.started = true;
    const worker = this.worker;
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (error: unknown) => {
        if (settled) return;
        settled = true;
        reject(error);
      };
      worker.on('message', (message: Reply<Result, Partial>) => {
        if ('partial' in message) return onPartial?.(message.partial);
        if (!message.ok) return fail(new Error(message.error));
        settled = true;
        this.finished = true;
        resolve(message.result);
        void worker.terminate();
      });
      worker.once('error', fail);
      worker.once('exit', (code) => fail(new Error(`${this.name} thread exited with code ${code}`)));
      worker.postMessage({ run: input });
    });
  }

  async close(): Promise<void> {
    if (!this.finished) await this.worker.terminate();
  }
}

/**
 * The thread's side of a `StepThread`. Messages are handled in order: `prepare` (optional) readies the state with
 * the live documents, `run` runs the step on it once ready, and any other message goes to `message`.
 */
export function serveStep<State, Input, Result, Partial = never>(step: {
  state: State;
  prepare(state: State, live: ReadonlySet<string>): Promise<void>;
  run(input: Input, ready: Promise<State>, partial: (value: Partial, transfer?: ArrayBuffer[]) => void): Promise<Result>;
  message?(message: object): void;
}): void {
  const port = parentPort!;
  // A failure while preparing surfaces when the step runs.
  let ready: Promise<State> = Promise.resolve(step.state);
  port.on('message', (message: { prepare: string[] } | { run: Input } | object) => {
    if ('prepare' in message) {
      const live = new Set(message.prepare);
      ready = ready.then(async (state) => (await step.prepare(state, live), state));
      ready.catch(() => {});
    } else if ('run' in message) {
      step.run(message.run, ready, (value, transfer) => port.postMessage({ partial: value }, transfer)).then(
        (result) => port.postMessage({ ok: true, result }),
        (error: unknown) => port.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) }),
      );
    } else step.message?.(message);
  });
}

/**
 * The i-th task of a JSON list, the list parsed when first needed: a step's thread receives the corpus's tasks as one
 * string (much faster to pass than ten thousand objects) and reads them only if its log has lost an analysis.
 */
export function lazyTasks(json: string): (i: number) => AnalysisTask {
  let tasks: AnalysisTask[] | null = null;
  return (i) => (tasks ??= JSON.parse(json) as AnalysisTask[])[i];
}

/** Raises a gate another thread waits on (`waitForGate`). */
export function raiseGate(flag: SharedArrayBuffer): void {
  const cell = new Int32Array(flag);
  Atomics.store(cell, 0, 1);
  Atomics.notify(cell, 0);
}

/** Settles once `raiseGate` was called on the flag, by any thread. */
export async function waitForGate(flag: SharedArrayBuffer): Promise<void> {
  const cell = new Int32Array(flag);
  // waitAsync is in Node 16+, not yet in TypeScript's ES2023 library.
  const waitAsync = (Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number): { async: boolean; value: Promise<string> | string } }).waitAsync;
  while (Atomics.load(cell, 0) === 0) {
    const waiting = waitAsync(cell, 0, 0);
    if (waiting.async) await waiting.value;
  }
}
