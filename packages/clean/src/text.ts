import { data } from './data.js';

/** Normalised key of a line, shared by in-document and cross-document repetition. */
export const lineKey = (line: string): string => squeezeSpace(line.trim().toLowerCase());

// Whitespace other than a lone ' ': only then does collapsing runs to one space change the text (it is rare, and
// the replace would copy every paragraph).
const UNUSUAL_SPACE = /\s\s|[^\S ]/;
export const hasUnusualSpace = (s: string): boolean => UNUSUAL_SPACE.test(s);
/** `s.replace(/\s+/g, ' ')`. */
export const squeezeSpace = (s: string): string => (UNUSUAL_SPACE.test(s) ? s.replace(/\s+/g, ' ') : s);

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;
const LETTER = /\p{L}/u, LETTER_OR_NUMBER = /[\p{L}\p{N}]/u;
// Per UTF-16 unit of the BMP: 0 not yet known, 1 letter, 2 number, 3 neither, 4 surrogate (astral text takes the regex).
const charClass = new Uint8Array(65536);
for (let c = 0; c < 128; c++) charClass[c] = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? 1 : c >= 48 && c <= 57 ? 2 : 3;
for (let c = 0xd800; c < 0xe000; c++) charClass[c] = 4;
const learnClass = (c: number): number => {
  const ch = String.fromCharCode(c);
  return (charClass[c] = LETTER.test(ch) ? 1 : LETTER_OR_NUMBER.test(ch) ? 2 : 3);
};
const classAt = (s: string, i: number): number => { const c = s.charCodeAt(i); return charClass[c] || learnClass(c); };
const isApostrophe = (s: string, i: number) => { const c = s.charCodeAt(i); return c === 39 || c === 0x2019; };

/**
 * Where the word that starts at `i` (a letter or digit) ends: a run of letters and digits, then apostrophe-joined
 * letter runs; -1 if it meets an astral character (text with those goes to the regex).
 */
function wordEnd(s: string, i: number): number {
  const n = s.length;
  let j = i + 1, c = 0;
  while (j < n && ((c = classAt(s, j)) === 1 || c === 2)) j++;
  while (c !== 4 && j + 1 < n && isApostrophe(s, j)) {
    c = classAt(s, j + 1);
    if (c !== 1) break;
    j += 2;
    while (j < n && (c = classAt(s, j)) === 1) j++;
  }
  return c === 4 ? -1 : j;
}

/**
 * The words of a text: runs of letters and digits, with apostrophe-joined letter runs ("don't", "l’homme"); the
 * same as matching WORD, hand-rolled because this runs over every block several times and the Unicode regex is
 * the stage's single largest cost. Text with astral characters goes to the regex.
 */
export function tokens(s: string): string[] {
  const out: string[] = [];
  for (let i = 0, n = s.length; i < n; ) {
    const k = classAt(s, i);
    if (k === 3) { i++; continue; }
    const j = k === 4 ? -1 : wordEnd(s, i);
    if (j < 0) return s.match(WORD) ?? [];
    out.push(s.slice(i, j));
    i = j;
  }
  return out;
}

/** `tokens(s).length`, without building the words. */
export function countWords(s: string): number {
  let count = 0;
  for (let i = 0, n = s.length; i < n; ) {
    const k = classAt(s, i);
    if (k === 3) { i++; continue; }
    const j = k === 4 ? -1 : wordEnd(s, i);
    if (j < 0) return s.match(WORD)?.length ?? 0;
    count++;
    i = j;
  }
  return count;
}

/** What the classifier and the language sample need of a block's words, without the words themselves. */
export interface BodyWords {
  /** `tokens(s).length`. */
  n: number;
  /** The words' `stopForm`s. */
  forms: string[];
  /** `s.toLowerCase()`, where the forms are its spans (null otherwise). */
  lower: string | null;
  /** How many words start with a capital letter. */
  upper: number;
  /** Per shipped stop list (in `stopMasks` order), how many of the words are on it. */
  stops: number[];
  /** `hasUnusualSpace(s)`. */
  unusualSpace: boolean;
}

const UPPER = /^\p{Lu}/u;
// per UTF-16 unit: 0 not yet known, 1 an upper-case letter, 2 not
const upperClass = new Uint8Array(65536);
for (let c = 0; c < 128; c++) upperClass[c] = c >= 65 && c <= 90 ? 1 : 2;
const learnUpper = (c: number): number => (upperClass[c] = UPPER.test(String.fromCharCode(c)) ? 1 : 2);
/** `/^\p{Lu}/u.test(w)`. */
const startsUpper = (w: string): boolean => {
  const c = w.charCodeAt(0);
  if (c >= 0xd800 && c <= 0xdfff) return UPPER.test(w);
  return (upperClass[c] || learnUpper(c)) === 1;
};

/**
 * What the classifier needs of the words of `s` (`tokens(s)`): their `stopForm`s, their number, how many are
 * capitalised and on each stop list. The words themselves are not kept (most are never looked at again; `tokens`
 * gives them where they are).
 */
export function bodyWords(s: string): BodyWords {
  let b: { forms: string[]; lower: string | null; upper: number; unusualSpace: boolean } | null = bodyFast(s);
  if (!b) {
    const words = tokens(s);
    let upper = 0;
    for (const w of words) if (startsUpper(w)) upper++;
    b = { forms: words.map(stopForm), lower: null, upper, unusualSpace: hasUnusualSpace(s) };
  }
  const { langs, mask, shapes } = stopMasks();
  const stops = new Array<number>(langs.length).fill(0);
  for (const f of b.forms) {
    if (!shapes[shapeOf(f)]) continue;
    let m = mask.get(f);
    if (m) for (let k = 0; m; k++, m >>>= 1) if (m & 1) stops[k]++;
  }
  return { n: b.forms.length, forms: b.forms, lower: b.lower, upper: b.upper, stops, unusualSpace: b.unusualSpace };
}

// per UTF-16 unit: 0 not yet known, 1 white space (`\s`), 2 not
const spaceClass = new Uint8Array(65536);
for (let c = 0; c < 128; c++) spaceClass[c] = (c >= 9 && c <= 13) || c === 32 ? 1 : 2;
const learnSpace = (c: number): number => (spaceClass[c] = /\s/.test(String.fromCharCode(c)) ? 1 : 2);

/**
 * `bodyWords` by spans of the lower-cased text; null where that does not apply. Lower-casing is one call for the
 * whole text rather than one per word (per word it is a slow runtime call for two-byte text): apart from U+0130
 * (İ, which lengthens) and Σ (whose form depends on what follows), lower-casing maps each UTF-16 unit of the BMP
 * to one unit on its own, so a word's form is the same span of the lower-cased text. Texts with those letters, or
 * astral ones, go word by word. The scan sees every character between words, so it also answers
 * `hasUnusualSpace`: a space before a space, or other white space.
 */
function bodyFast(s: string): { forms: string[]; lower: string; upper: number; unusualSpace: boolean } | null {
  if (/[\u0130\u03a3]/.test(s)) return null;
  const lower = s.toLowerCase();
  if (lower.length !== s.length) return null; // (cannot happen, by the above)
  const low = lower.indexOf('’') >= 0 ? lower.replace(/’/g, "'") : lower;
  const forms: string[] = [];
  let upper = 0, unusualSpace = false;
  for (let i = 0, n = s.length; i < n; ) {
    const k = classAt(s, i);
    if (k === 3) {
      const c = s.charCodeAt(i);
      if (c === 32 ? s.charCodeAt(i + 1) === 32 : (spaceClass[c] || learnSpace(c)) === 1) unusualSpace = true;
      i++;
      continue;
    }
    const j = k === 4 ? -1 : wordEnd(s, i);
    if (j < 0) return null;
    forms.push(low.slice(i, j));
    const c = s.charCodeAt(i);
    if ((upperClass[c] || learnUpper(c)) === 1) upper++;
    i = j;
  }
  return { forms, lower, upper, unusualSpace };
}

export const BULLET = /^(?:[•·▪◦‣●○■□►▸›»✓✔➤\-–*+]|\d{1,2}[.)])\s+/;

/** Lower-cased, bullets/counters/edge punctuation stripped: the form cue phrases are matched against. */
export function cueForm(s: string): string {
  return cueFormOfLower(s.trim().replace(BULLET, '').toLowerCase());
}

/**
 * `cueForm` of a trimmed text, given its body (bullet removed) lower-cased; `unusualSpace`, when the caller knows
 * it, is `hasUnusualSpace(lower)`. Each replace runs only where it can match (a global replace scans and
 * allocates even when it finds nothing).
 */
export function cueFormOfLower(lower: string, unusualSpace = hasUnusualSpace(lower)): string {
  let x = lower.indexOf('’') < 0 && lower.indexOf('‘') < 0 ? lower : lower.replace(/[’‘]/g, "'");
  if (unusualSpace) x = x.replace(/\s+/g, ' '); // (the quotes replaced are not white space)
  if (x.endsWith(')')) x = x.replace(/ ?\(\d+\)$/, '');
  const c0 = x.charCodeAt(0);
  if (c0 >= 48 && c0 <= 57) x = x.replace(/^\d+ (?=\p{L})/u, '');
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

let masks: { langs: string[]; mask: Map<string, number>; shapes: Uint8Array } | null = null;
/**
 * Stop word → bit set of the shipped stop lists (in data order) that contain it: one lookup tests every list.
 * `shapes` marks, by `shapeOf`, the lengths and ASCII first and last letters stop words have: a word of another
 * shape is on no list, which an index into it says without hashing the word.
 */
export function stopMasks() {
  if (masks) return masks;
  const langs: string[] = [];
  const mask = new Map<string, number>();
  const shapes = new Uint8Array(SHAPES);
  for (const [lang, list] of data().stop) {
    const bit = 1 << langs.length;
    langs.push(lang);
    for (const w of list) {
      mask.set(w, (mask.get(w) ?? 0) | bit);
      shapes[shapeOf(w)] = 1;
    }
  }
  masks = { langs, mask, shapes };
  return masks;
}
// a word's length (up to 15), first and last UTF-16 unit (up to 127; any other unit is 127, as is a word over 15)
const SHAPES = 16 * 128 * 128;
const shapeOf = (w: string): number => {
  const n = w.length;
  if (n > 15) return SHAPES - 1;
  const a = w.charCodeAt(0), b = w.charCodeAt(n - 1);
  return (n * 128 + (a < 127 ? a : 127)) * 128 + (b < 127 ? b : 127);
};

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
