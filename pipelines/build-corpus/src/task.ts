import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { MetadataOverrides } from '@corpus/schema';
import { analyseDocument, StageError, type DocumentProcessor } from './analyse.js';
import { AnalysisCache, type AnalysisSummary } from './cache.js';
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
  | { ok: true; summary: AnalysisSummary; notes: string[] }
  | { ok: false; stage: string; message: string };

/** Reads, decodes and analyses one document and stores the analysis; runs in a worker thread or in-process. */
export async function runTask(processor: DocumentProcessor, cache: AnalysisCache, task: AnalysisTask): Promise<TaskResult> {
  try {
    const bytes = await readFile(task.absolutePath);
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
    const summary = await cache.putFull(task.cacheKey, analysis);
    return { ok: true, summary, notes };
  } catch (error) {
    if (error instanceof InputError || error instanceof StageError) return { ok: false, stage: error.stage, message: error.message };
    return { ok: false, stage: 'pipeline', message: error instanceof Error ? error.message : String(error) };
  }
}
