import { workerData } from 'node:worker_threads';
import { AnalysisCache } from './cache.js';
import { prepareDedupLog, runDedupStep, type DedupStepInput, type DedupStepResult } from './dedup-step.js';
import { serveStep } from './step-thread.js';

serveStep<AnalysisCache, DedupStepInput, DedupStepResult>({
  state: new AnalysisCache((workerData as { cacheDir: string }).cacheDir),
  prepare: prepareDedupLog,
  run: (input, ready) => runDedupStep(input, ready),
});
