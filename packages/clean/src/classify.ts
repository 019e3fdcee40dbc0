import type { RemovedSpan } from '@corpus/schema';
import { data, type Cue } from './data.js';
import { datelineDate, findDate } from './dates.js';
import { splitPageTitle } from './title.js';
import { BULLET, bodyWords, countWords, cueForm, cueFormOfLower, deglue, endsSentence, isPersonName, lineKey, nameCase, squeezeSpace, stopDensity, stopListFor, tokens, type BodyWords } from './text.js';

export type Role = NonNullable<RemovedSpan['role']>;
export type Favor = 'balanced' | 'precision' | 'recall';

/** One candidate paragraph: a source line (text dumps), a Markdown block, or a leaf block element (HTML). */
export interface Block {
  text: string;
  /** Source offsets of the block (UTF-16, into the decoded source). */
  start: number;
  end: number;
  bullet: boolean;
  /** A blank line separates this block from the previous one. */
  blankBefore: boolean;
  /** Structural hints from HTML/Markdown. */
  heading?: number;
  tag?: string;
  linkDensity?: number;
  /** Chrome role known from the DOM (inside <nav>, <footer>, class="share"...), with the rule that found it. */
  dom?: { role: Role; ruleId: string; reason: string } | null;
  /** Inside the element that holds the article (<article>, <main>, articleBody). */
  inArticle?: boolean;
}

export interface Decision {
  keep: boolean;
  kind: 'paragraph' | 'heading';
  ruleId: string;
  role: Role;
  reason: string;
}

export interface Found<T> {
  value: T;
  method: string;
}

export interface MetaSignals {
  title: Found<string> | null;
  authors: Found<string[]> | null;
  published: Found<string> | null;
  publisher: Found<string> | null;
}

export interface ClassifyOptions {
  favor?: Favor;
  lang: string | null;
  siteChrome?: ReadonlySet<string>;
  /** Whether the first block may be an HTML-style page title ("Headline | Publisher"). */
  pageTitleLine?: boolean;
  /** `bodyWords` of each block without its bullet, when the caller has them. */
  body?: BodyWords[];
}

const TUNING = {
  // precision shares balanced's idea of prose and of the article's extent (so the two stay comparable) and then
  // drops the borderline blocks inside it; recall loosens the prose test and keeps more around it
  precision: { goodWords: 10, goodStop: 0.2, gap: 4, keepBefore: true, afterMinWords: 30 },
  balanced: { goodWords: 10, goodStop: 0.2, gap: 4, keepBefore: true, afterMinWords: 30 },
  recall: { goodWords: 7, goodStop: 0.15, gap: 6, keepBefore: true, afterMinWords: 12 },
};

interface Feat {
  /** The words in stop-list form (`stopForm`). */
  low: string[];
  n: number;
  stop: number;
  endS: boolean;
  cue: string;
  upperRatio: number;
}

const ICON_HINT = /[-_]|svg|\+xml/;
const WRITES = ['writes', 'says', 'reports', 'argues', 'explains'];
/** "…, writes Jane Doe." at the end of a block: the verbs above, then a capitalised name of two to four words. */
const WRITES_BYLINE = new RegExp(`(?:,|—|–)?\\s*(?:${WRITES.join('|')})\\s+(\\p{Lu}[\\p{L}'’.-]+(?:\\s+\\p{Lu}[\\p{L}'’.-]+){1,3})\\.?$`, 'u');
const ROW_SEPARATOR = /\s[|·•\-–\/]\s|\s{3,}/g;
const WIDGET = /^(?:[a-z]+-widget|link-dense|class-(?:advert|related|share|newsletter|caption|embed)|dom-(?:figure|aside)|advert|caption|icon-glyph|inline-link|share|newsletter|embed)$/;
const NAVISH = new Set(['nav-run', 'nav-row', 'skip-link', 'search-form', 'login', 'lang-switch', 'breadcrumb', 'repeated-in-site', 'dom-nav', 'link-dense', 'icon-names', 'icon-glyph']);
const PROMO_START = /^(?:sign up|subscribe|follow|download|join|get|support|click|visit|register|donate|try|discover|learn more|find out)\b/i;
const SECOND_PERSON = /\b(?:you|your|yours|yourself)\b/gi;
const POSSESSIVE_BRAND = /^(\p{Lu}[\p{L}\p{N}&.-]*(?:\s\p{Lu}[\p{L}\p{N}&.-]*){0,3})['’]s\s/u;
const BY_WORDS = new Set(['by', 'von', 'di', 'de', 'par', 'por']);
const BYLINE_PREFIX = /^(?:(?:by|written by|words by|von|di|a cura di|par|por|door|av|de)\s+|(?:author|autore|autor|autora|auteur|autrice)\s?:\s*)(.+)$/i;

let creditRe: RegExp | null = null;
/** Matches where any photo-credit phrase occurs (rules out most lines before a search per phrase). */
function creditPattern(): RegExp {
  if (!creditRe) creditRe = new RegExp(data().cues.photoCredit.map(escapeRe).join('|') || '$^');
  return creditRe;
}
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface CompiledCues {
  line: Map<string, number>;
  start: Map<string, number>;
  /** `strong`: a cookie or footer cue, which applies even to a long sentence. */
  contains: { phrase: string; idx: number; maxWords: number; strong: boolean }[];
  /**
   * Whether any 'contains' phrase that can apply to a block occurs in it: one scan rules out most blocks before a
   * search per phrase. Indexed by `proseException` (0/1), then by the smallest `maxWords` the block's length allows
   * (its index in `containsLimits`); built when first needed.
   */
  anyContained: (RegExp | null | undefined)[][];
  /** The distinct `maxWords` of 'contains' cues, ascending. */
  containsLimits: number[];
  /** The first words (up to the first space) of the 'start' phrases. */
  startFirst: Set<string>;
  /** Longest 'line' and 'start' phrases: a longer key cannot be in those maps (and need not be hashed). */
  maxLine: number;
  maxStart: number;
}
let compiled: CompiledCues | null = null;
/** Phrase tables compiled once into maps, so matching a block costs a few lookups, not a scan of every phrase. */
function compileCues(cues: Cue[]): CompiledCues {
  if (compiled) return compiled;
  const c: CompiledCues = { line: new Map(), start: new Map(), startFirst: new Set(), contains: [], anyContained: [[], []], containsLimits: [], maxLine: 0, maxStart: 0 };
  cues.forEach((cue, idx) => {
    for (const p of cue.phrases) {
      if (cue.match === 'contains') c.contains.push({ phrase: p, idx, maxWords: cue.maxWords ?? 99, strong: /cookie|footer/.test(cue.ruleId) });
      else {
        const m = cue.match === 'line' ? c.line : c.start;
        if (!m.has(p)) m.set(p, idx);
      }
    }
  });
  c.containsLimits = [...new Set(c.contains.map((x) => x.maxWords))].sort((a, b) => a - b);
  for (const k of c.line.keys()) c.maxLine = Math.max(c.maxLine, k.length);
  for (const k of c.start.keys()) c.maxStart = Math.max(c.maxStart, k.length);
  for (const k of c.start.keys()) c.startFirst.add(k.split(' ')[0]);
  compiled = c;
  return c;
}

/** False when no 'contains' phrase the loop in findCue would consider occurs anywhere in the block's cue form. */
function mayContain(c: CompiledCues, f: Feat, proseException: boolean): boolean {
  let k = 0;
  while (k < c.containsLimits.length && c.containsLimits[k] < f.n) k++;
  if (k === c.containsLimits.length) return false;
  const cache = c.anyContained[proseException ? 1 : 0];
  let re = cache[k];
  if (re === undefined) {
    const limit = c.containsLimits[k];
    const phrases = c.contains.filter((x) => x.maxWords >= limit && (!proseException || x.strong)).map((x) => x.phrase);
    re = cache[k] = phrases.length ? presencePattern(phrases) : null;
  }
  return re !== null && re.test(f.cue);
}

/**
 * A regex that finds whether any of the phrases occurs: the phrases as a trie ("cookie (?:policy|settings)"), which
 * a regex engine tries faster than a flat alternation. A phrase that extends another is dropped (the shorter one
 * occurs wherever it does).
 */
function presencePattern(phrases: string[]): RegExp {
  type Node = Map<string, Node | null>;
  const root: Node = new Map();
  for (const p of phrases) {
    let n = root;
    for (const ch of p) {
      let next = n.get(ch);
      if (!next) n.set(ch, (next = new Map()));
      n = next;
    }
    n.set('', null);
  }
  const source = (n: Node): string => {
    if (n.has('')) return '';
    const alts = [...n].map(([ch, next]) => escapeRe(ch) + source(next!));
    return alts.length === 1 ? alts[0] : `(?:${alts.join('|')})`;
  };
  return new RegExp(source(root));
}

const isCueSeparator = (c: number) => c === 58 || c === 124 || c === 45; // ":", "|", "-"

/** Whether `t` splits into four items or more at the separators of a link row, without splitting it. */
function mayBeRow(t: string): boolean {
  ROW_SEPARATOR.lastIndex = 0;
  for (let k = 0; ROW_SEPARATOR.test(t); ) if (++k >= 3) return true;
  return false;
}

/** Index of the first cue (in data order) that matches the block, or -1. */
function findCue(cues: Cue[], f: Feat, proseException: boolean): number {
  if (!f.cue) return -1;
  const c = compileCues(cues);
  let best = f.cue.length <= c.maxLine ? (c.line.get(f.cue) ?? Infinity) : Infinity;
  const tryStart = (key: string) => {
    if (key.length > c.maxStart) return;
    const idx = c.start.get(key);
    if (idx !== undefined && idx < best && f.n <= (cues[idx].maxWords ?? 99)) best = idx;
  };
  // the first one to eight words of the cue form, each also without a trailing ":", "|" or "-"; slicing at the
  // spaces instead of splitting, since a long paragraph would be split whole for eight prefixes. Each of those
  // keys starts with the cue's first word (or is that word without its trailing ":", "|" or "-"), so a first word
  // that starts no phrase rules them all out.
  const space = f.cue.indexOf(' ');
  const first = space < 0 ? f.cue : f.cue.slice(0, space);
  const starts = c.startFirst.has(first) || (isCueSeparator(first.charCodeAt(first.length - 1)) && c.startFirst.has(first.replace(/[:|-]+$/, '')));
  if (starts) for (let k = 0, end = 0; k < 8 && end >= 0; k++) {
    end = f.cue.indexOf(' ', k ? end + 1 : 0);
    // a prefix longer than every phrase, even without its trailing ":", "|" or "-", matches none; nor does any
    // later one, which extends it past a space
    let bare = end < 0 ? f.cue.length : end;
    while (bare > 0 && isCueSeparator(f.cue.charCodeAt(bare - 1))) bare--;
    if (bare > c.maxStart) break;
    const pre = end < 0 ? f.cue : f.cue.slice(0, end);
    tryStart(pre);
    if (isCueSeparator(pre.charCodeAt(pre.length - 1))) tryStart(pre.replace(/[:|-]+$/, ''));
  }
  if (mayContain(c, f, proseException)) for (const { phrase, idx, maxWords, strong } of c.contains) {
    if (idx >= best || f.n > maxWords) continue;
    // a long sentence that merely mentions "newsletter" or "careers" is prose; only strong legal/cookie cues apply
    if (proseException && !strong) continue;
    const at = f.cue.indexOf(phrase);
    if (at >= 0 && (at === 0 || /[\s\p{P}]/u.test(f.cue[at - 1])) && /[\s\p{P}]|^$/u.test(f.cue[at + phrase.length] ?? '')) best = idx;
  }
  return best === Infinity ? -1 : best;
}

interface MarkerIndex {
  /** Each marker phrase with its zone and rank, where it first appears in data order. */
  rank: Map<string, { rank: number; zone: string }>;
  /** Non-author phrases by their first two characters, in data order; null if a phrase is shorter than that. */
  widget: Map<string, { zone: string; phrase: string }[]> | null;
  widgetMaxLen: number;
}
let markerIndex: MarkerIndex | null = null;
/** Marker phrases indexed, so a block costs a few lookups, not a comparison with every phrase. */
function markers(): MarkerIndex {
  if (markerIndex) return markerIndex;
  const rank = new Map<string, { rank: number; zone: string }>();
  let widget: MarkerIndex['widget'] = new Map();
  let widgetMaxLen = 0;
  for (const m of data().cues.markers) for (const p of m.phrases) {
    if (!rank.has(p)) rank.set(p, { rank: rank.size, zone: m.zone });
    if (m.zone === 'author' || !widget) continue;
    if (p.length < 2) { widget = null; continue; }
    const head = p.slice(0, 2);
    const list = widget.get(head) ?? [];
    list.push({ zone: m.zone, phrase: p });
    widget.set(head, list);
    widgetMaxLen = Math.max(widgetMaxLen, p.length);
  }
  markerIndex = { rank, widget, widgetMaxLen };
  return markerIndex;
}

/** Zone opened by a short block that is a marker phrase, or starts with one followed by a space. */
function markerZoneOf(f: Feat): string | null {
  const M = markers();
  let best = M.rank.get(f.cue);
  // "phrase " is a prefix of the cue exactly when the cue has a space right after that phrase
  if (f.n <= 6) for (let pos = f.cue.indexOf(' '); pos >= 0; pos = f.cue.indexOf(' ', pos + 1)) {
    const r = M.rank.get(f.cue.slice(0, pos));
    if (r && (!best || r.rank < best.rank)) best = r;
  }
  return best ? best.zone : null;
}

const STAMP_WORD = /published|updated|posted|pubblicato|aggiornato|veröffentlicht|aktualisiert|publié|publicado/i;
const ROLE_WORD = /^(?:correspondent|editor|reporter|writer|journalist|columnist|contributor|producer|analyst|staff|senior|chief|deputy|associate|fellow|professor|director|photographer|monday|tuesday|wednesday|thursday|friday|saturday|sunday|updated|published)$/i;
const TOPICAL_ROLE = /^(?:correspondent|editor|reporter|writer)$/i;

/** Splits "Jane Doe, John Roe and Ann Poe" (in any supported language) into names; drops affiliations and dates. */
export function splitNames(s: string): string[] {
  // text glued by a flattener ("Hannah PriceTransport Correspondent") splits at the case change
  if (s.length > 300) return [];
  s = deglue(s);
  const toks = s.trim().split(/\s+/);
  const months = data().months;
  const r = toks.findIndex((t, k) => k >= 2 && (ROLE_WORD.test(t.replace(/[,.]$/, '')) || months.has(t.toLowerCase().replace(/[,.]$/, ''))));
  if (r >= 2) s = toks.slice(0, TOPICAL_ROLE.test(toks[r]) && r - 1 >= 2 ? r - 1 : r).join(' ');
  const cut = s
    // "Jane Doe on 3 March 2024", "Claire Dubois le 24 août": the date is not part of the name
    .replace(/\s*(?:\b(?:on|le|el|il|am|the|den|du)\s+)?\d.*$/i, '')
    .replace(/\s*(?:\||·|•|—|–|\s-\s).*$/, '')
    .replace(/\s+(?:for|in|at|per|für|pour|para|from|in collaboration with)\s+.*$/i, '')
    .replace(/[,;]?\s*(?:updated|published|posted|pubblicato|aggiornato|veröffentlicht|publié|publicado)\b.*$/i, '');
  const parts = cut.split(/\s*(?:,|;|&|\band\b|\bund\b|\be\b|\bet\b|\by\b|\ben\b)\s*/i).map((p) => p.trim()).filter(Boolean);
  const out: string[] = [];
  for (const p of parts) {
    // honorifics are not part of the name the analysts search for ("Dr Amina Yusupova" → "Amina Yusupova")
    const name = nameCase(p.replace(/\.$/, '')).replace(/^(?:(?:dr|prof|professor|mr|mrs|ms|mx|sir|dame|lord|lady|rev|dott|dott\.ssa|prof\.ssa|herr|frau|mme|mlle|sr|sra)\.?\s+)+/i, '');
    if (isPersonName(name)) out.push(name);
    else if (out.length) break; // "Jane Doe, Reuters": stop at the affiliation
    else return [];
  }
  return out;
}

export function classify(blocks: Block[], opts: ClassifyOptions): { decisions: Decision[]; meta: MetaSignals } {
  const favor = opts.favor ?? 'balanced';
  const T = TUNING[favor];
  const lang = opts.lang;
  const D = data();
  const N = blocks.length;
  const body = opts.body ?? blocks.map((b) => bodyWords(b.text.replace(BULLET, '')));
  // the words themselves, for the few rules that read them
  const wordsOf = (i: number) => tokens(blocks[i].text.replace(BULLET, ''));
  // "you" or "your" as a word, in any case: every match lower-cases to "you" in the body's lower-cased text (the
  // bullet has no letters), and one search there rules out most blocks
  const addressesReader = (i: number) => {
    const lower = body[i].lower;
    return (lower === null || lower.includes('you')) && /\b(?:you|your)\b/i.test(blocks[i].text);
  };
  // (a language without a shipped list takes its list from the document's prose)
  const stopList = (lang ? D.stop.get(lang) : undefined) ?? stopListFor(lang, blocks.flatMap((_, i) => (body[i].n >= 12 ? [wordsOf(i)] : [])));
  // a shipped list's counts were taken with the words
  const shippedIdx = [...D.stop.values()].indexOf(stopList);
  const keys: string[] = new Array(N);
  const feats: Feat[] = blocks.map((b, i) => {
    const text = b.text.replace(BULLET, '');
    const { n, forms: low, lower, upper, stops } = body[i];
    const stop = shippedIdx >= 0 ? (n ? stops[shippedIdx] / n : 0) : stopDensity(low, stopList, true);
    const upperRatio = n ? upper / n : 0;
    // lower-casing is the costly part of the cue form and line key: reuse the body's, for a trimmed text (the
    // bullet before the body has no letters, so the text lower-cases to the bullet and the lower-cased body)
    if (lower !== null && b.text.length === b.text.trim().length) {
      // (one test for odd white space serves both: the cue form's other edits leave white space alone)
      const unusual = body[i].unusualSpace;
      const prefix = b.text.length - text.length;
      keys[i] = prefix ? squeezeSpace(b.text.slice(0, prefix).toLowerCase() + lower) : unusual ? squeezeSpace(lower) : lower;
      return { low, n, stop, endS: endsSentence(text), cue: cueFormOfLower(lower, unusual), upperRatio };
    }
    // the normalised key of every block, computed once (repetition rules look it up several times)
    keys[i] = lineKey(b.text);
    return { low, n, stop, endS: endsSentence(text), cue: cueForm(b.text), upperRatio };
  });
  const markerZone: (string | null)[] = feats.map((f) => {
    if (f.n <= 20 && /^[\dotn]/i.test(f.cue) && /^(?:\d+|one|two|three|no)\s+(?:comments?|responses?|thoughts|replies|reactions|kommentare|gedanken|antworten|commenti|riflessioni|risposte|commentaires|réflexions|réponses|comentarios|reflexiones|respuestas|reacties)\b/i.test(f.cue)) return 'comments';
    if (!f.cue || f.n > 7) return null;
    return markerZoneOf(f);
  });
  const dec: (Decision | null)[] = new Array(N).fill(null);
  const remove = (i: number, ruleId: string, role: Role, reason: string) => {
    dec[i] = { keep: false, kind: 'paragraph', ruleId, role, reason };
  };
  const blankRatio = N > 1 ? blocks.filter((b) => b.blankBefore).length / (N - 1) : 0;
  const usesBlanks = blankRatio >= 0.3;

  // ---- 1. rules that need no context -------------------------------------------------------------
  // how often each key occurs, for the keys that occur more than once (absent: once); a key whose length no other
  // key has is known to be unique without hashing its text
  const keyCount = new Map<string, number>();
  const lengths = new Map<number, number>();
  for (const k of keys) lengths.set(k.length, (lengths.get(k.length) ?? 0) + 1);
  for (const k of keys) if (lengths.get(k.length)! > 1) keyCount.set(k, (keyCount.get(k) ?? 0) + 1);
  const countOf = (k: string) => (lengths.get(k.length)! > 1 ? keyCount.get(k)! : 1);
  const social = new Set(D.cues.socialNames);
  // words that name a social network: a word's stop form is its lower case, but for "’" made "'"
  const socialWords = (i: number) => {
    const { forms } = body[i];
    let k = 0;
    if (forms.some((w) => w.includes("'"))) for (const w of wordsOf(i)) { if (social.has(w.toLowerCase())) k++; }
    else for (const w of forms) if (social.has(w)) k++;
    return k;
  };
  for (let i = 0; i < N; i++) {
    const b = blocks[i], f = feats[i];
    const t = b.text;
    if (b.dom) { remove(i, b.dom.ruleId, b.dom.role, b.dom.reason); continue; }
    if (!/[\p{L}\p{N}]/u.test(t)) { remove(i, 'icon-glyph', 'other', `no letters or digits: "${t.slice(0, 10)}"`); continue; }
    // (a sentence is never a row of icon names: skip splitting the article's paragraphs; nor is a line without a
    // "-", "_", "svg" or "+xml", one of which every icon name holds)
    if (!/[.!?]$/.test(t) && ICON_HINT.test(t)) {
      const toks = t.split(/\s+/);
      const iconish = toks.filter((w) => /^[a-z0-9]+(?:[-_][a-z0-9]+)+$|svg|\+xml/.test(w)).length;
      if (toks.length >= 4 && iconish / toks.length >= 0.5) {
        remove(i, 'icon-names', 'nav', `${iconish}/${toks.length} tokens are icon/sprite names`);
        continue;
      }
    }
    // A line shared by many pages of a site is chrome, but not a long paragraph (syndicated copies of one story
    // share every line) nor a heading that introduces prose here (a site's standard "Background" section).
    const introducesProse = f.n <= 8 && !f.endS && i + 1 < N && feats[i + 1].n >= 25 && feats[i + 1].endS;
    if (opts.siteChrome?.size && opts.siteChrome.has(keys[i]) && f.n < 30 && !introducesProse) { remove(i, 'repeated-in-site', 'nav', 'line recurs across documents of this site'); continue; }
    const proseException = f.n > 14 && f.endS && !addressesReader(i); // (a sentence addressing the reader is none)
    const ci = findCue(D.cues.cues, f, proseException);
    // "Email scams are rising, police warn." starts like a share button but is a sentence
    if (ci >= 0 && !(D.cues.cues[ci].ruleId === 'share' && f.endS && f.n >= 4 && f.stop >= 0.15)) {
      const c = D.cues.cues[ci];
      remove(i, c.ruleId, c.role as Role, `matches ${c.match} cue for ${c.ruleId}`);
      continue;
    }
    // (the text ends with the body, whose lower case is known where lower-casing maps unit to unit)
    const lower = body[i].lower;
    const tail = f.n > 80 ? '' : lower !== null && lower.length >= 60 ? lower.slice(-60) : t.slice(-60).toLowerCase();
    if (f.n <= 80 && creditPattern().test(tail) && D.cues.photoCredit.some((p) => tail.includes(p) && !(p === '© ' && /all rights|copyright/i.test(t)))) {
      if (!/^(?:©|\(c\)|copyright)/i.test(t.trim())) { remove(i, 'caption', 'caption', 'ends with a photo credit'); continue; }
      remove(i, 'footer', 'footer', 'copyright line');
      continue;
    }
    if (f.n >= 2 && f.n <= 12 && socialWords(i) / f.n >= 0.6) { remove(i, 'share', 'share', 'row of social-network buttons'); continue; }
    if (b.tag === 'img' || b.tag === 'code') { remove(i, b.tag === 'img' ? 'caption' : 'code-block', b.tag === 'img' ? 'caption' : 'other', 'markup, not prose'); continue; }
    // a row of short items joined by separators is a menu/footer link row
    const segs = mayBeRow(t) ? t.split(ROW_SEPARATOR) : [];
    if (segs.length >= 4 && segs.every((s) => countWords(s) <= 4)) { remove(i, 'nav-row', 'nav', `${segs.length} short items in one row`); continue; }
  }
  // a widget flattened onto one line ("Related StoriesThe 10 best…") starts with its heading glued to the items;
  // its items are on the same line, so it opens no zone
  const W = markers();
  for (let i = 0; i < N; i++) {
    if (dec[i]) continue;
    const t = blocks[i].text.replace(BULLET, '');
    if (W.widget) {
      // the body's lower case, or, where that is not known, an ASCII head lower-cases on its own (no
      // context-dependent letters), so the paragraph need not be lower-cased whole; its first two characters name
      // the only phrases that can match, in data order
      let low = body[i].lower;
      if (low === null) {
        const head = t.length > W.widgetMaxLen ? t.slice(0, W.widgetMaxLen) : t;
        low = /^[\x00-\x7f]*$/.test(head) ? head.toLowerCase() : t.toLowerCase();
      }
      const cands = W.widget.get(low.slice(0, 2));
      if (!cands) continue;
      for (const { zone, phrase } of cands) {
        if (low.startsWith(phrase) && /^[\p{Lu}\d]/u.test(t.slice(phrase.length))) { remove(i, `${zone}-widget`, zoneRole(zone), `"${phrase}" widget flattened onto one line`); markerZone[i] = null; break; }
      }
      continue;
    }
    const low = t.toLowerCase();
    for (const m of D.cues.markers) {
      if (m.zone === 'author') continue;
      const p = m.phrases.find((x) => low.startsWith(x) && /^[\p{Lu}\d]/u.test(t.slice(x.length)));
      if (p) { remove(i, `${m.zone}-widget`, zoneRole(m.zone), `"${p}" widget flattened onto one line`); markerZone[i] = null; break; }
    }
  }
  // caption alt-title: the short line glued (no blank line) on top of a credited caption
  for (let i = 1; i < N; i++) {
    if (dec[i]?.ruleId === 'caption' && !blocks[i].blankBefore && usesBlanks && !dec[i - 1]) {
      const f = feats[i - 1];
      if (f.n <= 15 && !f.endS) remove(i - 1, 'caption', 'caption', 'image title directly above a credited caption');
    }
  }
  // an embedded post: "— Name (@handle) November 2, 2023" signs the line above it
  for (let i = 0; i < N; i++) {
    if (!/^[—–-]\s*[^()]{1,60}\(@\w{1,30}\)/.test(blocks[i].text)) continue;
    if (!dec[i]) remove(i, 'embed', 'other', 'attribution of an embedded social-media post');
    if (i > 0 && !dec[i - 1] && feats[i - 1].n <= 60) remove(i - 1, 'embed', 'other', 'text of an embedded social-media post');
  }
  // "Image caption," / "Bildunterschrift:" labels: the label and the line it introduces are the caption
  const labels = new Set(D.cues.captionLabels);
  for (let i = 0; i < N; i++) {
    const cue = feats[i].cue;
    const lead = !dec[i] && feats[i].n <= 8 && (cue.includes(',') || cue.includes(':')) ? /^([^,:]{2,24})[,:]\s*\S/.exec(cue + ' x') : null;
    if (lead && labels.has(lead[1]) && !/[,:]$/.test(blocks[i].text)) { remove(i, 'caption', 'caption', `image credit ("${lead[1]}")`); continue; }
    if (feats[i].n > 3 || !labels.has(feats[i].cue) || !/[,:]$/.test(blocks[i].text)) continue;
    if (!dec[i]) remove(i, 'caption', 'caption', 'image caption label');
    if (i + 1 < N && !dec[i + 1] && feats[i + 1].n <= 60) remove(i + 1, 'caption', 'caption', `introduced by "${blocks[i].text}"`);
  }
  // ---- 2. datelines and bylines (decided later by position) --------------------------------------
  // (a dateline needs a four-digit year, which deglue never splits: most lines are settled without it)
  const dateAt: (string | null)[] = blocks.map((b, i) => (dec[i] || feats[i].n > 14 || !/\d{4}/.test(b.text) ? null : datelineDate(deglue(b.text.replace(BULLET, '')), lang)));
  const byAt: (string[] | null)[] = blocks.map((b, i) => {
    if (dec[i] && dec[i]!.ruleId !== 'repeated-in-doc') return null;
    const f = feats[i];
    if (f.n > 16 || b.text.length > 300) return null;
    const line = b.text.replace(BULLET, '').trim();
    const m = BYLINE_PREFIX.exec(line);
    if (m) {
      const names = splitNames(m[1]);
      if (names.length) return names;
    }
    // "Jane Doe, Special to The Post", "Jane Doe | Staff Reporter": a name, then a role or an outlet
    const lead = /[,|·—–-]/.test(line) ? /^([^,|·—–]{4,60})(?:,|\s[|·—–-])\s+(.{2,60})$/.exec(line) : null;
    if (lead && isPersonName(nameCase(lead[1].trim())) && countWords(lead[2]) <= 6 && !endsSentence(lead[2]) &&
      (/\b(?:special to|for|staff|correspondent|editor|reporter|writer|journalist|columnist|contributor|agency|news|press|reuters|afp|ap|dpa)\b/i.test(lead[2]) || findDate(lead[2], lang))) {
      return [nameCase(lead[1].trim())];
    }
    // "Chris Alvarez Published: Jun 21, 2023" (name and date elements flattened onto one line)
    // (deglue only inserts spaces: without one of the words, somewhere, there is nothing to find)
    const stamped = STAMP_WORD.test(line) ? /^(.{4,60}?)\s+(?:published|updated|posted|pubblicato|aggiornato|veröffentlicht|aktualisiert|publié|publicado)\b/i.exec(deglue(line)) : null;
    if (stamped && !/,$/.test(stamped[1])) {
      const names = splitNames(stamped[1]);
      if (names.length && names.join(' ').length >= stamped[1].replace(/^by\s+/i, '').length - 2) return names;
    }
    // "Ein Kommentar von Katrin Vogel", "A commentary by Jane Doe", "Un commento di Marco Rossi"
    // (both patterns below need "by", "von"… as a word of its own, in ASCII letters of any case: a word of the line)
    const byWord = f.low.some((w) => BY_WORDS.has(w));
    const kind = f.n <= 8 && byWord ? /^(?:\p{L}+\s+){1,3}(?:by|von|di|de|par|por)\s+(.+)$/iu.exec(line) : null;
    if (kind) {
      const names = splitNames(kind[1]);
      if (names.length) return names;
    }
    // "Posted on June 3, 2023 by Jane Doe", "Published 3 March | by Jane Doe"
    const late = byWord ? /(?:^|\s)(?:by|von|di|par|por)\s+([^\d|·•]+)$/i.exec(line) : null;
    if (late && (findDate(line, lang) || /^(?:posted|published|written|updated|filed)\b/i.test(line))) {
      const names = splitNames(late[1]);
      if (names.length) return names;
    }
    return null;
  });
  for (let i = 0; i < N; i++) if (dateAt[i] && !dec[i]) remove(i, 'dateline', 'dateline', `date line (${dateAt[i]})`);
  for (let i = 0; i < N; i++) if (byAt[i] && !dec[i]) remove(i, 'byline', 'byline', `byline: ${byAt[i]!.join(', ')}`);

  // ---- 3. menus: runs of short non-sentences, and repetition ---------------------------------------
  // menu items are a few words with no function words; list items that say something are not menus
  const shortish = (i: number) => !dec[i] && !blocks[i].heading && markerZone[i] !== 'summary' && !feats[i].endS &&
    ((feats[i].n <= 5 && (feats[i].n <= 3 || feats[i].stop < 0.2 || (!blocks[i].bullet && feats[i].stop < 0.3))) || (blocks[i].bullet && feats[i].n <= 8 && feats[i].stop < 0.15));
  const runMember = (i: number) => shortish(i) || (dec[i] !== null && NAVISH.has(dec[i]!.ruleId));
  for (let i = 0; i < N; ) {
    if (!runMember(i)) { i++; continue; }
    let j = i;
    let shorts = 0;
    while (j < N && runMember(j)) { if (shortish(j)) shorts++; j++; }
    if (j - i >= 3 && shorts >= 2) {
      for (let k = i; k < j; k++) if (shortish(k)) remove(k, 'nav-run', 'nav', `run of ${j - i} short non-sentence lines`);
    }
    i = j;
  }
  for (let i = 0; i < N; i++) {
    const k = keys[i], c = countOf(k);
    // short lines that recur (a menu printed twice, "Reply" under every comment) are chrome; long ones are
    // handled after the article is found (the first copy of a repeated paragraph is kept)
    if (c > 1 && feats[i].n <= 12 && !dec[i]) remove(i, 'repeated-in-doc', 'nav', `repeated-in-doc ×${c}`);
  }

  // ---- 4. jusText-style content classes --------------------------------------------------------
  type Cls = 'good' | 'short' | 'bad' | 'removed';
  const classOf = (P: { goodWords: number; goodStop: number }) => blocks.map((b, i): Cls => {
    if (dec[i]) return 'removed';
    const f = feats[i];
    if (b.linkDensity !== undefined && b.linkDensity > 0.5 && f.n < 40) return 'bad';
    if (f.n >= P.goodWords && f.stop >= P.goodStop && (f.endS || f.n >= 25)) return 'good';
    if (f.n >= 30 && f.stop >= P.goodStop * 0.75 && f.endS) return 'good';
    if (f.n > 14 && f.stop < 0.12) return 'bad';
    // a long run of Capitalised Words without a verb's company of function words is a list of link labels
    if (f.n >= 10 && f.upperRatio >= 0.85 && !f.endS && f.stop < 0.2) return 'bad';
    return 'short';
  });
  let cls = classOf(T);
  // a brief of a few short sentences has no "long" paragraph at all: judge it by the loosest standard
  if (!cls.includes('good')) cls = classOf(TUNING.recall);
  for (let i = 0; i < N; i++) {
    if (cls[i] === 'bad' && !dec[i]) remove(i, blocks[i].linkDensity !== undefined && blocks[i].linkDensity! > 0.5 ? 'link-dense' : 'low-stopwords', 'nav', `${feats[i].n} words, stop-word density ${feats[i].stop.toFixed(2)}`);
  }
  // HTML: when an article container holds most of the prose, prose outside it is teasers and sidebars
  if (blocks.some((b) => b.inArticle)) {
    let inside = 0, total = 0;
    for (let i = 0; i < N; i++) if (cls[i] === 'good') { total += feats[i].n; if (blocks[i].inArticle) inside += feats[i].n; }
    if (total && inside / total >= 0.5) {
      for (let i = 0; i < N; i++) if (!blocks[i].inArticle && !dec[i] && cls[i] !== 'removed') {
        remove(i, 'outside-article', 'other', 'outside the element that holds the article');
        cls[i] = 'removed';
      }
    }
  }

  // ---- 5. the page title line and zones opened by markers -----------------------------------------
  let pageTitle: { title: string; site: string; i: number } | null = null;
  if (opts.pageTitleLine !== false && N > 1) {
    // Usually the first line of a dump; some dumps put the menu first. Further down, only a "Title | Site" line
    // (or a dashed one whose title is repeated as the on-page headline) before the first prose block counts.
    for (let i = 0; i < N && cls[i] !== 'good'; i++) {
      if (dec[i] || blocks[i].bullet) continue;
      const pt = splitPageTitle(blocks[i].text);
      if (!pt) continue;
      const echoed = blocks.slice(i + 1, i + 6).some((b) => overlapRatio(tokens(b.text), tokens(pt.title)) >= 0.6);
      if (i === 0 || /\s\|\s/.test(blocks[i].text) || echoed) {
        pageTitle = { ...pt, i };
        break;
      }
    }
  }

  // ---- 6. segments of good blocks; the biggest is the article -----------------------------------
  const segs: { from: number; to: number; words: number; goods: number }[] = [];
  let cur: (typeof segs)[number] | null = null;
  let gap = 0;
  for (let i = 0; i < N; i++) {
    if (cls[i] === 'good') {
      if (cur && gap <= T.gap) { cur.to = i; cur.words += feats[i].n; cur.goods++; }
      else { cur = { from: i, to: i, words: feats[i].n, goods: 1 }; segs.push(cur); }
      gap = 0;
    } else {
      const r = dec[i]?.ruleId;
      const f = feats[i];
      const proseLike = !dec[i] && f.stop >= 0.15 && ((blocks[i].bullet && f.n >= 4) || (f.endS && f.n >= 3));
      // widgets the DOM already delimits (share bars, ad slots inside the article) barely separate prose
      const widget = blocks[i].dom && !markerZone[i] ? 0.25 : 0;
      // a byline or dateline between two prose blocks means the first one was the standfirst
      gap += widget ? widget : proseLike ? 0.5 : (markerZone[i] && markerZone[i] !== 'summary' && markerZone[i] !== 'readalso' && !blocks[i].dom) || r === 'byline' || r === 'dateline' ? T.gap + 1 : r && (r === 'nav-run' || r === 'cookie-banner' || r === 'dom-nav' || r === 'outside-article') ? 2 : 1;
    }
  }
  // The article is the heaviest run of prose, weighed by what precedes it: a byline or dateline just before a run
  // marks an article start; a comments or related heading marks readers' text or teasers.
  const zoneBefore: (string | null)[] = [];
  for (let i = 0; i < N; i++) zoneBefore.push(markerZone[i] && !blocks[i].dom ? markerZone[i] : i ? zoneBefore[i - 1] : null);
  const teaserLike = (s: (typeof segs)[number]) => {
    let titles = 0;
    for (let i = s.from; i <= s.to; i++) if (cls[i] !== 'good' && feats[i].n >= 2 && feats[i].n <= 16 && !feats[i].endS) titles++;
    return s.goods >= 2 && titles >= s.goods - 1 && s.words / s.goods < 40;
  };
  const weight = (s: (typeof segs)[number]) => {
    let w = s.words;
    if (teaserLike(s)) w *= 0.5; // headline + summary cards, however many, are not the story
    for (let i = s.from - 1; i >= Math.max(0, s.from - 8); i--) {
      if (cls[i] === 'good') break;
      const r = dec[i]?.ruleId;
      if (r === 'byline' || r === 'dateline') { w *= 1.5; break; }
    }
    const zone = s.from > 0 ? zoneBefore[s.from - 1] : null;
    if (zone === 'comments') w *= 0.3;
    else if (zone === 'related') w *= 0.6;
    return w;
  };
  let main = segs[0] ?? null;
  for (const s of segs) if (weight(s) > weight(main!)) main = s;

  const keepSeg = new Set<(typeof segs)[number]>();
  if (main) keepSeg.add(main);
  // zones opened after the article starts: related links, comments, tags, author box, share
  const zoneAt: (string | null)[] = new Array(N).fill(null);
  const mainStart = main ? main.from : N;
  if (main) {
    let totalGood = 0;
    for (let i = 0; i < N; i++) if (cls[i] === 'good') totalGood += feats[i].n;
    let seen = 0, zone: string | null = null;
    for (let i = 0; i < N; i++) {
      if (i >= mainStart && markerZone[i] && !blocks[i].dom) {
        const z = markerZone[i]!;
        if (z !== 'comments' || seen >= 0.5 * totalGood) zone = z;
        if (!dec[i]) { remove(i, `${z}-marker`, zoneRole(z), `heading of a ${z} section`); cls[i] = 'removed'; }
        continue;
      }
      // "Read also: <one headline>" is a link dropped into the article: prose right after it is the article again
      if (zone === 'readalso' && cls[i] === 'good') zone = null;
      // a "Key points" box is its list; the article resumes after the last item
      if (zone === 'summary' && !blocks[i].bullet) zone = null;
      // a share bar or tag strip is a few buttons: prose right after it is the article again
      const headingBeforeProse = !dec[i] && feats[i].n <= 14 && !feats[i].endS && /^[\p{Lu}\p{N}]/u.test(blocks[i].text) && cls[i + 1] === 'good';
      if ((zone === 'share' && (cls[i] === 'good' || headingBeforeProse)) || (zone === 'tags' && cls[i] === 'good' && cls[i + 1] === 'good')) zone = null;
      if (zone && zone !== 'comments' && cls[i] === 'good' && feats[i].n >= 25) {
        // prose resumes: two substantial paragraphs in a row close the zone
        let j = i + 1;
        while (j < N && cls[j] !== 'good' && !markerZone[j] && j - i <= 2) j++;
        if ((j < N && cls[j] === 'good' && feats[j].n >= 8) || feats[i].n >= 40) zone = null;
      }
      if (zone) zoneAt[i] = zone;
      if (cls[i] === 'good') seen += feats[i].n;
    }
  }
  // Other runs of prose: the article may be cut in two by a gallery or a link box. A run is kept when nothing
  // between it and the article says "the page footer has started", and it does not look like a teaser list
  // (a short title line before every paragraph).
  const FOOTERISH = new Set(['footer', 'class-footer', 'dom-footer', 'comments-marker']);
  const anchoredBefore = (s: (typeof segs)[number]) => {
    for (let i = s.from - 1; i >= Math.max(0, s.from - 8); i--) {
      if (cls[i] === 'good') return false;
      if (dec[i]?.ruleId === 'byline' || dec[i]?.ruleId === 'dateline') return true;
    }
    return false;
  };
  for (const s of segs) {
    if (s === main || !main) continue;
    if (zoneAt[s.from] !== null) continue;
    if (s.from > main.to) {
      let footer = false;
      for (let i = main.to + 1; i < s.from && !footer; i++) footer = FOOTERISH.has(dec[i]?.ruleId ?? '');
      const near = s.from - main.to <= 40;
      if (!footer && near && s.words >= T.afterMinWords && (!teaserLike(s) || favor === 'recall')) keepSeg.add(s);
    } else if (T.keepBefore && ((s.goods >= 3 && s.words >= 120) || (anchoredBefore(s) && s.goods >= 2 && !teaserLike(s)))) keepSeg.add(s);
  }

  // promotional tail: an isolated last paragraph addressing the reader is the site's pitch, not the article
  const keptSegs = [...keepSeg].sort((a, b) => a.from - b.from);
  const meta: MetaSignals = { title: null, authors: null, published: null, publisher: null };
  const lastSeg = keptSegs[keptSegs.length - 1];
  if (lastSeg && lastSeg.goods > 1) {
    const i = lastSeg.to;
    const t = blocks[i].text;
    const you = (t.match(SECOND_PERSON) ?? []).length;
    let p = i - 1;
    while (p >= 0 && cls[p] === 'removed' && dec[p]?.role !== 'nav') p--;
    const isolated = p >= 0 && cls[p] !== 'good';
    const pitch = PROMO_START.test(t) || (you >= 1 && (POSSESSIVE_BRAND.test(t) || /\b(?:our|us)\b/i.test(t)));
    // "Get the latest news on our app." closing the page is a pitch even right after the last paragraph
    const imperative = /^(?:get|sign up|subscribe|download|follow|register|donate)\b/i.test(t) && feats[i].n <= 25;
    if (((isolated && pitch) || imperative) && feats[i].n <= 60) {
      remove(i, 'promo', 'footer', `closing pitch to the reader (${you} second-person words)`);
      cls[i] = 'removed';
      const pm = POSSESSIVE_BRAND.exec(t);
      if (pm) meta.publisher = { value: pm[1], method: 'promo-possessive' };
      let j = i - 1;
      while (j > lastSeg.from && cls[j] !== 'good') j--;
      lastSeg.to = j;
    }
  }

  // a teaser list glued to the end of the article: headline, one-sentence summary, headline, summary…
  if (lastSeg) {
    let j = lastSeg.to, pairs = 0;
    const titleLine = (k: number) => k >= 0 && !dec[k] && cls[k] !== 'good' && feats[k].n >= 3 && feats[k].n <= 16 && !feats[k].endS;
    while (j - 1 > lastSeg.from && cls[j] === 'good' && feats[j].n <= 35 && titleLine(j - 1)) { pairs++; j -= 2; }
    if (pairs >= 3) {
      for (let k = j + 1; k <= lastSeg.to; k++) { remove(k, 'teaser-list', 'related', `${pairs} headline + summary pairs after the article`); cls[k] = 'removed'; }
      lastSeg.to = j;
    }
  }

  // the pitch inside a newsletter or subscription box ("Our morning email tells you what matters") sits next to
  // the box's button or label and talks to the reader about "our" product
  const PROMO_NEIGHBOUR = new Set(['newsletter', 'paywall', 'share', 'advert', 'login']);
  for (let i = 0; i < N; i++) {
    if (dec[i] || feats[i].n > 35 || !addressesReader(i) || !/\b(?:our|we)\b/i.test(blocks[i].text)) continue;
    if ([i - 1, i + 1].some((j) => j >= 0 && j < N && PROMO_NEIGHBOUR.has(dec[j]?.ruleId ?? ''))) {
      remove(i, 'promo', 'share', 'addresses the reader about "our" product next to a sign-up or share box');
      cls[i] = 'removed';
    }
  }

  // ---- 7. keep/drop inside kept segments -----------------------------------------------------------
  // a short opening sentence right before the first long paragraph ("It was 3am when the phone rang.") — or a
  // photo caption, which sits in the same place; only recall takes the risk
  if (main && favor === 'recall') while (main.from > 0 && !dec[main.from - 1] && feats[main.from - 1].endS && feats[main.from - 1].n >= 4 && feats[main.from - 1].stop >= 0.2 && !blocks[main.from - 1].bullet) main.from--;
  const inKept = new Array<boolean>(N).fill(false);
  for (const s of keptSegs) {
    // a later run of prose keeps the heading that introduces it
    if (s !== keptSegs[0] && s.from > 0 && !dec[s.from - 1] && (blocks[s.from - 1].heading || (feats[s.from - 1].n <= 14 && !feats[s.from - 1].endS && /^[\p{Lu}\p{N}]/u.test(blocks[s.from - 1].text)))) s.from--;
    // the article's closing short sentences ("But I would not go back.") directly follow its last long paragraph
    // (a link box or an ad slot may sit between them: widgets the DOM or a cue already delimited)
    for (;;) {
      let j = s.to + 1;
      while (j < N && dec[j] && WIDGET.test(dec[j]!.ruleId) && j - s.to <= 3) j++;
      if (!(j < N && !dec[j] && !zoneAt[j] && feats[j].endS && feats[j].n >= 3 && feats[j].stop > 0 && !markerZone[j])) break;
      s.to = j;
    }
    for (let i = s.from; i <= s.to; i++) inKept[i] = true;
  }
  // what follows a heading must be the text it introduces: an image or an ad label may sit in between, a
  // newsletter box or a share bar may not (their label is not a section heading)
  const PASSABLE = new Set(['icon-glyph', 'advert', 'caption', 'dom-figure', 'class-caption', 'class-advert']);
  const nextLive = (i: number) => {
    let j = i + 1;
    while (j < N && dec[j] && PASSABLE.has(dec[j]!.ruleId)) j++;
    return j;
  };
  for (let i = 0; i < N; i++) {
    if (dec[i]) continue;
    const f = feats[i], b = blocks[i];
    if (zoneAt[i]) { remove(i, `in-${zoneAt[i]}`, zoneRole(zoneAt[i]!), `inside a ${zoneAt[i]} section`); continue; }
    if (!inKept[i]) continue;
    if (cls[i] === 'good') { dec[i] = { keep: true, kind: 'paragraph', ruleId: 'body', role: 'other', reason: `${f.n} words, stop-word density ${f.stop.toFixed(2)}` }; continue; }
    // a short line introducing good prose is a section heading
    const j = nextLive(i);
    let k = j;
    if (j < N && !dec[j] && cls[j] !== 'good' && (blocks[j].heading || feats[j].n <= 14)) k = nextLive(j); // heading + subheading
    const headingShape = f.n >= 1 && f.n <= 14 && !b.bullet && !/[,;:]$/.test(b.text) && /^[\p{Lu}\p{N}"“‘'¿¡]/u.test(b.text.trim()) && (!f.endS || /\?["”’]?$/.test(b.text));
    if ((b.heading || headingShape) && ((j < N && cls[j] === 'good') || (k < N && k !== j && cls[k] === 'good' && !blocks[j].bullet)) && inKept[Math.min(N - 1, j)]) {
      dec[i] = { keep: true, kind: 'heading', ruleId: 'heading', role: 'other', reason: 'short line introducing body text' };
      continue;
    }
    const introducesList = /:$/.test(b.text) && f.n >= 3 && f.stop >= 0.2 && j < N && blocks[j].bullet && !dec[j];
    if (favor === 'precision' ? f.endS && f.n >= 6 && f.stop >= 0.2 && !b.bullet : (f.endS && f.n >= 3 && f.stop > 0) || introducesList || (b.bullet && f.n >= 4 && f.stop > 0) || (favor === 'recall' && f.n >= 3 && f.stop > 0)) {
      dec[i] = { keep: true, kind: 'paragraph', ruleId: 'short-body', role: 'other', reason: 'short sentence inside the article' };
      continue;
    }
    remove(i, 'short-line', 'other', `${f.n} words, not a sentence nor a heading`);
  }

  // a bulleted list where no item is a sentence and items are headline-short is a list of links ("Live:
  // latest updates", "How to prepare for a power cut"), not a list the author wrote
  for (let i = 0; i < N; ) {
    if (!blocks[i].bullet || !dec[i]?.keep) { i++; continue; }
    let j = i, words = 0, sentences = 0;
    while (j < N && blocks[j].bullet && dec[j]?.keep) { words += feats[j].n; if (feats[j].endS) sentences++; j++; }
    if (favor !== 'recall' && sentences === 0 && words / (j - i) < 8) for (let k = i; k < j; k++) remove(k, 'link-list', 'related', 'list of headline-like items without a sentence');
    i = j;
  }
  // repeated long lines (a dek printed twice, a syndication note): keep the first kept copy only
  const seenKept = new Set<string>();
  for (let i = 0; i < N; i++) {
    if (!dec[i]?.keep) continue;
    const k = keys[i];
    if (countOf(k) > 1) {
      if (seenKept.has(k)) remove(i, 'repeated-in-doc', 'other', `repeated-in-doc ×${countOf(k)}`);
      seenKept.add(k);
    }
  }
  pullQuotes(blocks, feats, dec);

  // ---- 8. title, byline, dateline, dek around the top of the article --------------------------------
  const firstKept = dec.findIndex((d) => d?.keep);
  const preEnd = firstKept < 0 ? N : firstKept;
  let titleIdx = -1, best = -Infinity;
  const candidate = new Array<boolean>(N).fill(false);
  // (each candidate looks at the five blocks after it: ask about each block once)
  const nameAt: (boolean | undefined)[] = new Array(N);
  const isNameAt = (i: number) => (nameAt[i] ??= isPersonName(blocks[i].text));
  const scoreAt = new Array<number>(N).fill(-Infinity);
  for (let i = 0; i < preEnd; i++) {
    const b = blocks[i], f = feats[i];
    const r = dec[i]?.ruleId;
    if (r && !['nav-run', 'short-line', 'low-stopwords', 'before-body', 'repeated-in-doc', 'outside-article'].includes(r) && !(b.heading === 1)) continue;
    // a short headline can get caught in the menu run above it; the byline right under it gives it away
    const signed = [i + 1, i + 2].some((j) => j < N && (byAt[j] || dateAt[j]));
    if (r === 'nav-run' && !(b.heading === 1) && !signed) continue;
    if (b.bullet || f.n < 2 || f.n > 30 || /[,;:]$/.test(b.text) || (f.endS && !/[?!]["”’]?$/.test(b.text))) continue;
    if (!/^[\p{Lu}\p{N}"“‘'«¿¡]/u.test(b.text.trim()) || isNameAt(i) || markerZone[i] || (pageTitle && i === pageTitle.i)) continue;
    // "Posted on 3 March 2024 by admin" is metadata, not a headline
    if (/^(?:posted|published|updated|written|filed|last updated|pubblicato|veröffentlicht|publié|publicado)\b/i.test(b.text.trim()) || (f.n <= 10 && findDate(b.text, lang))) continue;
    candidate[i] = true;
    let score = f.n >= 4 ? 1 : -1;
    if (b.heading === 1) score += 5;
    for (let j = i + 1; j < Math.min(N, i + 6); j++) if (dateAt[j] || byAt[j] || isNameAt(j)) { score += j - i <= 2 ? 3 : 2; break; }
    if (pageTitle) score += 3 * overlapRatio(tokens(pageTitle.title), wordsOf(i));
    score -= ((preEnd - i) / Math.max(1, preEnd)) * 0.5; // headlines sit close to where the article starts
    scoreAt[i] = score;
    if (score > best) { best = score; titleIdx = i; }
  }
  // headline, then a subtitle without a full stop, then the byline: the first of the pair is the headline
  // (only when the first differs from the chosen one by no more than its distance from the byline)
  if (titleIdx > 0 && candidate[titleIdx - 1] && !blocks[titleIdx].heading && feats[titleIdx - 1].n >= 4 && feats[titleIdx - 1].n <= feats[titleIdx].n + 3 && scoreAt[titleIdx - 1] >= best - 3.5) titleIdx--;
  if (titleIdx >= 0) {
    remove(titleIdx, 'title', 'title', 'headline above the article');
    meta.title = { value: blocks[titleIdx].text.trim(), method: blocks[titleIdx].heading === 1 ? 'h1' : 'headline-line' };
  }
  if (pageTitle) {
    remove(pageTitle.i, 'title', 'title', `page title line ("… | ${pageTitle.site}")`);
    if (!meta.title) meta.title = { value: pageTitle.title, method: 'page-title-line' };
    meta.publisher = { value: pageTitle.site, method: 'page-title-suffix' };
  }
  const authors: string[] = [];
  let authorMethod = '';
  const addAuthors = (names: string[], method: string) => {
    for (const n of names) if (!authors.some((a) => a.toLowerCase() === n.toLowerCase())) authors.push(n);
    if (names.length && !authorMethod) authorMethod = method;
  };
  const near = titleIdx >= 0 ? titleIdx : -1;
  const topLimit = Math.max(preEnd, near + 6);
  for (let i = 0; i < Math.min(N, topLimit); i++) {
    if (byAt[i]) { addAuthors(byAt[i]!, 'byline'); dec[i] = { keep: false, kind: 'paragraph', ruleId: 'byline', role: 'byline', reason: dec[i]?.reason ?? 'byline' }; }
    if (dateAt[i] && !meta.published) meta.published = { value: dateAt[i]!, method: 'dateline' };
  }
  // a bare name next to the headline or the dateline is the byline
  for (let i = Math.max(0, near - 2); i < Math.min(N, topLimit); i++) {
    if (i === titleIdx || dec[i]?.keep) continue;
    if (byAt[i]) continue;
    const neighbour = (near >= 0 && (i === near + 1 || i === near + 2)) || dateAt[i + 1] || dateAt[i - 1];
    if (!neighbour) continue;
    // "New Delhi, Updated: May 30, 2024" is a place and a date, not a name
    if (/^[^,|]{2,40}[,|]\s*(?:updated|published|posted|last updated|aktualisiert|aggiornato|mis à jour|actualizado)\b/i.test(blocks[i].text.trim())) continue;
    const names = splitNames(blocks[i].text.trim());
    if (names.length && feats[i].n <= 9 && blocks[i].text.trim().indexOf(names[0].split(' ')[0]) <= 12) {
      addAuthors(names, 'name-by-headline');
      if (!meta.published) { const d = findDate(deglue(blocks[i].text), lang); if (d) meta.published = { value: d.iso, method: 'byline-date' }; }
      remove(i, 'byline', 'byline', `author name next to the headline: ${names.join(', ')}`);
    }
  }
  // a byline or date merged with each other on one line ("By Jane Doe | 3 March 2023")
  for (let i = 0; i < Math.min(N, topLimit); i++) {
    if (byAt[i] && !meta.published) { const d = findDate(deglue(blocks[i].text), lang); if (d) meta.published = { value: d.iso, method: 'byline-date' }; }
  }
  // the standfirst that ends ", writes Jane Doe." names the author (it may run straight into the article)
  let firstBody = preEnd;
  for (let i = 0; i < Math.min(N, preEnd + 3); i++) {
    if (blocks[i].text.length > 600) continue;
    if (i >= preEnd && (!dec[i]?.keep || dec[i]!.kind !== 'paragraph' || i !== firstBody)) continue;
    // (tried from every position of the text: first look for the verb)
    const t = blocks[i].text;
    const m = WRITES.some((w) => t.includes(w)) ? WRITES_BYLINE.exec(t.trim()) : null;
    if (m && isPersonName(m[1].replace(/\.$/, '')) && i > titleIdx && titleIdx >= 0) {
      addAuthors([m[1].replace(/\.$/, '')], 'standfirst-writes');
      remove(i, 'byline', 'byline', `standfirst naming the author (${m[1]})`);
      if (i === firstBody) firstBody = dec.findIndex((d) => d?.keep);
    }
  }
  // author box in the tail ("About the author" → name)
  if (!authors.length) {
    for (let i = 0; i < N; i++) {
      if (markerZone[i] !== 'author') continue;
      for (let j = i + 1; j < Math.min(N, i + 3); j++) {
        const names = splitNames(blocks[j].text.trim());
        if (names.length) { addAuthors(names, 'author-box'); break; }
      }
      if (authors.length) break;
    }
  }
  if (authors.length) meta.authors = { value: authors, method: authorMethod };
  // the author's bio at the end ("Jane Doe is a reporter covering…", "Follow her on X") is not article text
  const keptIdx: number[] = [];
  for (let i = 0; i < N; i++) if (dec[i]?.keep) keptIdx.push(i);
  for (const i of keptIdx.slice(-3)) {
    const t = blocks[i].text;
    let lower: string | undefined;
    const isAuthor = (a: string) => (lower ??= t.toLowerCase()) === a.toLowerCase();
    const byAuthor = authors.some((a) => t.startsWith(a) || isAuthor(a) || t.startsWith(`${a.split(' ').pop()} `)) || (i === keptIdx[keptIdx.length - 1] && /^\p{Lu}[\p{L}'’-]+(?:\s\p{Lu}[\p{L}'’.-]+){1,2}\s(?:is|was)\s(?:a|an|the)\s/u.test(t));
    const bio = () => /\b(?:reporter|correspondent|editor|writer|journalist|columnist|fellow|professor|lecturer|researcher|analyst|contributor|covers|based in)\b/i.test(t);
    if (authors.some(isAuthor)) { remove(i, 'author-box', 'byline', 'author name repeated after the article'); continue; }
    if ((byAuthor && feats[i].n <= 80 && bio()) || (/^follow (?:him|her|them|me|us) on\b/i.test(t) && feats[i].n <= 25)) {
      remove(i, 'author-bio', 'byline', 'biography of the author after the article');
    }
  }

  // a wire story names its agency in the dateline: "LONDON (Reuters) -", "WASHINGTON, March 3 (AP) —"
  if (!meta.publisher) {
    const first = dec.findIndex((d) => d?.keep && d.kind === 'paragraph');
    const w = first >= 0 ? /^\p{Lu}[\p{Lu}\s.,'-]{1,40}(?:,\s*\p{Lu}\p{Ll}+\.?\s+\d{1,2})?\s*\(([^)]{2,30})\)\s*[-–—]/u.exec(blocks[first].text) : null;
    if (w && D.cues.wireAgencies.some((a) => a.toLowerCase() === w[1].toLowerCase())) meta.publisher = { value: w[1], method: 'wire-dateline' };
  }
  // a heading needs prose after it: one left dangling by a later removal goes too
  for (let i = N - 1, proseAfter = false; i >= 0; i--) {
    if (!dec[i]?.keep) continue;
    if (dec[i]!.kind === 'paragraph') { proseAfter = true; continue; }
    if (!proseAfter) remove(i, 'short-line', 'other', 'heading with no article text after it');
    else proseAfter = false;
  }
  // roles for what precedes the article: dek/summary after the headline, otherwise navigation
  for (let i = 0; i < preEnd; i++) {
    if (dec[i]?.keep) continue;
    const f = feats[i];
    if (!dec[i]) {
      const role: Role = titleIdx >= 0 && i > titleIdx && f.stop >= 0.2 && f.n >= 5 ? 'summary' : 'nav';
      remove(i, role === 'summary' ? 'standfirst' : 'before-body', role, role === 'summary' ? 'dek/summary between the headline and the article' : 'before the article starts');
    }
  }
  // the short label of a summary box ("Key points", "In brief") goes with its items
  for (let i = 0; i < preEnd - 1; i++) {
    if (dec[i] && !dec[i]!.keep && dec[i]!.ruleId === 'before-body' && feats[i].n <= 4 && dec[i + 1]?.role === 'summary') {
      dec[i] = { ...dec[i]!, ruleId: 'standfirst', role: 'summary', reason: 'label of a summary box' };
    }
  }
  // and for what follows it
  let lastKept = -1;
  for (let i = 0; i < N; i++) if (dec[i]?.keep) lastKept = i;
  for (let i = 0; i < N; i++) {
    if (dec[i]) continue;
    remove(i, i > lastKept ? 'after-body' : 'short-line', i > lastKept ? 'footer' : 'other', i > lastKept ? 'after the article ends' : 'between article blocks, not prose');
  }
  if (lastKept >= 0) for (let i = lastKept + 1; i < N; i++) {
    const d = dec[i]!;
    if (d.ruleId === 'after-body' && zoneAt[i]) dec[i] = { ...d, role: zoneRole(zoneAt[i]!) };
    // the tail is where the copyright notice names the publisher
    if (!meta.publisher) {
      const c = /(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*([\p{Lu}][\p{L}\p{N}&.' -]{1,50}?)(?:[.,|]|\s+all rights|\s*$)/iu.exec(blocks[i].text);
      const holder = c ? c[1].replace(/[\s,]*\d{4}(?:\s*[-–]\s*\d{4})?\s*$/, '').trim() : '';
      if (holder && countWords(holder) <= 5 && /\p{Lu}/u.test(holder)) meta.publisher = { value: holder, method: 'copyright-line' };
      else {
        const o = /^(\p{Lu}[\p{Lu}\p{N}&-]{1,9})\s*\((\p{Lu}[^)]{5,80})\)/u.exec(blocks[i].text);
        if (o && d.role === 'footer') meta.publisher = { value: o[1], method: 'footer-organisation' };
      }
    }
  }
  return { decisions: dec as Decision[], meta };
}


function zoneRole(z: string): Role {
  return z === 'summary' ? 'summary' : z === 'related' || z === 'readalso' ? 'related' : z === 'tags' ? 'other' : z === 'author' ? 'byline' : z === 'share' ? 'share' : z === 'comments' ? 'other' : 'other';
}

function overlapRatio(a: string[], b: string[]): number {
  if (!a.length || !b.length) return 0;
  const s = new Set(a.map((w) => w.toLowerCase()));
  const t = new Set(b.map((w) => w.toLowerCase()));
  let n = 0;
  for (const w of t) if (s.has(w)) n++;
  return n / Math.max(s.size, t.size);
}

/**
 * A short kept paragraph that shares a run of words with a longer one and most of its content words is a
 * pull-quote (or a dek restated in the body): the longer paragraph is the original.
 */
function pullQuotes(blocks: Block[], feats: Feat[], dec: (Decision | null)[]) {
  const stop = data().allStop;
  const kept: number[] = [];
  for (let i = 0; i < blocks.length; i++) if (dec[i]?.keep && dec[i]!.kind === 'paragraph') kept.push(i);
  // the paragraphs that may be pull-quotes; only 4-grams they contain need indexing
  const queries: { i: number; content: Set<string> }[] = [];
  for (const i of kept) {
    const f = feats[i];
    if (f.n < 6 || f.n > 45) continue;
    const content = new Set<string>();
    for (const w of f.low) if (!stop.has(w)) content.add(w);
    if (content.size >= 3) queries.push({ i, content });
  }
  if (!queries.length) return;
  // 4-grams as numbers (four word ids packed into a double's 52 exact bits) rather than joined strings; ids are
  // those of the candidates' words, so a gram with another word is known not to matter without building it. More
  // than 8,192 distinct words (never in practice) falls back to strings.
  const ids = new Map<string, number>();
  for (const { i } of queries) for (const w of feats[i].low) if (ids.get(w) === undefined) ids.set(w, ids.size);
  const packed = ids.size <= 8192;
  const gramKeys = (w: string[]): (number | string)[] => {
    const out: (number | string)[] = [];
    if (packed) {
      let a = -1, b = -1, c = -1;
      for (let k = 0; k < w.length; k++) {
        const d = ids.get(w[k]) ?? -1;
        if (k >= 3 && a >= 0 && b >= 0 && c >= 0 && d >= 0) out.push(((a * 8192 + b) * 8192 + c) * 8192 + d);
        a = b; b = c; c = d;
      }
    } else for (let k = 0; k + 3 < w.length; k++) out.push(`${w[k]} ${w[k + 1]} ${w[k + 2]} ${w[k + 3]}`);
    return out;
  };
  const wanted = new Set<number | string>();
  const gramsOf = new Map<number, (number | string)[]>();
  for (const { i } of queries) {
    const g = gramKeys(feats[i].low);
    gramsOf.set(i, g);
    for (const x of g) wanted.add(x);
  }
  // per wanted 4-gram, the first 26 paragraphs that contain it; `added`/`seen` stamp the paragraph that last
  // touched an entry, so a gram repeated within one paragraph counts once. Most grams are in one paragraph only:
  // such a gram is held as that paragraph's index, and gets an entry when a second paragraph has it.
  interface Entry { paras: number[]; added: number; seen: number }
  const index = new Map<number | string, number | Entry>();
  const note = (x: number | string, i: number) => {
    const e = index.get(x);
    if (e === undefined) index.set(x, i);
    else if (typeof e === 'number') { if (e !== i) index.set(x, { paras: [e, i], added: i, seen: -1 }); }
    else if (e.added !== i) {
      e.added = i;
      if (e.paras.length <= 25) e.paras.push(i); // boilerplate phrases shared by many paragraphs say nothing and would cost O(n²)
    }
  };
  for (const i of kept) {
    const own = gramsOf.get(i);
    if (own) for (const x of own) note(x, i);
    else for (const x of gramKeys(feats[i].low)) if (wanted.has(x)) note(x, i);
  }
  const wordSets = new Map<number, Set<string>>();
  for (const { i, content } of queries) {
    const f = feats[i];
    const shared = new Map<number, number>();
    for (const x of gramsOf.get(i)!) {
      const e = index.get(x)!;
      if (typeof e === 'number' || e.seen === i) continue; // (a gram of this paragraph alone)
      e.seen = i;
      for (const j of e.paras) if (j !== i && feats[j].n > f.n * 1.2) shared.set(j, (shared.get(j) ?? 0) + 1);
    }
    const cands = [...shared].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 3).map(([j]) => j);
    for (const j of cands) {
      let other = wordSets.get(j);
      if (!other) wordSets.set(j, (other = new Set(feats[j].low)));
      let common = 0;
      for (const w of content) if (other.has(w)) common++;
      if (common / content.size >= 0.6) {
        dec[i] = { keep: false, kind: 'paragraph', ruleId: 'pullquote', role: 'pullquote', reason: `restates ${common}/${content.size} content words of a longer paragraph (source ${blocks[j].start})` };
        break;
      }
    }
  }
}

export { splitPageTitle };
