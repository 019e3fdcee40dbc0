import { parentPort, workerData } from 'node:worker_threads';
import { runDedupStep, type DedupStepInput } from './dedup-step.js';

try {
  parentPort!.postMessage({ ok: true, result: await runDedupStep(workerData as DedupStepInput) });
} catch (error) {
  parentPort!.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) });
}
