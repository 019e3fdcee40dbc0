import type { MetadataOverrides } from '@corpus/schema';
import { markdownBlocks, textBlocks } from './blocks.js';
import type { Block } from './classify.js';
import { lineKey } from './text.js';
import { splitPageTitle } from './title.js';

/**
 * What a build needs of a source before cleaning, to learn a site's chrome across documents. This module loads none
 * of cleaning's heavier parts (date parsing, language detection, HTML parsing), so a build can profile its inputs
 * without them: `@corpus/clean/profile`.
 */
export interface SourceProfile {
  siteKey: string | null;
  lineKeys: string[];
}

/** What an HTML parser gives a profile: the page's blocks, and the metadata that names its site. */
export type HtmlProfiler = (source: string) => { blocks: Block[]; meta: { url?: string | null; publisher?: string | null; pageTitle?: string | null } };

export const mediaKind = (mediaType: string | undefined): 'html' | 'markdown' | 'text' => {
  if (mediaType === 'text/html' || mediaType === 'application/xhtml+xml') return 'html';
  if (mediaType === 'text/markdown' || mediaType === 'text/x-markdown') return 'markdown';
  return 'text';
};

const hostOf = (url: unknown): string | null => {
  if (typeof url !== 'string') return null;
  try { return new URL(url).hostname.replace(/^www\./, '').toLowerCase(); } catch { return null; }
};

/**
 * A source's blocks by its media type: HTML's through `parseHtml` (with the page's metadata), Markdown's without its
 * front matter (whose offsets come along). Pathological markup (nesting deeper than the stack, say) is read as a text
 * dump.
 */
export function sourceBlocks<Meta>(
  source: string,
  mediaType: string | undefined,
  parseHtml: ((source: string) => { blocks: Block[]; meta: Meta }) | null,
): { blocks: Block[]; html: Meta | null; fm: { start: number; end: number } | null } {
  const kind = mediaKind(mediaType);
  if (kind === 'html') {
    if (!parseHtml) throw new Error('reading HTML needs an HTML parser (sourceProfile in @corpus/clean passes it)');
    try {
      const h = parseHtml(source);
      return { blocks: h.blocks, html: h.meta, fm: null };
    } catch {
      return { blocks: textBlocks(source), html: null, fm: null };
    }
  }
  if (kind === 'markdown') {
    const m = markdownBlocks(source);
    return { blocks: m.blocks, html: null, fm: m.frontMatter };
  }
  return { blocks: textBlocks(source), html: null, fm: null };
}

/**
 * The profile of a source: its site (from a URL, a publisher, or a page-title suffix) and the keys of its lines. HTML
 * needs `parseHtml` (`sourceProfile` in `@corpus/clean` passes it).
 */
export function profileOf(source: string, mediaType: string, overrides: MetadataOverrides, parseHtml: HtmlProfiler | null): SourceProfile {
  const { blocks, html } = sourceBlocks(source, mediaType, parseHtml);
  let siteKey = hostOf(overrides.url) ?? hostOf(html?.url);
  if (!siteKey && overrides.publisher) siteKey = `publisher:${overrides.publisher.toLowerCase()}`;
  if (!siteKey && html?.publisher) siteKey = `publisher:${html.publisher.toLowerCase()}`;
  if (!siteKey) {
    // text dumps: the page-title suffix ("… | Publisher") names the site
    const pt = html?.pageTitle ? splitPageTitle(html.pageTitle) : blocks[0] ? splitPageTitle(blocks[0].text) : null;
    if (pt) siteKey = `publisher:${pt.site.toLowerCase()}`;
  }
  const lineKeys = [...new Set(blocks.map((b) => lineKey(b.text)).filter((k) => k && k.length <= 300))].sort();
  return { siteKey, lineKeys };
}

/**
 * Lines that occur in at least `minDocuments` documents of one site, and in at least a quarter of that site's
 * documents, are chrome of that site. Deterministic: depends only on the set of profiles.
 */
export function learnSiteChrome(profiles: readonly SourceProfile[], minDocuments = 3): Map<string, Set<string>> {
  const counts = new Map<string, Map<string, number>>();
  const docs = new Map<string, number>();
  for (const p of profiles) {
    if (!p.siteKey) continue;
    docs.set(p.siteKey, (docs.get(p.siteKey) ?? 0) + 1);
    const site = counts.get(p.siteKey) ?? new Map<string, number>();
    counts.set(p.siteKey, site);
    for (const k of new Set(p.lineKeys)) site.set(k, (site.get(k) ?? 0) + 1);
  }
  const out = new Map<string, Set<string>>();
  for (const [site, lines] of counts) {
    const need = Math.max(minDocuments, Math.ceil(0.25 * (docs.get(site) ?? 0)));
    const chrome = new Set([...lines].filter(([, n]) => n >= need).map(([k]) => k).sort());
    if (chrome.size) out.set(site, chrome);
  }
  return out;
}
