import { parentPort, workerData } from 'node:worker_threads';
import { createDocumentProcessor, type AnalysisOptions } from './analyse.js';
import { AnalysisCache } from './cache.js';
import { runTask, type AnalysisTask } from './task.js';

const { options, cacheDir } = workerData as { options: AnalysisOptions; cacheDir: string };
const processor = createDocumentProcessor(options);
const cache = new AnalysisCache(cacheDir);

parentPort!.on('message', async (message: { id: number; task: AnalysisTask }) => {
  const result = await runTask(processor, cache, message.task);
  parentPort!.postMessage({ id: message.id, result });
});
