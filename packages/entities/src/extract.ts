import type { DocumentEntity, EntityType } from '@corpus/schema';
import type { AliasHit, AliasIndex } from './aliases.js';
import { foldName, initialisms } from './fold.js';
import {
  DESCRIPTORS, KEEP_DESCRIPTOR, NOT_ENTITIES, ORG_FIRST, PARTICLES, PERSON_CUES, PLACE_CUES, TITLES, TITLE_MAX_TOKENS,
  firstWordType, headType, placeFirstWord, isCommonWord, isTitleFirst, isTitleHead, isFirstName, isFunctionWord, isLastName, isLexDemonym, isTimeWord, lexTags, lexType,
} from './lexicon.js';
import { tagText } from './tagger.js';
import { type Token, tokenize } from './tokens.js';
import { Lru, memoize } from './memo.js';

/** How sure a type is: from knowledge or form (strong), or from context or a default (weak). */
type Strength = 2 | 1 | 0;

export interface Candidate {
  start: number;
  end: number;
  tokens: Token[];
  title?: string;
  type?: EntityType;
  strength: Strength;
  /** Canonical name from the alias table. */
  canonical?: string;
  /** Set for acronyms: the expansion's candidate. */
  expansion?: Candidate;
  /** Unknown single word at a sentence start: compromise decides whether it is a name. */
  doubtful?: boolean;
  /** Why the type was chosen (kept for debugging and tests). */
  rule: string;
}

const CONNECT_OF = new Set(['of', 'for', 'on']);
const CORPORATE = /^(?:Inc\.?|Corp\.?|Co\.?|Cos\.?|Ltd\.?|Plc|PLC|plc|AG|SA|S\.A\.|NV|N\.V\.|SpA|LLC|GmbH|Group|Holdings|Bhd|AB|ASA|Oyj|SE)$/;
// Company-name endings ("Commerzbank", "Gazprom", "Rosneft", "Aeroflot", "Lukoil").
const ORG_SHAPE = /\p{Ll}(?:bank|corp|tech|soft|prom|neft|atom|flot|oil|gaz|com|net|air|tel|media|pharm)$/u;
// Surname endings of Slavic, Turkic, Armenian, Georgian and Baltic families ("Nazarbayev", "Keosayan").
const SURNAME_SHAPE = /\p{Ll}(?:ov|ova|ev|eva|yev|yeva|ayev|enko|chenko|sky|skiy|skaya|ski|vich|wicz|yan|shvili|dze|oglu|ogly|uly|kyzy)$/u;
// Town and region endings ("Donetsk", "Yekaterinburg", "Kazakhstan", "Sevastopol", "Islamabad").
const PLACE_SHAPE = /\p{Ll}(?:sk|stan|burg|bourg|grad|gorod|pol|abad|ville|shire)$/u;
// Descriptors by their first word, in the list's order (longest first), so a look-up tries only those that can match.
const DESCRIPTORS_BY_FIRST = new Map<string, typeof DESCRIPTORS>();
for (const d of DESCRIPTORS) DESCRIPTORS_BY_FIRST.set(d.words[0], [...(DESCRIPTORS_BY_FIRST.get(d.words[0]) ?? []), d]);
/** Whether text[from, to) is one to three spaces, tabs or no-break spaces (a gap inside a name). */
function isGap(text: string, from: number, to: number): boolean {
  if (to - from < 1 || to - from > 3) return false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 0xa0) return false;
  }
  return true;
}
// Lexicon tags under which compromise may still call a word a verb in context ("proposed", "backs"); modals
// ("will", "could") never are.
const AMBIGUOUS_VERB_TAGS = new Set(['Adjective', 'Infinitive', 'Verb', 'Participle', 'Noun', 'Singular', 'Plural', 'Gerund', 'Uncountable', 'Copula', 'Auxiliary']);
const AUXILIARIES = new Set(['do', 'does', 'did', 'has', 'have', 'had', 'having', 'be', 'been', 'being']);

export interface ExtractStats {
  /** Sentences handed to compromise because the cheap pass could not decide. */
  compromiseSentences: number;
  compromiseChars: number;
}

function isDemonymWord(w: string, aliases: AliasIndex): boolean {
  return aliases.isDemonym(w) || isLexDemonym(w) || (w.endsWith('s') && (aliases.isDemonym(w.slice(0, -1)) || isLexDemonym(w.slice(0, -1))));
}

/** Can this token be part of a name, judged from the word alone? */
function nameish(t: Token, aliases: AliasIndex): boolean {
  if (t.known) return true;
  if (!t.cap && !allDigits(t.text)) return false;
  if (startsWithDigit(t.text)) return false;
  if (isFunctionWord(t.text) && !lexType(t.text) && !(t.caps && aliases.lookup(t.text))) return false;
  if (isTimeWord(t.text)) return false;
  if (t.headline || (t.caps && t.text.length > 4 && !/\./.test(t.text))) {
    // In capitals, an ordinary word ("WIN", "STRATEGIC") is not a name.
    if (aliases.lookup(t.text) || lexType(t.text)) return true;
    if (isCommonWord(t.text, 'headline') || NOT_ENTITIES.has(titleCase(t.text))) return false;
  }
  return true;
}

// `/^\p{N}+$/u`, answered without the regular expression when the first character is an ASCII non-digit.
const allDigits = (w: string) => {
  const c = w.charCodeAt(0);
  return c < 128 && (c < 48 || c > 57) ? false : /^\p{N}+$/u.test(w);
};
const startsWithDigit = (w: string) => {
  const c = w.charCodeAt(0);
  return c < 128 ? c >= 48 && c <= 57 : /^\p{N}/u.test(w);
};
const titleCase = (w: string) => w.charAt(0) + w.slice(1).toLowerCase();

/**
 * What the alias table and the lexicon say about a span of the document's tokens, kept per document under the
 * span's first and last token: the same spans are asked about again and again while candidates are trimmed and
 * classified, and a number key spares cutting the span's text out and hashing it in the large shared memos.
 */
class Spans {
  private readonly hits = new Map<number, AliasHit | null>();
  private readonly types = new Map<number, EntityType | null>();
  // Per token: 0 not asked yet, 1 yes, 2 no (tokens are asked again each time their span is trimmed).
  private readonly titleFirsts: Int8Array;
  private readonly demonyms: Int8Array;
  constructor(
    readonly text: string,
    readonly aliases: AliasIndex,
    private readonly count: number,
  ) {
    this.titleFirsts = new Int8Array(count);
    this.demonyms = new Int8Array(count);
  }
  /** Whether a title can start with this token's word. */
  titleFirst(t: Token): boolean {
    let v = this.titleFirsts[t.index];
    if (v === 0) this.titleFirsts[t.index] = v = isTitleFirst(t.text) ? 1 : 2;
    return v === 1;
  }
  demonym(t: Token): boolean {
    let v = this.demonyms[t.index];
    if (v === 0) this.demonyms[t.index] = v = isDemonymWord(t.text, this.aliases) ? 1 : 2;
    return v === 1;
  }
  lookup(a: Token, b: Token): AliasHit | undefined {
    const k = a.index * this.count + b.index;
    let hit = this.hits.get(k);
    if (hit === undefined) this.hits.set(k, (hit = this.aliases.lookup(this.text.slice(a.start, b.end)) ?? null));
    return hit ?? undefined;
  }
  lexType(a: Token, b: Token): EntityType | undefined {
    const k = a.index * this.count + b.index;
    let type = this.types.get(k);
    if (type === undefined) this.types.set(k, (type = lexType(this.text.slice(a.start, b.end)) ?? null));
    return type ?? undefined;
  }
}

/** Groups tokens into candidate name spans (before titles, demonyms and sentence-initial words are trimmed). */
function rawSpans(text: string, tokens: Token[], aliases: AliasIndex): Token[][] {
  for (let i = 0; i < tokens.length; i++) {
    if (!tokens[i].headline || !tokens[i].cap) continue;
    for (let n = Math.min(5, tokens.length - i); n >= 2; n--) {
      const last = tokens[i + n - 1];
      if (!last.cap || !last.headline) continue;
      const phrase = text.slice(tokens[i].start, last.end);
      if (phrase.includes('\n') || !(aliases.lookup(phrase) || lexType(phrase))) continue;
      for (let k = i; k < i + n; k++) tokens[k].known = true;
      i += n - 1;
      break;
    }
  }
  // Most tokens are asked about twice (as a name part, and as the word after a connector).
  const judged = new Int8Array(tokens.length);
  const isNamePart = (t: Token): boolean => {
    let v = judged[t.index];
    if (v === 0) judged[t.index] = v = nameish(t, aliases) ? 1 : 2;
    return v === 1;
  };
  const spans: Token[][] = [];
  let cur: Token[] = [];
  const flush = () => {
    if (cur.length) spans.push(cur);
    cur = [];
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const prev = cur.at(-1);
    const joined = prev && !prev.closes && isGap(text, prev.end, t.start);
    // A number continues a name only as its last part ("Rossiya 24", "World War 2" is rare but fine).
    if (isNamePart(t)) {
      if (!joined) flush();
      cur.push(t);
      continue;
    }
    // Connectors inside names: "Council of Europe", "Organization of the Collective Security Treaty",
    // "Belt and Road Initiative", "Charles de Gaulle".
    if (prev && joined && (!t.cap || PARTICLES.has(t.text.toLowerCase()))) {
      const lower = t.text.toLowerCase();
      let j = i + 1;
      if (CONNECT_OF.has(lower) && tokens[j]?.text === 'the') j++;
      // "Nikolaus van der Pas", "Abu Bakr al-Baghdadi"
      while (PARTICLES.has(lower) && tokens[j] && PARTICLES.has(tokens[j].text) && j - i < 3) j++;
      const next = tokens[j];
      const gapsOk = next && tokens.slice(i, j + 1).every((x, k, arr) => k === 0 || isGap(text, arr[k - 1].end, x.start));
      if (gapsOk && isNamePart(next) && !next.initial) {
        let ok = false;
        if (CONNECT_OF.has(lower)) {
          ok = headType(prev.text) !== undefined || ORG_FIRST.has(cur[0].text) || headType(cur[0].text) === 'organization';
          // "Secretary of State Hillary Clinton": a title with "of" stays whole, to be cut off as a title.
          if (TITLES.has(`${prev.text} ${lower} ${next.text}`.toLowerCase())) ok = true;
          if (lower !== 'of' && headType(prev.text) !== 'organization') ok = false;
        } else if ((lower === 'and' || lower === '&') && !headType(prev.text) && !lexType(text.slice(cur[0].start, prev.end))) {
          // Only when the whole is one name: it ends in a name head or is a known name.
          let k = j;
          while (tokens[k + 1] && isNamePart(tokens[k + 1]) && isGap(text, tokens[k].end, tokens[k + 1].start) && !tokens[k].closes) k++;
          const whole = text.slice(cur[0].start, tokens[k].end);
          const ht = headType(tokens[k].text);
          ok = (ht !== undefined && ht !== 'place' && (ht === 'organization' || lexType(tokens[k].text) === undefined)) || !!aliases.lookup(whole) || !!lexType(whole);
          if (ok && cur.length === 1 && lexType(cur[0].text) === 'place' && !aliases.lookup(whole) && !lexType(whole)) ok = false;
        } else if (PARTICLES.has(lower)) {
          ok = lexType(prev.text) !== 'place' && lexType(next.text) !== 'place';
        }
        if (ok) {
          for (let k = i; k <= j; k++) cur.push(tokens[k]);
          i = j;
          continue;
        }
      }
    }
    flush();
  }
  flush();
  return spans;
}

/** The name's head word (before "of", else the last word) makes it an institution or event: "Academy of Sciences". */
function nameHead(toks: Token[]): string | undefined {
  const conn = toks.findIndex((t) => !t.cap && !/^\p{N}/u.test(t.text));
  const word = conn > 0 ? toks[conn - 1].text : toks.at(-1)?.text;
  return word === undefined ? undefined : word;
}
const institutional = (toks: Token[]) => {
  const h = nameHead(toks);
  const t = h && (headType(h) ?? headType(titleCase(h)));
  return t === 'organization' || t === 'event';
};

/** Longest title at the start of `toks` ("President", "Prime Minister", "Mr."), as a token count. */
function titleLength(spans: Spans, toks: Token[]): number {
  for (let n = toks.length && spans.titleFirst(toks[0]) ? Math.min(TITLE_MAX_TOKENS, toks.length) : 0; n >= 1; n--) {
    const phrase = toks.slice(0, n).map((t) => t.text).join(' ').toLowerCase();
    if (TITLES.has(phrase)) return n;
  }
  // "Energy Minister", "Deputy Foreign Minister", "Chief Financial Officer": ordinary words before a title word.
  for (let n = Math.min(4, toks.length); n >= 2; n--) {
    if (!isTitleHead(toks[n - 1].text)) continue;
    if (toks.slice(0, n - 1).every((t) => TITLES.has(t.text.toLowerCase()) || isCommonWord(t.text, 'lexicon') || NOT_ENTITIES.has(t.text))) return n;
  }
  return 0;
}

/** Trims one raw span to the proper-name part and classifies it; may split it or drop it. */
function refine(spans: Spans, raw: Token[]): Candidate[] {
  const { text, aliases } = spans;
  let toks = raw.slice();
  let title: string | undefined;
  // Asked repeatedly while the span is trimmed: the answer for the current first and last token is kept.
  let knownFor: Token | undefined;
  let knownTo: Token | undefined;
  let knownHit = false;
  const known = (): boolean => {
    const a = toks[0], b = toks[toks.length - 1];
    if (a !== knownFor || b !== knownTo) {
      knownHit = !!(spans.lookup(a, b) || spans.lexType(a, b));
      knownFor = a;
      knownTo = b;
    }
    return knownHit;
  };

  // A capitalised ordinary word opening a sentence ("Reflecting", "Subsequently", "Both") is not a name.
  // "Winger Brett Mullins", "Striker Igor Shkvyrin": a role word before a given name opens the sentence.
  if (toks.length >= 3 && toks[0].initial && !lexType(toks[0].text) && isFirstName(toks[1].text) && titleLength(spans, toks) === 0) toks.shift();
  // ("United Auto Workers", "Royal Dutch Shell" keep their adjective when two more name words follow.)
  const adjectiveLead = (t: Token) => toks.length >= 3 && lexTags(t.text).every((g) => g === 'Adjective' || g === 'PastTense' || g === 'Participle');
  while (toks.length && (toks[0].initial || toks[0].headline) && !known() && !aliases.lookup(toks[0].text) && !adjectiveLead(toks[0]) && (isCommonWord(toks[0].text) || isFunctionWord(toks[0].text) || NOT_ENTITIES.has(toks[0].text)) && !lexType(toks[0].text) && titleLength(spans, toks) === 0) toks.shift();
  if (!toks.length) return [];

  let tl = titleLength(spans, toks);
  // "Former President", "Deputy Prime Minister": titles stack.
  while (tl && tl < toks.length && titleLength(spans, toks.slice(tl))) tl += titleLength(spans, toks.slice(tl));
  if (tl && !known()) {
    const rest = toks.slice(tl);
    const orgLike = institutional(rest) || rest.some((t) => headType(t.text) === 'organization' || headType(t.text) === 'event');
    if (rest.length && !orgLike && !(lexType(text.slice(rest[0].start, rest.at(-1)!.end)) && rest.length === 1 && lexType(rest[0].text) !== 'person')) {
      title = text.slice(toks[0].start, toks[tl - 1].end);
      toks = rest;
    } else if (!rest.length) return [];
  }

  // A title inside the span splits it: "U.N. Secretary-General Antonio Guterres", "Microsoft CEO Satya Nadella".
  if (!title && !known()) {
    for (let k = 1; k < toks.length - 1; k++) {
      const n = titleLength(spans, toks.slice(k));
      if (!n || k + n >= toks.length) continue;
      const rest = toks.slice(k + n);
      if (rest.some((t) => headType(t.text) === 'organization' || headType(t.text) === 'event') || !rest[0].cap) continue;
      if (toks.slice(0, k).every((t) => spans.demonym(t) || NOT_ENTITIES.has(t.text))) continue;
      const person = refine(spans, toks.slice(k));
      return [...refine(spans, toks.slice(0, k)), ...person];
    }
  }

  // Demonyms are adjectives, not names ("Kazakh government", "Russian Duma"), unless the whole is a name
  // ("Russian Academy of Sciences", "Eurasian Economic Union").
  if (!known()) {
    let last = -1;
    toks.forEach((t, k) => {
      if (spans.demonym(t)) last = k;
    });
    if (last >= 0 && !institutional(toks.slice(last + 1))) toks = toks.slice(last + 1);
  }
  if (!toks.length) return [];
  const tl2 = title ? 0 : titleLength(spans, toks);
  if (tl2 && !known() && !institutional(toks.slice(tl2)) && !toks.slice(tl2).some((t) => headType(t.text) === 'organization' || headType(t.text) === 'event')) {
    // "Chinese President Xi Jinping": the title follows the demonym.
    if (toks.length === tl2) return [];
    title = text.slice(toks[0].start, toks[tl2 - 1].end);
    toks = toks.slice(tl2);
  }

  // Trailing ordinary plural/nouns ("Donetsk People’s Republics", "Rossia-24 TV") describe the name.
  while (toks.length > 1 && !known() && !toks.some((t) => !t.cap || headType(t.text))) {
    const t = toks.at(-1)!;
    const ht = headType(t.text);
    // Only a generic word, or a common noun cut off by a possessive ("People’s"), is dropped: many names end
    // in ordinary plurals ("United Auto Workers").
    const generic = NOT_ENTITIES.has(t.text) || (t.closes && isCommonWord(t.text, 'lexicon'));
    if (ht === undefined && generic && !isLastName(t.text) && !(toks.length === 2 && isFirstName(toks[0].text))) toks.pop();
    else break;
  }
  // Leading generic words ("Central Asian", "Security Treaty …" truncated spans never get here; "Foreign" does).
  const compound = () => toks.some((t) => !t.cap || headType(t.text));
  while (toks.length > 1 && !known() && !compound() && NOT_ENTITIES.has(toks[0].text) && lexType(text.slice(toks[1].start, toks.at(-1)!.end)) !== 'place') toks.shift();

  // "Head of the Ministry of Foreign Affairs Murat Nurtleu": an institution directly followed by a person.
  const split = toks.findIndex(
    (t, k) =>
      k > 0 && k >= toks.length - 3 && k < toks.length - 1 &&
      (headType(toks[k - 1].text) === 'organization' || (toks[k - 1].cap && k === toks.length - 2 && toks.slice(0, k - 1).some((x) => !x.cap) && !isFirstName(toks[k - 1].text))) &&
      toks.slice(k).every((x) => x.cap && !x.caps && !headType(x.text) && lexType(x.text) !== 'place' && !isCommonWord(x.text, 'lexicon')),
  );
  if (split > 0) {
    return [...refine(spans, toks.slice(0, split)), ...refine(spans, toks.slice(split))];
  }

  if (toks.length === 1 && !spans.lookup(toks[0], toks[0])) {
    const w = toks[0].text;
    // A lone head word ("the Forum", "the Council") or a common word is the noun, not a name.
    const tw = titleCase(w);
    if (NOT_ENTITIES.has(w) || NOT_ENTITIES.has(tw) || ((headType(w) || headType(tw)) && !lexType(w))) return [];
    if (!toks[0].caps && isCommonWord(w) && !lexType(w)) return [];
    if (/^\p{Lu}\.?$/u.test(w)) return [];
    // AP-style party and state tags: "Elizabeth Warren, D-Mass., said".
    if (/^[DRI]-\p{Lu}/u.test(w) && /^,/.test(text.slice(toks[0].end).replace(/^\./, ''))) return [];
    // "the Eurasian area", "Caucasian states": an adjective of origin before a noun.
    if (!lexType(w) && /(?:ian|ean|ese|ish|ic)$/.test(w)) {
      const nextWord = text.slice(toks[0].end, toks[0].end + 30).match(/^[ \u00a0]+(\p{Ll}+)/u)?.[1];
      if (nextWord && !DESCRIPTORS_BY_FIRST.has(nextWord)) return [];
    }
  }
  const c: Candidate = { start: toks[0].start, end: toks.at(-1)!.end, tokens: toks, title, strength: 0, rule: 'none' };
  classify(spans, c);
  if (!c.type && toks.length === 1 && (toks[0].initial || toks[0].headline) && !toks[0].caps) c.doubtful = true;
  return [c];
}

const spaceAt = (text: string, i: number) => {
  const c = text.charCodeAt(i);
  return c === 32 || c === 0xa0;
};
const EMPLOYER_LINKS = ['at', 'with', 'from', 'of'];
/**
 * Whether the text before `pos` ends in one of `words` (lowercase ASCII, matched in any case) and then spaces:
 * a cheap necessary condition for the context patterns that end that way, tested first so that the patterns
 * (which try every start position) run only where they can match. Non-ASCII there defers to the pattern.
 */
function endsInWord(text: string, pos: number, words: readonly string[]): boolean {
  let i = pos - 1;
  if (!spaceAt(text, i)) return false;
  while (i >= 0 && spaceAt(text, i)) i--;
  for (const w of words) {
    if (i + 1 < w.length) continue;
    let k = 0;
    for (; k < w.length; k++) {
      let ch = text.charCodeAt(i - w.length + 1 + k);
      if (ch >= 128) return true;
      if (ch >= 65 && ch <= 90) ch += 32;
      if (ch !== w.charCodeAt(k)) break;
    }
    if (k === w.length) return true;
  }
  return false;
}

function classify(spans: Spans, c: Candidate): void {
  const { text } = spans;
  const toks = c.tokens;
  const name = text.slice(c.start, c.end);
  const set = (type: EntityType, strength: Strength, rule: string) => {
    c.type = type;
    c.strength = strength;
    c.rule = rule;
  };
  const hit = spans.lookup(toks[0], toks[toks.length - 1]);
  if (hit) {
    c.canonical = hit.name;
    if (hit.type) return set(hit.type, 2, 'alias');
  }
  // Datelines: "AL-AIN, United Arab Emirates 1996-12-06", "BRUSSELS 1996-08-22", "MOSCOW (Reuters) -".
  const lineStart = c.start === 0 || text[c.start - 1] === '\n';
  if (lineStart && toks.every((t) => t.caps) && /^(?:,[^\n]{0,40})?[ \u00a0]+(?:\d{4}-\d\d-\d\d|\d{1,2}[ \u00a0]+\p{Lu}\p{Ll}+|\p{Lu}\p{Ll}+\.?[ \u00a0]+\d{1,2}\b|\((?:Reuters|AP|AFP|Reuter)\))/u.test(text.slice(c.end, c.end + 60)))
    return set('place', hit ? 2 : 1, 'dateline');
  const lt = spans.lexType(toks[0], toks[toks.length - 1]);
  if (lt && (toks.length > 1 || lt !== 'person' || c.title)) return set(lt, 2, 'lexicon');
  if (c.title && !toks.some((t) => headType(t.text))) return set('person', 2, 'title');
  const last = toks.at(-1)!.text;
  const first = toks[0].text;
  if (toks.length > 1) {
    // "Security Council of Kazakhstan": the head is the word before the connector.
    const conn = toks.findIndex((t) => !t.cap && !/^\p{N}/u.test(t.text));
    const ht = (conn > 0 ? headType(toks[conn - 1].text) : undefined) ?? headType(last);
    if (ht) return set(ht, 2, 'head');
    const ft = firstWordType(first);
    if (ft && toks.some((t) => t.text === 'of')) return set(ft, 2, 'first-word');
    if (placeFirstWord(first) && !c.title) return set('place', 1, 'place-first-word');
  }
  // "Kashagan oil field", "the Atyrau region", "the Baku-Tbilisi-Ceyhan pipeline", "Rossia-24 TV".
  const after = spaceAt(text, c.end) && text.slice(c.end, c.end + 40).match(/^[ \u00a0]+([\p{L}]+)(?:[ \u00a0]+([\p{L}]+))?/u);
  if (after) {
    for (const d of DESCRIPTORS_BY_FIRST.get(after[1]) ?? []) {
      const words = [after[1], after[2]].slice(0, d.words.length);
      if (words.length === d.words.length && words.every((w, k) => w === d.words[k])) {
        if (KEEP_DESCRIPTOR.has(d.words.join(' '))) {
          c.end = c.end + after[0].length;
        }
        return set(d.type, 1, 'descriptor');
      }
    }
  }
  // "analysts at Merrill Lynch", "an economist with Morgan Stanley": an employer, whatever its words.
  if (endsInWord(text, c.start, EMPLOYER_LINKS) && /\b(?:analysts?|economists?|strategists?|traders?|dealers?|executives?|officials?|spokes(?:man|woman|person)|employees?|shareholders?)[ \u00a0]+(?:at|with|from|of)[ \u00a0]+$/iu.test(text.slice(Math.max(0, c.start - 30), c.start)))
    return set('organization', 1, 'employer-cue');
  if (toks.length > 1 && !toks.some((t) => /\p{N}/u.test(t.text))) {
    const personish =
      isFirstName(first) ||
      (isLastName(last) && lexType(first) !== 'place') ||
      toks.some((t) => PARTICLES.has(t.text.toLowerCase()) && !t.cap) ||
      (toks.length <= 3 && toks.every((t) => !t.caps && (!lexType(t.text) || lexType(t.text) === 'person') && !isCommonWord(t.text, 'lexicon') && !NOT_ENTITIES.has(t.text) && !headType(t.text)));
    if (personish) return set('person', isFirstName(first) ? 2 : 1, 'person-form');
  }
  if (toks.length === 1 && lt) {
    // "in Sydney", "in Houston": a place cue outweighs a lexicon that knows the word as a given name.
    const cue = spaceAt(text, c.start - 1) ? text.slice(Math.max(0, c.start - 8), c.start).match(/(\p{L}+)[ \u00a0]+$/u)?.[1] : undefined;
    if (lt === 'person' && cue && PLACE_CUES.has(cue.toLowerCase()) && !c.title) return set('place', 1, 'place-cue');
    return set(lt, 1, 'lexicon-name');
  }
  // "New Kazakhstan", "Old Europe": a label built on a place name, not the place.
  if (toks.length === 2 && /^(?:New|Old|Greater|Great)$/.test(first) && lexType(last) === 'place' && !hit) return set('other', 1, 'place-label');
  if (toks.length > 1) {
    const lastType = lexType(last);
    if (lastType === 'place') return set('place', 1, 'last-word');
  }
  if (hit) return;
  // Context: "said Ladki", "Ladki said" lean to a person; "in Sochi", "at Davos" to a place.
  if (toks.length === 1 && toks[0].caps && toks[0].text.replace(/\./g, '').length <= 6 && !toks[0].headline) return set('organization', 1, 'acronym');
  if (toks.length === 1 && !toks[0].caps) {
    // Word shapes: camel case is a brand ("KazMunayGas", "PayPal"); some endings mark surnames or towns.
    if (/\p{Ll}\p{Lu}/u.test(name) && !/^(?:Mc|Mac|O'|O’|De|Di|Da|La|Le|Van|Von)\p{Lu}/u.test(name)) return set('organization', 1, 'camel-case');
    const next = text.slice(c.end, c.end + 20).match(/^[ \u00a0]+([\p{L}]+)/u)?.[1];
    if (next && PERSON_CUES.has(next)) return set('person', 1, 'person-cue');
    if (SURNAME_SHAPE.test(name)) return set('person', 1, 'surname-shape');
    if (ORG_SHAPE.test(name)) return set('organization', 1, 'org-shape');
    if (PLACE_SHAPE.test(name)) return set('place', 1, 'place-shape');
    // (The pattern ends in a space: a name right after anything else is spared the search.)
    const before = spaceAt(text, c.start - 1) ? text.slice(Math.max(0, c.start - 12), c.start).match(/([\p{L}]+)[ \u00a0]+(?:the[ \u00a0]+)?$/u)?.[1] : undefined;
    if (before && PLACE_CUES.has(before.toLowerCase())) return set('place', 1, 'place-cue');
    // "the port of Hodeidah", "the town of Bakhmut"
    if (endsInWord(text, c.start, ['of']) && /\b(?:port|city|town|village|region|province|district|capital|island|county|suburb|outskirts|state|republic)[ \u00a0]+of[ \u00a0]+$/iu.test(text.slice(Math.max(0, c.start - 24), c.start))) return set('place', 1, 'place-of');
  }
}

/** Finds "Collective Security Treaty Organization (CSTO)" definitions. */
function acronymDefinitions(text: string, cands: Candidate[]): Map<string, Candidate> {
  const defs = new Map<string, Candidate>();
  for (let i = 0; i + 1 < cands.length; i++) {
    const a = cands[i], b = cands[i + 1];
    if (b.tokens.length !== 1 || !b.tokens[0].caps) continue;
    const between = text.slice(a.end, b.start);
    if (!/^[’']?s?\s*\(\s*$/u.test(between) || text[b.end] !== ')') continue;
    if (a.tokens.length < 2 && !a.tokens[0].text.includes('-')) continue;
    defs.set(b.tokens[0].text.replace(/\./g, ''), a);
  }
  return defs;
}

interface Sentence {
  start: number;
  end: number;
}

// Character tests of the window search, by code: "." "!" "?" or a line break; and what `\s` matches.
const isStop = (c: number) => c === 46 || c === 33 || c === 63 || c === 10;
function isSpace(c: number): boolean {
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** Sentence around an offset: enough context for compromise's tagger, far cheaper than the whole text. */
// compromise's cost grows with the words it tags, and a few words either side are all its tagger looks at
// for one word, so the window stops at the sentence or about ten words away, whichever comes first.
const WINDOW = 24;
function sentenceAround(text: string, start: number, end: number): Sentence {
  let s = start;
  const sMin = Math.max(0, start - WINDOW);
  while (s > sMin && !(isStop(text.charCodeAt(s - 1)) && (s - start < -1 || s >= text.length || isSpace(text.charCodeAt(s))))) s--;
  if (s === sMin && s > 0) s = Math.min(start, text.indexOf(' ', s) + 1 || start);
  let e = end;
  const eMax = Math.min(text.length, end + WINDOW);
  // (What follows the stop is not looked at: the test for it, \s or the end, always held.)
  while (e < eMax && !isStop(text.charCodeAt(e))) e++;
  if (e === eMax && e < text.length) {
    const sp = text.lastIndexOf(' ', e);
    e = sp > end ? sp - 1 : e;
  }
  return { start: s, end: Math.min(text.length, e + 1) };
}

interface TermInfo {
  start: number;
  end: number;
  tags: Set<string>;
}

// compromise is run once per document, on the sentences the cheap pass could not decide, joined together:
// its per-call set-up costs as much as tagging a sentence.
// Tagged windows by their text, shared by the documents a worker processes (least recently used dropped first).
const WINDOW_CACHE_SIZE = 4096;
const LEADING_STOP = /^[^\p{L}\p{N}.!?]*[.!?][^\p{L}\p{N}]*(?=[\p{L}\p{N}])/u;
const windowCache = new Lru<TermInfo[]>(WINDOW_CACHE_SIZE);
const NO_TERMS: TermInfo[] = [];
/** Forgets the tagged windows (for benchmarks that must not reuse them across documents). */
export const clearWindowCache = () => windowCache.clear();

class CompromiseCache {
  /** Tagged windows; their terms' offsets are relative to the window's start (shared with the window cache). */
  private sentences: (Sentence & { terms: TermInfo[] })[] = [];
  readonly stats: ExtractStats = { compromiseSentences: 0, compromiseChars: 0 };
  constructor(private readonly text: string) {}
  prepare(spans: readonly { start: number; end: number; tokens?: Token[] }[]): void {
    const lower = new Set<number>();
    const wanted = new Map<number, Sentence>();
    for (const sp of spans) {
      if (this.find(sp.start)) continue;
      const sent = sentenceAround(this.text, sp.start, sp.end);
      wanted.set(sent.start, sent);
      // Capitals say nothing on a headline; in lowercase compromise tags its words as ordinary English.
      if (sp.tokens?.[0].headline) lower.add(sent.start);
    }
    if (!wanted.size) return;
    const list: Sentence[] = [];
    for (const w of [...wanted.values()].sort((x, y) => x.start - y.start)) {
      const last = list.at(-1);
      // Overlapping windows are tagged once, as one.
      if (last && w.start < last.end) last.end = Math.max(last.end, w.end);
      else list.push({ start: w.start, end: w.end });
    }
    // A window opening with a bare sentence end ("”. Fischler") would have compromise fold that punctuation
    // into the previous window's sentence; it is cut off, so each window is tagged on its own text alone.
    const lowered = list.map((sent) => lower.has(sent.start));
    for (const sent of list) {
      const lead = LEADING_STOP.exec(this.text.slice(sent.start, sent.end));
      if (lead) sent.start += lead[0].length;
    }
    const added = list.map((sent) => ({ start: sent.start, end: sent.end, terms: NO_TERMS }));
    const slices = list.map((sent, k) => {
      const slice = this.text.slice(sent.start, sent.end).replace(/\n/g, ' ');
      return lowered[k] ? slice.toLowerCase() : slice;
    });
    // A window tagged before (a repeated phrase, boilerplate, a near-duplicate article) is not tagged again:
    // its tags depend on its text alone, so reusing them cannot make one document's output depend on another.
    let joined = '';
    const at: number[] = [];
    const todo: number[] = [];
    slices.forEach((slice, k) => {
      const known = windowCache.get(slice);
      if (known) {
        added[k].terms = known;
        return;
      }
      todo.push(k);
      at.push(joined.length);
      joined += slice + '\n\n';
      this.stats.compromiseSentences++;
      this.stats.compromiseChars += list[k].end - list[k].start;
    });
    // Reading the tagged terms directly is cheaper than compromise's .json() output.
    const fresh: TermInfo[][] = todo.map(() => []);
    let j = 0;
    for (const t of tagText(joined)) {
      while (j + 1 < todo.length && t.start >= at[j + 1]) j++;
      t.start -= at[j];
      t.end -= at[j];
      fresh[j].push(t);
    }
    todo.forEach((k, j) => {
      windowCache.set(slices[k], fresh[j]);
      added[k].terms = fresh[j];
    });
    this.sentences = [...this.sentences, ...added].sort((x, y) => x.start - y.start);
  }
  private find(offset: number) {
    // Sentences are sorted and disjoint: binary search keeps long documents linear.
    let lo = 0, hi = this.sentences.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const x = this.sentences[mid];
      if (offset < x.start) hi = mid - 1;
      else if (offset >= x.end) lo = mid + 1;
      else return x;
    }
    return undefined;
  }
  tagsAt(start: number, end: number): Set<string> {
    let sent = this.find(start);
    if (!sent) {
      this.prepare([{ start, end }]);
      sent = this.find(start);
    }
    const tags = new Set<string>();
    if (!sent) return tags;
    const base = sent.start;
    for (const t of sent.terms) if (base + t.start < end && base + t.end > start) for (const g of t.tags) tags.add(g);
    return tags;
  }
}

function ordinaryShape(w: string, writtenLower: (w: string) => boolean): boolean {
  if (writtenLower(w)) return true;
  if (/(?:ers|ors|ists|ants|ents|ies|ions|ages|ments|ities|ness)$/.test(w)) return true;
  if (w.endsWith('s') && (isCommonWord(w.slice(0, -1), 'lexicon') || writtenLower(w.slice(0, -1)))) return true;
  return isCompound(w);
}

// A compound of two ordinary words ("ceasefire"): depends on the word alone, so it is worked out once per word.
const isCompound = memoize((w): boolean => {
  for (let k = 3; k <= w.length - 3; k++) {
    const a = w.slice(0, k), b = w.slice(k);
    if ((isCommonWord(a, 'lexicon') || isFunctionWord(a)) && lexTags(a).length && isCommonWord(b, 'lexicon') && lexTags(b).length) return true;
  }
  return false;
});

/** All entity candidates of a text, typed and with acronyms and surnames linked, as document entities. */
export function extractDocumentEntities(text: string, aliases: AliasIndex): { entities: DocumentEntity[]; stats: ExtractStats } {
  const tokens = tokenize(text, (w) => aliases.isDemonym(w));
  if (!tokens.length) return { entities: [], stats: { compromiseSentences: 0, compromiseChars: 0 } };
  let cands: Candidate[] = [];
  const spans = new Spans(text, aliases, tokens.length);
  for (const span of rawSpans(text, tokens, aliases)) for (const c of refine(spans, span)) cands.push(c);
  const cache = new CompromiseCache(text);
  // Start of the line holding an offset (`text.lastIndexOf('\n', pos) + 1`), by binary search over the line
  // breaks rather than by scanning back through long paragraphs for every candidate.
  let breaks: number[] | undefined;
  const lineStart = (pos: number): number => {
    if (!breaks) {
      breaks = [];
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) breaks.push(i);
    }
    let lo = 0;
    let hi = breaks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (breaks[mid] <= pos) lo = mid + 1;
      else hi = mid;
    }
    return lo ? breaks[lo - 1] + 1 : 0;
  };

  // Acronyms take the type of their expansion; known multiword names lend their initials.
  const defs = acronymDefinitions(text, cands);
  const expansions = cands.filter((c) => c.tokens.length > 1 && c.type && c.type !== 'person');
  for (const c of cands) {
    if (c.tokens.length !== 1 || !c.tokens[0].caps || c.rule === 'alias' || c.rule === 'lexicon') continue;
    const acr = c.tokens[0].text.replace(/\./g, '');
    const exp = defs.get(acr) ?? expansions.find((e) => initialisms(text.slice(e.start, e.end)).includes(acr));
    if (exp) {
      c.expansion = exp;
      c.type = exp.type;
      c.strength = 2;
      c.rule = 'acronym-of';
    }
  }

  // Persons introduced by full name lend their type to later surname-only mentions ("Tokayev").
  // Index of the short forms a full name can be referred to by: surname, two last parts, or a leading
  // family name ("Xi" of "Xi Jinping"). Run before compromise (it spares it the surnames) and after (for
  // full names only compromise recognised).
  const linked = new Map<Candidate, Candidate>();
  // A candidate's folded text, asked again by every linking pass below (its span no longer changes).
  const foldedOf = new Map<Candidate, string>();
  const folded = (c: Candidate): string => {
    let f = foldedOf.get(c);
    if (f === undefined) foldedOf.set(c, (f = foldName(text.slice(c.start, c.end))));
    return f;
  };
  const linkSurnames = () => {
    const shortForms = new Map<string, Candidate[]>();
    for (const p of cands) {
      if (p.type !== 'person' || p.tokens.length < 2 || linked.has(p)) continue;
      const parts = folded(p).split(' ').filter(Boolean);
      const forms = new Set([parts.at(-1)!, parts.slice(-2).join(' ')]);
      if (parts.length === 2 && !isFirstName(p.tokens[0].text)) forms.add(parts[0]);
      for (const f of forms) {
        const list = shortForms.get(f);
        if (list) list.push(p);
        else shortForms.set(f, [p]);
      }
    }
    for (const c of cands) {
      if (c.tokens.length > 2 || linked.has(c) || (c.strength === 2 && c.type !== 'person')) continue;
      const matches = (shortForms.get(folded(c)) ?? []).filter((p) => p !== c);
      if (!matches.length) continue;
      let p = matches.filter((m) => m.start < c.start).at(-1) ?? matches[0];
      for (let hops = 0; linked.has(p) && hops < 10; hops++) p = linked.get(p)!;
      if (p === c || linked.has(p) || p.tokens.length < c.tokens.length) continue;
      linked.set(c, p);
      c.type = 'person';
      c.strength = 2;
      c.rule = 'surname-of';
      c.doubtful = false;
    }
  };
  linkSurnames();

  // List members share a type: "Crimea, or Donbas", "Luhansk and Donetsk".
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < cands.length; i++) {
      const c = cands[i];
      if (c.strength === 2 || c.tokens.length !== 1) continue;
      for (const o of [cands[i - 1], cands[i + 1]]) {
        if (!o || o.strength < 1 || !o.type || o.type === c.type) continue;
        const gap = o.start < c.start ? text.slice(o.end, c.start) : text.slice(c.end, o.start);
        if (/^,\s*(?:and\s+|or\s+)?$/u.test(gap) && (o.strength === 2 || pass === 1) && o.type === 'place') {
          c.type = o.type;
          c.strength = 1;
          c.rule = 'list-member';
          c.doubtful = false;
        }
      }
    }
  }

  // "Ato Boldon of Trinidad", "Michael Johnson of the United States": a person's country or town.
  for (let i = 1; i < cands.length; i++) {
    const c = cands[i], p = cands[i - 1];
    if (c.strength === 2 || c.tokens.length > 2 || p.type !== 'person' || c.title) continue;
    if (/^[ \u00a0]+of[ \u00a0]+(?:the[ \u00a0]+)?$/u.test(text.slice(p.end, c.start))) {
      c.type = 'place';
      c.strength = 1;
      c.rule = 'person-of-place';
      c.doubtful = false;
    }
  }

  // Results lines ("Bayern Munich 2 Hamburg 1, Borussia Dortmund 3 Freiburg 0"): names followed by scores
  // are teams, whatever city they are named after.
  const scored = (c: Candidate) => {
    const next = text.charCodeAt(c.end);
    return (next === 32 || next === 0xa0) && /^[ \u00a0]+\d{1,3}\b(?![.,]?\d)/u.test(text.slice(c.end, c.end + 6));
  };
  const byLine = new Map<number, Candidate[]>();
  for (const c of cands) {
    if (c.type === 'person' || !scored(c)) continue;
    const ls = lineStart(c.start);
    const list = byLine.get(ls);
    if (list) list.push(c);
    else byLine.set(ls, [c]);
  }
  for (const teams of byLine.values()) {
    if (teams.length < 2) continue;
    for (const c of teams) {
      c.type = 'organization';
      c.strength = 2;
      c.rule = 'team-score';
      c.doubtful = false;
      c.canonical = undefined;
    }
  }

  // "Chrysler Corp" … "Chrysler": a company named without its legal suffix.
  const companies = new Map<string, Candidate>();
  for (const c of cands) {
    if (c.type !== 'organization' || c.tokens.length < 2 || !CORPORATE.test(c.tokens.at(-1)!.text)) continue;
    const base = c.tokens.slice(0, -1);
    companies.set(foldName(text.slice(base[0].start, base.at(-1)!.end)), c);
    companies.set(foldName(base[0].text), c);
  }
  for (const c of cands) {
    if (c.tokens.length > 2 || c.rule === 'alias' || c.rule === 'lexicon' || linked.has(c) || (c.type === 'person' && c.strength === 2)) continue;
    const co = companies.get(folded(c));
    if (!co || co === c) continue;
    linked.set(c, co);
    c.type = 'organization';
    c.strength = 2;
    c.rule = 'company-of';
    c.doubtful = false;
  }

  // What is still undecided goes to compromise, one sentence at a time.
  const verbFollows = (c: Candidate): boolean => {
    if (shortLine(c)) return false;
    const m = /^[ \u00a0]+(\p{Ll}+)/u.exec(text.slice(c.end, c.end + 30));
    if (!m) return false;
    const s = c.end + m[0].length - m[1].length;
    const tags = cache.tagsAt(s, s + m[1].length);
    return tags.has('PastTense') || tags.has('PresentTense');
  };
  // A sentence-initial word also written in lowercase elsewhere is an ordinary word ("Subsequently"), and so
  // is one shaped like a plural or a compound of two ordinary words ("Prosecutors", "Ceasefire").
  // Asked about a couple of words per document at most: a scan of the tokens is cheaper than a set of them all.
  const writtenLower = (w: string) => tokens.some((t) => !t.cap && t.text === w);
  cands = cands.filter((c) => {
    const t = c.tokens[0];
    if (c.tokens.length > 1 || !(t.initial || t.headline) || t.caps || c.strength === 2 || lexType(t.text) || aliases.lookup(t.text)) return true;
    return !ordinaryShape(t.text.toLowerCase(), writtenLower);
  });
  // A line of a few words ("ISTITUTO", "• Contact us") gives compromise no context to judge by.
  const lineWords = new Map<number, number>();
  const shortLine = (c: Candidate) => {
    const ls = lineStart(c.start);
    let n = lineWords.get(ls);
    if (n === undefined) {
      const le = text.indexOf('\n', c.end);
      // Only "fewer than five words" matters, so a long line need not be split.
      n = (le < 0 ? text.length : le) - ls > 80 ? 99 : text.slice(ls, le < 0 ? text.length : le).split(/\s+/).length;
      lineWords.set(ls, n);
    }
    return n < (c.tokens[0].headline ? 3 : 5);
  };
  // A headline word nothing knows as a name must be confirmed by the body ("SELES" by "Seles"), else it is
  // just a capitalised word ("VICTORY").
  let bodyCaps: Set<string> | undefined;
  cands = cands.filter((c) => {
    if (c.type || !c.tokens.every((t) => t.headline)) return true;
    bodyCaps ??= new Set(tokens.filter((t) => t.cap && !t.headline && !t.initial).map((t) => t.text.toLowerCase()));
    return c.tokens.some((t) => bodyCaps!.has(t.text.toLowerCase()));
  });
  // A name written the same way in the same setting is decided once per document, on the window of its first
  // occurrence ("Fischler" in every paragraph is one question for compromise, not ten); the setting is whether
  // it opens a sentence or sits on a headline, and the character right after it ("Zaren-backed" is an adjective).
  // Later occurrences still judge their own next word ("Fischler said"), from the lexicon when it is decisive,
  // else they are tagged in their own window like the first.
  const nextWord = (c: Candidate) => /^[ \u00a0]+(\p{Ll}+)/u.exec(text.slice(c.end, c.end + 30))?.[1];
  const lexVerb = (c: Candidate): boolean | undefined => {
    const w = nextWord(c);
    if (w === undefined || shortLine(c)) return false;
    const tags = lexTags(w);
    // Auxiliaries and copulas ("is", "had", "does") are tagged by what follows them.
    if (AUXILIARIES.has(w) || tags.some((g) => AMBIGUOUS_VERB_TAGS.has(g))) return undefined;
    if (tags.some((g) => g === 'PastTense' || g === 'PresentTense')) return true;
    return tags.length ? false : undefined;
  };
  const shareKey = (c: Candidate) => `${c.doubtful ? 1 : 0}${c.tokens[0].headline ? 1 : 0}${text.charAt(c.end)}${text.slice(c.start, c.end)}`;
  const first = new Map<string, Candidate>();
  const own = new Set<Candidate>();
  for (const c of cands) {
    if (c.type || shortLine(c)) continue;
    const k = shareKey(c);
    if (!first.has(k)) first.set(k, c);
    else if (c.tokens.length === 1 && !c.tokens[0].caps && lexVerb(c) === undefined) own.add(c);
  }
  cache.prepare([...first.values(), ...own]);
  cands = cands.filter((c) => {
    if (c.type) return true;
    const rep = shortLine(c) || own.has(c) ? c : first.get(shareKey(c)) ?? c;
    const tags = shortLine(c) ? new Set<string>() : cache.tagsAt(rep.start, rep.end);
    if (c.doubtful && !(tags.has('ProperNoun') || tags.has('Person') || tags.has('Place') || tags.has('Organization'))) {
      // compromise rarely calls an unknown sentence-initial word a proper noun; the lexicon already knows most
      // ordinary words, so an unknown one is kept unless it is tagged as another part of speech or looks plural.
      if (!tags.has('Noun') || tags.has('Plural')) return false;
    }
    if (c.tokens[0].headline && c.tokens.length === 1 && ['Adjective', 'Verb', 'Adverb', 'Preposition', 'Determiner', 'Conjunction', 'Pronoun'].some((g) => tags.has(g))) return false;
    if (tags.has('Person') && !tags.has('Place')) c.type = /\bthe[ \u00a0]+$/iu.test(text.slice(Math.max(0, c.start - 5), c.start)) ? 'organization' : 'person';
    else if (tags.has('Place') || tags.has('Country') || tags.has('City')) c.type = 'place';
    else if (tags.has('Organization')) c.type = 'organization';
    else if (!tags.has('ProperNoun') && (tags.has('Adjective') || tags.has('Verb') || tags.has('Adverb')) && c.tokens.length === 1) return false;
    else {
      c.type = c.tokens.length > 1 && c.tokens.length <= 3 && !c.tokens.some((t) => t.caps) ? 'person' : 'organization';
      // A lone unknown word as the subject of a verb ("Fischler proposed …") is most often a surname.
      if (c.tokens.length === 1 && !c.tokens[0].caps && (rep === c ? verbFollows(c) : lexVerb(c)!) && !/(?:\bthe|['’]s)[ \u00a0]+$/iu.test(text.slice(Math.max(0, c.start - 6), c.start))) c.type = 'person';
      c.rule = 'default';
      c.strength = 0;
      return true;
    }
    c.rule = `compromise:${c.type}`;
    c.strength = 1;
    return true;
  });

  linkSurnames();

  // Group into document entities.
  const keyOf = new Map<Candidate, string>();
  const key = (c: Candidate): string => {
    const known = keyOf.get(c);
    if (known) return known;
    let k: string;
    if (c.canonical) k = `alias:${c.canonical}`;
    else if (c.expansion) k = key(c.expansion);
    else if (linked.has(c)) k = key(linked.get(c)!);
    else if (c.type === 'person') k = `person:${folded(c)}`;
    // Other names are one entity per spelling; their type is voted below ("Donbas" in a list and alone).
    else k = `name:${folded(c)}`;
    keyOf.set(c, k);
    return k;
  };
  const groups = new Map<string, Candidate[]>();
  for (const c of cands) {
    const k = key(c);
    const g = groups.get(k);
    if (g) g.push(c);
    else groups.set(k, [c]);
  }
  const entities: DocumentEntity[] = [];
  for (const members of groups.values()) {
    const typeVotes = new Map<EntityType, number>();
    for (const m of members) typeVotes.set(m.type!, (typeVotes.get(m.type!) ?? 0) + 1 + m.strength * 2);
    // Most votes; on a tie the type voted first (as a stable sort would leave it).
    let type: EntityType | undefined;
    let votes = -1;
    for (const [t, v] of typeVotes) if (v > votes) [type, votes] = [t, v];
    const canonical = members.find((m) => m.canonical)?.canonical;
    const multi = members.some((o) => o.tokens.length > 1);
    const forms = multi ? members.filter((m) => !(m.tokens.length === 1 && m.tokens[0].caps)) : members;
    // Most words, then longest; on a tie the first (as a stable sort would leave it).
    let best = '';
    let bestWords = -1;
    for (const m of forms.length ? forms : members) {
      const form = text.slice(m.start, m.end);
      if (form === best) continue;
      const words = form.split(/\s+/).length;
      if (words > bestWords || (words === bestWords && form.length > best.length)) [best, bestWords] = [form, words];
    }
    entities.push({
      id: `e${entities.length + 1}`,
      name: canonical ?? best,
      type: type!,
      mentions: members
        .sort((a, b) => a.start - b.start)
        .map((m) => {
          const mention: DocumentEntity['mentions'][number] = { text: text.slice(m.start, m.end), start: m.start, end: m.end };
          if (m.title) mention.title = m.title;
          return mention;
        }),
    });
  }
  entities.sort((a, b) => a.mentions[0].start - b.mentions[0].start);
  entities.forEach((e, i) => (e.id = `e${i + 1}`));
  return { entities, stats: cache.stats };
}
