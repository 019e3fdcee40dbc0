import { parentPort, workerData } from 'node:worker_threads';
import type { AnalysisCache } from './cache.js';
import { loadDedupLog, runDedupStep, type DedupStepInput } from './dedup-step.js';

// Loaded at once, before the input arrives (see DedupThread); a failure surfaces when the step runs. Messages are
// handled in order: `prepare` (optional) keeps and parses the live summaries, `run` runs the step.
let ready: Promise<AnalysisCache> = loadDedupLog((workerData as { cacheDir: string }).cacheDir);
ready.catch(() => {});

parentPort!.on('message', async (message: { prepare: string[] } | { run: DedupStepInput }) => {
  if ('prepare' in message) {
    const live = new Set(message.prepare);
    ready = ready.then((cache) => (cache.dedup.prepare(live), cache));
    ready.catch(() => {});
    return;
  }
  try {
    parentPort!.postMessage({ ok: true, result: await runDedupStep(message.run, ready) });
  } catch (error) {
    parentPort!.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) });
  }
});
