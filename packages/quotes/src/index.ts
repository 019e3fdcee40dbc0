import type { Quote, QuoteRef, Speaker } from '@corpus/schema';
import type { Root as NlcstRoot } from 'nlcst';
import retextEnglish from 'retext-english';
import { unified, type Plugin } from 'unified';
import type { VFile } from 'vfile';
import { analyse, readTokens } from './analyse.js';
import { compileLexicon, defaultLexiconData, type Lexicon, type LexiconData } from './lexicon.js';

export const QUOTES_VERSION = 'quotes-0.3.3';

export { findQuoteSpans, type QuoteSpan, type MarkProblem } from './marks.js';
export { defaultLexiconData, type LexiconData } from './lexicon.js';

export interface QuoteOptions {
  /** Extra speech verbs: a base form ("concur") or explicit forms ("foretell|foretells|foretold|foretelling"). */
  speechVerbs?: string[];
  /** Extra speech nouns that cue a quotation with a possessor ("Smith’s remarks that …"). */
  speechNouns?: string[];
  /** Extra role or group nouns that make a phrase a speaker ("the regulator said"). */
  roleNouns?: string[];
  /** Replace the shipped lexicon entirely (see `data/lexicon.json`). */
  lexicon?: LexiconData;
}

const MESSAGES: Record<string, string> = {
  'unclosed-quote': 'Opening quotation mark has no closing mark in its paragraph; no quotation recorded',
  'unopened-quote': 'Closing quotation mark has no opening mark; ignored',
  'empty-quote': 'Empty quotation marks; ignored',
};

/** Line/column of offsets in `text` (1-based), by binary search over line starts. */
function locator(text: string) {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset: number) => {
    let lo = 0, hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo] + 1, offset };
  };
}

/** Past this many problems a document gets one summary message instead (a page of stray marks is one problem). */
const MAX_MESSAGES = 20;

let defaultLexicon: Lexicon | null = null;

/** Finds the quotations of a text, with kind, speaker, cue and confidence (the plugin's work, without a VFile). */
export function detectQuotes(text: string, options: QuoteOptions & { entities?: import('@corpus/schema').DocumentEntity[]; tree?: NlcstRoot } = {}) {
  const custom = options.lexicon || options.speechVerbs?.length || options.speechNouns?.length || options.roleNouns?.length;
  const lex = custom ? compileLexicon(options.lexicon ?? defaultLexiconData(), options) : (defaultLexicon ??= compileLexicon(defaultLexiconData()));
  // The pipeline hands over the nlcst tree of `text`; anything else is re-parsed so offsets stay exact.
  const given = options.tree && options.tree.position?.end.offset === text.length ? readTokens(text, options.tree) : null;
  const stream = given ?? readTokens(text, unified().use(retextEnglish).parse(text) as NlcstRoot)!;
  return analyse(text, stream, options.entities ?? [], lex);
}

/**
 * unified plugin: quotations in `file.data.text` (or the file's own text), linked to the speakers among
 * `file.data.entities`. A quotation that runs over a paragraph break is recorded as one part per paragraph,
 * the later parts pointing at the previous one with `continuationOf`.
 */
const extractQuotes: Plugin<[QuoteOptions?], NlcstRoot> = function (options: QuoteOptions = {}) {
  return (tree: NlcstRoot, file: VFile) => {
    const text = file.data.text ?? String(file.value);
    const { quotes, problems } = detectQuotes(text, { ...options, entities: file.data.entities ?? [], tree });
    const where = locator(text);
    for (const p of problems.slice(0, MAX_MESSAGES)) {
      const place = where(p.offset);
      file.message(`${MESSAGES[p.ruleId]} (${p.mark} at line ${place.line}, column ${place.column})`, {
        place,
        ruleId: p.ruleId,
        source: 'corpus-quotes',
      });
    }
    if (problems.length > MAX_MESSAGES) {
      file.message(`${problems.length - MAX_MESSAGES} more unbalanced or empty quotation marks not listed`, {
        place: where(problems[MAX_MESSAGES].offset),
        ruleId: 'many-quote-problems',
        source: 'corpus-quotes',
      });
    }
    file.data.quotes = quotes;
  };
};
export default extractQuotes;

export interface DocumentQuotes {
  documentId: string;
  quotes: Quote[];
}

/** Groups all quotes of the corpus by speaker (entity id, else name); unattributed last. */
export function indexQuotesBySpeaker(docs: readonly DocumentQuotes[]): { speaker: Speaker | null; quotes: QuoteRef[] }[] {
  const groups = new Map<string, { speaker: Speaker | null; quotes: QuoteRef[] }>();
  for (const d of docs) {
    for (const q of d.quotes) {
      const key = q.speaker ? (q.speaker.entityId ?? `name:${q.speaker.name.toLowerCase()}`) : '\uffff';
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { speaker: q.speaker, quotes: [] }));
      const ref: QuoteRef = { id: q.id, documentId: d.documentId, text: q.text, start: q.start, end: q.end, kind: q.kind, cue: q.cue, confidence: q.confidence, clusterId: q.clusterId };
      if (q.continuationOf) ref.continuationOf = q.continuationOf;
      g.quotes.push(ref);
    }
  }
  return [...groups.entries()]
    .sort(([a, x], [b, y]) => (a === '\uffff' ? 1 : b === '\uffff' ? -1 : y.quotes.length - x.quotes.length || (a < b ? -1 : 1)))
    .map(([, g]) => g);
}
