import { isCommonWord, isFunctionWord, isLexDemonym, lexType } from './lexicon.js';

/** A word of the text with exact UTF-16 offsets (possessive ending already cut off). */
export interface Token {
  start: number;
  end: number;
  text: string;
  /** Starts with a capital letter or a digit-led name part ("24" in "Rossiya 24" does not). */
  cap: boolean;
  /** Written in capitals, at least two letters ("CSTO", "KAZAKHSTAN", "U.S."). */
  caps: boolean;
  /** A name cannot run past this token: it had a possessive or a lowercase hyphen tail ("Russia-led"). */
  closes: boolean;
  /** First word of a sentence, a paragraph or a quotation, where capitals prove nothing. */
  initial: boolean;
  /** On a headline-style line (mostly capitals or Title Case), where capitals prove nothing either. */
  headline: boolean;
  /** Part of a known multi-word name on a headline line ("United Arab Emirates"), so a name whatever its words. */
  known?: boolean;
  /** Position in the token list. */
  index: number;
}

// Abbreviations whose period belongs to the word, so "St. Petersburg" and "Mr. Tokayev" stay one name.
const ABBREVIATIONS = new Set([
  'St', 'Mr', 'Mrs', 'Ms', 'Dr', 'Jr', 'Sr', 'Gen', 'Lt', 'Col', 'Sen', 'Rep', 'Gov', 'Prof', 'Rev', 'Inc', 'Corp', 'Co',
  'Ltd', 'Mt', 'Ft', 'Capt', 'Maj', 'Sgt', 'Adm', 'Cmdr', 'Gov', 'Pres', 'Supt', 'Hon', 'Messrs', 'Mx', 'Bros', 'Ste',
]);

// Dotted acronyms ("U.S."), words with inner hyphens/apostrophes, and brand domains ("Amazon.com").
const WORD = /(?:\p{Lu}\.){2,}|\p{Lu}+&\p{Lu}+\b|[\p{L}\p{N}]+(?:[-‐‑'’][\p{L}\p{N}]+)*(?:\.(?:com|net|org|io)\b)?|&/gu;
const WORD_AT = new RegExp(WORD.source, 'uy');
// Non-ASCII characters that can only end a word (no-break space, quotes, dashes, ellipsis).
const PLAIN_END = new Set([0xa0, 0x201c, 0x201d, 0x2014, 0x2013, 0x2026, 0xab, 0xbb, 0x2009, 0x202f]);
const DOMAIN_AFTER = /^(?:com|net|org|io)/;
const isAlnum = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
const OPENERS = new Set([...' \t\n\r\u00a0\u2009\u202f“"‘\'([•·*▪►■◦'].map((ch) => ch.charCodeAt(0)));

function isInitial(text: string, start: number, prev: Token | undefined): boolean {
  let i = start - 1;
  let newline = false;
  let code = i >= 0 ? text.charCodeAt(i) : 0;
  while (i >= 0 && OPENERS.has(code)) {
    if (code === 10) newline = true;
    code = --i >= 0 ? text.charCodeAt(i) : 0;
  }
  if (i < 0 || newline) return true;
  const c = text[i];
  if (c === '.') {
    // "St. Petersburg", "the U.S. sanctions": the period belongs to an abbreviation.
    return !(prev && prev.end === i + 1 && prev.text.endsWith('.') && (ABBREVIATIONS.has(prev.text.slice(0, -1)) || /^(?:\p{Lu}\.)+$/u.test(prev.text)))
      ? true
      : false;
  }
  return c === '!' || c === '?' || c === ':' || c === ';' || c === '…';
}

const letters = (s: string) => s.replace(/[^\p{L}]/gu, '');
// ASCII fast paths: these run on every word of every document.
const isCap = (s: string) => {
  const c = s.charCodeAt(0);
  if (c < 128) return c >= 65 && c <= 90;
  return /^\p{Lu}/u.test(s);
};
function isCaps(s: string): boolean {
  if (!isCap(s)) return false;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) n++;
    else if (c >= 97 && c <= 122) return false;
    else if (c >= 128) {
      const l = letters(s);
      return l.length >= 2 && l === l.toUpperCase();
    }
  }
  return n >= 2;
}

// A compound is split into its names when every part is one ("Russia-Kazakhstan", "US-China"),
// but "Nur-Sultan", "Baku-Tbilisi-Ceyhan" or "Kassym-Jomart" are single names.
const knownName = (part: string, isDemonym: (w: string) => boolean) =>
  lexType(part) === 'place' || isDemonym(part) || isLexDemonym(part);

/** Splits text into word tokens; `isDemonym` adds the alias table's demonyms to the lexicon's. */
export function tokenize(text: string, isDemonym: (w: string) => boolean): Token[] {
  const out: Token[] = [];
  const n = text.length;
  let p = 0;
  // The same matches as `text.matchAll(WORD)`, but a plain ASCII word ending in plain ASCII punctuation (most
  // words) is cut out without the regular expression; anything else is left to it, at the same position.
  while (p < n) {
    let c = text.charCodeAt(p);
    // No alternative of WORD can start on ASCII other than a letter, a digit or "&".
    while (c < 128 && !isAlnum(c) && c !== 38 && ++p < n) c = text.charCodeAt(p);
    if (p >= n) break;
    let start = p;
    let word: string;
    // Letters and digits only (the fast path's words): no hyphen to split at.
    let plain = false;
    if (c >= 128) {
      WORD.lastIndex = p;
      const m = WORD.exec(text);
      if (!m) break;
      start = m.index;
      word = m[0];
    } else if (c === 38) word = '&';
    else {
      let q = p + 1;
      while (q < n && isAlnum(text.charCodeAt(q))) q++;
      const next = q < n ? text.charCodeAt(q) : 32;
      // "&", "-", "'" or a non-ASCII letter may extend the match ("AT&T", "Russia-led", "Zürich"); so may "." after
      // a lone capital ("U.S.") or before a domain ("Amazon.com"), but a sentence-final period ends the word.
      const period = next === 46 && !(q - p === 1 && c >= 65 && c <= 90) && !DOMAIN_AFTER.test(text.slice(q + 1, q + 4));
      if (period || (next < 128 ? next !== 46 && next !== 38 && next !== 45 && next !== 39 : PLAIN_END.has(next))) {
        word = text.slice(p, q);
        plain = true;
      } else {
        WORD_AT.lastIndex = p;
        word = WORD_AT.exec(text)![0];
      }
    }
    p = start + word.length;
    let closes = false;
    const apos = word.length > 2 ? word[word.length - 2] : '';
    if ((apos === '’' || apos === "'") && (word.endsWith('s') || word.endsWith('S'))) {
      word = word.slice(0, -2);
      closes = true;
    }
    if (text[start + word.length] === '.' && !closes && (ABBREVIATIONS.has(word) || /^\p{Lu}$/u.test(word))) word += '.';
    const parts = !plain && (word.includes('-') || word.includes('‐') || word.includes('‑')) ? word.split(/(?<=[\p{L}\p{N}])[-‐‑](?=[\p{L}\p{N}])/u) : undefined;
    if (parts && parts.length > 1 && isCap(parts[0])) {
      const capParts = parts.filter(isCap);
      if (capParts.length < parts.length && !parts.some((p) => /^\p{N}/u.test(p)) && !/^(?:al|el|ul|ad|ibn|bin|de|da|di|von|van)$/iu.test(parts[1])) {
        // "Russia-led", "Nazarbayev-linked": the name is the capitalised head; the tail is an adjective.
        const lead: string[] = [];
        for (const p of parts) {
          if (!isCap(p)) break;
          lead.push(p);
        }
        word = lead.join('-');
        closes = true;
      } else if (capParts.length === parts.length && parts.every((p) => knownName(p, isDemonym))) {
        let offset = start;
        for (const p of parts) {
          out.push(makeToken(text, offset, p, true, out));
          offset += p.length + 1;
        }
        continue;
      }
    }
    out.push(makeToken(text, start, word, closes, out));
  }
  markHeadlines(text, out);
  return out;
}

const PARTICLE_PREFIX = /^(?:al|el|ad|ash|as|ibn|bin|ul|de|da|di|du|van|von)[-‐‑]\p{Lu}/u;

function makeToken(text: string, start: number, word: string, closes: boolean, out: Token[]): Token {
  const prev = out.at(-1);
  return {
    start,
    end: start + word.length,
    text: word,
    // "al-Falih", "el-Sisi", "bin-Salman": a lowercase particle fused to a capitalised name.
    cap: isCap(word) || (word.length > 3 && PARTICLE_PREFIX.test(word)),
    caps: isCaps(word),
    closes,
    initial: isInitial(text, start, prev),
    headline: false,
    // Set from the start so that every token has the same shape (the extractor's hot loops read them all).
    known: false,
    index: out.length,
  };
}

// Headlines ("SOCCER - JAPAN GET LUCKY WIN, CHINA IN SURPRISE DEFEAT.", "Kazakhstan Walks a Tightrope")
// capitalise ordinary words, so on such lines only words that are not ordinary English count as names.
function markHeadlines(text: string, tokens: Token[]): void {
  // Counted in place, without per-line arrays; the Title Case test (a dictionary look-up per word) runs only on
  // lines short enough to be a title and not already a capitals headline.
  const isWord = (t: Token) => t.text.length > 2 || (t.text.length === 2 && letters(t.text).length === 2);
  let i = 0;
  while (i < tokens.length) {
    const lineEnd = text.indexOf('\n', tokens[i].start);
    const end = lineEnd < 0 ? text.length : lineEnd;
    let j = i;
    let words = 0;
    let caps = 0;
    for (; j < tokens.length && tokens[j].start < end; j++) {
      if (!isWord(tokens[j])) continue;
      words++;
      if (tokens[j].caps) caps++;
    }
    let headline = words >= 3 && caps / words >= 0.6;
    if (!headline && words >= 4 && words <= 16) {
      let titled = true;
      let common = 0;
      for (let k = i; k < j && titled; k++) {
        const t = tokens[k];
        if (!isWord(t)) continue;
        if (!(t.cap || isFunctionWord(t.text))) titled = false;
        else if (t.cap && isCommonWord(t.text)) common++;
      }
      headline = titled && common >= 2;
    }
    if (headline) for (let k = i; k < j; k++) tokens[k].headline = true;
    i = j;
  }
}
