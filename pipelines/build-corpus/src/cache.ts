import { createHash } from 'node:crypto';
import { appendFile, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeChunksAtomic, writeFileAtomic } from './io.js';
import type { DocumentAnalysis } from './analyse.js';

/** What the corpus-level steps need of a document, kept in memory for the whole build (the rest stays on disk). */
export type AnalysisSummary = Omit<DocumentAnalysis, 'text' | 'paragraphs' | 'removed' | 'diagnostics'> & {
  textLength: number;
  paragraphCount: number;
  removedCount: number;
};

export const summarise = (a: DocumentAnalysis): AnalysisSummary => {
  const { text, paragraphs, removed, diagnostics: _d, ...rest } = a;
  return { ...rest, textLength: text.length, paragraphCount: paragraphs.length, removedCount: removed.length };
};

/**
 * A content-addressed store of per-document analyses. The key covers everything an analysis depends on, so an
 * entry is either exactly right or never looked up: no invalidation logic beyond the key.
 *
 * Full analyses live one file per key (read back only when a record has to be written); the summaries of the last
 * build live together in one JSON-lines file, so a warm build reads one file instead of one per document.
 */
export class AnalysisCache {
  private summaries = new Map<string, string>();
  private storedKeys = new Set<string>();
  private summariesEndWithNewline = true;

  constructor(readonly dir: string) {}

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

  /** Written by the worker that produced the analysis, so the main thread never holds the full text. */
  async putFull(key: string, analysis: DocumentAnalysis): Promise<AnalysisSummary> {
    await writeFileAtomic(this.fullPath(key), JSON.stringify(analysis));
    return summarise(analysis);
  }

  async full(key: string): Promise<DocumentAnalysis | null> {
    return readJson<DocumentAnalysis>(this.fullPath(key));
  }

  /** Loads the summaries earlier builds saved.  */
  async loadSummaries(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.summariesPath(), 'utf8');
    } catch {
      return;
    }
    this.summariesEndWithNewline = text.endsWith('\n');
    for (const line of text.split('\n')) {
      const tab = line.indexOf('\t');
      // A later line for the same key wins; a torn line (a build killed mid-append) fails to parse: a cache miss.
      if (tab === 64) this.summaries.set(line.slice(0, 64), line.slice(65));
    }
    this.storedKeys = new Set(this.summaries.keys());
  }

  /** The raw lines are only needed until every document has been looked up. */
  releaseSummaries(): void {
    this.summaries.clear();
  }

  summary(key: string): AnalysisSummary | null {
    const line = this.summaries.get(key);
    if (!line) return null;
    try {
      return JSON.parse(line) as AnalysisSummary;
    } catch {
      return null;
    }
  }

  /**
   * The summaries file is a log: a build appends the summaries it computed, so adding one document to a large corpus
   * writes one line instead of the whole file. Once most of its lines belong to documents no longer in the corpus,
   * it is rewritten with only the current ones.
   */
  async saveSummaries(entries: readonly [string, AnalysisSummary][]): Promise<void> {
    const live = new Set(entries.map(([key]) => key));
    let stale = 0;
    for (const key of this.storedKeys) if (!live.has(key)) stale++;
    const fresh = entries.filter(([key]) => !this.storedKeys.has(key));
    const line = ([key, summary]: [string, AnalysisSummary]) => `${key}\t${JSON.stringify(summary)}\n`;
    if (this.storedKeys.size && stale <= live.size) {
      if (!fresh.length) return;
      const block = fresh.map(line).join('');
      await appendFile(this.summariesPath(), this.summariesEndWithNewline ? block : `\n${block}`);
      return;
    }
    await writeChunksAtomic(this.summariesPath(), entries.map(line));
  }

  private summariesPath() {
    return join(this.dir, 'summaries.jsonl');
  }

  /** Small named state files (last build's inputs and outputs), so an incremental build can skip unchanged work. */
  async readState<T>(name: string): Promise<T | null> {
    return readJson<T>(join(this.dir, `${name}.json`));
  }

  async writeState(name: string, value: unknown): Promise<void> {
    await writeFileAtomic(join(this.dir, `${name}.json`), JSON.stringify(value));
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
