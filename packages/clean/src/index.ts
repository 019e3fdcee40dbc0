import type { Paragraph, RemovedSpan, DocumentMetadata, MetadataOverrides } from '@corpus/schema';
import type { Root as NlcstRoot } from 'nlcst';
import { ParseEnglish } from 'parse-english';
import type { Plugin } from 'unified';
import type { VFile } from 'vfile';
import { franc } from 'franc';

export const CLEAN_VERSION = 'clean-0.1.0';

export interface CleanOptions {
  /** 'precision' drops borderline blocks, 'recall' keeps them. */
  favor?: 'balanced' | 'precision' | 'recall';
}

/** What the corpus needs to know about a source before cleaning, to learn a site's chrome across documents. */
export interface SourceProfile {
  siteKey: string | null;
  lineKeys: string[];
}

export const lineKey = (line: string): string => line.trim().toLowerCase().replace(/\s+/g, ' ');

export function sourceProfile(source: string, _mediaType: string, overrides: MetadataOverrides = {}): SourceProfile {
  let siteKey: string | null = null;
  if (overrides.url) {
    try { siteKey = new URL(overrides.url).hostname.replace(/^www\./, ''); } catch { siteKey = null; }
  }
  const lineKeys = [...new Set(source.split(/\r?\n/).map(lineKey).filter(Boolean))].sort();
  return { siteKey, lineKeys };
}

/** Lines that occur in at least `minDocuments` documents of the same site are chrome. */
export function learnSiteChrome(profiles: readonly SourceProfile[], minDocuments = 3): Map<string, Set<string>> {
  const counts = new Map<string, Map<string, number>>();
  for (const p of profiles) {
    if (!p.siteKey) continue;
    const site = counts.get(p.siteKey) ?? new Map<string, number>();
    counts.set(p.siteKey, site);
    for (const k of p.lineKeys) site.set(k, (site.get(k) ?? 0) + 1);
  }
  const out = new Map<string, Set<string>>();
  for (const [site, lines] of counts) {
    const chrome = new Set([...lines].filter(([, n]) => n >= minDocuments).map(([k]) => k));
    if (chrome.size) out.set(site, chrome);
  }
  return out;
}

const ISO639: Record<string, string> = { eng: 'en', ita: 'it', deu: 'de', fra: 'fr', spa: 'es', rus: 'ru', por: 'pt', nld: 'nl' };

/** unified plugin: raw source in, cleaned body on `file.data`, nlcst tree of the body out. */
const cleanSource: Plugin<[CleanOptions?], { type: 'root' }, NlcstRoot> = function (this: any) {
  if (!this.parser) this.parser = (_doc: string) => ({ type: 'root', children: [] });
  return (_tree: unknown, file: VFile): NlcstRoot => {
    const source = String(file.value);
    const paragraphs: Paragraph[] = [];
    const removed: RemovedSpan[] = [];
    const chrome = file.data.siteChrome ?? new Set<string>();
    let text = '';
    let offset = 0;
    for (const line of source.split('\n')) {
      const start = offset;
      offset += line.length + 1;
      const trimmed = line.trim();
      if (!trimmed) continue;
      const s = start + line.indexOf(trimmed);
      const e = s + trimmed.length;
      const words = trimmed.split(/\s+/).length;
      const reason = chrome.has(lineKey(trimmed))
        ? 'repeated-in-site'
        : words < 8 || !/[.!?:"”)]$/.test(trimmed)
          ? 'short-line'
          : null;
      if (reason) {
        removed.push({ start: s, end: e, text: trimmed, ruleId: reason, reason: `${words} words` });
        file.message(`removed (${reason}): ${trimmed.slice(0, 40)}`, { ruleId: reason, source: 'corpus-clean' });
        continue;
      }
      if (text) text += '\n\n';
      paragraphs.push({ text: trimmed, start: text.length, end: text.length + trimmed.length, kind: 'paragraph', source: { start: s, end: e } });
      text += trimmed;
    }
    const over = file.data.metadataOverrides ?? {};
    const lang = franc(text, { minLength: 20 });
    const metadata: DocumentMetadata = {
      title: over.title ?? null,
      authors: over.authors ?? [],
      publisher: over.publisher ?? null,
      published: over.published ?? null,
      language: over.language ?? (lang === 'und' ? null : (ISO639[lang] ?? lang)),
      url: over.url ?? null,
      methods: {},
    };
    file.data.text = text;
    file.data.paragraphs = paragraphs;
    file.data.removed = removed;
    file.data.metadata = metadata;
    return new ParseEnglish().parse(text);
  };
};

export default cleanSource;
