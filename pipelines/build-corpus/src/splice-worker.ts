import { parentPort, workerData } from 'node:worker_threads';
import { writeSpliceJob, type SpliceJob } from './splice-thread.js';

writeSpliceJob(workerData as SpliceJob).then(
  () => parentPort!.postMessage({ ok: true }),
  (error: unknown) => parentPort!.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) }),
);
