import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_DEDUP_PARAMETERS, duplicateOfMap, findDuplicateDocuments, findRepeatedPassages, PairVerdicts, type SavedVerdicts } from '@corpus/dedup';
import { topPassages } from '@corpus/report';
import { DuplicateGroup, DuplicateIndex, RepeatedPassage, SCHEMA_VERSION } from '@corpus/schema';
import type { AnalysisOptions } from './analyse.js';
import { AnalysisCache, type DedupSummary } from './cache.js';
import { decodeSource } from './decode.js';
import { writeIndex } from './indexes.js';
import { readVersioned, writeVersioned } from './io.js';
import { collectGarbage, phaseProfiler } from './profile.js';
import { lazyTasks, raiseGate, StepThread } from './step-thread.js';
import { threadUrl } from './bundled.js';

export interface DedupStepInput {
  cacheDir: string;
  /** Where duplicates.json goes. */
  outPath: string;
  analysis: AnalysisOptions;
  /** Every document of the corpus, in id order: the cache key of its analysis, and its source file. */
  docs: { id: string; key: string; published: string | null; source: string }[];
  /** The documents' analysis tasks, as JSON (see `EntityStepInput.tasks`). */
  tasks: string;
  /** `outputCodeHash()` (see `EntityStepInput.outputCode`). */
  outputCode: string;
  /**
   * Raised (see `raiseGate`) once this step holds nothing large: at its result (`'result'`), or once duplicates.json is
   * written too (`'written'`). The entity thread waits on it to write entities.json, straight from thread to thread.
   */
  gate?: { flag: SharedArrayBuffer; at: 'result' | 'written' };
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
export async function runDedupStep(
  input: DedupStepInput,
  preloaded?: Promise<AnalysisCache>,
  /** Given the result as soon as it is known, before duplicates.json is written. */
  onResult?: (result: DedupStepResult) => void,
): Promise<DedupStepResult> {
  const profile = phaseProfiler('dedup step');
  const verdictsPath = join(input.cacheDir, VERDICTS_FILE);
  const verdictsVersion = `${input.outputCode}\0${JSON.stringify(DEFAULT_DEDUP_PARAMETERS)}`;
  // Each as the last build left it, if it was written by this code (and, for the verdicts, these parameters).
  const verdicts = readVersioned<SavedVerdicts>(verdictsPath, verdictsVersion).then((saved) => new PairVerdicts(saved ?? undefined));
  const textsPath = join(input.cacheDir, TEXTS_FILE);
  const textsRead = readVersioned<[string, string][]>(textsPath, input.outputCode).then((saved) => new Map(saved));
  const cache = await (preloaded ?? new AnalysisCache(input.cacheDir));
  // Loaded by `prepareDedupLog` (on a thread started early), only what was appended since is read: the summaries of
  // this build's new documents.
  if (cache.dedup.isLoaded) await cache.dedup.loadMore();
  else await cache.dedup.load();
  await cache.dedup.save(new Set(input.docs.map((d) => d.key)));
  const summaries: DedupSummary[] = [];
  const tasks = lazyTasks(input.tasks);
  for (const [i, d] of input.docs.entries()) {
    let s = cache.dedup.take(d.key);
    if (!s) {
      // An entry the log lost is taken from the full analysis.
      const full = await cache.fullOrAnalyse(tasks(i), input.analysis);
      s = { signature: full.signature, passages: full.passages };
    }
    summaries.push(s);
  }
  cache.dedup.release();
  profile('summaries read');

  // A document's key fixes its analysis, hence its signature: the verdicts on pairs the last build checked hold.
  const known = await verdicts;
  const groups = findDuplicateDocuments(input.docs.map((d, i) => ({ id: d.id, key: d.key, published: d.published, signature: summaries[i].signature })), undefined, known);
  const duplicateOf = duplicateOfMap(groups);
  // Passage text is read back from the source only for the passages that are reported, and kept for the next build by
  // the document's key (which fixes its source) and the passage's place: the same passages are reported again and
  // again, each from a source file read whole.
  const byId = new Map(input.docs.map((d) => [d.id, d]));
  let lastSource: [string, string] | null = null;
  const sourceOf = (id: string) => {
    if (lastSource?.[0] !== id) lastSource = [id, decodeSource(readFileSync(byId.get(id)!.source), Infinity).text];
    return lastSource[1];
  };
  const knownTexts = await textsRead;
  const texts = new Map<string, string>();
  const textOf = (id: string, p: { start: number; end: number }) => {
    const key = `${byId.get(id)!.key}:${p.start}:${p.end}`;
    let text = texts.get(key) ?? knownTexts.get(key);
    if (text === undefined) text = sourceOf(id).slice(p.start, p.end).replace(/\s+/g, ' ').trim();
    texts.set(key, text);
    return text;
  };
  profile('duplicates found');
  const passages = findRepeatedPassages(
    input.docs.map((d, i) => ({ documentId: d.id, passages: summaries[i].passages })),
    { duplicateOf, textOf },
  );
  // The summaries are done with: what is left to do (duplicates.json) must not hold them.
  summaries.length = 0;
  const index: DuplicateIndex = { schemaVersion: SCHEMA_VERSION, parameters: { ...DEFAULT_DEDUP_PARAMETERS }, documents: groups, passages };
  // The full passage lists stay here: sending them back would put a second copy of them in the main thread's heap.
  const result: DedupStepResult = {
    duplicateOf: [...duplicateOf],
    reportView: { ...index, passages: { withinDocument: topPassages(passages.withinDocument), acrossDocuments: topPassages(passages.acrossDocuments) } },
    passageTotals: { withinDocument: passages.withinDocument.length, acrossDocuments: passages.acrossDocuments.length },
  };
  // The records need only this: they are written while duplicates.json is.
  onResult?.(result);
  if (input.gate?.at === 'result') raiseGate(input.gate.flag);
  collectGarbage();
  profile('passages found');
  // A passage repeated within one document depends on that document alone: its analysis (hence its source) and id.
  // Keyed by them, the tens of thousands of such elements need not be serialised to be matched with the last build's.
  const keyOf = new Map(input.docs.map((d) => [d.id, d.key]));
  const withinKey = (p: RepeatedPassage) => `${input.outputCode}.${keyOf.get(p.locations[0].documentId)}.${p.locations[0].documentId}.${p.hash}`;
  await writeIndex(
    input.outPath,
    DuplicateIndex,
    index,
    { documents: DuplicateGroup, passages: { withinDocument: RepeatedPassage, acrossDocuments: RepeatedPassage } },
    cache,
    { 'passages.withinDocument': withinKey },
  );
  profile('duplicates.json written');
  if (input.gate) raiseGate(input.gate.flag);
  await writeVersioned(verdictsPath, verdictsVersion, known.save());
  if (texts.size !== knownTexts.size || [...texts.keys()].some((key) => !knownTexts.has(key))) {
    await writeVersioned(textsPath, input.outputCode, [...texts]);
  }
  return result;
}

const TEXTS_FILE = 'passage-texts.bin';
const VERDICTS_FILE = 'dedup-verdicts.bin';


/**
 * Once the corpus's documents are known (`live`: their cache keys), loads their logged summaries. After a large
 * analysis they are parsed only as the step reads them: parsed all at once, beside the analysis of thousands of new
 * documents, they would make the build's peak memory.
 */
export async function prepareDedupLog(cache: AnalysisCache, live: ReadonlySet<string>): Promise<void> {
  await cache.dedup.load((key) => live.has(key));
  // When the log already holds nearly every document (a few were added or changed), nothing large is being analysed
  // beside this thread: the summaries are parsed now, while the new documents are, rather than after.
  if (cache.dedup.keptCount >= 0.9 * live.size) cache.dedup.parseKept();
  // Otherwise this thread now waits out a large analysis holding the garbage of reading a log it mostly dropped (all of
  // it, after a stage change): an idle thread allocates nothing, so nothing would collect it before the build's peak.
  else collectGarbage();
}

/**
 * The dedup steps on a thread of their own (see `StepThread`), with a small young generation: it runs beside the
 * others at the build's memory peak.
 */
export class DedupThread {
  private readonly thread: StepThread<DedupStepInput, void, DedupStepResult>;

  constructor(cacheDir: string) {
    this.thread = new StepThread('dedup', threadUrl('dedup-worker'), { cacheDir }, { maxYoungGenerationSizeMb: 8 });
  }

  prepare(live: readonly string[]): void {
    this.thread.prepare(live);
  }

  run(input: DedupStepInput): DedupStepRun {
    return dedupRun((found) => this.thread.run(input, found));
  }

  close(): Promise<void> {
    return this.thread.close();
  }
}

/** A run of the dedup step: its result as soon as it is known, and the end of writing duplicates.json. */
export interface DedupStepRun {
  result: Promise<DedupStepResult>;
  done: Promise<void>;
}

/** The dedup step in this thread (builds without worker threads). */
export function runDedupStepHere(input: DedupStepInput): DedupStepRun {
  return dedupRun((found) => runDedupStep(input, undefined, found));
}

/**
 * A `DedupStepRun` around a run that reports its result on the way (`start`). Failures are raised where each promise
 * is awaited, never left unobserved.
 */
function dedupRun(start: (found: (result: DedupStepResult) => void) => Promise<unknown>): DedupStepRun {
  let found!: (result: DedupStepResult) => void;
  const reported = new Promise<DedupStepResult>((resolve) => (found = resolve));
  const done = start(found).then(() => {});
  const result = Promise.race([reported, done.then(() => reported)]);
  result.catch(() => {});
  done.catch(() => {});
  return { result, done };
}
