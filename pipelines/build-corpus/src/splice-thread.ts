import { readFile } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { threadUrl } from './bundled.js';
import { writeFileAtomic } from './io.js';
import { writeSplicedFile, type SpliceFormat, type SpliceLayout } from './splice.js';

/**
 * A file of spliced lines (documents.jsonl) to write: each item's line when it was just made, else the record file its
 * line is read from if the last file does not hold it. `statePath` receives the new file's layout.
 */
export interface SpliceJob {
  path: string;
  statePath: string;
  previous: SpliceLayout | null;
  items: { key: string; line?: string; recordPath?: string }[];
  format: SpliceFormat;
}

/** Writes a `SpliceJob`'s file and its layout (see `spliceItems`). */
export async function writeSpliceJob(job: SpliceJob): Promise<void> {
  const items = job.items.map(({ key, line, recordPath }) => ({ key, render: async () => line ?? (await recordLine(recordPath!)) }));
  await writeFileAtomic(job.statePath, JSON.stringify(await writeSplicedFile(job.path, job.previous, items, job.format)));
}

/** A record's documents.jsonl line, from its (pretty-printed) file. */
export async function recordLine(path: string): Promise<string> {
  return JSON.stringify(JSON.parse(await readFile(path, 'utf8')));
}

/**
 * Writes a spliced file on a thread of its own. Copying the unchanged part of a large documents.jsonl is a few dozen
 * reads and writes of megabytes, each started when the last ends: on the main thread, each waits for whatever the main
 * thread is doing (the report), and the copy of 250 MB took twice as long as its reads and writes.
 */
export function writeSpliceJobOnThread(job: SpliceJob): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(threadUrl('splice-worker'), { workerData: job });
    worker.once('message', (reply: { ok: true } | { ok: false; error: string }) => {
      if (reply.ok) resolve();
      else reject(new Error(reply.error));
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`splice thread exited with code ${code}`)));
  });
}
