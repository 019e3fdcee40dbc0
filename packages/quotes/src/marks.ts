/** Finding and pairing quotation marks. Pure text + the set of offsets the tokenizer put inside words. */

export type Family = 'double' | 'single';

export interface QuoteSpan {
  /** Offset of the opening mark. */
  open: number;
  /** Offset of the closing mark, or the end of the paragraph's text for a part that continues in the next paragraph. */
  close: number;
  /** True when the span has no closing mark because the quotation goes on in the next paragraph. */
  continues: boolean;
  /** `open` of the previous part of the same quotation, when this part reopens it after a paragraph break. */
  continuationOf: number | null;
  /** Nesting depth: 0 for an outermost quotation. */
  depth: number;
  family: Family;
}

export interface MarkProblem {
  ruleId: 'unclosed-quote' | 'unopened-quote' | 'empty-quote';
  offset: number;
  mark: string;
}

type Role = 'open' | 'close' | 'either' | 'close-or-apostrophe' | 'apostrophe';

interface Mark {
  at: number;
  ch: string;
  family: Family;
  role: Role;
}

const DOUBLE = new Set(['“', '”', '„', '‟', '"', '«', '»']);
const SINGLE = new Set(['‘', '’', '‚', '‛', "'", '‹', '›']);
const OPEN_ONLY = new Set(['“', '„', '‟', '«', '‘', '‚', '‛', '‹']);
const CLOSE_ONLY = new Set(['”', '»', '›']);
// Every character in DOUBLE or SINGLE.
const MARK_CHAR = /[“”„‟"«»‘’‚‛'‹›]/g;
// Leading elisions that start with an apostrophe: ’90s, 'em, 'tis, rock 'n' roll.
const ELISION = /^(?:\d\d?s?\b|\d\d\b|tis\b|twas\b|em\b|n\b|cause\b|til\b|bout\b)/i;

const isSpace = (c: string | undefined) => c === undefined || /\s/.test(c);
const isLeftContext = (c: string | undefined) => isSpace(c) || /[([{\u2014\u2013\-/“‘"'«‹„‚]/.test(c!);
const isRightContext = (c: string | undefined) => isSpace(c) || /[.,;:!?)\]}\u2014\u2013\-…”’"'»›/]/.test(c!);
const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c);

function classify(text: string, at: number, inWord: boolean): Mark | null {
  const ch = text[at];
  const family: Family | null = DOUBLE.has(ch) ? 'double' : SINGLE.has(ch) ? 'single' : null;
  if (!family) return null;
  const prev = text[at - 1];
  const next = text[at + 1];
  const left = isLeftContext(prev);
  const right = isRightContext(next);
  if (family === 'single') {
    if (inWord || (isWordChar(prev) && isWordChar(next))) return { at, ch, family, role: 'apostrophe' };
    if (left && !right && ELISION.test(text.slice(at + 1, at + 6))) return { at, ch, family, role: 'apostrophe' };
  }
  let role: Role;
  if (OPEN_ONLY.has(ch)) role = left || !right ? 'open' : 'either';
  else if (CLOSE_ONLY.has(ch)) role = right || !left ? 'close' : 'either';
  else if (left && !right) role = 'open';
  else if (!left && right) role = family === 'single' && isWordChar(prev) ? 'close-or-apostrophe' : 'close';
  else role = family === 'single' && !left ? 'close-or-apostrophe' : 'either';
  return { at, ch, family, role };
}

/** Paragraph ranges: text between blank lines. */
export function paragraphRanges(text: string): [number, number][] {
  const out: [number, number][] = [];
  const re = /\n[ \t]*\n\s*/g;
  let start = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push([start, m.index]);
    start = m.index + m[0].length;
  }
  out.push([start, text.length]);
  return out.filter(([s, e]) => e > s);
}

/**
 * Pairs quotation marks paragraph by paragraph. A mark the tokenizer placed inside a word, or a single mark
 * that cannot close an open single quotation, is an apostrophe. An opening mark still open at the end of a
 * paragraph whose next paragraph starts with the same kind of mark is a quotation continued over the break.
 */
export function findQuoteSpans(text: string, inWord: (offset: number) => boolean = () => false): { spans: QuoteSpan[]; problems: MarkProblem[] } {
  const spans: QuoteSpan[] = [];
  const problems: MarkProblem[] = [];
  const paras = paragraphRanges(text);
  // Part of a quotation continued from the previous paragraph, waiting for its reopening mark.
  let pending: { index: number; family: Family } | null = null;

  for (let p = 0; p < paras.length; p++) {
    const [ps, pe] = paras[p];
    const marks: Mark[] = [];
    // Only the quotation-mark characters need classifying; a regex jumps from one to the next.
    MARK_CHAR.lastIndex = ps;
    for (let hit = MARK_CHAR.exec(text); hit && hit.index < pe; hit = MARK_CHAR.exec(text)) {
      const m = classify(text, hit.index, inWord(hit.index));
      if (m && m.role !== 'apostrophe') marks.push(m);
    }
    const stack: (Mark & { continuationOf: number | null })[] = [];
    const firstVisible = text.slice(ps, pe).search(/\S/) + ps;
    const emit = (o: Mark & { continuationOf: number | null }, close: number, continues: boolean) => {
      if (close <= o.at + 1 && !continues) {
        problems.push({ ruleId: 'empty-quote', offset: o.at, mark: o.ch });
        return -1;
      }
      spans.push({ open: o.at, close, continues, continuationOf: o.continuationOf, depth: stack.length, family: o.family });
      return o.at;
    };
    // Whether the next mark of the same family after mark `i` could close a quotation (precomputed, right to left).
    const laterCloser: boolean[] = new Array(marks.length).fill(false);
    const next: Record<Family, Role | null> = { double: null, single: null };
    for (let i = marks.length - 1; i >= 0; i--) {
      const r = next[marks[i].family];
      laterCloser[i] = r !== null && r !== 'open';
      next[marks[i].family] = marks[i].role;
    }
    // Positions in `stack` of each family's open marks, so the innermost one is found in constant time.
    const byFamily: Record<Family, number[]> = { double: [], single: [] };
    const topIndex = (family: Family) => byFamily[family].at(-1) ?? -1;
    const pop = () => {
      const o = stack.pop()!;
      byFamily[o.family].pop();
      return o;
    };
    for (let mi = 0; mi < marks.length; mi++) {
      const m = marks[mi];
      let role = m.role;
      const k = topIndex(m.family);
      if (role === 'either') role = k >= 0 ? 'close' : 'open';
      if (role === 'close-or-apostrophe') {
        if (k < 0) continue;
        // "the Kazakhs’ views’": a plural possessive inside an open quotation, when a later mark can close it.
        const possessive = /s/i.test(text[m.at - 1] ?? '') && /^\s+\p{Ll}/u.test(text.slice(m.at + 1, m.at + 4));
        if (possessive && laterCloser[mi]) continue;
        role = 'close';
      }
      if (role === 'open') {
        const reopen = pending && m.at === firstVisible && m.family === pending.family ? pending.index : null;
        if (reopen !== null) pending = null;
        byFamily[m.family].push(stack.length);
        stack.push({ ...m, continuationOf: reopen });
        continue;
      }
      if (k < 0) {
        problems.push({ ruleId: 'unopened-quote', offset: m.at, mark: m.ch });
        continue;
      }
      while (stack.length - 1 > k) {
        const inner = pop();
        problems.push({ ruleId: 'unclosed-quote', offset: inner.at, mark: inner.ch });
      }
      const o = pop();
      emit(o, m.at, false);
    }
    if (pending) {
      // The continued quotation was never reopened: its first part stands alone.
      pending = null;
    }
    // Inner marks left open are errors; the outermost may continue in the next paragraph.
    while (stack.length > 1) {
      const inner = pop();
      problems.push({ ruleId: 'unclosed-quote', offset: inner.at, mark: inner.ch });
    }
    if (stack.length === 1) {
      const o = pop();
      const next = paras[p + 1];
      const nextMark = next ? classify(text, next[0], inWord(next[0])) : null;
      if (nextMark && nextMark.family === o.family && (nextMark.role === 'open' || nextMark.role === 'either')) {
        let end = pe;
        while (end > o.at + 1 && /\s/.test(text[end - 1])) end--;
        const index = emit(o, end, true);
        if (index >= 0) pending = { index, family: o.family };
      } else {
        problems.push({ ruleId: 'unclosed-quote', offset: o.at, mark: o.ch });
      }
    }
  }
  spans.sort((a, b) => a.open - b.open);
  return { spans, problems };
}
