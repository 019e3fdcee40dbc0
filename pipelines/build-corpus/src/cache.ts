import { createHash } from 'node:crypto';
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeChunksAtomic, writeFileAtomic } from './io.js';
import type { DocumentAnalysis } from './analyse.js';

/** What the entity, quote and record steps need of a document, kept in memory for the whole build. */
export type AnalysisSummary = Omit<DocumentAnalysis, 'text' | 'paragraphs' | 'removed' | 'diagnostics' | 'signature' | 'passages'> & {
  textLength: number;
  paragraphCount: number;
  removedCount: number;
};

/** What the duplicate and repeated-passage steps need of a document; read by the thread that runs them. */
export type DedupSummary = Pick<DocumentAnalysis, 'signature' | 'passages'>;

/**
 * The full analysis as stored, and the two summaries, as JSON. Built from each field's JSON once, so the shared
 * parts are not serialised twice; strings are what a worker sends back (cheaper than cloning objects) and what the
 * logs store.
 */
export function serialise(a: DocumentAnalysis): { full: string; summary: string; dedup: string } {
  const field = (value: unknown) => JSON.stringify(value) ?? 'null';
  const metadata = field(a.metadata), entities = field(a.entities), quotes = field(a.quotes);
  const signature = field(a.signature), passages = field(a.passages);
  return {
    full: `{"text":${field(a.text)},"paragraphs":${field(a.paragraphs)},"removed":${field(a.removed)},"metadata":${metadata},"entities":${entities},"quotes":${quotes},"diagnostics":${field(a.diagnostics)},"signature":${signature},"passages":${passages}}`,
    summary: `{"metadata":${metadata},"entities":${entities},"quotes":${quotes},"textLength":${a.text.length},"paragraphCount":${a.paragraphs.length},"removedCount":${a.removed.length}}`,
    dedup: `{"signature":${signature},"passages":${passages}}`,
  };
}

/**
 * A content-addressed store of per-document analyses. The key covers everything an analysis depends on, so an
 * entry is either exactly right or never looked up: no invalidation logic beyond the key.
 *
 * Full analyses live one file per key (read back only when a record has to be written). The summaries the
 * corpus-level steps need live in two logs (one for the main thread, one for the dedup thread), so a warm build
 * reads two files instead of one per document.
 */
export class AnalysisCache {
  readonly summaries: SummaryLog<AnalysisSummary>;
  readonly dedup: SummaryLog<DedupSummary>;

  constructor(readonly dir: string) {
    this.summaries = new SummaryLog(join(dir, 'summaries.jsonl'));
    this.dedup = new SummaryLog(join(dir, 'dedup.jsonl'));
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
  async putFull(key: string, analysis: DocumentAnalysis): Promise<{ summary: string; dedup: string }> {
    const { full, summary, dedup } = serialise(analysis);
    await writeFileAtomic(this.fullPath(key), full);
    return { summary, dedup };
  }

  async full(key: string): Promise<DocumentAnalysis | null> {
    return readJson<DocumentAnalysis>(this.fullPath(key));
  }

  /** Small named state files (last build's inputs and outputs), so an incremental build can skip unchanged work. */
  async readState<T>(name: string): Promise<T | null> {
    return readJson<T>(join(this.dir, `${name}.json`));
  }

  async writeState(name: string, value: unknown): Promise<void> {
    await writeFileAtomic(join(this.dir, `${name}.json`), JSON.stringify(value));
  }
}

/**
 * Per-document summaries in one JSON-lines file, `key<TAB>json`. It is a log: a build appends the summaries it
 * computed, so adding one document to a large corpus writes one line instead of the whole file; once most lines
 * belong to documents no longer in the corpus, it is rewritten with only the current ones. A later line for a key
 * wins, and a torn line (a build killed mid-append) fails to parse: a cache miss, never an error.
 */
export class SummaryLog<T> {
  private lines = new Map<string, string>();
  private stored = new Set<string>();
  private endsWithNewline = true;
  private loaded = false;

  constructor(readonly path: string) {}

  async load(): Promise<void> {
    this.loaded = true;
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch {
      return;
    }
    this.endsWithNewline = text.endsWith('\n');
    let at = 0;
    while (at < text.length) {
      let end = text.indexOf('\n', at);
      if (end < 0) end = text.length;
      if (text.charCodeAt(at + 64) === 9) this.lines.set(text.slice(at, at + 64), text.slice(at + 65, end));
      at = end + 1;
    }
    this.stored = new Set(this.lines.keys());
  }

  get(key: string): T | null {
    const line = this.lines.get(key);
    if (!line) return null;
    try {
      return JSON.parse(line) as T;
    } catch {
      return null;
    }
  }

  /** The raw lines are only needed until every document has been looked up. */
  release(): void {
    this.lines.clear();
  }

  /**
   * Records the summaries of the corpus as built: `live` is every key in use, `fresh` the JSON of the summaries
   * computed this time.
   */
  async save(live: ReadonlySet<string>, fresh: readonly [string, string][]): Promise<void> {
    if (!this.loaded) throw new Error(`${this.path}: save() before load()`);
    let stale = 0;
    for (const key of this.stored) if (!live.has(key)) stale++;
    const toAppend = fresh.filter(([key]) => !this.stored.has(key));
    const line = (key: string, json: string) => `${key}\t${json}\n`;
    if (this.stored.size && stale <= live.size) {
      if (!toAppend.length) return;
      const block = toAppend.map(([key, json]) => line(key, json)).join('');
      await appendFile(this.path, this.endsWithNewline ? block : `\n${block}`);
      return;
    }
    // Rewritten with the live entries only: the new values, and the old lines of the others.
    const released = !this.lines.size;
    if (released && this.stored.size) await this.load();
    const values = new Map(fresh);
    const lines = this.lines;
    function* all() {
      for (const key of live) {
        const json = values.get(key) ?? lines.get(key);
        if (json !== undefined) yield line(key, json);
      }
    }
    await writeChunksAtomic(this.path, all());
    if (released) this.lines.clear();
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
