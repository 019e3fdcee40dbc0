import { createHash } from 'node:crypto';
import { CorpusLinker, toLinkEntity, type AliasTable } from '@corpus/entities/corpus';
import { CanonicalEntity, EntityIndex, SCHEMA_VERSION } from '@corpus/schema';
import type { AnalysisOptions } from './analyse.js';
import { AnalysisCache } from './cache.js';
import { writeIndex } from './indexes.js';
import { collectGarbage, phaseProfiler } from './profile.js';
import { StepThread } from './step-thread.js';
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
  /** Settles as soon as the entities are linked. */
  linked: Promise<EntityStepResult>;
  /**
   * Lets entities.json be written (the step waits for it after linking). The caller picks the moment: writing the
   * file while the dedup thread still runs would put the two threads' largest heaps side by side.
   */
  write(): void;
  /** Settles once entities.json is written. */
  done: Promise<void>;
}

/**
 * Links every document's entities into canonical ones and writes entities.json. It needs nothing from the quote or
 * dedup steps, so it runs on a thread of its own, reading its own log of compact entity summaries; the main thread
 * gets back only which canonical entity each local one became, and goes on while entities.json is written.
 */
export function runEntityStep(input: EntityStepInput, preloaded?: Promise<EntityLog>): EntityStepRun {
  let write!: () => void;
  const writing = new Promise<void>((resolve) => (write = resolve));
  return stepRun((onLinked) => linkAndWrite(input, onLinked, writing, preloaded), write);
}

/** An `EntityStepRun` around a run that reports its links on the way (`start`) and finishes when the file is written. */
function stepRun(start: (onLinked: (result: EntityStepResult) => void) => Promise<void>, write: () => void): EntityStepRun {
  let linked!: (result: EntityStepResult) => void;
  let failed!: (error: unknown) => void;
  const result = new Promise<EntityStepResult>((resolve, reject) => ((linked = resolve), (failed = reject)));
  const done = start(linked);
  done.catch(failed);
  // Observed here; failures are raised where each is awaited.
  result.catch(() => {});
  done.catch(() => {});
  return { linked: result, write, done };
}

async function linkAndWrite(
  input: EntityStepInput,
  onLinked: (result: EntityStepResult) => void,
  writing: Promise<void>,
  preloaded?: Promise<EntityLog>,
): Promise<void> {
  const profile = phaseProfiler('entity step');
  const { cache, linker } = await (preloaded ?? openEntityLog(input.cacheDir, input.aliases));
  // Loaded by `prepareEntityLog` (on a thread started early), only what was appended since is read: the summaries
  // of this build's new documents.
  if (cache.entities.isLoaded) await cache.entities.loadMore();
  else await cache.entities.load();
  await cache.entities.save(new Set(input.docs.map((d) => d.task.cacheKey)));
  for (const d of input.docs) {
    if (linker.has(d.task.cacheKey)) continue;
    // An entry the log lost is taken from the full analysis.
    linker.add(d.task.cacheKey, cache.entities.take(d.task.cacheKey) ?? (await cache.fullOrAnalyse(d.task, input.analysis)).entities.map(toLinkEntity));
  }
  cache.entities.release();
  profile('entities read');

  const linked = linker.link(input.docs.map((d) => ({ documentId: d.id, key: d.task.cacheKey })));
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
  const links = input.docs.map((d) => Int32Array.from(linked.resolveAll(d.id), (ref) => position.get(ref.id)!));
  const localIds = input.docs.map((d) => {
    const entities = linker.entitiesOf(d.task.cacheKey)!;
    return entities.every((e, i) => e.id === `e${i + 1}`) ? null : entities.map((e) => e.id);
  });
  onLinked({ entities: rows, mentionCount: rows.reduce((n, e) => n + e.mentionCount, 0), links, localIds });
  collectGarbage();
  profile('linked');

  await writing;
  const index: EntityIndex = { schemaVersion: SCHEMA_VERSION, entities: linked.entities };
  await writeIndex(input.outPath, EntityIndex, index, { entities: CanonicalEntity }, cache, { entities: entityKey });
  profile('entities.json written');
}

/** The entity log and a linker holding the analyses read from it so far. */
export interface EntityLog {
  cache: AnalysisCache;
  linker: CorpusLinker;
}

/** The entity log of a cache, not read yet (see `prepareEntityLog`), and an empty linker. */
export function openEntityLog(cacheDir: string, aliases: AliasTable | undefined): EntityLog {
  return { cache: new AnalysisCache(cacheDir), linker: new CorpusLinker({ aliases }) };
}

/**
 * Once the corpus's documents are known (`live`: their cache keys), loads their logged entities and adds them to the
 * linker: the order-independent part of linking, done while new documents are still being analysed.
 */
export async function prepareEntityLog(log: EntityLog, live: ReadonlySet<string>): Promise<void> {
  await log.cache.entities.load((key) => live.has(key));
  for (const key of live) {
    const entities = log.cache.entities.take(key);
    if (entities) log.linker.add(key, entities);
  }
  log.cache.entities.release();
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

/** The entity step on a thread of its own (see `StepThread`). */
export class EntityThread {
  private readonly thread: StepThread<EntityStepInput, void, EntityStepResult>;

  constructor(cacheDir: string, aliases: AliasTable | undefined) {
    this.thread = new StepThread('entity', WORKER_URL, { cacheDir, aliases });
  }

  prepare(live: readonly string[]): void {
    this.thread.prepare(live);
  }

  run(input: EntityStepInput): EntityStepRun {
    return stepRun((onLinked) => this.thread.run(input, onLinked), () => this.thread.send({ write: true }));
  }

  close(): Promise<void> {
    return this.thread.close();
  }
}
