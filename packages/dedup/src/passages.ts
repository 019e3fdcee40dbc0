import type { Paragraph } from '@corpus/schema';
import { hash64Hex } from './hash.js';
import { type DedupParameters, resolveParameters } from './params.js';
import { lineKey, words } from './text.js';

/** One unit of a source: a body paragraph, or a trimmed non-empty source line outside the body. */
export interface PassageEntry {
  /** 64-bit key (hex) of the normalised text: equal keys are the same passage. */
  hash: string;
  /** UTF-16 offsets into the decoded source. */
  start: number;
  end: number;
  inBody: boolean;
  words: number;
  /** Index into the document's paragraphs when the unit is a body paragraph (its text lives there). */
  paragraph?: number;
  /**
   * Kept only where nothing else gives it back: on the first occurrence of a unit repeated in this
   * document, and on HTML lines (whose source slice is markup). Otherwise the text is the record's
   * paragraph, or the source slice `start..end`.
   */
  text?: string;
}

/** Per-document, cacheable. */
export interface DocumentPassages {
  documentId: string;
  passages: PassageEntry[];
}

export interface PassageOptions {
  /** 'text/html' reads the visible text of each source line (tags dropped, common entities decoded). */
  mediaType?: string;
  /** `minPassageWords` decides which units are kept: only those can be shared across documents. */
  params?: Partial<DedupParameters>;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
const visibleHtml = (line: string) =>
  line
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) =>
      e[0] === '#' ? String.fromCodePoint(parseInt(e[1] === 'x' || e[1] === 'X' ? e.slice(2) : e.slice(1), e[1] === 'x' || e[1] === 'X' ? 16 : 10)) : ENTITIES[e.toLowerCase()] ?? m)
    .replace(/\s+/g, ' ')
    .trim();

const keyHash = (s: string) => hash64Hex(lineKey(s));

/**
 * Units of one document. Body paragraphs are units of their own (so a paragraph wrapped over several
 * source lines still matches its copy elsewhere); every other trimmed non-empty line is a unit, which
 * is what a menu rendered twice repeats. Kept: units repeated here, and units long enough to be
 * reported across documents (a short line that occurs once can never be reported).
 */
export function documentPassages(
  documentId: string,
  source: string,
  paragraphs: readonly Pick<Paragraph, 'text' | 'source'>[],
  options: PassageOptions = {},
): DocumentPassages {
  const html = /html/i.test(options.mediaType ?? '');
  const { minPassageWords } = resolveParameters(options.params);
  const body = paragraphs.map((p, i) => ({ p, i })).sort((a, b) => a.p.source.start - b.p.source.start);
  const units: (PassageEntry & { fullText: string })[] = body.map(({ p, i }) => ({
    hash: keyHash(p.text),
    start: p.source.start,
    end: p.source.end,
    inBody: true,
    words: words(p.text).length,
    paragraph: i,
    fullText: p.text,
  }));
  let offset = 0;
  let k = 0;
  for (const line of source.split('\n')) {
    const lineStart = offset;
    offset += line.length + 1;
    const trimmed = line.trim();
    if (!trimmed) continue;
    const start = lineStart + line.indexOf(trimmed);
    const end = start + trimmed.length;
    while (k < body.length && body[k].p.source.end <= start) k++;
    // Lines inside a body paragraph are represented by that paragraph.
    let covered = false;
    for (let idx = k; idx < body.length && body[idx].p.source.start < end; idx++) if (body[idx].p.source.end > start) covered = true;
    if (covered) continue;
    const text = html ? visibleHtml(trimmed) : trimmed;
    if (!text) continue;
    units.push({ hash: keyHash(text), start, end, inBody: false, words: words(text).length, ...(html ? { text } : {}), fullText: text });
  }
  units.sort((a, b) => a.start - b.start);
  const seen = new Map<string, number>();
  for (const u of units) seen.set(u.hash, (seen.get(u.hash) ?? 0) + 1);
  const passages: PassageEntry[] = [];
  const named = new Set<string>();
  for (const { fullText, ...u } of units) {
    const repeated = (seen.get(u.hash) ?? 0) > 1;
    if (!repeated && u.words < minPassageWords) continue;
    if (repeated && !named.has(u.hash)) {
      named.add(u.hash);
      passages.push({ ...u, text: fullText });
    } else passages.push(u);
  }
  return { documentId, passages };
}
