import { parentPort, workerData } from 'node:worker_threads';
import type { AnalysisOptions } from './analyse.js';
import { AnalysisCache } from './cache.js';
import { writeRecord } from './record.js';
import type { RecordJob, RecordReply } from './record-pool.js';

const { cacheDir, options } = workerData as { cacheDir: string; options: AnalysisOptions };
const cache = new AnalysisCache(cacheDir);
const port = parentPort!;

// Jobs run side by side: one's file is read or written while another's record is made.
port.on('message', async ({ id, plan, task, path }: RecordJob) => {
  let reply: RecordReply;
  try {
    let analysis;
    try {
      analysis = await cache.fullOrAnalyse(task, options);
    } catch (error) {
      reply = { id, result: { ok: false, stage: 'cache', message: error instanceof Error ? error.message : String(error) } };
      port.postMessage(reply);
      return;
    }
    reply = { id, result: await writeRecord(plan, analysis, path) };
  } catch (error) {
    reply = { id, failed: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
