import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { toJson, writeFileAtomic } from './io.js';
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
 */
export class AnalysisCache {
  constructor(readonly dir: string) {}

  static key(parts: {
    pipelineVersion: string;
    sha256: string;
    mediaType: string;
    overrides: unknown;
    siteChrome: readonly string[];
  }): string {
    const h = createHash('sha256');
    h.update(parts.pipelineVersion).update('\0').update(parts.sha256).update('\0').update(parts.mediaType).update('\0');
    h.update(JSON.stringify(parts.overrides ?? {})).update('\0');
    for (const line of parts.siteChrome) h.update(line).update('\n');
    return h.digest('hex');
  }

  private path(key: string, kind: 'full' | 'summary') {
    return join(this.dir, 'analyses', key.slice(0, 2), `${key}.${kind}.json`);
  }

  async put(key: string, analysis: DocumentAnalysis): Promise<AnalysisSummary> {
    const summary = summarise(analysis);
    await writeFileAtomic(this.path(key, 'full'), JSON.stringify(analysis));
    await writeFileAtomic(this.path(key, 'summary'), JSON.stringify(summary));
    return summary;
  }

  async summary(key: string): Promise<AnalysisSummary | null> {
    return readJson<AnalysisSummary>(this.path(key, 'summary'));
  }

  async full(key: string): Promise<DocumentAnalysis | null> {
    return readJson<DocumentAnalysis>(this.path(key, 'full'));
  }

  /** Small named state files (last build's outputs, profiles), so an incremental build can skip unchanged work. */
  async readState<T>(name: string): Promise<T | null> {
    return readJson<T>(join(this.dir, `${name}.json`));
  }

  async writeState(name: string, value: unknown): Promise<void> {
    await writeFileAtomic(join(this.dir, `${name}.json`), toJson(value, 0));
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
