import { createHash, randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { open, readFile, readdir, rm, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import type { CleanOptions } from '@corpus/clean';
import { learnSiteChrome, mediaKind, profileOf, type SourceProfile } from '@corpus/clean/profile';
import { clusterQuotes, QuoteWordings } from '@corpus/dedup';
import { AliasTable } from '@corpus/entities/corpus';
import { indexQuotesBySpeaker } from '@corpus/quotes';
import { prepareDocument, reportParts, type DocumentOverview } from '@corpus/report';
import {
  EntityIndex,
  QuoteCluster,
  QuoteIndex,
  SCHEMA_VERSION,
  jsonSchemas,
  validateRecord,
  type Diagnostic,
  type DocumentRecord,
  type Manifest,
  type ManifestError,
  type ManifestInput,
  type MetadataOverrides,
  type Quote,
  type Speaker,
} from '@corpus/schema';
import type { DocumentAnalysis } from './analyse.js';
import type { AnalysisTask } from './task.js';
import { AnalysisCache, type AnalysisSummary } from './cache.js';
import { DedupThread, runDedupStepHere, type DedupStepInput, type DedupStepResult } from './dedup-step.js';
import { EntityLinks, EntityThread, runEntityStep, type EntityStepInput } from './entity-step.js';
import { decodeSource, InputError } from './decode.js';
import { ALIAS_FILE, discoverInputs, documentId, type DiscoveredInput } from './inputs.js';
import { toJson, writeFileAtomic } from './io.js';
import { AnalysisPool } from './pool.js';
import { copyable, type SpliceFormat, type SpliceItem, type SpliceLayout } from './splice.js';
import { writeIndex, writeSpliced } from './indexes.js';
import { recordLine, writeSpliceJob, writeSpliceJobOnThread, type SpliceJob } from './splice-thread.js';
import { manifestVersion, outputCodeHash, pipelineVersion, reportCodeHash } from './version.js';
import { phaseProfiler } from './profile.js';
import { cmp, corpusQuotes, globalQuoteId, writeRecord as writeRecordFile, type RecordPlan } from './record.js';
import { RecordWriters } from './record-pool.js';

export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
export const DEFAULT_REPORT_DOCUMENTS = 1000;

export interface BuildOptions {
  inputDir: string;
  outDir: string;
  /** Per-document cache directory; `null` turns caching off. Default `<outDir>/.cache`. */
  cacheDir?: string | null;
  /** Worker threads for per-document stages; 0 runs them in-process. Default: the number of cores. */
  workers?: number;
  /** Larger input files are refused with an error entry. */
  maxBytes?: number;
  /** Per-document time limit for the stages. */
  timeoutMs?: number;
  clean?: CleanOptions;
  /** A user alias file; default `<inputDir>/corpus.aliases.json` when it exists. */
  aliasesPath?: string;
  /** Write `report.html` (default true). */
  report?: boolean;
  /** The report embeds at most this many documents (the first, in path order), so it stays small enough to open. */
  reportDocuments?: number;
  /**
   * Entities in at least this many documents have their element of entities.json spliced one document's mentions at a
   * time (default `RUN_MIN_DOCUMENTS`). Output is the same either way; only the time of an incremental build changes.
   */
  entityRunMinDocuments?: number;
  onProgress?: (event: { phase: 'read' | 'analyse' | 'write'; done: number; total: number }) => void;
}

export interface BuildResult {
  manifest: Manifest;
  seconds: number;
  analysed: number;
  fromCache: number;
  written: number;
}

interface DocumentState {
  input: DiscoveredInput;
  id: string;
  sha256: string;
  bytes: number;
  overrides: MetadataOverrides;
  profile: SourceProfile;
  siteChrome: string[];
  cacheKey: string;
  summary: AnalysisSummary | null;
  warnings: Diagnostic[];
}

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

/** Builds the corpus: every input file to a validated DocumentRecord, plus the corpus-level indexes. */
export async function buildCorpus(options: BuildOptions): Promise<BuildResult> {
  const started = performance.now();
  const profile = phaseProfiler('main');
  const inputDir = resolve(options.inputDir);
  const outDir = resolve(options.outDir);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const errors: ManifestError[] = [];
  const inputs: ManifestInput[] = [];

  const inputStat = await stat(inputDir).catch(() => null);
  if (!inputStat?.isDirectory()) throw new Error(`input directory not found: ${options.inputDir}`);

  const discovered = await discoverInputs(inputDir);
  profile('read: inputs found');
  const aliases = await readAliases(inputDir, options.aliasesPath, errors);
  const version = pipelineVersion({ clean: options.clean ?? {}, aliases });
  const fullVersion = manifestVersion(version);

  // A cache dir of our own when caching is off, so the analyses never have to sit in memory all at once.
  const scratch = options.cacheDir === null ? join(outDir, `.scratch-${randomBytes(6).toString('hex')}`) : null;
  const cache = new AnalysisCache(scratch ?? options.cacheDir ?? join(outDir, '.cache'));
  // One worker starts loading the stages now, while the inputs are read: when only a few documents are new (the
  // usual incremental build), their analysis does not wait for a thread to start. Unused, it is stopped.
  const workers = options.workers ?? availableParallelism();
  const pool = new AnalysisPool({
    workers: Math.min(workers, 1),
    options: { clean: options.clean, aliases },
    cacheDir: cache.dir,
    timeoutMs: options.timeoutMs ?? 120_000,
  });
  // The corpus-level threads start now too: they load their modules while the inputs are read, and their logs as soon
  // as the documents are known (`prepare` below), while new ones are analysed.
  const threads = workers > 0 ? { entities: new EntityThread(cache.dir, aliases, fullVersion), dedup: new DedupThread(cache.dir) } : null;

  try {
    // Phase 1: read, hash and decode every input; learn the chrome shared by documents of the same site.
    // A file whose size, mtime, ctime and inode match the last build is not read again: its sha256 and profile
    // (or its error) come from the input state, as git's index does it.
    const documents: DocumentState[] = [];
    let previousInputs = (scratch ? null : await cache.readState<Record<string, InputState>>('inputs')) ?? {};
    profile('read: input state');
    let inputState: Record<string, InputState> = {};
    let read = 0;
    await forEachLimit(discovered, 16, async (input) => {
      const entry = await readInput(input, maxBytes, previousInputs[input.path], version);
      if (entry.state) inputState[input.path] = entry.state;
      read++;
      options.onProgress?.({ phase: 'read', done: read, total: discovered.length });
      inputs.push(entry.manifest);
      if (entry.error) errors.push(entry.error);
      if (entry.document) documents.push(entry.document);
    });
    inputs.sort((a, b) => cmp(a.path, b.path));
    documents.sort((a, b) => cmp(a.input.path, b.input.path));
    assertUniqueIds(documents);

    profile('read: inputs read');
    // Saved once the new documents are in the workers' hands: their analysis is what everything else waits for.
    let inputsToSave: Record<string, InputState> | null = scratch ? null : inputState;
    // The input states hold every document's line keys: tens of megabytes on a large corpus, needed only until the
    // site chrome is learned below (and those of this build until they are saved).
    previousInputs = {};
    inputState = {};
    profile('read');
    const chrome = learnSiteChrome(documents.map((d) => d.profile));
    for (const d of documents) {
      const site = d.profile.siteKey ? chrome.get(d.profile.siteKey) : undefined;
      d.siteChrome = site ? d.profile.lineKeys.filter((k) => site.has(k)) : [];
      d.profile = { siteKey: d.profile.siteKey, lineKeys: [] };
      d.cacheKey = AnalysisCache.key({ pipelineVersion: version, sha256: d.sha256, mediaType: d.input.mediaType!, overrides: d.overrides, siteChrome: d.siteChrome });
    }

    const liveKeys = documents.map((d) => d.cacheKey);
    threads?.entities.prepare(liveKeys);
    threads?.dedup.prepare(liveKeys);
    profile('site chrome');
    // Phase 2: per-document stages, from the cache or in the worker pool. Workers are started only for the
    // documents the cache cannot answer, so a warm build with nothing new pays no worker start-up at all.
    let analysedCount = 0;
    const live = new Set(liveKeys);
    await cache.summaries.load((key) => live.has(key));
    profile('analyse: load summaries');
    // The documents the cache has no summary for are sent to the workers before the others' summaries are parsed, so
    // their analysis, the part of a small incremental build everything else waits for, starts as early as it can.
    const unknown = documents.filter((d) => !cache.summaries.has(d.cacheKey));
    const misses: DocumentState[] = [];
    const analyse = async (batch: DocumentState[]) => {
      pool.grow(Math.min(workers, batch.length));
      await forEachLimit(batch, Math.max(2, workers * 2), async (d) => {
        const result = await pool.run(taskOf(d, maxBytes));
        if (result.ok) {
          d.summary = JSON.parse(result.summary) as AnalysisSummary;
          // Into the logs at once: the corpus-level threads read them from there.
          cache.summaries.append(d.cacheKey, result.summary);
          cache.dedup.append(d.cacheKey, result.dedup);
          cache.entities.append(d.cacheKey, result.entities);
        } else errors.push({ path: d.input.path, stage: result.stage, message: result.message });
        options.onProgress?.({ phase: 'analyse', done: ++analysedCount, total: documents.length });
      });
    };
    let analysing: Promise<void> = Promise.resolve();
    if (unknown.length) {
      misses.push(...unknown);
      analysing = analyse(unknown);
      // Observed here, raised where it is awaited.
      analysing.catch(() => {});
    }
    const inputsSaved = inputsToSave ? cache.writeState('inputs', sortedObject(inputsToSave)) : Promise.resolve();
    inputsSaved.catch(() => {});
    inputsToSave = null;
    const torn: DocumentState[] = [];
    for (const d of documents) {
      if (!cache.summaries.has(d.cacheKey)) continue;
      // A summary whose full analysis has since gone from the cache is analysed again when its record is written.
      d.summary = cache.summaries.get(d.cacheKey);
      if (d.summary) options.onProgress?.({ phase: 'analyse', done: ++analysedCount, total: documents.length });
      else torn.push(d);
    }
    cache.summaries.release();
    profile('analyse: look up');
    // Quote clustering needs the speakers, known only once entities are linked, but not to work out the wording of
    // the quotes already known: done now, a slice at a time, while new documents are analysed.
    const wordings = new QuoteWordings();
    const wordingsDone = unknown.length || torn.length ? prepareWordings(documents, wordings) : Promise.resolve();
    misses.push(...torn);
    const fromCache = documents.length - misses.length;
    const analysed = misses.length;
    if (misses.length) {
      try {
        await analysing;
        // A summary line that no longer parses (a build killed mid-append): analysed again, after the others.
        if (torn.length) await analyse(torn);
      } finally {
        await pool.close();
      }
    } else {
      await pool.close();
    }

    await inputsSaved;
    const ok = documents.filter((d) => d.summary);
    profile('analyse: run');
    await Promise.all([cache.summaries.save(new Set(ok.map((d) => d.cacheKey))), cache.dedup.flush(), cache.entities.flush()]);
    profile('analyse');

    // Phase 3: corpus-level steps. Entity linking (which also writes entities.json) and duplicates and repeated
    // passages (which write duplicates.json) each run on a thread of their own, reading their own summaries from the
    // cache, while quotes are clustered here once the entities are linked.
    const tasks = JSON.stringify(ok.map((d) => taskOf(d, maxBytes)));
    // entities.json is not written while the dedup thread holds its summaries, so the two threads' largest heaps are
    // never side by side: it waits for the dedup result (the summaries are dropped by then) or, after a large analysis,
    // when both indexes are written anew from end to end, for duplicates.json to be written. The dedup thread says so
    // to the entity thread itself (a shared flag), not through this one, which may be busy.
    const largeAnalysis = analysed * 10 > documents.length;
    const gate = threads ? new SharedArrayBuffer(4) : undefined;
    const entityInput: EntityStepInput = {
      cacheDir: cache.dir,
      outPath: join(outDir, 'entities.json'),
      analysis: { clean: options.clean, aliases },
      aliases,
      outputCode: outputCodeHash(),
      stateVersion: fullVersion,
      docs: ok.map((d) => ({ id: d.id, key: d.cacheKey })),
      tasks,
      runMinDocuments: options.entityRunMinDocuments,
      gate,
    };
    const entityRun = threads ? threads.entities.run(entityInput) : runEntityStep(entityInput);
    const dedupInput: DedupStepInput = {
      cacheDir: cache.dir,
      outPath: join(outDir, 'duplicates.json'),
      analysis: { clean: options.clean, aliases },
      docs: ok.map((d) => ({ id: d.id, key: d.cacheKey, published: d.summary!.metadata.published, source: d.input.absolutePath })),
      tasks,
      outputCode: outputCodeHash(),
      gate: gate && { flag: gate, at: largeAnalysis ? 'written' : 'result' },
    };
    const dedupRun = threads ? threads.dedup.run(dedupInput) : runDedupStepHere(dedupInput);
    // Never left unobserved: a failure is raised where the result is awaited.
    entityRun.linked.catch(() => {});
    entityRun.written.catch(() => {});
    entityRun.done.catch(() => {});
    // The same, when the steps run here; and if the dedup step fails, entities.json is written all the same.
    const dedupHeld = largeAnalysis ? dedupRun.done : dedupRun.result;
    // The dedup result as soon as this thread hears of it: if it is in by the time the records are written, they are
    // written once, with it, rather than with the last build's answer and then again.
    const dedupKnown: { result?: DedupStepResult } = {};
    dedupRun.result.then((result) => (dedupKnown.result = result), () => {});
    dedupHeld.then(() => entityRun.write(), () => entityRun.write());
    const entityResult = await entityRun.linked;
    profile('corpus: entities');
    await wordingsDone;
    const corpus = corpusSteps(ok, new EntityLinks(entityResult, ok.map((d) => d.id)), wordings, profile);
    const okIds = new Set(ok.map((d) => d.id));
    // The quote index needs nothing from dedup: written while its thread finishes.
    await writeIndex(join(outDir, 'quotes.json'), QuoteIndex, corpus.quoteIndex, { bySpeaker: QuoteIndex.shape.bySpeaker.element, clusters: QuoteCluster }, cache);
    profile('index: quotes');
    // Phase 4: write every record (validated, atomically) and documents.jsonl in one ordered pass. A record whose
    // analysis and corpus-level assignments are those of the last build is already on disk, byte for byte: its file
    // is not touched and its line is copied from the previous documents.jsonl, whose layout says which records it holds.
    // Records say which document each duplicate copies, which the dedup thread may still be working out: they are
    // written with the last build's answer (the usual case: a new document is rarely a copy), and again, where they
    // differ, if the answer turns out otherwise.
    const jsonlPath = join(outDir, 'documents.jsonl');
    const writeRecords = async (duplicateOf: ReadonlyMap<string, string>): Promise<WrittenRecords> => {
      const attemptErrors: ManifestError[] = [];
      const jsonlLayout = await copyable(jsonlPath, await cache.readState<SpliceLayout>(JSONL_STATE));
      const unchanged = new Set(jsonlLayout?.items.map(([key]) => key));
      const onDisk = new Set(await readdir(join(outDir, 'documents')).catch(() => [] as string[]));
      const recordKeys = new Map<string, string>();
      const outputCode = outputCodeHash();
      for (const d of ok) recordKeys.set(d.id, corpus.recordKey(d, duplicateOf, outputCode));
      profile('write: record keys');
      let written = 0;
      let done = 0;
      // Thousands of records to make: threads of their own make them, while this one writes documents.jsonl.
      let writers: RecordWriters | null = null;
      /** The record as one JSON line, after writing its file; null (with an error entry) when it cannot be made. */
      const writeRecord = async (d: DocumentState): Promise<string | null> => {
        const path = join(outDir, 'documents', `${d.id}.json`);
        const plan = corpus.plan(d, duplicateOf);
        // A record thread that failed (its write, or itself) leaves the record to be made here.
        let result = writers ? await writers.write(plan, taskOf(d, maxBytes), path).catch(() => null) : null;
        if (!result) {
          let analysis: DocumentAnalysis;
          try {
            analysis = await cache.fullOrAnalyse(taskOf(d, maxBytes), { clean: options.clean, aliases });
          } catch (error) {
            attemptErrors.push({ path: d.input.path, stage: 'cache', message: error instanceof Error ? error.message : String(error) });
            return null;
          }
          result = await writeRecordFile(plan, analysis, path);
        }
        if (!result.ok) {
          attemptErrors.push({ path: d.input.path, stage: result.stage, message: result.message });
          return null;
        }
        written++;
        return result.line;
      };
      const isNew = (d: DocumentState) => !unchanged.has(recordKeys.get(d.id)!);
      const failed = new Set<string>();
      const fresh = ok.filter(isNew);
      // Unchanged records whose file has gone missing since the last build (their line is copied).
      const missing = ok.filter((d) => !isNew(d) && !onDisk.has(`${d.id}.json`));
      let jsonl: Promise<void>;
      if (fresh.length + missing.length <= FEW_RECORDS) {
        // Few records to make (the usual incremental build): made first, so which records exist is known at once and
        // documents.jsonl, a copy of the last one bar those lines, is written while the report is.
        const lines = new Map<string, string | null>();
        await forEachLimit([...fresh, ...missing], 8, async (d) => {
          const line = await writeRecord(d);
          if (line === null) failed.add(d.id);
          lines.set(d.id, line);
        });
        for (const id of failed) recordKeys.delete(id);
        const job: SpliceJob = {
          path: jsonlPath,
          statePath: cache.statePath(JSONL_STATE),
          previous: jsonlLayout,
          items: ok
            .filter((d) => recordKeys.has(d.id))
            .map((d) => ({ key: recordKeys.get(d.id)!, ...(lines.has(d.id) ? { line: lines.get(d.id)! } : { recordPath: join(outDir, 'documents', `${d.id}.json`) }) })),
          format: JSONL,
        };
        options.onProgress?.({ phase: 'write', done: ok.length, total: ok.length });
        // On a thread of its own, so copying never waits for this one; here if that thread fails.
        jsonl = workers > 0 ? writeSpliceJobOnThread(job).catch(() => writeSpliceJob(job)) : writeSpliceJob(job);
      } else {
        if (workers > 0) writers = new RecordWriters(Math.min(workers, RECORD_THREADS), cache.dir, { clean: options.clean, aliases });
        // New records are made a few at a time ahead of the line being written, so their file writes overlap (and, with
        // record threads, so each always has some to make).
        const lookahead = writers ? 32 : 8;
        const ahead = new Map<number, Promise<string | null>>();
        const lineOf = (i: number) => {
          for (let k = i; k < Math.min(i + lookahead, ok.length); k++) {
            if (ahead.has(k) || !isNew(ok[k])) continue;
            const line = writeRecord(ok[k]);
            // Observed now; a failure is raised where the line is awaited.
            line.catch(() => {});
            ahead.set(k, line);
          }
          const line = ahead.get(i) ?? writeRecord(ok[i]);
          ahead.delete(i);
          return line;
        };
        const items = ok.map((d, i) => ({
          key: recordKeys.get(d.id)!,
          render: async () => {
            const line = await lineOf(i);
            if (line === null) failed.add(d.id);
            options.onProgress?.({ phase: 'write', done: ++done, total: ok.length });
            return line;
          },
        }));
        let lateFailures = 0;
        try {
          await writeSpliced(jsonlPath, cache, JSONL_STATE, jsonlLayout, items, JSONL);
          await forEachLimit(missing, 8, async (d) => {
            if ((await writeRecord(d)) === null) {
              failed.add(d.id);
              lateFailures++;
            }
          });
        } finally {
          await writers?.close();
          writers = null;
        }
        for (const id of failed) recordKeys.delete(id);
        if (lateFailures) {
          // documents.jsonl must hold exactly the records written: rare, so simply written again without them.
          const items = ok.filter((d) => recordKeys.has(d.id)).map((d) => ({ key: recordKeys.get(d.id)!, render: () => recordLine(join(outDir, 'documents', `${d.id}.json`)) }));
          await writeSpliced(jsonlPath, cache, JSONL_STATE, await cache.readState<SpliceLayout>(JSONL_STATE), items, JSONL);
        }
        jsonl = Promise.resolve();
      }
      jsonl.catch(() => {});
      const kept = ok.filter((d) => recordKeys.has(d.id));
      jsonl = jsonl.then(() => removeStale(join(outDir, 'documents'), new Set(kept.map((d) => `${d.id}.json`))));
      jsonl.catch(() => {});
      return { recordKeys, kept, written, errors: attemptErrors, jsonl };
    };

    // This build's answer if it is in; else the last build's, for the documents still here; with neither (a first
    // build), this build's is awaited.
    const previous = dedupKnown.result ? null : await cache.readState<Record<string, string>>(DUPLICATES_STATE);
    const guess = previous && !dedupKnown.result
      ? new Map(Object.entries(previous).filter(([id, of]) => okIds.has(id) && okIds.has(of)))
      : new Map((dedupKnown.result ?? (await dedupRun.result)).duplicateOf);
    let records = await writeRecords(guess);
    profile('write records');
    const dedup = await dedupRun.result;
    const duplicateOf = new Map(dedup.duplicateOf);
    const duplicateIndex = dedup.reportView;
    if (!sameMap(guess, duplicateOf)) {
      await records.jsonl;
      records = await writeRecords(duplicateOf);
      profile('write records again (duplicates changed)');
    }
    const { recordKeys, kept, written } = records;
    errors.push(...records.errors);
    profile('corpus steps');

    // An input that failed analysis, validation or writing has no record: it is an error, not a document.
    for (const input of inputs) {
      if (input.status === 'ok' && !recordKeys.has(input.documentId!)) {
        input.status = 'error';
        input.documentId = null;
      }
    }

    const { quoteIndex } = corpus;
    // What the report shows of the entities (entities.json, written by the entity thread, also has every mention).
    const entityIndex = { schemaVersion: SCHEMA_VERSION, entities: entityResult.entities } as EntityIndex;
    errors.sort((a, b) => cmp(a.path, b.path) || cmp(a.stage, b.stage));
    const manifest = validateRecord('manifest', {
      schemaVersion: SCHEMA_VERSION,
      pipelineVersion: fullVersion,
      inputCount: inputs.length,
      inputs,
      counts: {
        documents: kept.length,
        paragraphs: kept.reduce((n, d) => n + d.summary!.paragraphCount, 0),
        removed: kept.reduce((n, d) => n + d.summary!.removedCount, 0),
        entities: entityIndex.entities.length,
        mentions: entityResult.mentionCount,
        quotes: quoteIndex.bySpeaker.reduce((n, g) => n + g.quotes.length, 0),
        quoteClusters: quoteIndex.clusters.length,
        duplicateGroups: duplicateIndex.documents.length,
        duplicates: duplicateIndex.documents.reduce((n, g) => n + g.members.length - 1, 0),
        errors: inputs.filter((i) => i.status === 'error').length,
        skipped: inputs.filter((i) => i.status === 'skipped').length,
      },
      errors,
    });

    for (const [name, schema] of Object.entries(jsonSchemas())) {
      await writeFileAtomic(join(outDir, 'schema', `${name}.schema.json`), toJson(schema));
    }
    if (options.report !== false) {
      // The report keeps an overview row per document, never the whole corpus's records. What it makes of a record (its
      // overview, and its block of the page) is kept in the cache under the record's key; the page's blocks are spliced
      // like the indexes' elements, so an unchanged record's block is copied from the last report, not rendered again.
      const reportLimit = options.reportDocuments ?? DEFAULT_REPORT_DOCUMENTS;
      const shown = kept.slice(0, reportLimit);
      const keys = shown.map((d) => sha256(`${recordKeys.get(d.id)}\0${reportCodeHash()}`));
      const live = new Set(keys);
      const readRecord = async (d: DocumentState) => JSON.parse(await readFile(join(outDir, 'documents', `${d.id}.json`), 'utf8')) as DocumentRecord;
      const reportPath = join(outDir, 'report.html');
      const reportLayout = await cache.readState<SpliceLayout>(REPORT_STATE);
      // Blocks are read from the cache only for the documents whose block the last report does not have in its place.
      const inPlace = new Set((await copyable(reportPath, reportLayout))?.items.map(([key]) => key));
      const needed = new Set(keys.filter((key, i) => !inPlace.has(`${key}.${i}`)));
      await Promise.all([cache.report.load((key) => live.has(key)), cache.reportBlocks.load((key) => needed.has(key))]);
      // Blocks of records prepared here, until they are written.
      const fresh = new Map<string, string>();
      const overviews: DocumentOverview[] = [];
      for (const [i, d] of shown.entries()) {
        let overview = cache.report.get(keys[i]);
        if (!overview) {
          const { payload, ...rest } = prepareDocument(await readRecord(d));
          overview = rest;
          fresh.set(keys[i], payload);
          cache.report.append(keys[i], JSON.stringify(rest));
          cache.reportBlocks.append(keys[i], JSON.stringify(payload));
        }
        overviews.push(overview);
      }
      const tail = reportParts.tail(overviews, { manifest, entities: entityIndex, quotes: quoteIndex, duplicates: duplicateIndex, totalDocuments: kept.length, passageTotals: dedup.passageTotals });
      overviews.length = 0;
      const blockOf = async (i: number): Promise<string> => {
        let payload = fresh.get(keys[i]) ?? cache.reportBlocks.get(keys[i]);
        if (payload === undefined || payload === null) {
          payload = prepareDocument(await readRecord(shown[i])).payload;
          cache.reportBlocks.append(keys[i], JSON.stringify(payload));
        }
        return reportParts.block(i, payload);
      };
      // A block says where it is in the page, so its key does too.
      const blocks: SpliceItem[] = shown.map((_, i) => ({ key: `${keys[i]}.${i}`, render: () => blockOf(i) }));
      await writeSpliced(reportPath, cache, REPORT_STATE, reportLayout, blocks, { head: reportParts.head(), separator: '', tail });
      await Promise.all([cache.report.save(live), cache.reportBlocks.save(live)]);
    }
    profile('report');
    // The indexes the threads write, and documents.jsonl, were written meanwhile.
    await records.jsonl;
    profile('indexes: documents.jsonl');
    await dedupRun.done;
    profile('indexes: duplicates.json');
    await entityRun.written;
    await cache.writeState(DUPLICATES_STATE, sortedObject(Object.fromEntries(duplicateOf)));
    profile('indexes');
    // The manifest goes last: its presence says the rest of the output is complete. The entity thread may still be
    // saving its link state, for the next build.
    await writeFileAtomic(join(outDir, 'manifest.json'), toJson(manifest), true);
    await entityRun.done;
    return { manifest, seconds: (performance.now() - started) / 1000, analysed, fromCache, written };
  } finally {
    await Promise.all([pool.close(), threads?.entities.close(), threads?.dedup.close()]);
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------------

/** What the last build learned of an input file, reused while its stat says it has not changed. */
interface InputState {
  stamp: string;
  sha256: string;
  bytes: number;
  error?: ManifestError;
  /** The profile, for the pipeline version and sidecar overrides it was computed with. */
  profile?: SourceProfile;
  profileKey?: string;
}

const statStamp = (s: { size: number; mtimeMs: number; ctimeMs: number; ino: number }) => `${s.size}:${s.mtimeMs}:${s.ctimeMs}:${s.ino}`;

async function readInput(
  input: DiscoveredInput,
  maxBytes: number,
  previous: InputState | undefined,
  version: string,
): Promise<{ manifest: ManifestInput; error?: ManifestError; document?: DocumentState; state?: InputState }> {
  const id = documentId(input.path);
  const base = { path: input.path, mediaType: input.mediaType, documentId: null };
  const unreadable = (error: unknown) => ({
    manifest: { ...base, sha256: sha256(''), bytes: 0, status: 'error' as const },
    error: { path: input.path, stage: 'read', message: error instanceof Error ? error.message : String(error) },
  });
  let info;
  try {
    // Synchronous: a stat is microseconds, and ten thousand promise round trips cost more than the calls themselves.
    info = statSync(input.absolutePath);
  } catch (error) {
    return unreadable(error);
  }
  const stamp = statStamp(info);
  const known = previous?.stamp === stamp ? previous : undefined;
  const hashOnly = async () => known?.sha256 ?? (await hashFile(input.absolutePath));
  if (input.skipReason) {
    const sha = await hashOnly();
    return { manifest: { ...base, sha256: sha, bytes: info.size, status: 'skipped', reason: input.skipReason }, state: { stamp, sha256: sha, bytes: info.size } };
  }
  if (info.size > maxBytes) {
    const sha = await hashOnly();
    return {
      manifest: { ...base, sha256: sha, bytes: info.size, status: 'error' },
      error: { path: input.path, stage: 'limit', message: `file is ${info.size} bytes, above the ${maxBytes}-byte limit (raise it with --max-bytes)` },
      state: { stamp, sha256: sha, bytes: info.size },
    };
  }
  if (known?.error && known.profileKey?.startsWith(`${version}\0`)) {
    return { manifest: { ...base, sha256: known.sha256, bytes: known.bytes, status: 'error' }, error: known.error, state: known };
  }

  const warnings: Diagnostic[] = [];
  let overrides: MetadataOverrides = {};
  if (input.sidecarPath) {
    try {
      overrides = parseSidecar(await readFile(input.sidecarPath, 'utf8'));
    } catch (error) {
      warnings.push({ stage: 'sidecar', message: `sidecar ignored: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
  const profileKey = `${version}\0${JSON.stringify(overrides)}`;
  let state: InputState;
  if (known?.profile && known.profileKey === profileKey) {
    state = known;
  } else {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(input.absolutePath);
    } catch (error) {
      return unreadable(error);
    }
    const sha = sha256(bytes);
    try {
      const { text } = decodeSource(bytes, maxBytes);
      // Cleaning itself (dates, languages, HTML) is loaded only for an HTML input: a text dump's profile needs none of it.
      const profile = mediaKind(input.mediaType!) === 'html' ? (await import('@corpus/clean')).sourceProfile(text, input.mediaType!, overrides) : profileOf(text, input.mediaType!, overrides, null);
      state = { stamp, sha256: sha, bytes: bytes.length, profile, profileKey };
    } catch (error) {
      const stage = error instanceof InputError ? error.stage : 'decode';
      const entry = { path: input.path, stage, message: error instanceof Error ? error.message : String(error) };
      return {
        manifest: { ...base, sha256: sha, bytes: bytes.length, status: 'error' },
        error: entry,
        state: { stamp, sha256: sha, bytes: bytes.length, error: entry, profileKey: `${version}\0` },
      };
    }
  }
  return {
    manifest: { ...base, sha256: state.sha256, bytes: state.bytes, status: 'ok', documentId: id },
    state,
    document: {
      input,
      id,
      sha256: state.sha256,
      bytes: state.bytes,
      overrides,
      profile: state.profile!,
      siteChrome: [],
      cacheKey: '',
      summary: null,
      warnings,
    },
  };
}

const SIDECAR_FIELDS = ['title', 'authors', 'publisher', 'published', 'language', 'url'] as const;

/** A sidecar may set any of the metadata fields; anything else in it is an error the user should hear about. */
export function parseSidecar(json: string): MetadataOverrides {
  const value = JSON.parse(json) as Record<string, unknown>;
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('expected a JSON object');
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (!(SIDECAR_FIELDS as readonly string[]).includes(key)) throw new Error(`unknown field "${key}" (allowed: ${SIDECAR_FIELDS.join(', ')})`);
    if (key === 'authors') {
      if (!Array.isArray(v) || v.some((a) => typeof a !== 'string')) throw new Error('"authors" must be an array of strings');
    } else if (v !== null && typeof v !== 'string') {
      throw new Error(`"${key}" must be a string or null`);
    }
    if (key === 'published' && typeof v === 'string' && !/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new Error('"published" must be YYYY-MM-DD');
    out[key] = v;
  }
  return out as MetadataOverrides;
}

async function readAliases(inputDir: string, explicit: string | undefined, errors: ManifestError[]): Promise<AliasTable | undefined> {
  const path = explicit ? resolve(explicit) : join(inputDir, ALIAS_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (explicit) throw new Error(`cannot read alias file ${explicit}: ${(error as Error).message}`);
    return undefined;
  }
  try {
    const parsed = AliasTable.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`expected a JSON array of { name, type?, aliases[] }: ${parsed.error.message}`);
    return parsed.data;
  } catch (error) {
    errors.push({ path: explicit ?? ALIAS_FILE, stage: 'config', message: `alias file ignored: ${(error as Error).message}` });
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------------

function corpusSteps(docs: DocumentState[], entityResult: EntityLinks, wordings: QuoteWordings, profile: (phase: string) => void) {
  const quoteId = (d: DocumentState, q: Quote) => globalQuoteId(d.id, q.id);
  // Asked for by the quote clusters, the quote index, each record and its key: resolved once per quote.
  const speakers = new Map<Quote, Speaker | null>();
  const speakerOf = (d: DocumentState, q: Quote): Speaker | null => {
    let speaker = speakers.get(q);
    if (speaker === undefined) {
      const e = q.speaker?.entityId ? entityResult.resolve(d.id, q.speaker.entityId) : null;
      speaker = !q.speaker ? null : e ? { name: e.name, entityId: e.id } : { name: q.speaker.name };
      speakers.set(q, speaker);
    }
    return speaker;
  };

  const allQuotes = docs.flatMap((d) =>
    d.summary!.quotes.map((q) => ({ id: quoteId(d, q), documentId: d.id, text: q.text, kind: q.kind, speaker: speakerOf(d, q) })),
  );
  const { clusters, clusterOf } = clusterQuotes(allQuotes, undefined, wordings);
  profile('corpus: quote clusters');

  const decided = (d: DocumentState, q: Quote) => ({ speaker: speakerOf(d, q), clusterId: clusterOf.get(quoteId(d, q)) ?? null });

  const quoteIndex: QuoteIndex = {
    schemaVersion: SCHEMA_VERSION,
    bySpeaker: indexQuotesBySpeaker(docs.map((d) => ({ documentId: d.id, quotes: corpusQuotes(d.id, d.summary!.quotes, (q) => decided(d, q)) }))),
    clusters,
  };
  return {
    quoteIndex,
    /**
     * The key of a document's record: its analysis, and everything corpus-level that ends up in it, so an unchanged
     * record is never rewritten. One hash per document; each canonical entity's part is made once for all.
     */
    recordKey(d: DocumentState, duplicateOf: ReadonlyMap<string, string>, outputCode: string): string {
      const h = createHash('sha256').update(`${outputCode}\0${d.cacheKey}\0${d.id}\0${d.input.path}\0${JSON.stringify(d.warnings)}\0`);
      // By position: the cache key fixes which local entity is where.
      h.update(entityResult.tokensOf(d.id)).update('\0');
      for (const q of d.summary!.quotes) h.update(`${q.id}=${JSON.stringify(decided(d, q))},`);
      return h.update(`\0${duplicateOf.get(d.id) ?? ''}`).digest('hex');
    },
    /** What the corpus decided for the document's record (see `makeRecord`). */
    plan(d: DocumentState, duplicateOf: ReadonlyMap<string, string>): RecordPlan {
      const quotes: RecordPlan['quotes'] = {};
      for (const q of d.summary!.quotes) quotes[q.id] = decided(d, q);
      return {
        id: d.id,
        path: d.input.path,
        sha256: d.sha256,
        bytes: d.bytes,
        mediaType: d.input.mediaType!,
        warnings: d.warnings,
        entities: entityResult.refsOf(d.id),
        quotes,
        duplicateOf: duplicateOf.get(d.id) ?? null,
      };
    },
  };
}

/** The wordings of the known documents' quotes, a few hundred documents at a time, yielding to the build between. */
async function prepareWordings(documents: readonly DocumentState[], wordings: QuoteWordings): Promise<void> {
  for (let i = 0; i < documents.length; i++) {
    for (const q of documents[i].summary?.quotes ?? []) if (q.kind !== 'scare') wordings.add(q.text);
    if (i % 256 === 255) await new Promise((resolve) => setImmediate(resolve));
  }
}

// ---------------------------------------------------------------------------------------------------------------

const taskOf = (d: DocumentState, maxBytes: number): AnalysisTask => ({
  path: d.input.path,
  absolutePath: d.input.absolutePath,
  sha256: d.sha256,
  mediaType: d.input.mediaType!,
  overrides: d.overrides,
  siteChrome: d.siteChrome,
  cacheKey: d.cacheKey,
  maxBytes,
});

const JSONL: SpliceFormat = { head: '', separator: '\n', tail: '\n', empty: '' };
const JSONL_STATE = 'layout-documents';
const REPORT_STATE = 'layout-report';
/** Which document each duplicate copied at the last build (see phase 4). */
const DUPLICATES_STATE = 'duplicate-of';
/** Up to this many records to make, they are made before documents.jsonl is written, and it beside the report. */
const FEW_RECORDS = 64;
/** Threads that make records when there are more (see `RecordWriters`). */
const RECORD_THREADS = 2;

interface WrittenRecords {
  recordKeys: Map<string, string>;
  kept: DocumentState[];
  written: number;
  errors: ManifestError[];
  /** documents.jsonl, written, and the records of documents no longer in the corpus, removed. */
  jsonl: Promise<void>;
}

function sameMap(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

function assertUniqueIds(documents: DocumentState[]) {
  const seen = new Map<string, string>();
  for (const d of documents) {
    const other = seen.get(d.id);
    if (other) throw new Error(`document id collision: ${other} and ${d.input.path} both map to ${d.id}`);
    seen.set(d.id, d.input.path);
  }
}

async function forEachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const run = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, run));
}

async function hashFile(path: string): Promise<string> {
  const h = createHash('sha256');
  const handle = await open(path);
  try {
    for await (const chunk of handle.createReadStream()) h.update(chunk as Buffer);
  } finally {
    await handle.close();
  }
  return h.digest('hex');
}

const sortedObject = <T>(o: Record<string, T>): Record<string, T> =>
  Object.fromEntries(Object.entries(o).sort(([a], [b]) => cmp(a, b)));


/** Records of inputs that are gone (or now fail) must not linger from an earlier build. */
async function removeStale(dir: string, keep: Set<string>) {
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(names.filter((n) => n.endsWith('.json') && !keep.has(n)).map((n) => rm(join(dir, n), { force: true })));
}
