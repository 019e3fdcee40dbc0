import type { DocumentMetadata, MetadataOverrides, Paragraph, RemovedSpan } from '@corpus/schema';
import { franc } from 'franc';
import type { Root as NlcstRoot } from 'nlcst';
import type { Plugin } from 'unified';
import { VFile } from 'vfile';
import { location } from 'vfile-location';
import { matter } from 'vfile-matter';
import { classify, splitPageTitle, type Block, type Favor, type MetaSignals } from './classify.js';
import { findDate } from './dates.js';
import { parseHtml, type HtmlMeta } from './html.js';
import { EnglishParser } from './parse.js';
import { data } from './data.js';
import { learnSiteChrome, mediaKind, profileOf, sourceBlocks, type SourceProfile } from './profile.js';
import { BULLET, bodyWords, countWords, isPersonName, lineKey, nameCase, stopMasks, type BodyWords } from './text.js';

export const CLEAN_VERSION = 'clean-1.15.3';
export { lineKey, findDate, learnSiteChrome, type SourceProfile };
export type { Favor };

export interface CleanOptions {
  /**
   * 'precision' keeps only clearly article-like prose (fewer false keeps, may lose short paragraphs);
   * 'recall' keeps borderline blocks (short lines inside the article, prose far from the main run);
   * 'balanced' (default) sits between, tuned on varied news pages.
   */
  favor?: Favor;
}

export interface CleanInput {
  mediaType?: string;
  overrides?: MetadataOverrides;
  siteChrome?: ReadonlySet<string>;
  favor?: Favor;
}

export interface Decision {
  ruleId: string;
  message: string;
  start: number;
  end: number;
}

export interface CleanResult {
  text: string;
  paragraphs: Paragraph[];
  removed: RemovedSpan[];
  metadata: DocumentMetadata;
  /** One entry per decision worth explaining: every removal, every heading kept, every metadata field found. */
  decisions: Decision[];
}

const ISO639: Record<string, string> = {
  eng: 'en', ita: 'it', deu: 'de', fra: 'fr', spa: 'es', rus: 'ru', por: 'pt', nld: 'nl', pol: 'pl', swe: 'sv', dan: 'da', nob: 'no', nno: 'no',
  fin: 'fi', ces: 'cs', slk: 'sk', hun: 'hu', ron: 'ro', bul: 'bg', ukr: 'uk', ell: 'el', tur: 'tr', ara: 'ar', heb: 'he', cmn: 'zh', jpn: 'ja',
  kor: 'ko', hin: 'hi', ind: 'id', vie: 'vi', cat: 'ca', hrv: 'hr', srp: 'sr', slv: 'sl', lit: 'lt', lav: 'lv', est: 'et', kaz: 'kk', pes: 'fa',
};
// franc's long tail (Scots, Interlingua...) misfires on short news text; restrict to widely published languages
const FRANC_ONLY = Object.keys(ISO639);
/** A block as the language sample reads it: its text, and its words' counts against the shipped stop lists. */
interface SampleBlock {
  text: string;
  /** A numeric bullet ("1.") is a word of the text, though not of the block's body. */
  lead: string | null;
  body: BodyWords;
}

/**
 * Language of a prose sample: the first 2,000 characters of the blocks' texts joined by `sep` (plenty).
 * Function words settle most documents at once: when one shipped stop list covers a quarter of the words and twice
 * as many as any other, that is the language (franc's trigram model, which costs a few milliseconds per call,
 * decides the rest). Whole blocks count through their words' stop-list counts, taken once per document: newlines
 * never join two words, so the joined text has exactly the blocks' words.
 */
function detectLanguage(parts: readonly SampleBlock[], sep: string): { lang: string; method: 'stopwords' | 'franc' } | null {
  const { langs, mask } = stopMasks();
  const hits = new Array<number>(langs.length).fill(0);
  let n = 0;
  const add = (m: number) => {
    n++;
    for (let k = 0; m; k++, m >>>= 1) if (m & 1) hits[k]++;
  };
  let room = 2000;
  for (let p = 0; p < parts.length && room > 0; p++) {
    if (p && (room -= sep.length) <= 0) break;
    const b = parts[p];
    if (b.text.length <= room) {
      if (b.lead !== null) add(mask.get(b.lead) ?? 0);
      n += b.body.n;
      for (let k = 0; k < hits.length; k++) hits[k] += b.body.stops[k];
      room -= b.text.length;
    } else {
      for (const w of bodyWords(b.text.slice(0, room)).forms) add(mask.get(w) ?? 0);
      room = 0;
    }
  }
  if (n >= 40) {
    let best: [string, number] = ['', 0];
    let second = 0;
    for (let k = 0; k < langs.length; k++) {
      const density = hits[k] / n;
      if (density > best[1]) [second, best] = [best[1], [langs[k], density]];
      else if (density > second) second = density;
    }
    if (best[1] >= 0.25 && best[1] >= 2 * second) return { lang: best[0], method: 'stopwords' };
  }
  const sample = parts.map((b) => b.text).join(sep).slice(0, 2000);
  const l = franc(sample, { minLength: 20, only: FRANC_ONLY });
  return l === 'und' ? null : { lang: ISO639[l] ?? l, method: 'franc' };
}

export function sourceProfile(source: string, mediaType: string, overrides: MetadataOverrides = {}): SourceProfile {
  return profileOf(source, mediaType, overrides, parseHtml);
}

interface FrontMatter { title?: string; authors: string[]; published?: string; publisher?: string; language?: string; url?: string }
function readFrontMatter(source: string): FrontMatter {
  const out: FrontMatter = { authors: [] };
  const f = new VFile(source);
  try { matter(f); } catch { return out; }
  const m = (f.data.matter ?? {}) as Record<string, unknown>;
  const str = (...ks: string[]) => { for (const k of ks) { const v = m[k]; if (typeof v === 'string' && v.trim()) return v.trim(); if (v instanceof Date) return v.toISOString(); } return undefined; };
  out.title = str('title', 'headline');
  for (const k of ['authors', 'author', 'byline', 'creator']) {
    const v = m[k];
    const list = Array.isArray(v) ? v : v ? [v] : [];
    for (const a of list) {
      const n = typeof a === 'string' ? a : a && typeof a === 'object' && typeof (a as { name?: unknown }).name === 'string' ? (a as { name: string }).name : null;
      if (n) for (const part of n.split(/\s*(?:,|\band\b|&)\s*/)) if (part.trim()) out.authors.push(nameCase(part.trim().replace(/^by\s+/i, '')));
    }
    if (out.authors.length) break;
  }
  const d = str('date', 'published', 'pubDate', 'publishDate', 'datePublished', 'created');
  if (d) out.published = findDate(d, null)?.iso;
  out.publisher = str('publisher', 'site', 'site_name', 'siteName', 'source');
  out.language = str('lang', 'language', 'locale')?.slice(0, 2).toLowerCase();
  out.url = str('url', 'canonical_url', 'canonical', 'link');
  return out;
}

/** The whole stage as a pure function: source in, cleaned body + removals + metadata out. */
export function cleanDocument(source: string, input: CleanInput = {}): CleanResult {
  const kind = mediaKind(input.mediaType);
  const { blocks, html, fm } = sourceBlocks(source, input.mediaType, parseHtml);
  const front = kind === 'markdown' && fm ? readFrontMatter(source) : null;
  // the language of the prose decides which stop list measures "prose-ness"
  // each block is tokenised once, without its bullet, and classify reuses the words' forms and counts; a numeric
  // counter ("1.") is the one bullet that is itself a word, so it is added back to count the words of the line as
  // written
  const body = blocks.map((b) => bodyWords(b.text.replace(BULLET, '')));
  const sampleOf = blocks.map((b, i): SampleBlock => {
    const c0 = b.text.charCodeAt(0);
    const lead = c0 >= 48 && c0 <= 57 && BULLET.test(b.text) ? /^\d+/.exec(b.text)![0] : null;
    return { text: b.text, lead, body: body[i] };
  });
  const proseLanguage = detectLanguage(sampleOf.filter((x) => x.body.n + (x.lead === null ? 0 : 1) >= 12), '\n');
  const lang0 = proseLanguage?.lang ?? html?.lang ?? front?.language ?? null;
  const { decisions, meta } = classify(blocks, { favor: input.favor, lang: lang0, siteChrome: input.siteChrome, pageTitleLine: kind === 'text', body });

  const paragraphs: Paragraph[] = [];
  const removed: RemovedSpan[] = [];
  const log: Decision[] = [];
  let text = '';
  if (fm) {
    removed.push({ start: fm.start, end: fm.end, text: source.slice(fm.start, fm.end).trim(), ruleId: 'front-matter', reason: 'YAML front matter (read into metadata)', role: 'other' });
    log.push({ ruleId: 'front-matter', message: 'removed (front-matter): YAML front matter read into metadata', start: fm.start, end: fm.end });
  }
  blocks.forEach((b, i) => {
    const d = decisions[i];
    if (d.keep) {
      if (text) text += '\n\n';
      paragraphs.push({ text: b.text, start: text.length, end: text.length + b.text.length, kind: d.kind, source: { start: b.start, end: b.end } });
      text += b.text;
      if (d.kind === 'heading') log.push({ ruleId: 'heading', message: `kept as heading: ${b.text.slice(0, 60)}`, start: b.start, end: b.end });
    } else {
      removed.push({ start: b.start, end: b.end, text: b.text, ruleId: d.ruleId, reason: d.reason, role: d.role });
      log.push({ ruleId: d.ruleId, message: `removed (${d.ruleId}, ${d.role}): ${d.reason} — "${b.text.slice(0, 60)}"`, start: b.start, end: b.end });
    }
  });

  // The kept body is the better sample; failing that, the prose sample; then the page's own declaration.
  const detected = detectLanguage(blocks.flatMap((b, i) => (decisions[i].keep ? [sampleOf[i]] : [])), '\n\n') ?? proseLanguage;
  const metadata = mergeMetadata(meta, html, front, input.overrides ?? {}, detected?.lang ?? null, detected?.method ?? 'franc');
  for (const [field, method] of Object.entries(metadata.methods)) {
    const v = (metadata as unknown as Record<string, unknown>)[field];
    log.push({ ruleId: `meta-${field}`, message: `${field} = ${JSON.stringify(v)} (${method})`, start: 0, end: 0 });
  }
  return { text, paragraphs, removed, metadata, decisions: log };
}

function mergeMetadata(sig: MetaSignals, html: HtmlMeta | null, front: FrontMatter | null, over: MetadataOverrides, lang: string | null, langMethod: string): DocumentMetadata {
  const methods: Record<string, string> = {};
  const pick = <T>(field: string, ...cands: [T | null | undefined, string][]): T | null => {
    for (const [v, m] of cands) {
      if (v === null || v === undefined || (Array.isArray(v) && !v.length) || v === '') continue;
      methods[field] = m;
      return v;
    }
    return null;
  };
  const pageTitle = html?.pageTitle ? html.pageTitle.split(/\s(?:\||–|—|::)\s/)[0].trim() : null;
  const pageSite = html?.pageTitle ? /\s(?:\||–|—|::)\s([^|–—]{2,40})$/.exec(html.pageTitle)?.[1]?.trim() : null;
  const title = pick<string>('title',
    [over.title, 'sidecar'], [front?.title, 'front-matter'], [html?.titleMethod === 'json-ld' ? html.title : null, 'json-ld'],
    [sig.title?.value, sig.title?.method ?? ''], [html?.title ? html.title.split(/\s(?:\||–|—|::)\s/)[0].trim() : null, html?.titleMethod ?? ''], [pageTitle, 'html-title']);
  const authors = pick<string[]>('authors',
    [over.authors, 'sidecar'], [front?.authors.filter((a) => isPersonName(a)), 'front-matter'], [html?.authors, html?.authorsMethod ?? ''], [sig.authors?.value, sig.authors?.method ?? '']) ?? [];
  const published = pick<string>('published',
    [over.published, 'sidecar'], [front?.published, 'front-matter'], [html?.published, html?.publishedMethod ?? ''], [sig.published?.value, sig.published?.method ?? '']);
  const publisher = pick<string>('publisher',
    [over.publisher, 'sidecar'], [front?.publisher, 'front-matter'], [html?.publisher, html?.publisherMethod ?? ''], [pageSite && countWords(pageSite) <= 5 ? pageSite : null, 'html-title-suffix'], [sig.publisher?.value, sig.publisher?.method ?? '']);
  const language = pick<string>('language', [over.language, 'sidecar'], [lang, langMethod], [html?.lang, 'html-lang'], [front?.language, 'front-matter']);
  const url = pick<string>('url', [over.url, 'sidecar'], [front?.url, 'front-matter'], [html?.url, 'html-canonical']);
  return { title, authors, publisher, published, language, url, methods };
}

/** unified plugin: raw source in, cleaned body on `file.data`, nlcst tree of the body out. */
const cleanSource: Plugin<[CleanOptions?], { type: 'root' }, NlcstRoot> = function (this: unknown, options?: CleanOptions) {
  const self = this as { parser?: unknown };
  if (!self.parser) self.parser = (_doc: string) => ({ type: 'root', children: [] });
  return (_tree: unknown, file: VFile): NlcstRoot => {
    const source = String(file.value);
    const r = cleanDocument(source, {
      mediaType: file.data.mediaType,
      overrides: file.data.metadataOverrides,
      siteChrome: file.data.siteChrome,
      favor: options?.favor,
    });
    const loc = location(file);
    // VFileMessage is an Error: each one would capture a stack trace that its constructor then discards (it sets
    // `stack` to ''), so capture none while reporting
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      for (const d of r.decisions) {
        const start = loc.toPoint(d.start), end = loc.toPoint(d.end);
        file.message(d.message, { ruleId: d.ruleId, source: 'corpus-clean', place: start && end && d.end > d.start ? { start, end } : undefined });
      }
    } finally {
      Error.stackTraceLimit = limit;
    }
    file.data.text = r.text;
    file.data.paragraphs = r.paragraphs;
    file.data.removed = r.removed;
    file.data.metadata = r.metadata;
    return new EnglishParser().parse(r.text);
  };
};

export default cleanSource;
