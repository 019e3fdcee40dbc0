import { data } from './data.js';

/** Normalised key of a line, shared by in-document and cross-document repetition. */
export const lineKey = (line: string): string => squeezeSpace(line.trim().toLowerCase());

// Whitespace other than a lone ' ': only then does collapsing runs to one space change the text (it is rare, and
// the replace would copy every paragraph).
const UNUSUAL_SPACE = /\s\s|[^\S ]/;
/** `s.replace(/\s+/g, ' ')`. */
export const squeezeSpace = (s: string): string => (UNUSUAL_SPACE.test(s) ? s.replace(/\s+/g, ' ') : s);

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;
const LETTER = /\p{L}/u, LETTER_OR_NUMBER = /[\p{L}\p{N}]/u;
// Per UTF-16 unit of the BMP: 0 not yet known, 1 letter, 2 number, 3 neither, 4 surrogate (astral text takes the regex).
const charClass = new Uint8Array(65536);
for (let c = 0; c < 128; c++) charClass[c] = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? 1 : c >= 48 && c <= 57 ? 2 : 3;
for (let c = 0xd800; c < 0xe000; c++) charClass[c] = 4;
const classAt = (s: string, i: number): number => {
  const c = s.charCodeAt(i);
  let k = charClass[c];
  if (!k) { const ch = String.fromCharCode(c); k = charClass[c] = LETTER.test(ch) ? 1 : LETTER_OR_NUMBER.test(ch) ? 2 : 3; }
  return k;
};
const isApostrophe = (s: string, i: number) => { const c = s.charCodeAt(i); return c === 39 || c === 0x2019; };

/**
 * The words of a text: runs of letters and digits, with apostrophe-joined letter runs ("don't", "l’homme"); the
 * same as matching WORD, hand-rolled because this runs over every block several times and the Unicode regex is
 * the stage's single largest cost. Text with astral characters goes to the regex.
 */
export function tokens(s: string): string[] {
  const out: string[] = [];
  return scanWords(s, (i, j) => { out.push(s.slice(i, j)); }) ? out : s.match(WORD) ?? [];
}

/** Calls `word` with the span of each word of `s`; false (having stopped) if `s` holds astral characters. */
function scanWords(s: string, word: (start: number, end: number) => void): boolean {
  const n = s.length;
  for (let i = 0; i < n; ) {
    const k = classAt(s, i);
    if (k === 4) return false;
    if (k === 3) { i++; continue; }
    let j = i + 1, c = 0;
    while (j < n && ((c = classAt(s, j)) === 1 || c === 2)) j++;
    while (c !== 4 && j + 1 < n && isApostrophe(s, j)) {
      c = classAt(s, j + 1);
      if (c !== 1) break;
      j += 2;
      while (j < n && (c = classAt(s, j)) === 1) j++;
    }
    if (c === 4) return false;
    word(i, j);
    i = j;
  }
  return true;
}

/**
 * `tokens(s)` and the `stopForm` of each. Lower-casing is one call for the whole text rather than one per word
 * (per word it is a slow runtime call for two-byte text): apart from U+0130 (İ, which lengthens) and Σ (whose
 * form depends on what follows), lower-casing maps each UTF-16 unit of the BMP to one unit on its own, so a word's
 * form is the same span of the lower-cased text. Texts with those letters, or astral ones, go word by word.
 */
export function tokenForms(s: string): { words: string[]; forms: string[]; lower: string | null } {
  const words: string[] = [];
  const spans: number[] = [];
  if (!scanWords(s, (i, j) => { words.push(s.slice(i, j)); spans.push(i, j); })) {
    const w = s.match(WORD) ?? [];
    return { words: w, forms: w.map(stopForm), lower: null };
  }
  if (/[\u0130\u03a3]/.test(s)) return { words, forms: words.map(stopForm), lower: null };
  const lower = s.toLowerCase();
  if (lower.length !== s.length) return { words, forms: words.map(stopForm), lower: null }; // (cannot happen, by the above)
  const low = lower.indexOf('’') >= 0 ? lower.replace(/’/g, "'") : lower;
  const forms: string[] = new Array(words.length);
  for (let k = 0; k < words.length; k++) forms[k] = low.slice(spans[2 * k], spans[2 * k + 1]);
  // `lower` is then also `s.toLowerCase()` of any text that is `s` behind a prefix without letters
  return { words, forms, lower };
}

export const BULLET = /^(?:[•·▪◦‣●○■□►▸›»✓✔➤\-–*+]|\d{1,2}[.)])\s+/;

/** Lower-cased, bullets/counters/edge punctuation stripped: the form cue phrases are matched against. */
export function cueForm(s: string): string {
  return cueFormOfLower(s.trim().replace(BULLET, '').toLowerCase());
}

/** `cueForm` of a trimmed text, given its body (bullet removed) lower-cased. */
export function cueFormOfLower(lower: string): string {
  let x = squeezeSpace(lower.replace(/[’‘]/g, "'"));
  if (x.endsWith(')')) x = x.replace(/ ?\(\d+\)$/, '');
  x = x.replace(/^\d+ (?=\p{L})/u, '');
  return trimPunct(x);
}

const EDGE = /[\s\p{P}\p{S}]/u;
/** Strips punctuation, symbols and spaces from both ends; a loop, because `[…]+$` backtracks quadratically. */
export function trimPunct(x: string): string {
  let a = 0, b = x.length;
  while (a < b && EDGE.test(x[a])) a++;
  while (b > a && EDGE.test(x[b - 1])) b--;
  return x.slice(a, b);
}

/**
 * The stop list for a language; for a language without a shipped list, the document's own most frequent short
 * words stand in (function words dominate any prose), so prose still scores as prose.
 */
export function stopListFor(lang: string | null, sample: string[][]): Set<string> {
  const d = data();
  const shipped = lang ? d.stop.get(lang) : undefined;
  if (shipped) return shipped;
  if (lang === null && !sample.length) return d.stop.get('en')!;
  const freq = new Map<string, number>();
  for (const words of sample) for (const w of words) if (w.length <= 5) { const k = w.toLowerCase(); freq.set(k, (freq.get(k) ?? 0) + 1); }
  const top = [...freq].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 40).map(([k]) => k);
  return top.length >= 20 ? new Set(top) : d.stop.get('en')!;
}

let masks: { langs: string[]; mask: Map<string, number> } | null = null;
/** Stop word → bit set of the shipped stop lists (in data order) that contain it: one lookup tests every list. */
export function stopMasks() {
  if (masks) return masks;
  const langs: string[] = [];
  const mask = new Map<string, number>();
  for (const [lang, list] of data().stop) {
    const bit = 1 << langs.length;
    langs.push(lang);
    for (const w of list) mask.set(w, (mask.get(w) ?? 0) | bit);
  }
  masks = { langs, mask };
  return masks;
}

/** The form stop lists are stored in. */
export const stopForm = (w: string): string => {
  const l = w.toLowerCase();
  return l.indexOf('’') < 0 ? l : l.replace(/’/g, "'");
};

export function stopDensity(words: string[], list: ReadonlySet<string>, normalised = false): number {
  if (!words.length) return 0;
  let n = 0;
  if (normalised) { for (const w of words) if (list.has(w)) n++; }
  else for (const w of words) if (list.has(stopForm(w))) n++;
  return n / words.length;
}

const NAME_PARTICLE = /^(?:van|von|der|den|de|da|di|del|della|dos|das|du|le|la|al|el|bin|ibn|ben|ter|zu|y|e)$/;
const NAME_TOKEN = /^(?:\p{Lu}[\p{L}'’-]*\.?|\p{Lu}\.(?:\p{Lu}\.)*)$/u;

/** "Jane Doe", "Filippo Costa Buranelli", "J. R. Smith", "Anne-Marie de la Tour": 2–5 capitalised tokens. */
export function isPersonName(s: string): boolean {
  const t = s.trim().replace(/\s+/g, ' ');
  if (t.length < 4 || t.length > 60 || /\d|[@|/:;!?"“”()]/.test(t)) return false;
  const parts = t.split(' ');
  if (parts.length < 2 || parts.length > 5) return false;
  if (/^(?:by|von|di|par|por|door|written|posted|the|a|an|der|die|das|ein|eine|il|lo|gli|los|las|les|un|une|una|o|os|het|een)$/i.test(parts[0])) return false;
  let caps = 0;
  for (const p of parts) {
    if (NAME_PARTICLE.test(p)) continue;
    if (!NAME_TOKEN.test(p)) return false;
    caps++;
  }
  if (caps < 2) return false;
  const lower = t.toLowerCase();
  const d = data();
  if (d.cues.authorJunk.some((j) => lower === j || lower.startsWith(`${j} `) || lower.endsWith(` ${j}`))) return false;
  // a name is not made of stop words ("About The", "In Brief")
  const low = parts.map((p) => p.toLowerCase().replace(/\.$/, ''));
  if (low.filter((p) => d.allStop.has(p) && !NAME_PARTICLE.test(p)).length * 2 >= parts.length) return false;
  return true;
}

/** Title-case an ALL-CAPS name ("JOHN SMITH" → "John Smith"); leave mixed case alone. */
export function nameCase(s: string): string {
  if (s !== s.toUpperCase()) return s;
  return s.toLowerCase().replace(/(^|[\s'’-])(\p{L})/gu, (_m, a: string, b: string) => a + b.toUpperCase());
}

/** Undo a flattener's gluing of adjacent elements ("Jane DoeNovember 5") at a lower→upper case change. */
export const deglue = (s: string): string => s.replace(/(\p{Ll}{3})(\p{Lu}|\d)/gu, '$1 $2');

/**
 * `/[.!?…]["”’»)\]]*$/`: a sentence stop, then only closing quotes and brackets. Read from the end, since the
 * regex would be tried at every stop in a long paragraph.
 */
export function endsSentence(s: string): boolean {
  let q = s.length;
  while (q > 0 && CLOSERS.includes(s[q - 1])) q--;
  return q > 0 && STOPS.includes(s[q - 1]);
}
const CLOSERS = '"”’»)]', STOPS = '.!?…';
