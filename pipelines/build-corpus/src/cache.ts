import { createHash } from 'node:crypto';
import { appendFile, mkdir, open, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeChunksAtomic, writeFileAtomic } from './io.js';
import type { AnalysisOptions, DocumentAnalysis, DocumentProcessor } from './analyse.js';
import type { AnalysisTask } from './task.js';
import { toLinkEntity, type LinkEntity } from '@corpus/entities/corpus';
import type { DocumentOverview } from '@corpus/report';

/** What the quote and record steps need of a document, kept in memory for the whole build. */
export type AnalysisSummary = Omit<DocumentAnalysis, 'text' | 'paragraphs' | 'removed' | 'diagnostics' | 'signature' | 'passages' | 'entities'> & {
  textLength: number;
  paragraphCount: number;
  removedCount: number;
};

/** What the duplicate and repeated-passage steps need of a document; read by the thread that runs them. */
export type DedupSummary = Pick<DocumentAnalysis, 'signature' | 'passages'>;

export interface SerialisedAnalysis {
  full: string;
  /** For the main thread (see AnalysisSummary). */
  summary: string;
  /** For the dedup thread (see DedupSummary). */
  dedup: string;
  /** For the entity thread: the document's entities as `LinkEntity[]`. */
  entities: string;
}

/**
 * The full analysis as stored, and the three summaries, as JSON. Built from each field's JSON once, so the shared
 * parts are not serialised twice; strings are what a worker sends back (cheaper than cloning objects) and what the
 * logs store.
 */
export function serialise(a: DocumentAnalysis): SerialisedAnalysis {
  const field = (value: unknown) => JSON.stringify(value) ?? 'null';
  const metadata = field(a.metadata), entities = field(a.entities), quotes = field(a.quotes);
  const signature = field(a.signature), passages = field(a.passages);
  return {
    full: `{"text":${field(a.text)},"paragraphs":${field(a.paragraphs)},"removed":${field(a.removed)},"metadata":${metadata},"entities":${entities},"quotes":${quotes},"diagnostics":${field(a.diagnostics)},"signature":${signature},"passages":${passages}}`,
    summary: `{"metadata":${metadata},"quotes":${quotes},"textLength":${a.text.length},"paragraphCount":${a.paragraphs.length},"removedCount":${a.removed.length}}`,
    dedup: `{"signature":${signature},"passages":${passages}}`,
    // Entities in linking's compact form (a few arrays instead of an object per mention).
    entities: field(a.entities.map(toLinkEntity)),
  };
}

/**
 * A content-addressed store of per-document analyses. The key covers everything an analysis depends on, so an
 * entry is either exactly right or never looked up: no invalidation logic beyond the key.
 *
 * Full analyses live one file per key (read back only when a record has to be written). The summaries the
 * corpus-level steps need live in three logs (one each for the main thread, the dedup thread and the entity thread),
 * so a warm build reads three files instead of one per document.
 */
export class AnalysisCache {
  readonly summaries: SummaryLog<AnalysisSummary>;
  readonly dedup: SummaryLog<DedupSummary>;
  readonly entities: SummaryLog<LinkEntity[]>;
  /** What the report made of each record it showed: the overview (see `prepareDocument`), and the page's block. */
  readonly report: SummaryLog<DocumentOverview>;
  readonly reportBlocks: SummaryLog<string>;
  private processor: DocumentProcessor | null = null;

  constructor(readonly dir: string) {
    this.summaries = new SummaryLog(join(dir, 'summaries.jsonl'));
    this.dedup = new SummaryLog(join(dir, 'dedup.jsonl'));
    this.entities = new SummaryLog(join(dir, 'entities.jsonl'));
    this.report = new SummaryLog(join(dir, 'report.jsonl'));
    this.reportBlocks = new SummaryLog(join(dir, 'report-blocks.jsonl'));
  }

  static key(parts: { pipelineVersion: string; sha256: string; mediaType: string; overrides: unknown; siteChrome: readonly string[] }): string {
    const h = createHash('sha256');
    h.update(parts.pipelineVersion).update('\0').update(parts.sha256).update('\0').update(parts.mediaType).update('\0');
    h.update(JSON.stringify(parts.overrides ?? {})).update('\0');
    for (const line of parts.siteChrome) h.update(line).update('\n');
    return h.digest('hex');
  }

  private fullPath(key: string) {
    return join(this.dir, 'analyses', key.slice(0, 2), `${key}.json`);
  }

  /**
   * Written by the worker that produced the analysis, so the main thread never holds the full text. Returns the
   * summaries' JSON.
   */
  async putFull(key: string, analysis: DocumentAnalysis): Promise<Omit<SerialisedAnalysis, 'full'>> {
    const { full, ...summaries } = serialise(analysis);
    await writeFileAtomic(this.fullPath(key), full);
    return summaries;
  }

  async full(key: string): Promise<DocumentAnalysis | null> {
    return readJson<DocumentAnalysis>(this.fullPath(key));
  }

  /**
   * The full analysis of a task's document; when the cache has lost it since its summary was read (a build killed
   * mid-append, pruned by hand, disk trouble), the document is analysed again. Throws if that fails.
   */
  async fullOrAnalyse(task: AnalysisTask, options: AnalysisOptions): Promise<DocumentAnalysis> {
    const cached = await this.full(task.cacheKey);
    if (cached) return cached;
    // Loaded only here: the stages (compromise above all) take a while to load, and a build rarely needs them here.
    const [{ createDocumentProcessor }, { runTask }] = await Promise.all([import('./analyse.js'), import('./task.js')]);
    this.processor ??= createDocumentProcessor(options);
    const result = await runTask(this.processor, this, task);
    if (!result.ok) throw new Error(`${task.path}: ${result.message}`);
    const analysed = await this.full(task.cacheKey);
    if (!analysed) throw new Error(`${task.path}: cached analysis disappeared during the build; run again`);
    return analysed;
  }

  /** Small named state files (last build's inputs and outputs), so an incremental build can skip unchanged work. */
  /** The file a state is kept in. */
  statePath(name: string): string {
    return join(this.dir, `${name}.json`);
  }

  async readState<T>(name: string): Promise<T | null> {
    return readJson<T>(this.statePath(name));
  }

  async writeState(name: string, value: unknown): Promise<void> {
    await writeFileAtomic(this.statePath(name), JSON.stringify(value));
  }
}

/** Logs are read in chunks of this size. */
const LOG_CHUNK = 8 << 20;

/**
 * Per-document summaries in one JSON-lines file, `key<TAB>json`. It is a log: a build appends the summaries it
 * computed, so adding one document to a large corpus writes one line instead of the whole file; once most lines
 * belong to documents no longer in the corpus, it is rewritten with only the current ones. A later line for a key
 * wins, and a torn line (a build killed mid-append) fails to parse: a cache miss, never an error.
 */
export class SummaryLog<T> {
  private lines = new Map<string, string>();
  /** Lines parsed ahead of being asked for (see `parseKept`). */
  private readonly parsed = new Map<string, T>();
  private stored = new Set<string>();
  private endsWithNewline = true;
  private loaded = false;
  /** How much of the file has been read (whole lines only). */
  private loadedBytes = 0;
  private keep: ((key: string) => boolean) | null = null;
  /** Lines appended during the build, not yet written (see `append`). */
  private pending: string[] = [];
  private pendingBytes = 0;
  private writing: Promise<void> = Promise.resolve();
  private checkedEnd = false;

  constructor(readonly path: string) {}

  /** Whether `load` ran (a thread may load its log only once it knows which documents are live). */
  get isLoaded(): boolean {
    return this.loaded;
  }

  /**
   * Reads the log. With `keep`, only the lines of the keys it accepts are kept (the keys of the others are still
   * counted, to know how stale the log is): a log that is mostly stale never sits in memory whole.
   */
  async load(keep?: (key: string) => boolean): Promise<void> {
    this.loaded = true;
    this.loadedBytes = 0;
    this.keep = keep ?? null;
    await this.loadMore();
  }

  /**
   * Reads what was appended since the last load (by another thread, while this one waited): a thread can load the log
   * early and pick up the build's new summaries later. Only whole lines are read; a torn tail is left for later.
   * Read in chunks, each kept line decoded on its own, so no string of the whole file is ever made.
   */
  async loadMore(): Promise<void> {
    for await (const chunk of scanLines(this.path, this.loadedBytes)) {
      for (let i = 0; i < chunk.lines.length; i += 2) this.readLine(chunk.bytes, chunk.lines[i], chunk.lines[i + 1]);
      this.loadedBytes = chunk.end;
      this.endsWithNewline = !chunk.torn;
    }
  }

  private readLine(bytes: Buffer, start: number, end: number): void {
    const key = lineKey(bytes, start, end);
    if (key === null) return;
    this.stored.add(key);
    if (!this.keep || this.keep(key)) this.lines.set(key, bytes.toString('utf8', start + 65, end));
  }

  /** How many lines the last `load` kept and are still held. */
  get keptCount(): number {
    return this.lines.size + this.parsed.size;
  }

  /**
   * Parses every line held now: a thread with nothing else to do does it before the values are asked for. A line
   * that fails to parse is dropped (a cache miss, as in `get`).
   */
  parseKept(): void {
    for (const [key, line] of this.lines) {
      try {
        this.parsed.set(key, JSON.parse(line) as T);
      } catch {
        // A torn line: the value is missing.
      }
    }
    this.lines.clear();
  }

  /** Whether the log holds a line for `key` (it may still fail to parse: see `get`). */
  has(key: string): boolean {
    return this.parsed.has(key) || this.lines.has(key);
  }

  get(key: string): T | null {
    const ready = this.parsed.get(key);
    if (ready !== undefined) return ready;
    const line = this.lines.get(key);
    if (!line) return null;
    try {
      return JSON.parse(line) as T;
    } catch {
      return null;
    }
  }

  /**
   * Adds a freshly computed summary to the log as soon as it exists, in batches, so a large build never holds the
   * JSON of all its new summaries until the end. Call `flush` before the log is read again or saved.
   */
  append(key: string, json: string): void {
    // A log another thread reads need not be loaded here: a key appended twice is harmless (the later line wins).
    if (this.stored.has(key)) return;
    this.stored.add(key);
    const line = `${key}\t${json}\n`;
    this.pending.push(line);
    this.pendingBytes += line.length;
    if (this.pendingBytes >= 1 << 20) void this.flush().catch(() => {});
  }

  /** Writes the appended lines; a failure is reported here (and by every later flush). */
  flush(): Promise<void> {
    if (this.pending.length) {
      const block = this.pending.join('');
      this.pending = [];
      this.pendingBytes = 0;
      this.writing = this.writing.then(async () => {
        // A torn last line (a build killed mid-append) must not swallow the first new one.
        const newline = this.loaded || this.checkedEnd ? this.endsWithNewline : await endsWithNewline(this.path);
        this.checkedEnd = true;
        this.endsWithNewline = true;
        await mkdir(dirname(this.path), { recursive: true });
        await appendFile(this.path, newline ? block : `\n${block}`);
      });
    }
    return this.writing;
  }

  /** `get`, then forgets the raw line: reading a whole log this way never holds it twice (as text and parsed). */
  take(key: string): T | null {
    const value = this.get(key);
    this.lines.delete(key);
    this.parsed.delete(key);
    return value;
  }

  /** The lines are only needed until every document has been looked up. */
  release(): void {
    this.lines.clear();
    this.parsed.clear();
  }

  /**
   * Records which summaries the corpus as built uses (`live`: every key in use). Appended lines are written; once
   * most lines are stale, the log is rewritten with the live ones only.
   */
  async save(live: ReadonlySet<string>): Promise<void> {
    if (!this.loaded) throw new Error(`${this.path}: save() before load()`);
    await this.flush();
    let stale = 0;
    for (const key of this.stored) if (!live.has(key)) stale++;
    if (stale <= live.size) return;
    // Rewritten from the file itself, which has every line (this instance may hold only some of them), streamed in
    // two passes so it is never in memory whole: the first finds where each live key's last line is (a later line
    // wins), the second copies those lines.
    const last = new Map<string, number>();
    for await (const { bytes, lines, base } of scanLines(this.path, 0)) {
      for (let i = 0; i < lines.length; i += 2) {
        const key = lineKey(bytes, lines[i], lines[i + 1]);
        if (key !== null && live.has(key)) last.set(key, base + lines[i]);
      }
    }
    const path = this.path;
    async function* kept(): AsyncGenerator<string> {
      for await (const { bytes, lines, base } of scanLines(path, 0)) {
        const block: string[] = [];
        for (let i = 0; i < lines.length; i += 2) {
          const key = lineKey(bytes, lines[i], lines[i + 1]);
          if (key !== null && last.get(key) === base + lines[i]) block.push(bytes.toString('utf8', lines[i], lines[i + 1] + 1));
        }
        if (block.length) yield block.join('');
      }
    }
    await writeChunksAtomic(this.path, kept());
    this.stored = new Set(last.keys());
    // Read positions refer to the old file.
    this.loadedBytes = (await stat(this.path)).size;
    this.endsWithNewline = true;
  }
}

/** The key of a log line (`bytes[start..end)`, without its newline), or null if it is not one. */
function lineKey(bytes: Buffer, start: number, end: number): string | null {
  return end - start < 65 || bytes[start + 64] !== 9 ? null : bytes.toString('latin1', start, start + 64);
}

/**
 * The whole lines of a file from byte `from`, a chunk at a time: `lines` holds each line's start and end (at its
 * newline) in `bytes`, `base` is the file offset of `bytes`, `end` the offset after the chunk's last whole line, and
 * `torn` whether bytes follow that line at the end of the file.
 */
async function* scanLines(path: string, from: number): AsyncGenerator<{ bytes: Buffer; lines: number[]; base: number; end: number; torn: boolean }> {
  let file;
  try {
    file = await open(path, 'r');
  } catch {
    return;
  }
  try {
    const { size } = await file.stat();
    let carry = Buffer.alloc(0);
    let position = from;
    while (position < size) {
      const chunk = Buffer.alloc(Math.min(LOG_CHUNK, size - position));
      const { bytesRead } = await file.read(chunk, 0, chunk.length, position);
      if (!bytesRead) break;
      const base = position - carry.length;
      position += bytesRead;
      const bytes = carry.length ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
      const lines: number[] = [];
      let at = 0;
      for (let next = bytes.indexOf(10, at); next >= 0; next = bytes.indexOf(10, at)) {
        lines.push(at, next);
        at = next + 1;
      }
      carry = Buffer.from(bytes.subarray(at));
      yield { bytes, lines, base, end: base + at, torn: position >= size && carry.length > 0 };
    }
  } finally {
    await file.close();
  }
}

async function endsWithNewline(path: string): Promise<boolean> {
  let file;
  try {
    file = await open(path, 'r');
  } catch {
    return true;
  }
  try {
    const { size } = await file.stat();
    if (!size) return true;
    const { buffer } = await file.read(Buffer.alloc(1), 0, 1, size - 1);
    return buffer[0] === 10;
  } finally {
    await file.close();
  }
}

async function readJson<T>(path: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    // A missing or torn entry is a cache miss, never an error: the document is simply analysed again.
    return null;
  }
}
