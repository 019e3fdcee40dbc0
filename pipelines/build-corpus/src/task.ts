import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { MetadataOverrides } from '@corpus/schema';
import { analyseDocument, StageError, type DocumentAnalysis, type DocumentProcessor } from './analyse.js';
import { AnalysisCache } from './cache.js';
import { decodeSource, InputError } from './decode.js';

export interface AnalysisTask {
  path: string;
  absolutePath: string;
  sha256: string;
  mediaType: string;
  overrides: MetadataOverrides;
  siteChrome: string[];
  cacheKey: string;
  maxBytes: number;
}

export type TaskResult =
  /** The summaries as JSON (see `serialise`). */
  | { ok: true; summary: string; dedup: string; entities: string; notes: string[] }
  | { ok: false; stage: string; message: string };

const failure = (error: unknown): TaskResult => {
  if (error instanceof InputError || error instanceof StageError) return { ok: false, stage: error.stage, message: error.message };
  return { ok: false, stage: 'pipeline', message: error instanceof Error ? error.message : String(error) };
};

type Analysed = { ok: true; analysis: DocumentAnalysis; notes: string[] } | Extract<TaskResult, { ok: false }>;

/** Reads a document's bytes: I/O only, so a worker can start it while it is still analysing the previous one. */
export const readTask = (task: AnalysisTask): Promise<Uint8Array> => readFile(task.absolutePath);

/** Decodes and analyses one document: the CPU-bound part. */
export function analyseTask(processor: DocumentProcessor, task: AnalysisTask, bytes: Uint8Array): Analysed {
  try {
    if (createHash('sha256').update(bytes).digest('hex') !== task.sha256) {
      return { ok: false, stage: 'read', message: 'file changed while the corpus was being built; run again' };
    }
    const { text, notes } = decodeSource(bytes, task.maxBytes);
    const analysis = analyseDocument(processor, {
      path: task.path,
      text,
      mediaType: task.mediaType,
      overrides: task.overrides,
      siteChrome: task.siteChrome,
    });
    for (const note of notes) analysis.diagnostics.unshift({ stage: 'decode', message: note });
    return { ok: true, analysis, notes };
  } catch (error) {
    return failure(error) as Extract<TaskResult, { ok: false }>;
  }
}

/** Stores the analysis in the cache and returns what the corpus-level steps need of it. */
export async function storeTask(cache: AnalysisCache, task: AnalysisTask, analysed: Analysed): Promise<TaskResult> {
  if (!analysed.ok) return analysed;
  try {
    const summaries = await cache.putFull(task.cacheKey, analysed.analysis);
    return { ok: true, ...summaries, notes: analysed.notes };
  } catch (error) {
    return failure(error);
  }
}

/** Reads, decodes and analyses one document and stores the analysis; runs in a worker thread or in-process. */
export async function runTask(processor: DocumentProcessor, cache: AnalysisCache, task: AnalysisTask): Promise<TaskResult> {
  let bytes: Uint8Array;
  try {
    bytes = await readTask(task);
  } catch (error) {
    return failure(error);
  }
  return storeTask(cache, task, analyseTask(processor, task, bytes));
}
