import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { canonicalizeCorpus, toLinkEntity, type AliasTable, type LinkEntity } from '@corpus/entities/corpus';
import { CanonicalEntity, EntityIndex, SCHEMA_VERSION } from '@corpus/schema';
import type { AnalysisOptions } from './analyse.js';
import { AnalysisCache } from './cache.js';
import { writeIndex } from './indexes.js';
import type { AnalysisTask } from './task.js';

export interface EntityStepInput {
  cacheDir: string;
  /** Where entities.json goes. */
  outPath: string;
  analysis: AnalysisOptions;
  aliases: AliasTable | undefined;
  /** `outputCodeHash()`, passed in: version.js loads every stage (compromise above all), which this thread need not. */
  outputCode: string;
  /** Every document of the corpus, in id order. */
  docs: { id: string; task: AnalysisTask }[];
}

/** A canonical entity as the report and the manifest need it (entities.json itself holds the mentions too). */
export type EntityRow = Omit<CanonicalEntity, 'mentions'>;

export interface EntityStepResult {
  /** Every canonical entity, in entities.json's order. */
  entities: EntityRow[];
  mentionCount: number;
  /** For each document (in input order), the index in `entities` of each of its local entities, in their order. */
  links: Int32Array[];
  /** Each document's local entity ids, where they are not simply e1, e2, … in order (null otherwise). */
  localIds: (string[] | null)[];
}

export interface EntityStepRun {
  /** Settles as soon as the entities are linked, before entities.json is written. */
  linked: Promise<EntityStepResult>;
  /** Settles once entities.json is written. */
  done: Promise<void>;
}

/**
 * Links every document's entities into canonical ones and writes entities.json. It needs nothing from the quote or
 * dedup steps, so it runs on a thread of its own, reading its own log of compact entity summaries; the main thread
 * gets back only which canonical entity each local one became, and goes on while entities.json is written.
 */
export function runEntityStep(input: EntityStepInput, preloaded?: Promise<AnalysisCache>): EntityStepRun {
  let linked!: (result: EntityStepResult) => void;
  let failed!: (error: unknown) => void;
  const result = new Promise<EntityStepResult>((resolve, reject) => ((linked = resolve), (failed = reject)));
  const done = linkAndWrite(input, linked, preloaded);
  done.catch(failed);
  return { linked: result, done };
}

async function linkAndWrite(input: EntityStepInput, onLinked: (result: EntityStepResult) => void, preloaded?: Promise<AnalysisCache>): Promise<void> {
  const cache = await (preloaded ?? loadEntityLog(input.cacheDir));
  // What was appended since the thread loaded the log: the summaries of this build's new documents.
  if (preloaded) await cache.entities.loadMore();
  await cache.entities.save(new Set(input.docs.map((d) => d.task.cacheKey)));
  const docs: { documentId: string; entities: LinkEntity[] }[] = [];
  for (const d of input.docs) {
    const entities = cache.entities.get(d.task.cacheKey) ?? (await fromFullAnalysis(cache, input.analysis, d.task));
    docs.push({ documentId: d.id, entities });
  }
  cache.entities.release();

  const linked = canonicalizeCorpus(docs, { aliases: input.aliases });
  const cacheKeyOf = new Map(input.docs.map((d) => [d.id, d.task.cacheKey]));
  // An element of entities.json depends on its id, name and type and on the analyses it was made of; sources come in
  // a deterministic order (document, then position in it).
  const entityKey = (e: CanonicalEntity) => {
    let text = `${input.outputCode}\0${e.id}\0${e.name}\0${e.type}\0`;
    for (const s of linked.sources(e.id)) text += `${s.documentId}\0${cacheKeyOf.get(s.documentId)}\0${s.localId}\n`;
    return createHash('sha256').update(text).digest('base64url').slice(0, 24);
  };
  const position = new Map<string, number>();
  const rows: EntityRow[] = linked.entities.map((e, i) => {
    position.set(e.id, i);
    return { id: e.id, name: e.name, type: e.type, aliases: e.aliases, documentCount: e.documentCount, mentionCount: e.mentionCount };
  });
  const links = docs.map((d) => Int32Array.from(linked.resolveAll(d.documentId), (ref) => position.get(ref.id)!));
  const localIds = docs.map((d) => (d.entities.every((e, i) => e.id === `e${i + 1}`) ? null : d.entities.map((e) => e.id)));
  onLinked({ entities: rows, mentionCount: rows.reduce((n, e) => n + e.mentionCount, 0), links, localIds });

  const index: EntityIndex = { schemaVersion: SCHEMA_VERSION, entities: linked.entities };
  await writeIndex(input.outPath, EntityIndex, index, { entities: CanonicalEntity }, cache, { entities: entityKey });
}

/** Loads the entity log: a thread started early does this while the inputs are still being read. */
export async function loadEntityLog(cacheDir: string): Promise<AnalysisCache> {
  const cache = new AnalysisCache(cacheDir);
  await cache.entities.load();
  return cache;
}

/** The log lost the entry (a build killed mid-append): the full analysis has it, or the document is analysed again. */
async function fromFullAnalysis(cache: AnalysisCache, analysis: AnalysisOptions, task: AnalysisTask): Promise<LinkEntity[]> {
  let full = await cache.full(task.cacheKey);
  if (!full) {
    // Loaded only here: the stages (compromise above all) take a while to load, and this thread rarely needs them.
    const [{ createDocumentProcessor }, { runTask }] = await Promise.all([import('./analyse.js'), import('./task.js')]);
    const result = await runTask(createDocumentProcessor(analysis), cache, task);
    if (!result.ok) throw new Error(`${task.path}: ${result.message}`);
    full = await cache.full(task.cacheKey);
  }
  if (!full) throw new Error(`${task.path}: cached analysis disappeared during the build; run again`);
  return full.entities.map(toLinkEntity);
}

/** Which canonical entity each document's local entities became, from the entity step's result. */
export class EntityLinks {
  private readonly index: Map<string, number>;

  constructor(
    private readonly result: EntityStepResult,
    documentIds: readonly string[],
  ) {
    this.index = new Map(documentIds.map((id, i) => [id, i]));
  }

  /** The canonical entity of each of a document's local entities, in their order. */
  resolveAll(documentId: string): EntityRow[] {
    const links = this.result.links[this.documentIndex(documentId)];
    return Array.from(links, (k) => this.result.entities[k]);
  }

  resolve(documentId: string, localId: string): EntityRow {
    const di = this.documentIndex(documentId);
    const ids = this.result.localIds[di];
    const k = ids ? ids.indexOf(localId) : /^e[1-9][0-9]*$/.test(localId) ? Number(localId.slice(1)) - 1 : -1;
    if (k < 0 || k >= this.result.links[di].length) throw new Error(`unknown entity ${localId} of document ${documentId}`);
    return this.result.entities[this.result.links[di][k]];
  }

  private documentIndex(documentId: string): number {
    const di = this.index.get(documentId);
    if (di === undefined) throw new Error(`unknown document ${documentId}`);
    return di;
  }
}

// Under the test runner this module runs from src/*.ts; workers always run the compiled code.
const WORKER_URL = import.meta.url.endsWith('.ts') ? new URL('../dist/entity-worker.js', import.meta.url) : new URL('./entity-worker.js', import.meta.url);

/**
 * The entity step's thread, started before its input exists: it loads its modules and its log while the main thread
 * reads the inputs and analyses new documents. `close` stops it if the build ends without running it.
 */
export class EntityThread {
  private readonly worker: Worker;
  private started = false;

  constructor(cacheDir: string) {
    this.worker = new Worker(WORKER_URL, { workerData: { cacheDir } });
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

  run(input: EntityStepInput): EntityStepRun {
    if (this.started) throw new Error('the entity thread runs once');
    this.started = true;
    const worker = this.worker;
    let linked!: (result: EntityStepResult) => void;
    let failed!: (error: unknown) => void;
    const result = new Promise<EntityStepResult>((resolve, reject) => ((linked = resolve), (failed = reject)));
    const done = new Promise<void>((resolve, reject) => {
      let settled = false;
      const fail = (error: unknown) => {
        if (settled) return;
        settled = true;
        failed(error);
        reject(error);
      };
      worker.on('message', (message: { linked: EntityStepResult } | { ok: true } | { ok: false; error: string }) => {
        if ('linked' in message) return linked(message.linked);
        if (!message.ok) return fail(new Error(message.error));
        settled = true;
        resolve();
        void worker.terminate();
      });
      worker.once('error', fail);
      worker.once('exit', (code) => fail(new Error(`entity thread exited with code ${code}`)));
      worker.postMessage({ run: input });
    });
    // Observed here; failures are raised where each is awaited.
    result.catch(() => {});
    done.catch(() => {});
    return { linked: result, done };
  }

  async close(): Promise<void> {
    if (!this.started) await this.worker.terminate();
  }
}
