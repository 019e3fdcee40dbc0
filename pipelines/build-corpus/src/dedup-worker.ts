import { parentPort, workerData } from 'node:worker_threads';
import { AnalysisCache } from './cache.js';
import { prepareDedupLog, runDedupStep, type DedupStepInput } from './dedup-step.js';

// Started before the input exists (see DedupThread); a failure surfaces when the step runs. Messages are handled in
// order: `prepare` (optional) loads the live documents' summaries, `run` runs the step.
let ready: Promise<AnalysisCache> = Promise.resolve(new AnalysisCache((workerData as { cacheDir: string }).cacheDir));
ready.catch(() => {});

parentPort!.on('message', async (message: { prepare: string[] } | { run: DedupStepInput }) => {
  if ('prepare' in message) {
    const live = new Set(message.prepare);
    ready = ready.then(async (cache) => (await prepareDedupLog(cache, live), cache));
    ready.catch(() => {});
    return;
  }
  try {
    parentPort!.postMessage({ ok: true, result: await runDedupStep(message.run, ready) });
  } catch (error) {
    parentPort!.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) });
  }
});
