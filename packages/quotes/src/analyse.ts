import type { DocumentEntity, Quote, QuoteKind, Speaker } from '@corpus/schema';
import type { Root as NlcstRoot } from 'nlcst';
import { mayCue, type Gender, type Lexicon, type VerbForm } from './lexicon.js';
import { findQuoteSpans, paragraphRanges, type MarkProblem } from './marks.js';

/** A word or punctuation token of the nlcst tree, with its sentence. */
interface Token {
  value: string;
  lower: string;
  word: boolean;
  /** The value starts with an upper-case letter. */
  cap: boolean;
  start: number;
  end: number;
  sentence: number;
}

interface Sentence {
  start: number;
  end: number;
  /** Token index range [first, last). */
  first: number;
  last: number;
  paragraph: number;
}

interface Mention {
  start: number;
  end: number;
  entity: DocumentEntity | null;
  /** Set for a capitalised name found without an entity (no entities stage, or a name it missed). */
  name: string;
  type: DocumentEntity['type'];
}

type Candidate =
  | { kind: 'mention'; mention: Mention }
  | { kind: 'pronoun'; word: string; at: number }
  | { kind: 'description'; text: string; start: number; end: number; entity: DocumentEntity | null };

interface Cue {
  /** First and last token index of the cue. */
  at: number;
  to: number;
  text: string;
  form: VerbForm['form'] | 'noun';
  base: string;
}

interface Attribution {
  speaker: Speaker | null;
  cue: string | null;
  confidence: number;
  /** Position of the resolved speaker mention, to steer later pronouns. */
  mention: Mention | null;
}

export type AnalysedQuote = Quote;

export interface Analysis {
  quotes: AnalysedQuote[];
  problems: MarkProblem[];
}

const ROLE_END = /[’']s$/u;
const SUBJECT_PRONOUNS = new Set(['he', 'she', 'they', 'it']);
const AUTHOR_PRONOUNS = new Set(['i', 'we', 'you']);
const QUANTIFIERS = new Set(['one', 'two', 'three', 'four', 'five', 'some', 'several', 'many', 'most', 'none', 'each', 'both', 'all', 'another']);
const RELATIVE = new Set(['who', 'which', 'whose', 'whom', 'where']);
const CONJ = new Set(['and', 'but', 'or', 'yet', 'then', 'while', 'as', 'when', 'so']);
const BASE_TRIGGERS = new Set(['to', 'will', 'would', 'can', 'could', 'should', 'may', 'might', 'must', 'did', 'does', 'do', 'not', 'never', 'i', 'we', 'you', 'they', 'also', 'often']);
// How far (in tokens, characters) the context of a cue or a pronoun reaches: enough for any real sentence, and it
// keeps the stage linear on pathological input (one endless sentence, thousands of marks).
const WINDOW = 80;
const CHAR_WINDOW = 4000;
const boundaryPunct = (t: Token) => !t.word && /^[,;:()\[\]—–“”"‘’'«»…]$|^-{2}$/u.test(t.value);

/** The tokens, raw sentences and in-word apostrophe offsets read from an nlcst tree in one pass. */
export interface TokenStream {
  tokens: Token[];
  /** Sentences as the tokenizer cut them (paragraph not yet known). */
  sentences: Sentence[];
  /** 1 at offsets of marks the tokenizer kept inside a word (don’t, ’90s): apostrophes. */
  inWord: Uint8Array;
}

// Upper-case test for the first character, with the common ASCII cases answered without a regex.
const capOf = (s: string) => {
  const c = s.charCodeAt(0);
  if (c < 128) return c >= 65 && c <= 90;
  return /^\p{Lu}/u.test(s);
};

/**
 * Reads the word and punctuation tokens of `tree`, or returns null when its literals do not spell out `text`
 * exactly (then offsets would be wrong and the caller parses `text` itself). One walk both checks the text
 * and collects the tokens, each word's value taken from `text` rather than re-serialising its subtree.
 */
export function readTokens(text: string, tree: NlcstRoot): TokenStream | null {
  const tokens: Token[] = [];
  const sentences: Sentence[] = [];
  const inWord = new Uint8Array(text.length);
  // Lower-casing the text once and slicing it is much cheaper than lower-casing every token. It matches
  // per-token lower-casing exactly when every character maps to one character on its own: not so for
  // final sigma (depends on the next letter), dotted capital I (maps to two) or characters beyond the BMP.
  const lowerText = text.toLowerCase();
  const sliceLower = lowerText.length === text.length && !/[\u03a3\u0130\ud800-\udfff]/.test(text);
  let pos = 0;
  // Advances `pos` over a literal's value (as nlcst-to-string joins it); false if `text` differs there.
  const literal = (value: unknown): boolean => {
    const v = typeof value === 'string' ? value : value == null ? '' : String(value);
    if (!text.startsWith(v, pos)) return false;
    pos += v.length;
    return true;
  };
  // Advances `pos` over the literals of `node`; false as soon as they differ from `text`.
  const spell = (node: any): boolean => {
    if ('value' in node) return literal(node.value);
    const children = node.children;
    if (children) {
      for (let k = 0; k < children.length; k++) {
        // Words hold literals: checked here without another call.
        const c = children[k];
        if (!('value' in c ? literal(c.value) : spell(c))) return false;
      }
    }
    return true;
  };
  const walk = (node: any): boolean => {
    if (node.type === 'SentenceNode' && node.position) {
      const s: Sentence = { start: node.position.start.offset, end: node.position.end.offset, first: tokens.length, last: tokens.length, paragraph: 0 };
      const children = node.children;
      for (let n = 0; n < children.length; n++) {
        const c = children[n];
        const from = pos;
        if (!spell(c)) return false;
        if (c.type === 'WhiteSpaceNode' || !c.position) continue;
        const word = c.type === 'WordNode';
        const start = c.position.start.offset, end = c.position.end.offset;
        const value = !word && 'value' in c ? String(c.value) : text.slice(from, pos);
        if (word) {
          for (let i = start; i < end; i++) {
            const ch = text.charCodeAt(i);
            if (ch === 39 || ch === 0x2019 || ch === 0x2018) inWord[i] = 1;
          }
        }
        // Most tokens are already lower-case ASCII: they share the value's string.
        let plain = value.length === pos - from;
        for (let k = from; plain && k < pos; k++) {
          const ch = text.charCodeAt(k);
          if ((ch >= 65 && ch <= 90) || ch >= 128) plain = false;
        }
        const lower = plain ? value : sliceLower && value.length === pos - from ? lowerText.slice(from, pos) : value.toLowerCase();
        tokens.push({ value, lower, word, cap: capOf(value), start, end, sentence: sentences.length });
      }
      s.last = tokens.length;
      sentences.push(s);
      return true;
    }
    if ('value' in node) return spell(node);
    const children = node.children;
    if (Array.isArray(children)) {
      for (let k = 0; k < children.length; k++) if (!walk(children[k])) return false;
    } else if (children && !spell(node)) return false;
    return true;
  };
  if (!walk(tree) || pos !== text.length) return null;
  return { tokens, sentences, inWord };
}

export function analyse(text: string, stream: TokenStream, entities: readonly DocumentEntity[], lex: Lexicon): Analysis {
  // ---------- tokens and sentences from the nlcst tree ----------
  const { tokens, sentences, inWord } = stream;
  const paras = paragraphRanges(text);
  const paragraphOf = (offset: number) => {
    let lo = 0, hi = paras.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (paras[mid][0] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  for (const s of sentences) s.paragraph = paragraphOf(s.start);
  // The tokenizer ends sentences after abbreviations it does not know ("the No. 2 Republican", "Gen. Smith"):
  // a "sentence" that opens with a lower-case word or a digit, or follows a title, continues the previous one.
  {
    const merged: Sentence[] = [];
    for (const cur of sentences) {
      const prev = merged[merged.length - 1];
      const first = tokens[cur.first];
      const last = prev ? tokens[prev.last - 1] : undefined;
      const join = !!prev && !!first && !!last && prev.paragraph === cur.paragraph &&
        ((first.word && /^[\p{Ll}\d]/u.test(first.value)) || (last.word && /\.$/.test(last.value) && lex.titles.has(last.lower)));
      if (join) { prev.end = cur.end; prev.last = cur.last; } else merged.push(cur);
    }
    sentences.length = 0;
    for (const m of merged) sentences.push(m);
  }
  sentences.forEach((s, index) => { for (let k = s.first; k < s.last; k++) tokens[k].sentence = index; });
  // Index of each sentence's first word, for "is this the sentence's first word" in constant time.
  const firstWord = sentences.map((s) => {
    for (let k = s.first; k < s.last; k++) if (tokens[k].word) return k;
    return s.last;
  });

  const tokenAt = (offset: number) => {
    // First token starting at or after `offset`.
    let lo = 0, hi = tokens.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (tokens[mid].start < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  // ---------- quotation spans ----------
  const { spans, problems } = findQuoteSpans(text, (o) => inWord[o] === 1);
  const outer = spans.filter((s) => s.depth === 0);
  const outerOpens = new Set(outer.map((s) => s.open));
  const markOffsets = new Set<number>();
  for (const s of spans) { markOffsets.add(s.open); if (!s.continues) markOffsets.add(s.close); }
  const insideQuote = (offset: number) => {
    // Outer spans are disjoint and sorted: the last one opening before `offset` is the only candidate.
    let lo = 0, hi = outer.length - 1, found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (outer[mid].open < offset) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    if (found < 0) return false;
    const s = outer[found];
    return offset < s.close + (s.continues ? 1 : 0);
  };
  const isMark = (t: Token) => markOffsets.has(t.start);
  const maskedTok = tokens.map((t) => insideQuote(t.start));
  const masked = (i: number) => maskedTok[i] ?? false;

  // ---------- mentions: entities, plus capitalised names the entities stage did not give ----------
  const mentions: Mention[] = [];
  for (const e of entities) {
    // A name that opens with a known first name is a person whatever the entities stage guessed ("Linda Park").
    const words = String(e.name ?? '').split(/\s+/);
    const type = e.type !== 'person' && words.length >= 2 && lex.firstNames.has(words[0].toLowerCase()) ? 'person' : e.type;
    for (const m of e.mentions ?? []) {
      // Offsets from another stage are trusted only when they point into this text.
      if (!(m.start >= 0 && m.end > m.start && m.end <= text.length)) continue;
      mentions.push({ start: m.start, end: m.end, entity: e, name: e.name, type });
    }
  }
  mentions.sort((a, b) => a.start - b.start);
  /** Index of the last mention starting at or before `offset` (-1 if none). */
  const lastMentionAt = (offset: number) => {
    let lo = 0, hi = mentions.length - 1, found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (mentions[mid].start <= offset) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return found;
  };
  const mentionCovering = (offset: number) => {
    // Mentions rarely overlap; a few steps back cover nested spans.
    for (let k = lastMentionAt(offset), n = 0; k >= 0 && n < 4; k--, n++) if (mentions[k].end > offset) return mentions[k];
    return null;
  };
  /** Mentions starting in [start, end). */
  const mentionsIn = (start: number, end: number) => {
    const out: Mention[] = [];
    for (let k = lastMentionAt(start - 1) + 1; k < mentions.length && mentions[k].start < end; k++) out.push(mentions[k]);
    return out;
  };
  const overlapsMention = (start: number, end: number) => !!mentionCovering(start) || (lastMentionAt(end - 1) >= 0 && mentions[lastMentionAt(end - 1)].start >= start);

  // ---------- gender knowledge ----------
  const gender = new Map<string, Gender>();
  const genderOf = (m: Mention): Gender => {
    const key = m.entity?.id ?? `name:${m.name}`;
    if (gender.has(key)) return gender.get(key)!;
    let g: Gender = null;
    const names = m.entity ? [m.entity.name, ...(m.entity.mentions ?? []).map((x) => x.text)].map((x) => String(x ?? '')) : [m.name];
    for (const n of names) {
      const first = n.split(/\s+/)[0].toLowerCase();
      if (lex.firstNames.has(first)) g = lex.firstNames.get(first)!;
    }
    const all = m.entity ? (m.entity.mentions ?? []) : [m];
    for (const x of all) {
      const title = ('title' in x && typeof x.title === 'string' ? x.title : '') || text.slice(Math.max(0, x.start - 12), x.start).trim().split(/\s+/).pop() || '';
      const tg = lex.titles.get(title.toLowerCase());
      if (tg) g = tg;
      const before = text.slice(Math.max(0, x.start - 14), x.start).toLowerCase().match(/(\p{L}+)\W*$/u)?.[1];
      if (before && lex.roleGender.has(before)) g = lex.roleGender.get(before)!;
    }
    gender.set(key, g);
    return g;
  };

  // ---------- cues ----------
  const prevWord = (i: number) => (i > 0 && tokens[i - 1].sentence === tokens[i].sentence ? tokens[i - 1] : null);
  const sentenceInitial = (i: number) => firstWord[tokens[i].sentence] >= i;
  const subjectLike = (t: Token | null) =>
    !!t && t.word && (SUBJECT_PRONOUNS.has(t.lower) || t.cap || lex.roleNouns.has(t.lower) || !!mentionCovering(t.start) || ROLE_END.test(t.value));

  const cueAt = (i: number, afterQuote = false): Cue | null => {
    const t = tokens[i];
    if (!t?.word || !mayCue(lex, t.lower)) return null;
    const verbs = lex.verbs.get(t.lower);
    const after = afterQuote ? lex.afterVerbs.get(t.lower) : undefined;
    const prev = prevWord(i);
    if (verbs || after) {
      const forms = verbs && after ? [...verbs, ...after] : (verbs ?? after)!;
      for (const f of forms) {
        let ok = true;
        for (let k = 1; k < f.words.length; k++) if (tokens[i + k]?.lower !== f.words[k] || tokens[i + k].sentence !== t.sentence) ok = false;
        if (!ok) continue;
        const to = i + f.words.length - 1;
        if (t.cap && !(sentenceInitial(i) && (f.form === 'ing' || f.base === 'according to'))) continue;
        if (text[t.start - 1] === '-' || text[tokens[to].end] === '-') continue; // so-called, well-said
        if (prev && lex.determiners.has(prev.lower) && f.base !== 'according to') continue;
        if (f.form === 's' && !['says', 'tells'].includes(t.lower) && !subjectLike(prev)) continue;
        if (f.form === 'base' && f.words.length === 1 && !(prev && (BASE_TRIGGERS.has(prev.lower) || lex.roleNouns.has(prev.lower)))) continue;
        return { at: i, to, text: text.slice(t.start, tokens[to].end), form: f.form, base: f.base };
      }
    }
    if (lex.nouns.has(t.lower) && !t.cap) return { at: i, to: i, text: t.value, form: 'noun', base: t.lower };
    return null;
  };

  /** Whether token `k` sits in the attribution right after a closing mark ("…,” she went on, “…”). */
  const followsQuote = (k: number) => {
    for (let j = k - 1; j >= Math.max(0, k - 8); j--) {
      if (tokens[j].sentence !== tokens[k].sentence) return false;
      if (!tokens[j].word && markOffsets.has(tokens[j].start) && /[”"’'»]/.test(tokens[j].value)) return true;
    }
    return false;
  };

  // ---------- noun phrases ----------
  const precededByPreposition = (start: number) => {
    const k = tokenAt(start) - 1;
    if (k < 0) return false;
    // Skip a title or determiner written before the name ("with President Smith", "on the West").
    let j = k;
    while (j >= 0 && tokens[j].word && lex.determiners.has(tokens[j].lower)) j--;
    while (j >= 0 && tokens[j].word && (lex.titles.has(tokens[j].lower) || (tokens[j].cap && mentionCovering(start)?.type === 'person' && j > k - 3 && !lex.prepositions.has(tokens[j].lower)))) j--;
    if (j >= 1 && tokens[j].lower === 'of' && tokens[j - 1].cap && (lex.titles.has(tokens[j - 1].lower) || lex.roleNouns.has(tokens[j - 1].lower))) return false;
    return j >= 0 && tokens[j].word && lex.prepositions.has(tokens[j].lower) && tokens[j].sentence === tokens[k + 1]?.sentence;
  };

  /** A capitalised name span ending at token `i` (no entity), or null. */
  const nameEndingAt = (i: number, lower: number, nextIsCue: boolean): Mention | null => {
    const isNameTok = (t: Token) => t.word && (t.cap || /^(?:de|van|von|bin|al|da|del|la|le)$/.test(t.value)) && !lex.notNames.has(t.lower.replace(/\.$/, ''));
    if (!isNameTok(tokens[i]) || lex.titles.has(tokens[i].lower)) return null;
    let j = i;
    while (j - 1 >= lower && tokens[j - 1].sentence === tokens[i].sentence && isNameTok(tokens[j - 1]) && !lex.titles.has(tokens[j - 1].lower)) j--;
    if (!tokens[j].cap) j++;
    if (j > i) return null;
    // A lone capitalised word opening the sentence is only a name when the cue follows it ("Smith said").
    if (sentenceInitial(j) && j === i && !nextIsCue) return null;
    if (sentenceInitial(j) && lex.nonSubject.has(tokens[j].lower)) j++;
    if (j > i) return null;
    // "Secretary of State Antony Blinken": the office's tail is not part of the name.
    if (j >= 2 && tokens[j - 1].lower === 'of' && tokens[j - 2].cap && i - j >= 2) {
      const first = tokens.findIndex((t, k) => k >= j && k <= i && lex.firstNames.has(t.lower));
      j = first >= 0 ? first : i - 1;
    }
    const start = tokens[j].start, end = tokens[i].end;
    const raw = text.slice(start, end).replace(/[’']s$/u, '');
    return { start, end: start + raw.length, entity: null, name: raw, type: 'person' };
  };

  /** The description phrase whose head is the role noun at `i`, ending before token `end`. */
  const descriptionAt = (i: number, lower: number, end: number): Candidate | null => {
    const npStart = (h: number) => {
      let j = h;
      while (j - 1 >= lower && tokens[j - 1].word && !lex.prepositions.has(tokens[j - 1].lower) && !CONJ.has(tokens[j - 1].lower) && !RELATIVE.has(tokens[j - 1].lower) && !lex.auxiliaries.has(tokens[j - 1].lower) && !cueAt(j - 1) && h - j < 6) {
        j--;
        if (lex.determiners.has(tokens[j].lower)) break;
      }
      return j;
    };
    let j = npStart(i);
    // "one of the sources", "two of the officials": the quantifier belongs to the speaker as written.
    if (j - 2 >= lower && tokens[j - 1].lower === 'of' && QUANTIFIERS.has(tokens[j - 2].lower)) j -= 2;
    // "a spokesman for the ministry": the head noun phrase before its complement.
    while (j - 2 >= lower && ['for', 'of', 'at', 'with'].includes(tokens[j - 1].lower) && isRole(j - 2)) j = npStart(j - 2);
    // The phrase ends at the head noun, or after a complement made only of names and roles ("for the Kremlin").
    let k = i;
    if (['for', 'of', 'at'].includes(tokens[i + 1]?.lower ?? '') && i + 1 < end) {
      let e = end - 1;
      while (e > i && (lex.auxiliaries.has(tokens[e].lower) || !tokens[e].word)) e--;
      const complement = tokens.slice(i + 1, e + 1);
      if (complement.length <= 6 && complement.every((t) => t.word && !RELATIVE.has(t.lower) && !CONJ.has(t.lower) && !lex.auxiliaries.has(t.lower) && t.lower !== 'that')) k = e;
    }
    const start = tokens[j].start, stop = tokens[k].end;
    const phrase = text.slice(start, stop);
    if (phrase.split(/\s+/).length > 10) return null;
    const org = mentionsIn(start, stop).find((m) => m.end <= stop && m.entity?.type === 'organization' && m.end === stop) ?? null;
    return { kind: 'description', text: phrase, start, end: stop, entity: org?.entity ?? null };
  };

  const isRole = (i: number) => {
    const t = tokens[i];
    if (!t.word) return false;
    // "President Tokayev", "Energy Minister Bolat Akchulakov": a title before a name is not the speaker.
    const next = tokens[i + 1];
    if (next?.word && next.sentence === t.sentence && ((next.cap && !lex.notNames.has(next.lower)) || mentionCovering(next.start))) return false;
    const w = t.lower.replace(/[’']s$/u, '');
    return lex.roleNouns.has(w) || (i > 0 && lex.roleNouns.has(`${tokens[i - 1].lower} ${w}`));
  };

  /** The subject nearest before the cue within tokens [lower, upper). */
  const nearestSubject = (lowerBound: number, upper: number, cueTok: number): Candidate | null => {
    const lower = Math.max(lowerBound, upper - WINDOW);
    for (let i = upper - 1; i >= lower; i--) {
      const t = tokens[i];
      if (masked(i) && !insideQuote(tokens[cueTok].start)) continue;
      if (!t.word) continue;
      if (SUBJECT_PRONOUNS.has(t.lower)) return { kind: 'pronoun', word: t.lower, at: t.start };
      if (AUTHOR_PRONOUNS.has(t.lower)) return null;
      const m = mentionCovering(t.start);
      if (m && (m.type === 'person' || m.type === 'organization')) {
        if (precededByPreposition(m.start)) { i = tokenAt(m.start); continue; }
        const after = text.slice(m.end, m.end + 2);
        if (/^[’']s?/u.test(after) && tokenAt(m.end) + 1 < upper && tokens[tokenAt(m.end)].end < tokens[upper - 1].end) {
          // "Trump’s aides said": the possessor is not the speaker.
          const d = descriptionAt(upper - 1, tokenAt(m.start), upper);
          if (d && d.kind === 'description') return { ...d, text: text.slice(m.start, d.end), start: m.start, entity: null };
        }
        return { kind: 'mention', mention: m };
      }
      if (isRole(i)) return descriptionAt(i, lower, upper);
      const n = nameEndingAt(i, lower, i === upper - 1 || tokens.slice(i + 1, upper).every((x) => lex.auxiliaries.has(x.lower)));
      if (n) {
        if (precededByPreposition(n.start)) { i = tokenAt(n.start); continue; }
        return { kind: 'mention', mention: n };
      }
    }
    return null;
  };

  /** The subject of the sentence's main clause: the first candidate not inside an introductory phrase. */
  const mainSubject = (lowerBound: number, upper: number, cueTok: number): Candidate | null => {
    const lower = Math.max(lowerBound, upper - WINDOW);
    // Split into comma chunks; skip chunks that open with a preposition or a participle ("Appearing at …,").
    const chunks: [number, number][] = [];
    let s = lower;
    for (let i = lower; i < upper; i++) if (boundaryPunct(tokens[i]) && !masked(i)) { if (i > s) chunks.push([s, i]); s = i + 1; }
    if (upper > s) chunks.push([s, upper]);
    for (let ci = 0; ci < chunks.length; ci++) {
      const [a, b] = chunks[ci];
      const first = tokens[a];
      if (!first.word || lex.prepositions.has(first.lower) || /ing$/.test(first.lower) || RELATIVE.has(first.lower) || CONJ.has(first.lower)) continue;
      if (masked(a)) continue;
      // Left to right: the first candidate is the subject; names and pronouns before descriptions.
      for (let i = a; i < b; i++) {
        if (masked(i)) continue;
        const t = tokens[i];
        if (SUBJECT_PRONOUNS.has(t.lower)) return { kind: 'pronoun', word: t.lower, at: t.start };
        const m = mentionCovering(t.start);
        if (m && (m.type === 'person' || m.type === 'organization' || m.type === 'place') && !precededByPreposition(m.start)) {
          // "Conservative Party leader Kemi Badenoch": the person at the head of the name run.
          let head: Mention | null = m.type === 'place' ? null : m;
          for (let k = tokenAt(m.end); k < b && tokens[k].word && (tokens[k].cap || lex.roleNouns.has(tokens[k].lower)); k++) {
            const n = mentionCovering(tokens[k].start);
            if (n?.type === 'person') head = n;
          }
          if (head) return { kind: 'mention', mention: head };
          i = tokenAt(m.end) - 1;
          continue;
        }
      }
      for (let i = a; i < b; i++) {
        if (!tokens[i].word || !tokens[i].cap || masked(i)) continue;
        let e = i;
        while (e + 1 < b && tokens[e + 1].word && tokens[e + 1].cap) e++;
        const n = nameEndingAt(e, i, e + 1 < b && !!cueAt(e + 1));
        if (n && !precededByPreposition(n.start)) return { kind: 'mention', mention: n };
        i = e;
      }
      for (let i = a; i < b; i++) {
        if (masked(i)) continue;
        if (isRole(i)) {
          // "Energy Minister, Bolat Akchulakov, has …": the name in the appositive that follows.
          const nx = chunks[ci + 1];
          if (nx) {
            const m = mentionCovering(tokens[nx[0]].start) ?? nameEndingAt(nx[1] - 1, nx[0], false);
            if (m && m.type === 'person' && tokenAt(m.end) >= nx[1] - 1) return { kind: 'mention', mention: m };
          }
          let k = i;
          while (k + 1 < b && isRole(k + 1)) k++;
          return descriptionAt(k, a, k + 1);
        }
      }
      if (cueTok >= a && cueTok < b) break;
    }
    return null;
  };

  /** The noun phrase right after a token (inverted "said Smith", "according to the ministry"). */
  const phraseAfter = (from: number, limit: number): Candidate | null => {
    let i = from;
    while (i < limit && !tokens[i].word) {
      if (tokens[i].value !== ',') return null;
      i++;
    }
    if (i >= limit) return null;
    if (SUBJECT_PRONOUNS.has(tokens[i].lower)) return { kind: 'pronoun', word: tokens[i].lower, at: tokens[i].start };
    // Stop at the clause's end: punctuation or a word that starts an adjunct.
    let end = i;
    while (end < limit && end - i < 12 && tokens[end].word && !(end > i && ['on', 'in', 'at', 'during', 'when', 'while', 'who', 'adding', 'after', 'before', 'that', 'last', 'this'].includes(tokens[end].lower))) end++;
    for (let k = i; k < Math.min(end, i + 5); k++) {
      const m = mentionCovering(tokens[k].start);
      if (m && (m.type === 'person' || m.type === 'organization')) {
        // "said Smith’s spokesman": the possessor is not the speaker.
        if (/^[’']s?\s+\p{L}/u.test(text.slice(m.end, m.end + 4)) && tokenAt(m.end) < end) {
          const stop = tokens[end - 1].end;
          return { kind: 'description', text: text.slice(tokens[i].start, stop), start: tokens[i].start, end: stop, entity: null };
        }
        if (k === i || tokens.slice(i, k).every((t) => lex.titles.has(t.lower) || t.cap || lex.roleNouns.has(t.lower) || lex.determiners.has(t.lower))) {
          // "said Conservative group leader Alan Lamb": a party or employer modifies the person named at the head.
          for (let q = tokenAt(m.end); q < end && tokens[q].word && !lex.prepositions.has(tokens[q].lower) && !lex.determiners.has(tokens[q].lower); q++) {
            const p = mentionCovering(tokens[q].start);
            if (p && p !== m && p.type === 'person') return { kind: 'mention', mention: p };
          }
          return { kind: 'mention', mention: m };
        }
      }
    }
    const n0 = nameEndingAt(Math.min(end, i + 4) - 1, i, true);
    if (n0 && tokens.slice(i, tokenAt(n0.start)).every((t) => lex.titles.has(t.lower) || lex.roleNouns.has(t.lower) || t.cap || /^[a-z]+$/.test(t.lower) && !lex.determiners.has(t.lower) && !lex.prepositions.has(t.lower))) return { kind: 'mention', mention: n0 };
    for (let k = end - 1; k >= i; k--) {
      if (isRole(k)) {
        const start = tokens[i].start, stop = tokens[end - 1].end;
        // "a statement from the ministry": the source inside the document phrase.
        const src = text.slice(start, stop).match(/^(?:an?|the)\s+(?:statement|report|release|post)\s+(?:from|by|of)\s+(.+)$/iu);
        const phrase = src ? src[1] : text.slice(start, stop);
        const pStart = src ? stop - phrase.length : start;
        const org = mentionsIn(pStart, stop).find((m) => m.end <= stop && m.entity?.type === 'organization') ?? null;
        return { kind: 'description', text: phrase, start: pStart, end: stop, entity: org?.entity ?? null };
      }
    }
    const n = nameEndingAt(Math.min(end, i + 4) - 1, i, true);
    if (n && n.start === tokens[i].start) return { kind: 'mention', mention: n };
    for (let k = Math.min(end, i + 4) - 1; k > i; k--) {
      const n2 = nameEndingAt(k, i, true);
      if (n2 && tokens.slice(i, tokenAt(n2.start)).every((t) => lex.titles.has(t.lower) || lex.roleNouns.has(t.lower) || t.cap)) return { kind: 'mention', mention: n2 };
    }
    return null;
  };

  /**
   * Right next to a quotation, any short noun phrase opened by a determiner is the speaker as written
   * ("…,” the 45-year-old mother of three said), even without a known role noun.
   */
  const plainPhrase = (from: number, to: number): Candidate | null => {
    let a = from;
    while (a < to && !tokens[a].word) a++;
    let b = a;
    while (b < to && tokens[b].word && !['on', 'in', 'at', 'during', 'when', 'while', 'who', 'after', 'before', 'last', 'this'].includes(tokens[b].lower)) b++;
    while (b > a && lex.auxiliaries.has(tokens[b - 1].lower)) b--;
    if (b <= a || b - a > 8 || !lex.determiners.has(tokens[a].lower) || ['this', 'these', 'those', 'all', 'no'].includes(tokens[a].lower)) return null;
    const start = tokens[a].start, end = tokens[b - 1].end;
    return { kind: 'description', text: text.slice(start, end), start, end, entity: null };
  };

  /** Who the cue's subject is, with a confidence for the attribution. */
  const subjectOf = (cue: Cue, lowerBound: number): { cand: Candidate; conf: number } | null => {
    const lower = Math.max(lowerBound, cue.at - WINDOW);
    if (cue.base === 'according to') {
      const c = phraseAfter(cue.to + 1, sentences[tokens[cue.at].sentence].last);
      return c ? { cand: c, conf: 0.85 } : null;
    }
    if (cue.form === 'noun') {
      for (let k = cue.at - 1; k >= Math.max(lower, cue.at - 4); k--) {
        const t = tokens[k];
        if (!t.word) break;
        if (['his', 'her', 'their', 'its'].includes(t.lower)) return { cand: { kind: 'pronoun', word: t.lower === 'his' ? 'he' : t.lower === 'her' ? 'she' : t.lower === 'its' ? 'it' : 'they', at: t.start }, conf: 0.65 };
        if (/[’']s?$/u.test(t.value) || /^[’']$/u.test(tokens[k + 1]?.value ?? '')) {
          const m = mentionCovering(t.start) ?? nameEndingAt(k, lower, false);
          if (m) return { cand: { kind: 'mention', mention: m }, conf: 0.85 };
        }
      }
      if (tokens[cue.to + 1]?.lower === 'by') {
        const c = phraseAfter(cue.to + 2, sentences[tokens[cue.at].sentence].last);
        if (c) return { cand: c, conf: 0.8 };
      }
      return null;
    }
    if (cue.form === 'ing') {
      const c = mainSubject(lower, cue.at, cue.at);
      return c ? { cand: c, conf: 0.8 } : null;
    }
    // Clause chunks before the cue, nearest first.
    let b = cue.at;
    let k = cue.at - 1;
    while (k >= lower && !(boundaryPunct(tokens[k]) && !masked(k))) k--;
    const chunk0: [number, number] = [k + 1, b];
    const c0 = nearestSubject(chunk0[0], chunk0[1], cue.at);
    if (c0) return { cand: c0, conf: 0.9 };
    const onlyAux = tokens.slice(chunk0[0], chunk0[1]).every((t) => !t.word || lex.auxiliaries.has(t.lower));
    if (onlyAux && k >= lower) {
      // "X, a spokesman for Y, said" / "the deputy chief of staff, Jane Doe, noted": walk back over appositives.
      let hi = k;
      for (let step = 0; step < 3 && hi > lower; step++) {
        let lo = hi - 1;
        while (lo >= lower && !(boundaryPunct(tokens[lo]) && !masked(lo))) lo--;
        const a = lo + 1;
        if (a < hi) {
          const first = tokens[a];
          const isRelative = RELATIVE.has(first.lower) || /ing$/.test(first.lower) || /^\d/.test(first.value);
          // A relative clause, participle or age between the name and the verb ("Smith, 62, who …, said") is skipped.
          let c = isRelative ? null : nearestSubject(a, hi, cue.at);
          // "X, the chamber's No. 2 Republican, said": a chunk opened by a determiner is an appositive description.
          if (c && lex.determiners.has(first.lower) && a > lower) c = { kind: 'description', text: text.slice(first.start, tokens[hi - 1].end), start: first.start, end: tokens[hi - 1].end, entity: null };
          if (c && c.kind !== 'description') return { cand: c, conf: 0.85 };
          if (c) {
            // An appositive description: the name written before it is the speaker, else the description.
            let lo2 = lo - 1;
            while (lo2 >= lower && !(boundaryPunct(tokens[lo2]) && !masked(lo2))) lo2--;
            const before = lo > lower ? nearestSubject(lo2 + 1, lo, cue.at) : null;
            if (before && before.kind !== 'description') return { cand: before, conf: 0.85 };
            return { cand: c, conf: 0.75 };
          }
          if (!isRelative) break;
        }
        hi = lo;
      }
    }
    // Coordinated or elided subject ("but quickly added that"): the main clause's subject.
    const c = mainSubject(lower, cue.at, cue.at);
    return c ? { cand: c, conf: 0.75 } : null;
  };

  // ---------- pronouns ----------
  const groupSubjects: { text: string; end: number; sentence: number; entity: DocumentEntity | null }[] = [];
  let lastSpeaker: { cand: Mention | null; speaker: Speaker; sentence: number; end: number } | null = null;
  /** Mentions before `at`, most recent first, while within `maxDist` sentences of sentence `sIdx`. */
  function* recentMentions(at: number, sIdx: number, maxDist: number) {
    for (let k = lastMentionAt(at); k >= 0; k--) {
      const m = mentions[k];
      const ms = tokens[tokenAt(m.start)]?.sentence ?? 0;
      if (sIdx - ms > maxDist || at - m.start > CHAR_WINDOW) return;
      if (m.end <= at) yield m;
    }
  }

  const resolvePronoun = (word: string, at: number): { mention: Mention | null; speaker: Speaker | null; conf: number } => {
    const sIdx = tokens[tokenAt(at)]?.sentence ?? 0;
    if (word === 'they' || word === 'it') {
      if (lastSpeaker && !lastSpeaker.cand && sIdx - lastSpeaker.sentence <= 3) return { mention: null, speaker: lastSpeaker.speaker, conf: 0.6 };
      // "Officials said …. “…,” they said.": a group that was the subject of a recent cue.
      const plural = (d: string) => /s$/i.test(d) && !/ss$/i.test(d);
      let group: (typeof groupSubjects)[number] | null = null;
      let lo = 0, hi = groupSubjects.length - 1, last = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (groupSubjects[mid].end <= at) { last = mid; lo = mid + 1; } else hi = mid - 1;
      }
      for (let k = last; k >= 0 && sIdx - groupSubjects[k].sentence <= 2 && at - groupSubjects[k].end < CHAR_WINDOW; k--) {
        if (word === 'they' ? plural(groupSubjects[k].text) : !plural(groupSubjects[k].text)) { group = groupSubjects[k]; break; }
      }
      if (group) return { mention: null, speaker: { name: group.text, ...(group.entity ? { entityId: group.entity.id } : {}) }, conf: 0.55 };
      let org: Mention | null = null;
      for (const m of recentMentions(at, sIdx, 2)) if (m.type === 'organization' && !insideQuote(m.start)) { org = m; break; }
      return org ? { mention: org, speaker: { name: org.name, ...(org.entity ? { entityId: org.entity.id } : {}) }, conf: 0.55 } : { mention: null, speaker: null, conf: 0 };
    }
    const want: Gender = lex.personPronouns.get(word) ?? null;
    const scored: { m: Mention; score: number; subject: boolean }[] = [];
    let compatible = 0;
    const seen = new Set<string>();
    const same = (a: Mention, b: Mention | null) => !!b && (a.entity ? a.entity === b.entity : a.name === b.name);
    const recent = [...recentMentions(at, sIdx, 8)].reverse();
    for (const m of recent) {
      if (m.type !== 'person' || insideQuote(m.start)) continue;
      const ms = tokens[tokenAt(m.start)]?.sentence ?? 0;
      const dist = sIdx - ms;
      if (dist > 8) continue;
      const g = genderOf(m);
      if (want && g && g !== want) continue;
      const prep = precededByPreposition(m.start);
      if (prep && dist === 0) continue;
      let score = -dist - (prep ? 1 : 0) - (/^[’']/u.test(text.slice(m.end, m.end + 1)) ? 0.25 : 0);
      const next = tokenAt(m.end);
      if (tokens[next] && cueAt(next)) score += 0.5;
      // A subject (sentence-initial, before a verb, or a name in apposition) is the likelier antecedent.
      const first = tokenAt(m.start);
      let k = first - 1;
      while (k >= 0 && tokens[k].sentence === tokens[first].sentence && tokens[k].word && (lex.titles.has(tokens[k].lower) || tokens[k].cap)) k--;
      const after = tokens[next];
      const verbNext = !!after && after.word && after.sentence === tokens[first].sentence && /^\p{Ll}/u.test(after.value) &&
        !lex.prepositions.has(after.lower) && !lex.determiners.has(after.lower) && !CONJ.has(after.lower) && after.lower !== 'that';
      const appositive = k >= 0 && tokens[k].value === ',' && after?.value === ',';
      const subject = !prep && (k < 0 || tokens[k].sentence !== tokens[first].sentence || verbNext || appositive);
      if (subject) score += 0.75;
      const key = m.entity?.id ?? m.name;
      if (!seen.has(key)) { seen.add(key); compatible++; }
      scored.push({ m, score, subject });
    }
    // The previous speaker stays the likeliest antecedent until another person becomes a subject.
    if (lastSpeaker?.cand && sIdx - lastSpeaker.sentence <= 3) {
      const newSubject = scored.some((x) => x.subject && x.m.start > lastSpeaker!.end && !same(x.m, lastSpeaker!.cand));
      if (!newSubject) for (const x of scored) if (same(x.m, lastSpeaker.cand)) x.score += 0.9;
    }
    let best: { m: Mention; score: number } | null = null;
    for (const x of scored) if (!best || x.score >= best.score) best = x;
    if (!best) return { mention: null, speaker: null, conf: 0 };
    const key = best.m.entity?.id ?? `name:${best.m.name}`;
    if (!gender.get(key) && want) gender.set(key, want);
    return { mention: best.m, speaker: speakerOf(best.m), conf: compatible > 1 ? 0.6 : 0.75 };
  };

  const speakerOf = (m: Mention): Speaker =>
    m.entity && (m.type === 'person' || m.type === 'organization') ? { name: m.entity.name, entityId: m.entity.id } : { name: m.entity?.name ?? m.name };

  const resolve = (c: Candidate, conf: number): Attribution => {
    if (c.kind === 'pronoun') {
      const r = resolvePronoun(c.word, c.at);
      return { speaker: r.speaker, cue: null, confidence: r.speaker ? Math.min(conf, r.conf) : 0, mention: r.mention };
    }
    if (c.kind === 'mention') {
      // A name found by its capitals may still be an entity's mention: link it.
      const m = c.mention.entity ? c.mention : (mentionsIn(c.mention.start, c.mention.end).find((x) => x.entity && x.end <= c.mention.end && (x.type === 'person' || x.type === 'organization')) ?? c.mention);
      return { speaker: speakerOf(m), cue: null, confidence: m.entity ? conf : Math.min(conf, 0.7), mention: m };
    }
    return { speaker: { name: c.text, ...(c.entity ? { entityId: c.entity.id } : {}) }, cue: null, confidence: Math.min(conf, 0.8), mention: null };
  };

  // A capitalised name after a title ("President Jane Doe", "Mr. Smith") is a person even when the entities stage missed it.
  const titled: Mention[] = [];
  for (let i = 0; i + 1 < tokens.length; i++) {
    if (!tokens[i].word || !tokens[i].cap || !lex.titles.has(tokens[i].lower) || masked(i)) continue;
    let e = i + 1;
    if (!tokens[e].word || !tokens[e].cap || tokens[e].sentence !== tokens[i].sentence) continue;
    while (e - i < 4 && tokens[e + 1]?.word && tokens[e + 1].cap && tokens[e + 1].sentence === tokens[i].sentence && !lex.titles.has(tokens[e + 1].lower)) e++;
    const start = tokens[i + 1].start;
    const raw = text.slice(start, tokens[e].end).replace(/[’']s$/u, '');
    if (overlapsMention(start, start + raw.length)) continue;
    titled.push({ start, end: start + raw.length, entity: null, name: raw, type: 'person' });
    i = e;
  }
  for (const m of titled) mentions.push(m);
  mentions.sort((a, b) => a.start - b.start);

  // Names the entities stage missed but that are subjects of a cue become mentions, so pronouns can find them.
  const found2: Mention[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (masked(i)) continue;
    const cue = cueAt(i);
    if (!cue || cue.form === 'noun') continue;
    const lower = sentences[tokens[i].sentence].first;
    const found = subjectOf(cue, lower);
    const c = found?.cand;
    if (c?.kind === 'mention' && !c.mention.entity && !mentionCovering(c.mention.start)) found2.push(c.mention);
    if (c?.kind === 'description') groupSubjects.push({ text: c.text, end: c.end, sentence: tokens[i].sentence, entity: c.entity });
  }
  for (const m of found2) if (!mentionCovering(m.start)) mentions.push(m);
  mentions.sort((a, b) => a.start - b.start);

  // ---------- per quotation ----------
  const sentencesWithQuote = new Set(outer.map((o) => tokens[tokenAt(o.open)]?.sentence ?? -1));
  const out: AnalysedQuote[] = [];
  const idOf = new Map<number, string>();
  spans.forEach((s, i) => idOf.set(s.open, `q${i + 1}`));
  const byOpen = new Map<number, AnalysedQuote>();
  let lastAttributed: AnalysedQuote | null = null;

  for (const span of spans) {
    const start = span.open + 1;
    const end = span.close;
    const qtext = text.slice(start, end);
    const wordCount = (qtext.match(/[\p{L}\p{N}]+(?:[’'\-][\p{L}\p{N}]+)*/gu) ?? []).length;
    const endsPunct = /[.!?…,;:]$/u.test(qtext.trim());
    const openTok = tokenAt(span.open);
    const closeTok = tokenAt(span.close);
    const sIdx = tokens[openTok]?.sentence ?? 0;
    const sent = sentences[sIdx];
    const quote: AnalysedQuote = { id: idOf.get(span.open)!, text: qtext, start, end, kind: 'scare', speaker: null, cue: null, confidence: 0, clusterId: null };

    if (span.continuationOf !== null && byOpen.has(span.continuationOf)) {
      const prev = byOpen.get(span.continuationOf)!;
      quote.continuationOf = prev.id;
    }

    if (span.depth > 0) {
      // A quotation inside a quotation: the outer speaker quotes someone; only its shape is judged.
      quote.kind = wordCount <= 4 && !/^\p{Lu}/u.test(qtext) ? 'scare' : 'partial';
      out.push(quote);
      byOpen.set(span.open, quote);
      continue;
    }

    // Before-context: the sentence up to the opening mark.
    const lowerTok = sent ? sent.first : 0;
    const prevTok = openTok - 1 >= lowerTok ? tokens[openTok - 1] : null;

    // After-context: from the closing mark to the end of its sentence (or the next quotation).
    let afterFrom = span.continues ? -1 : closeTok + 1;
    let afterTo = afterFrom;
    if (afterFrom >= 0 && tokens[closeTok]) {
      const cs = sentences[tokens[closeTok].sentence];
      afterTo = cs.last;
      // “Really?” he asked. — the tokenizer may end the sentence at the closing mark.
      if (afterFrom >= cs.last && /[?!]$/.test(qtext.trim()) && sentences[tokens[closeTok].sentence + 1]?.paragraph === cs.paragraph) {
        afterTo = sentences[tokens[closeTok].sentence + 1].last;
        if (tokens[afterFrom] && tokens[afterFrom].cap && !mentionCovering(tokens[afterFrom].start) && !SUBJECT_PRONOUNS.has(tokens[afterFrom].lower)) afterTo = afterFrom;
      }
      afterTo = Math.min(afterTo, afterFrom + WINDOW);
      for (let k = afterFrom; k < afterTo; k++) if (outerOpens.has(tokens[k].start)) { afterTo = k; break; }
    }

    // ---- attribution after the quotation ("…,” she said / said X, a spokesman for Y / according to Y)
    let attribution: Attribution | null = null;
    let afterCue: Cue | null = null;
    // A headline's "‘…’: Zelensky vows …" reads like "…,” Zelensky vowed".
    const headlineColon = tokens[afterFrom]?.value === ':' && (openTok === lowerTok || !prevTok);
    if (afterFrom >= 0 && afterFrom < afterTo && (tokens[afterFrom].value === ',' || tokens[afterFrom].word || headlineColon || /[,!?]$/.test(qtext.trim()))) {
      let words = 0;
      for (let k = afterFrom; k < afterTo && words < 16 && k - afterFrom < WINDOW; k++) {
        if (tokens[k].word) words++;
        if (['that', 'which', 'because', 'but', 'if'].includes(tokens[k].lower) || tokens[k].value === ';' || tokens[k].value === '.') break;
        const cue = cueAt(k, true);
        if (!cue || cue.form === 'noun') continue;
        const inverted = tokens.slice(afterFrom, k).every((t) => !t.word || lex.auxiliaries.has(t.lower));
        if (cue.form === 'ing' && cue.base !== 'according to') {
          // "…,” adding that …" continues the attribution found before the quote; "X, speaking to Y, told" is an aside.
          if (inverted) break;
          continue;
        }
        afterCue = cue;
        if (inverted && cue.base !== 'according to') {
          const c = phraseAfter(cue.to + 1, afterTo) ?? plainPhrase(cue.to + 1, afterTo);
          if (c) attribution = { ...resolve(c, 0.9), cue: cue.text };
        } else {
          const found = subjectOf(cue, afterFrom);
          const c = found?.cand ?? plainPhrase(afterFrom, k);
          if (c) attribution = { ...resolve(c, found?.conf ?? 0.7), cue: cue.text };
        }
        break;
      }
    }

    // ---- cues before the quotation in the same sentence, nearest first
    let beforeCue: Cue | null = null;
    if (!attribution?.speaker) {
      // A speech noun ("his remarks") counts only when no reporting verb of the sentence has a speaker.
      let nounAttribution: { a: Attribution; cue: Cue } | null = null;
      for (let k = openTok - 1; k >= Math.max(lowerTok, openTok - WINDOW); k--) {
        if (masked(k)) continue;
        const cue = cueAt(k, followsQuote(k));
        if (!cue) continue;
        // A multi-word cue is found from its first word.
        if (cue.to >= openTok) continue;
        if (cue.form !== 'noun') beforeCue ??= cue;
        const found = subjectOf(cue, lowerTok);
        if (!found) continue;
        const r = resolve(found.cand, found.conf);
        if (!r.speaker) continue;
        if (cue.form === 'noun') { nounAttribution ??= { a: { ...r, cue: cue.text }, cue }; continue; }
        attribution = { ...r, cue: cue.text };
        beforeCue = cue;
        break;
      }
      if (!attribution?.speaker && nounAttribution) { attribution = nounAttribution.a; beforeCue = nounAttribution.cue; }
    }
    const cue = attribution?.cue ?? afterCue?.text ?? beforeCue?.text ?? null;

    // ---- kind
    const prevLower = prevTok?.lower ?? '';
    const soCalled = /so[-\s]called\s*$/iu.test(text.slice(Math.max(0, span.open - 12), span.open));
    const atStart = !prevTok || (!prevTok.word && /^[—–\-(\[]$/u.test(prevTok.value) && openTok - 1 === lowerTok) ||
      (!prevTok.word && /^[.!?…]$/u.test(prevTok.value)) ||
      (prevTok.word && /[.!?]$/u.test(prevTok.value) && !lex.titles.has(prevTok.lower) && /^\p{Lu}/u.test(qtext)) || (isMark(prevTok) && /[.!?…]$/u.test(text.slice(0, prevTok.start).trimEnd()));
    let introducedByComma = false;
    if (prevTok?.value === ',') {
      for (let k = openTok - 2; k >= Math.max(lowerTok, openTok - WINDOW); k--) {
        if (boundaryPunct(tokens[k]) && !masked(k) && tokens[k].value !== ',' ) break;
        if (tokens[k].value === ',' && k !== openTok - 1 && !masked(k)) break;
        if (!masked(k) && cueAt(k, followsQuote(k))) { introducedByComma = true; break; }
      }
      if (!introducedByComma && openTok - 2 >= lowerTok && isMark(tokens[openTok - 2])) introducedByComma = true;
    }
    const afterCueDirect = !!afterCue && !!attribution && attribution.cue === afterCue.text;
    const prevCue = prevTok?.word ? cueAt(openTok - 1) : null;
    const naming = !!beforeCue && lex.namingVerbs.has(beforeCue.base) && !(prevTok?.value === ':' || introducedByComma);
    const introduced = !naming && (
      atStart || prevTok?.value === ':' || introducedByComma || !!prevCue ||
      (prevLower === 'that' && !!(beforeCue || attribution)));
    const continuesAfter = afterFrom >= 0 && tokens[afterFrom]?.word && tokens[afterFrom].sentence === tokens[closeTok]?.sentence && !endsPunct && !afterCueDirect;
    const speech = !!(attribution?.speaker || beforeCue || afterCue);
    // A short capitalised name in marks inside the author's sentence is a title or a label ("the “Tiger” tank").
    const qWords = qtext.trim().split(/\s+/).filter(Boolean);
    const titleLike = qWords.length > 0 && qWords.length <= 3 && qWords.every((w) => /^[\p{Lu}\d]/u.test(w)) && !/[.!?,]$/u.test(qtext.trim());
    let kind: QuoteKind;
    if (span.continuationOf !== null && byOpen.has(span.continuationOf)) kind = byOpen.get(span.continuationOf)!.kind;
    else if (soCalled) kind = 'scare';
    else if (introduced && !continuesAfter) {
      if (prevLower === 'that') kind = wordCount >= 3 || endsPunct ? 'direct' : 'partial';
      else kind = wordCount >= 2 || endsPunct || /^\p{Lu}/u.test(qtext) ? 'direct' : speech ? 'partial' : 'scare';
    } else if (speech && !titleLike) kind = 'partial';
    else kind = wordCount >= 6 ? 'partial' : 'scare';

    // ---- a speaker introduced by the sentence before ("Smith said in a statement:" / "Smith told reporters …. “…”")
    if (kind === 'direct' && !attribution?.speaker && !cue && atStart && sIdx > 0 && sent) {
      const ps = sentences[sIdx - 1];
      const colon = tokens[ps.last - 1]?.value === ':';
      const quoted = sentencesWithQuote.has(sIdx - 1);
      if (sent.paragraph - ps.paragraph <= 1 && (colon || !quoted)) {
        for (let k = ps.last - 1; k >= Math.max(ps.first, ps.last - WINDOW); k--) {
          if (masked(k)) continue;
          const c = cueAt(k);
          if (!c || c.form === 'noun') continue;
          const found = subjectOf(c, ps.first);
          const conf = colon ? 0.75 : sent.paragraph === ps.paragraph ? 0.55 : 0.5;
          const r = found ? resolve(found.cand, conf) : null;
          if (r?.speaker) attribution = { ...r, cue: colon ? c.text : null, confidence: Math.min(r.confidence, conf) };
          break;
        }
      }
    }

    // ---- the previous speaker goes on ("…,” she said. “…”)
    if (kind === 'direct' && !attribution?.speaker && !cue && lastSpeaker) {
      const prevQuote = lastAttributed && lastAttributed.end <= span.open ? lastAttributed : null;
      const psent = tokens[tokenAt(lastSpeaker.end)]?.sentence ?? 0;
      // Only people named after the previous quotation's sentence can have taken over.
      const from = sentences[tokens[tokenAt(lastSpeaker.end)]?.sentence ?? 0]?.end ?? lastSpeaker.end;
      const between = mentionsIn(Math.max(from, lastSpeaker.end + 1), span.open).some((m) => m.type === 'person' && m.end <= span.open && !insideQuote(m.start) && (m.entity ? m.entity !== lastSpeaker!.cand?.entity : m.name !== lastSpeaker!.cand?.name));
      const samePara = sent && sentences[psent] && sent.paragraph - sentences[psent].paragraph <= 1;
      if (prevQuote && samePara && sIdx - psent <= 3 && !between) {
        attribution = { speaker: lastSpeaker.speaker, cue: null, confidence: 0.6, mention: lastSpeaker.cand };
      }
    }

    if (kind === 'scare') {
      quote.speaker = null;
      quote.cue = null;
      quote.confidence = 0;
    } else {
      quote.kind = kind;
      quote.speaker = attribution?.speaker ?? null;
      quote.cue = quote.speaker ? (attribution?.cue ?? null) : cue;
      quote.confidence = quote.speaker ? Math.round((attribution?.confidence ?? 0) * 100) / 100 : 0;
    }
    quote.kind = kind;
    if (quote.continuationOf) {
      const prev = byOpen.get(span.continuationOf!)!;
      if (!quote.speaker && prev.speaker) { quote.speaker = prev.speaker; quote.cue = prev.cue; quote.confidence = prev.confidence; }
    }
    if (quote.speaker && attribution) lastSpeaker = { cand: attribution.mention, speaker: quote.speaker, sentence: sIdx, end: span.close };
    out.push(quote);
    if (quote.speaker && !quote.continuationOf) lastAttributed = quote;
    byOpen.set(span.open, quote);
  }

  const byId = new Map(out.map((q) => [q.id, q]));
  // A quotation's first part takes the speaker named after a later part ("“…\n\n“…,” she said.").
  for (let i = out.length - 1; i >= 0; i--) {
    const q = out[i];
    if (!q.continuationOf || !q.speaker) continue;
    const prev = byId.get(q.continuationOf);
    if (prev && !prev.speaker) { prev.speaker = q.speaker; prev.cue = q.cue; prev.confidence = q.confidence; }
  }
  return { quotes: out, problems };
}
