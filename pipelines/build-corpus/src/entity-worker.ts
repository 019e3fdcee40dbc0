import { parentPort, workerData } from 'node:worker_threads';
import type { AnalysisCache } from './cache.js';
import { loadEntityLog, runEntityStep, type EntityStepInput } from './entity-step.js';

// Loaded at once, before the input arrives (see EntityThread); a failure surfaces when the step runs. Messages are
// handled in order: `prepare` (optional) keeps and parses the live summaries, `run` runs the step.
let ready: Promise<AnalysisCache> = loadEntityLog((workerData as { cacheDir: string }).cacheDir);
ready.catch(() => {});

parentPort!.on('message', (message: { prepare: string[] } | { run: EntityStepInput }) => {
  if ('prepare' in message) {
    const live = new Set(message.prepare);
    ready = ready.then((cache) => (cache.entities.prepare(live), cache));
    ready.catch(() => {});
    return;
  }
  const run = runEntityStep(message.run, ready);
  // The links go back as soon as they exist; entities.json is written meanwhile.
  run.linked.then(
    (result) => parentPort!.postMessage({ linked: result }, result.links.map((l) => l.buffer as ArrayBuffer)),
    () => {},
  );
  run.done.then(
    () => parentPort!.postMessage({ ok: true }),
    (error: unknown) => parentPort!.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) }),
  );
});
