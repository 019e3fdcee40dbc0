import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { DEFAULT_DEDUP_PARAMETERS, duplicateOfMap, findDuplicateDocuments, findRepeatedPassages } from '@corpus/dedup';
import { topPassages } from '@corpus/report';
import { DuplicateGroup, DuplicateIndex, RepeatedPassage, SCHEMA_VERSION } from '@corpus/schema';
import type { AnalysisOptions, DocumentProcessor } from './analyse.js';
import { AnalysisCache, type DedupSummary } from './cache.js';
import { decodeSource } from './decode.js';
import { writeIndex } from './indexes.js';
import { collectGarbage, phaseProfiler } from './profile.js';
import type { AnalysisTask } from './task.js';

export interface DedupStepInput {
  cacheDir: string;
  /** Where duplicates.json goes. */
  outPath: string;
  analysis: AnalysisOptions;
  /** Every document of the corpus, in id order. */
  docs: { id: string; published: string | null; task: AnalysisTask }[];
}

export interface DedupStepResult {
  duplicateOf: [documentId: string, canonicalId: string][];
  /** duplicates.json as the report needs it: every group, but only the passages it lists. */
  reportView: DuplicateIndex;
  passageTotals: { withinDocument: number; acrossDocuments: number };
}

/**
 * The corpus-level dedup steps (duplicate documents, repeated passages) and the writing of duplicates.json. They need
 * nothing from the entity and quote steps, so they run on a thread of their own while those run on the main one,
 * reading their own summaries (signatures and passage fingerprints) from the cache.
 */
export async function runDedupStep(input: DedupStepInput, preloaded?: Promise<AnalysisCache>): Promise<DedupStepResult> {
  const profile = phaseProfiler('dedup step');
  const cache = await (preloaded ?? new AnalysisCache(input.cacheDir));
  // Loaded by `prepareDedupLog` (on a thread started early), only what was appended since is read: the summaries of
  // this build's new documents.
  if (cache.dedup.isLoaded) await cache.dedup.loadMore();
  else await cache.dedup.load();
  await cache.dedup.save(new Set(input.docs.map((d) => d.task.cacheKey)));
  let processor: DocumentProcessor | null = null;
  const summaries: DedupSummary[] = [];
  for (const d of input.docs) {
    let s = cache.dedup.take(d.task.cacheKey);
    if (!s) {
      // The log lost the entry (a build killed mid-append): the full analysis has it, or the document is analysed again.
      let full = await cache.full(d.task.cacheKey);
      if (!full) {
        // Loaded only here: the stages (compromise above all) take a while to load, and this thread rarely needs them.
        const [{ createDocumentProcessor }, { runTask }] = await Promise.all([import('./analyse.js'), import('./task.js')]);
        processor ??= createDocumentProcessor(input.analysis);
        const result = await runTask(processor, cache, d.task);
        if (!result.ok) throw new Error(`${d.task.path}: ${result.message}`);
        full = await cache.full(d.task.cacheKey);
      }
      if (!full) throw new Error(`${d.task.path}: cached analysis disappeared during the build; run again`);
      s = { signature: full.signature, passages: full.passages };
    }
    summaries.push(s);
  }
  cache.dedup.release();
  profile('summaries read');

  const groups = findDuplicateDocuments(input.docs.map((d, i) => ({ id: d.id, published: d.published, signature: summaries[i].signature })));
  const duplicateOf = duplicateOfMap(groups);
  // Passage text is read back from the source only for the passages that are reported.
  const byId = new Map(input.docs.map((d) => [d.id, d]));
  let lastSource: [string, string] | null = null;
  const sourceOf = (id: string) => {
    if (lastSource?.[0] !== id) lastSource = [id, decodeSource(readFileSync(byId.get(id)!.task.absolutePath), Infinity).text];
    return lastSource[1];
  };
  profile('duplicates found');
  const passages = findRepeatedPassages(
    input.docs.map((d, i) => ({ documentId: d.id, passages: summaries[i].passages })),
    { duplicateOf, textOf: (id, p) => sourceOf(id).slice(p.start, p.end).replace(/\s+/g, ' ').trim() },
  );
  const index: DuplicateIndex = { schemaVersion: SCHEMA_VERSION, parameters: { ...DEFAULT_DEDUP_PARAMETERS }, documents: groups, passages };
  collectGarbage();
  profile('passages found');
  await writeIndex(input.outPath, DuplicateIndex, index, { documents: DuplicateGroup, passages: { withinDocument: RepeatedPassage, acrossDocuments: RepeatedPassage } }, cache);
  // The full passage lists stay here: sending them back would put a second copy of them in the main thread's heap.
  return {
    duplicateOf: [...duplicateOf],
    reportView: { ...index, passages: { withinDocument: topPassages(passages.withinDocument), acrossDocuments: topPassages(passages.acrossDocuments) } },
    passageTotals: { withinDocument: passages.withinDocument.length, acrossDocuments: passages.acrossDocuments.length },
  };
}

// Under the test runner this module runs from src/*.ts; workers always run the compiled code.
const WORKER_URL = import.meta.url.endsWith('.ts') ? new URL('../dist/dedup-worker.js', import.meta.url) : new URL('./dedup-worker.js', import.meta.url);

/**
 * Once the corpus's documents are known (`live`: their cache keys), loads their logged summaries. They are parsed
 * only as the step reads them: parsed all at once, beside the analysis of new documents, they would make the
 * build's peak memory.
 */
export async function prepareDedupLog(cache: AnalysisCache, live: ReadonlySet<string>): Promise<void> {
  await cache.dedup.load((key) => live.has(key));
}

/**
 * The dedup steps' thread, started before its input exists: it loads its modules while the main thread reads the
 * inputs, and its log once `prepare` says which documents are live, while new ones are analysed. `close` stops it if
 * the build ends without running it.
 */
export class DedupThread {
  private readonly worker: Worker;
  private started = false;
  private finished = false;

  constructor(cacheDir: string) {
    // A small young generation: this thread runs beside the main one at the build's memory peak.
    this.worker = new Worker(WORKER_URL, { workerData: { cacheDir }, resourceLimits: { maxYoungGenerationSizeMb: 8 } });
    // Until `run`, an error has nobody to tell; `run` reports the thread's state.
    this.worker.on('error', () => {});
  }

  /**
   * Says which documents the corpus has (their cache keys), as soon as they are known: the thread keeps and parses
   * their summaries while the new ones are analysed.
   */
  prepare(live: readonly string[]): void {
    this.worker.postMessage({ prepare: live });
  }

  run(input: DedupStepInput): Promise<DedupStepResult> {
    if (this.started) throw new Error('the dedup thread runs once');
    this.started = true;
    const worker = this.worker;
    return new Promise((resolve, reject) => {
      let settled = false;
      worker.once('message', (message: { ok: true; result: DedupStepResult } | { ok: false; error: string }) => {
        settled = true;
        this.finished = true;
        if (message.ok) resolve(message.result);
        else reject(new Error(message.error));
        void worker.terminate();
      });
      worker.once('error', (error) => {
        if (!settled) reject(error);
        settled = true;
      });
      worker.once('exit', (code) => {
        if (!settled) reject(new Error(`dedup thread exited with code ${code}`));
        settled = true;
      });
      worker.postMessage({ run: input });
    });
  }

  /** Stops the thread unless it finished its run (a build that fails midway must not leave it waiting). */
  async close(): Promise<void> {
    if (!this.finished) await this.worker.terminate();
  }
}
