import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { CorpusLinker, toLinkEntity, type AliasTable, type LinkResult, type LinkState } from '@corpus/entities/corpus';
import { CanonicalEntity, EntityIndex, SCHEMA_VERSION } from '@corpus/schema';
import type { AnalysisOptions } from './analyse.js';
import { AnalysisCache } from './cache.js';
import { writeIndex } from './indexes.js';
import { isSameFile, type SpliceItem } from './splice.js';
import { readVersioned, writeVersioned } from './io.js';
import { collectGarbage, phaseProfiler } from './profile.js';
import { lazyTasks, StepThread, waitForGate } from './step-thread.js';
import { threadUrl } from './bundled.js';

export interface EntityStepInput {
  cacheDir: string;
  /** Where entities.json goes. */
  outPath: string;
  analysis: AnalysisOptions;
  aliases: AliasTable | undefined;
  /** `outputCodeHash()`, passed in: it is the main thread's to compute (it hashes that thread's code). */
  outputCode: string;
  /** `manifestVersion()`: the analyses' and the linking code's version, which the saved link state must match. */
  stateVersion: string;
  /** Every document of the corpus, in id order, with the cache key of its analysis. */
  docs: { id: string; key: string }[];
  /**
   * The documents' analysis tasks, as JSON (read only if the log has lost an analysis): a thread receives one string
   * much faster than ten thousand objects.
   */
  tasks: string;
  /**
   * Entities in at least this many documents have their element of entities.json written a document's mentions at a
   * time (default `RUN_MIN_DOCUMENTS`; see `writeEntityIndex`).
   */
  runMinDocuments?: number;
  /** Raised by the dedup thread when entities.json may be written (see `DedupStepInput.gate`), as `write` does. */
  gate?: SharedArrayBuffer;
}

/**
 * Below this many documents an entity's element is rendered whole when it changes; from it on, its mentions are
 * spliced a document at a time, since the elements of the entities most articles mention hold tens of thousands of
 * mentions and one new article changes them all.
 */
export const RUN_MIN_DOCUMENTS = 64;

/** A canonical entity as the report and the manifest need it (entities.json itself holds the mentions too). */
export type EntityRow = Omit<CanonicalEntity, 'mentions'>;

export interface EntityStepResult {
  /** Every canonical entity, in entities.json's order. */
  entities: EntityRow[];
  mentionCount: number;
  /**
   * For each document (in input order), the index in `entities` of each of its local entities, in their order: the
   * document's are `links[linkStarts[i] .. linkStarts[i + 1])`. Two arrays, not one per document: a thread sends them
   * to another at the cost of a copy.
   */
  links: Int32Array;
  linkStarts: Int32Array;
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
  /** Settles once entities.json is written: the build's output needs nothing more from this step. */
  written: Promise<void>;
  /** Settles once the link state is saved too (after entities.json, for the next build). */
  done: Promise<void>;
}

/**
 * Links every document's entities into canonical ones and writes entities.json. It needs nothing from the quote or
 * dedup steps, so it runs on a thread of its own, reading its own log of compact entity summaries; the main thread
 * gets back only which canonical entity each local one became, and goes on while entities.json is written.
 */
export function runEntityStep(
  input: EntityStepInput,
  preloaded?: Promise<EntityLog>,
  /**
   * Called with the links the moment they exist, before the step goes on (a thread posts them from here: a promise
   * would deliver them only after the state is saved, which takes a while).
   */
  onLinked?: (result: EntityStepResult) => void,
  /** Called once entities.json is written, before the link state is saved (a thread posts it from here). */
  onWritten?: () => void,
): EntityStepRun {
  let write!: () => void;
  const writing = new Promise<void>((resolve) => (write = resolve));
  return stepRun(
    (linked, written) => linkAndWrite(input, (result) => (onLinked?.(result), linked(result)), () => (onWritten?.(), written()), writing, preloaded),
    write,
  );
}

/**
 * An `EntityStepRun` around a run that reports its links and the writing of entities.json on the way (`start`), and
 * finishes once the link state is saved.
 */
function stepRun(start: (onLinked: (result: EntityStepResult) => void, onWritten: () => void) => Promise<void>, write: () => void): EntityStepRun {
  let linked!: (result: EntityStepResult) => void;
  let written!: () => void;
  const result = new Promise<EntityStepResult>((resolve) => (linked = resolve));
  const indexWritten = new Promise<void>((resolve) => (written = resolve));
  const done = start(linked, written);
  // A failure before a milestone fails it too; failures are raised where each is awaited, observed here.
  const run = { linked: Promise.race([result, done.then(() => result)]), write, written: Promise.race([indexWritten, done]), done };
  for (const p of [run.linked, run.written, run.done]) p.catch(() => {});
  return run;
}

async function linkAndWrite(
  input: EntityStepInput,
  onLinked: (result: EntityStepResult) => void,
  onWritten: () => void,
  writing: Promise<void>,
  preloaded?: Promise<EntityLog>,
): Promise<void> {
  const profile = phaseProfiler('entity step');
  profile('run');
  const log = await (preloaded ?? openEntityLog(input.cacheDir, input.aliases, input.stateVersion));
  const live = new Set(input.docs.map((d) => d.key));
  // Prepared on a thread started early, only what was appended since is read: the entities of this build's new
  // documents.
  if (!log.linker) await prepareEntityLog(log, live);
  else await log.cache.entities.loadMore();
  const { cache } = log;
  const linker = log.linker!;
  await cache.entities.save(live);
  const tasks = lazyTasks(input.tasks);
  for (const [i, d] of input.docs.entries()) {
    if (linker.has(d.key)) continue;
    // An entry the log lost is taken from the full analysis.
    linker.add(d.key, cache.entities.take(d.key) ?? (await cache.fullOrAnalyse(tasks(i), input.analysis)).entities.map(toLinkEntity));
  }
  cache.entities.release();
  profile('entities read');

  const linked = linker.link(input.docs.map((d) => ({ documentId: d.id, key: d.key })));
  const rows: EntityRow[] = linked.entities.map((e) => ({ id: e.id, name: e.name, type: e.type, aliases: e.aliases, documentCount: e.documentCount, mentionCount: e.mentionCount }));
  const perDocument = input.docs.map((d) => linked.linksOf(d.id));
  const linkStarts = new Int32Array(perDocument.length + 1);
  perDocument.forEach((l, i) => (linkStarts[i + 1] = linkStarts[i] + l.length));
  const links = new Int32Array(linkStarts[perDocument.length]);
  perDocument.forEach((l, i) => links.set(l, linkStarts[i]));
  const localIds = input.docs.map((d) => linker.localIdsOf(d.key));
  onLinked({ entities: rows, mentionCount: rows.reduce((n, e) => n + e.mentionCount, 0), links, linkStarts, localIds });
  collectGarbage();
  profile(`linked (rules over ${linked.stats.relinked} of ${linked.stats.nodes} groups)`);
  await (input.gate ? Promise.race([writing, waitForGate(input.gate)]) : writing);
  profile('entities.json may be written');
  await writeEntityIndex(input, linked, cache, profile);
  profile('entities.json written');
  onWritten();
  // The next build starts from this state. Saved after entities.json, which the build waits for (while the state is
  // saved, the build writes its manifest): a build stopped before it is saved leaves the last one, which the next
  // build brings up to date.
  collectGarbage();
  await writeVersioned(log.statePath, log.version, linked.state());
  profile('link state written');
}

/** Where each document's mentions sit in the elements of entities.json written a run at a time (see `mentionRuns`). */
interface ElementRuns {
  /** The element's splice key, and the entity's id. */
  key: string;
  id: string;
  /** The element's byte range in entities.json. */
  start: number;
  end: number;
  /** Each run's digest and byte range, from the element's start. */
  digests: Float64Array;
  starts: Int32Array;
  ends: Int32Array;
}

interface RunsState {
  /** The entities.json these ranges are of (as in a `SpliceLayout`). */
  size: number;
  mtimeMs: number;
  elements: ElementRuns[];
}

const RUNS_FILE = 'entity-runs.bin';
const MENTIONS_OPEN = '"mentions":[';

/**
 * Writes entities.json. An element is copied from the last build's file while its entity keeps its id and stamp.
 * Otherwise it is rendered, and an entity in many documents is rendered one document's mentions at a time: a run the
 * last build wrote for this entity (same document, analysis and local entities, by digest) is copied from the old
 * element, the others are rendered and validated. The entity's own fields are validated each time.
 */
async function writeEntityIndex(input: EntityStepInput, linked: LinkResult, cache: AnalysisCache, profile: (phase: string) => void): Promise<void> {
  const runMin = input.runMinDocuments ?? RUN_MIN_DOCUMENTS;
  const runsPath = join(input.cacheDir, RUNS_FILE);
  const before = await readRunsState(runsPath, input.outputCode, input.outPath);
  const oldById = new Map(before?.elements.map((e) => [e.id, e]));
  const oldByKey = new Map(before?.elements.map((e) => [e.key, e]));
  const rendered = new Map<string, Omit<ElementRuns, 'key' | 'start' | 'end'>>();
  let runCount = 0, renderedRuns = 0;
  const handle: FileHandle | null = before ? await open(input.outPath, 'r') : null;
  const keyOf = (e: CanonicalEntity, index: number) => `${input.outputCode}.${linked.stamp(index)}.${e.id}`;

  const renderRuns = async (e: CanonicalEntity, index: number, key: string): Promise<Uint8Array> => {
    // Built field by field: reading `mentions` would make the whole list.
    const fields = { id: e.id, name: e.name, type: e.type, aliases: e.aliases, documentCount: e.documentCount, mentionCount: e.mentionCount, mentions: [] };
    const headJson = JSON.stringify(CanonicalEntity.parse(fields) && fields);
    if (!headJson.endsWith(`${MENTIONS_OPEN}]}`)) throw new Error(`entity ${e.id}: unexpected JSON shape`);
    const parts: Uint8Array[] = [Buffer.from(headJson.slice(0, -2))];
    let offset = parts[0].length;
    const old = handle ? oldById.get(e.id) : undefined;
    let oldBytes: Buffer | null = null;
    if (old) {
      oldBytes = Buffer.allocUnsafe(old.end - old.start);
      const { bytesRead } = await handle!.read(oldBytes, 0, oldBytes.length, old.start);
      if (bytesRead !== oldBytes.length) throw new Error(`${input.outPath} changed while it was being copied`);
    }
    // Runs come in document order in both lists, so the old run is nearly always the next one; a map of the old
    // digests is made only if one is not.
    let next = 0;
    let oldRun: Map<number, number> | null = null;
    const oldIndex = (digest: number): number | undefined => {
      if (!old) return undefined;
      if (next < old.digests.length && old.digests[next] === digest) return next++;
      if (!oldRun) {
        oldRun = new Map();
        old.digests.forEach((d, r) => oldRun!.set(d, r));
      }
      const r = oldRun.get(digest);
      if (r !== undefined) next = r + 1;
      return r;
    };
    const runs = linked.mentionRuns(index);
    runCount += runs.length;
    const digests = new Float64Array(runs.length), starts = new Int32Array(runs.length), ends = new Int32Array(runs.length);
    // Old runs copied one after the other are one slice of the old element, commas included.
    let copy: { from: number; to: number; last: number } | null = null;
    const endCopy = () => {
      if (copy) parts.push(oldBytes!.subarray(copy.from, copy.to));
      copy = null;
    };
    runs.forEach((run, r) => {
      const j = oldIndex(run.digest);
      digests[r] = run.digest;
      // The document's id opens the copied run too: a digest that collided across documents is never copied.
      if (j !== undefined && opensWithDocument(oldBytes!, old!.starts[j], old!.ends[j], run.documentId)) {
        if (copy && j === copy.last + 1) {
          offset += old!.ends[j] - copy.to;
          copy.to = old!.ends[j];
          copy.last = j;
        } else {
          endCopy();
          if (r) {
            parts.push(COMMA);
            offset++;
          }
          copy = { from: old!.starts[j], to: old!.ends[j], last: j };
          offset += old!.ends[j] - old!.starts[j];
        }
        starts[r] = offset - (old!.ends[j] - old!.starts[j]);
        ends[r] = offset;
        return;
      }
      endCopy();
      if (r) {
        parts.push(COMMA);
        offset++;
      }
      renderedRuns++;
      const mentions = run.mentions();
      CanonicalEntity.shape.mentions.parse(mentions);
      const bytes = Buffer.from(mentions.map((m) => JSON.stringify(m)).join(','));
      starts[r] = offset;
      ends[r] = offset + bytes.length;
      parts.push(bytes);
      offset += bytes.length;
    });
    endCopy();
    parts.push(CLOSE);
    rendered.set(key, { id: e.id, digests, starts, ends });
    return Buffer.concat(parts);
  };

  let written;
  try {
    const index: EntityIndex = { schemaVersion: SCHEMA_VERSION, entities: linked.entities };
    written = await writeIndex(input.outPath, EntityIndex, index, { entities: CanonicalEntity }, cache, {}, {
      entities: (e: CanonicalEntity, i: number): SpliceItem => {
        const key = keyOf(e, i);
        return { key, render: e.documentCount >= runMin ? () => renderRuns(e, i, key) : () => JSON.stringify(CanonicalEntity.parse(e) && e) };
      },
    });
  } finally {
    await handle?.close();
  }
  profile(`entities.json: ${rendered.size} elements written by runs (${renderedRuns} of ${runCount} runs rendered)`);
  // Where the runs are now: those of the elements just rendered, and those of the elements copied as they were.
  const layout = written.get('entities');
  const elements: ElementRuns[] = [];
  for (const [key, start, end] of layout?.items ?? []) {
    const runs = rendered.get(key) ?? oldByKey.get(key);
    if (runs) elements.push({ key, id: runs.id, start, end, digests: runs.digests, starts: runs.starts, ends: runs.ends });
  }
  const state: RunsState = { size: layout?.size ?? 0, mtimeMs: layout?.mtimeMs ?? 0, elements };
  await writeVersioned(runsPath, input.outputCode, state);
}

const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']}');

const DOCUMENT_OPEN = '{"documentId":"';

/** Whether the mentions at `start..end` open with `{"documentId":<id>,` (compared in place: runs number 100,000s). */
function opensWithDocument(bytes: Buffer, start: number, end: number, documentId: string): boolean {
  let at = start;
  for (let i = 0; i < DOCUMENT_OPEN.length; i++) if (bytes[at++] !== DOCUMENT_OPEN.charCodeAt(i)) return false;
  if (PLAIN_ID.test(documentId)) {
    if (end - at < documentId.length + 2) return false;
    for (let i = 0; i < documentId.length; i++) if (bytes[at++] !== documentId.charCodeAt(i)) return false;
    return bytes[at] === 0x22 && bytes[at + 1] === 0x2c;
  }
  // An id JSON escapes, or not ASCII: compared as the bytes JSON makes of it.
  const tail = Buffer.from(`${JSON.stringify(documentId).slice(1)},`);
  return end - at >= tail.length && bytes.compare(tail, 0, tail.length, at, at + tail.length) === 0;
}

const PLAIN_ID = /^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/;

/** The runs of the last build's entities.json, if it is still that very file and was written by this code. */
async function readRunsState(path: string, outputCode: string, indexPath: string): Promise<RunsState | null> {
  const state = await readVersioned<RunsState>(path, outputCode);
  return state && (await isSameFile(indexPath, state)) ? state : null;
}

/** The entity log, the linker's saved state, and a linker (once `prepareEntityLog` has made it). */
export interface EntityLog {
  cache: AnalysisCache;
  aliases: AliasTable | undefined;
  /** The analyses' and the linking code's version the state must have been saved under. */
  version: string;
  statePath: string;
  /** The saved state, read as soon as the log is opened: it does not depend on which documents are live. */
  state: Promise<LinkState | null>;
  linker: CorpusLinker | null;
}

const STATE_FILE = 'link-state.bin';

/** The entity log and link state of a cache, not read yet (see `prepareEntityLog`). */
export function openEntityLog(cacheDir: string, aliases: AliasTable | undefined, stateVersion: string): EntityLog {
  const statePath = join(cacheDir, STATE_FILE);
  // The saved state, or none when it was saved by other linking code or aliases (or is torn).
  const state = readVersioned<LinkState>(statePath, stateVersion);
  return { cache: new AnalysisCache(cacheDir), aliases, version: stateVersion, statePath, state, linker: null };
}

/**
 * Once the corpus's documents are known (`live`: their cache keys), starts the linker from the last build's state
 * (which holds that build's analyses, already grouped) and adds the logged entities of the documents it lacks: the
 * order-independent part of linking, done while new documents are still being analysed.
 */
export async function prepareEntityLog(log: EntityLog, live: ReadonlySet<string>): Promise<void> {
  const linker = new CorpusLinker({ aliases: log.aliases }, await log.state);
  await log.cache.entities.load((key) => live.has(key) && !linker.has(key));
  let missing = 0;
  for (const key of live) {
    if (linker.has(key)) continue;
    const entities = log.cache.entities.take(key);
    if (entities) linker.add(key, entities);
    else missing++;
  }
  log.cache.entities.release();
  log.linker = linker;
  // Many documents to analyse first: this thread waits, idle, holding the garbage of what it read and dropped (a state
  // or log of other analyses, after a stage change), which nothing would collect before the build's peak.
  if (missing > 0.1 * live.size) collectGarbage();
}


/** Which canonical entity each document's local entities became, from the entity step's result. */
export class EntityLinks {
  private readonly index: Map<string, number>;
  private tokens: string[] | null = null;

  constructor(
    private readonly result: EntityStepResult,
    documentIds: readonly string[],
  ) {
    this.index = new Map(documentIds.map((id, i) => [id, i]));
  }

  resolve(documentId: string, localId: string): EntityRow {
    const di = this.documentIndex(documentId);
    const ids = this.result.localIds[di];
    const links = this.linksOf(di);
    const k = ids ? ids.indexOf(localId) : /^e[1-9][0-9]*$/.test(localId) ? Number(localId.slice(1)) - 1 : -1;
    if (k < 0 || k >= links.length) throw new Error(`unknown entity ${localId} of document ${documentId}`);
    return this.result.entities[links[k]];
  }

  /** The canonical entity of each of a document's local entities, by local id. */
  refsOf(documentId: string): Record<string, { id: string; name: string; type: EntityRow['type'] }> {
    const di = this.documentIndex(documentId);
    const ids = this.result.localIds[di];
    const out: Record<string, { id: string; name: string; type: EntityRow['type'] }> = {};
    this.linksOf(di).forEach((link, k) => {
      const e = this.result.entities[link];
      out[ids ? ids[k] : `e${k + 1}`] = { id: e.id, name: e.name, type: e.type };
    });
    return out;
  }

  /**
   * A document's canonical entities as one string: each id and name (quoted, so no name can pass for a boundary), in
   * the order of its local entities.
   */
  tokensOf(documentId: string): string {
    this.tokens ??= this.result.entities.map((e) => `${e.id}${JSON.stringify(e.name)}`);
    let out = '';
    for (const k of this.linksOf(this.documentIndex(documentId))) out += this.tokens[k];
    return out;
  }

  private linksOf(di: number): Int32Array {
    return this.result.links.subarray(this.result.linkStarts[di], this.result.linkStarts[di + 1]);
  }

  private documentIndex(documentId: string): number {
    const di = this.index.get(documentId);
    if (di === undefined) throw new Error(`unknown document ${documentId}`);
    return di;
  }
}


/**
 * The result as a thread sends it: the canonical entities as one JSON string (tens of thousands of objects are much
 * slower to pass between threads than one string is to parse), the links in buffers handed over, not copied.
 */
export type EntityStepWire = Omit<EntityStepResult, 'entities'> & { entities: string };

/** What the entity thread posts on the way: its links, then word that entities.json is written. */
export type EntityStepPartial = { linked: EntityStepWire } | { written: true };

export function toWire(result: EntityStepResult): [EntityStepWire, ArrayBuffer[]] {
  return [{ ...result, entities: JSON.stringify(result.entities) }, [result.links.buffer as ArrayBuffer, result.linkStarts.buffer as ArrayBuffer]];
}

const fromWire = (wire: EntityStepWire): EntityStepResult => ({ ...wire, entities: JSON.parse(wire.entities) as EntityRow[] });

/** The entity step on a thread of its own (see `StepThread`). */
export class EntityThread {
  private readonly thread: StepThread<EntityStepInput, void, EntityStepPartial>;

  constructor(cacheDir: string, aliases: AliasTable | undefined, stateVersion: string) {
    this.thread = new StepThread('entity', threadUrl('entity-worker'), { cacheDir, aliases, stateVersion });
  }

  prepare(live: readonly string[]): void {
    this.thread.prepare(live);
  }

  run(input: EntityStepInput): EntityStepRun {
    return stepRun(
      (onLinked, onWritten) => this.thread.run(input, (partial) => ('linked' in partial ? onLinked(fromWire(partial.linked)) : onWritten())),
      () => this.thread.send({ write: true }),
    );
  }

  close(): Promise<void> {
    return this.thread.close();
  }
}
