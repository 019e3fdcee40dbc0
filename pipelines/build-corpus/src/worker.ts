import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { createDocumentProcessor } from './analyse.js';
import { AnalysisCache } from './cache.js';
import type { WorkerSetup } from './pool.js';
import { analyseTask, readTask, storeTask, type AnalysisTask } from './task.js';
import { warmUp } from './warm-up.js';

let processor: ReturnType<typeof createDocumentProcessor>;
let cache: AnalysisCache;
const setUp = ({ options, cacheDir }: WorkerSetup) => {
  processor = createDocumentProcessor(options);
  cache = new AnalysisCache(cacheDir);
  // Before the first document: a worker started ahead of the build does it while the inputs are still being read.
  warmUp(processor);
};
// A worker started ahead of the build (see `prestartAnalysisWorker`) gets its setup as its first message.
if (workerData) setUp(workerData as WorkerSetup);

// The pool posts a document ahead of the one being analysed. Its file is read at once, but it is analysed only after
// the one before (analyses run one at a time, in order); storing a result overlaps the next analysis. The pool's
// clock for a document runs from "started" to "analysed", so a slow document never makes another one look slow.
let previous: Promise<void> = Promise.resolve();
parentPort!.on('message', (message: { id: number; task: AnalysisTask } | { setup: WorkerSetup }) => {
  if ('setup' in message) {
    setUp(message.setup);
    return;
  }
  const { id, task } = message;
  const bytes = readTask(task).then(
    (b) => ({ ok: true as const, bytes: b }),
    (error: unknown) => ({ ok: false as const, stage: 'read', message: error instanceof Error ? error.message : String(error) }),
  );
  previous = previous.then(async () => {
    const read = await bytes;
    if (!read.ok) {
      parentPort!.postMessage({ id, result: { ok: false, stage: read.stage, message: read.message } });
      return;
    }
    parentPort!.postMessage({ started: id });
    const analysed = analyseTask(processor, task, read.bytes);
    parentPort!.postMessage({ analysed: id, heap: getHeapStatistics().total_heap_size });
    void storeTask(cache, task, analysed).then((result) => parentPort!.postMessage({ id, result }));
  });
});
