import { workerData } from 'node:worker_threads';
import { AnalysisCache } from './cache.js';
import { prepareDedupLog, runDedupStep, type DedupStepInput, type DedupStepResult } from './dedup-step.js';
import { serveStep } from './step-thread.js';

serveStep<AnalysisCache, DedupStepInput, void, DedupStepResult>({
  state: new AnalysisCache((workerData as { cacheDir: string }).cacheDir),
  prepare: prepareDedupLog,
  // The result goes back as soon as it is known; duplicates.json is written meanwhile.
  run: async (input, ready, partial) => {
    await runDedupStep(input, ready, partial);
  },
});
