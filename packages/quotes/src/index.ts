import type { Quote, QuoteRef, Speaker } from '@corpus/schema';
import type { Root as NlcstRoot } from 'nlcst';
import type { Plugin } from 'unified';
import type { VFile } from 'vfile';

export const QUOTES_VERSION = 'quotes-0.1.0';

export interface QuoteOptions {
  /** Extra speech verbs (base or inflected forms). */
  speechVerbs?: string[];
}

const PAIRS: Record<string, string> = { '“': '”', '"': '"', '«': '»' };
const SPEECH = /\b(said|says|say|told|stated|noted|added|vowed|warned|claimed|argued|replied|declared|insisted|according to|saying|stating|adding)\b/i;

/** unified plugin: quotations in `file.data.text`, with kind, speaker and cue. */
const extractQuotes: Plugin<[QuoteOptions?], NlcstRoot> = function () {
  return (_tree: NlcstRoot, file: VFile) => {
    const text = file.data.text ?? String(file.value);
    const entities = file.data.entities ?? [];
    const quotes: Quote[] = [];
    let i = 0;
    while (i < text.length) {
      const close = PAIRS[text[i]];
      if (!close) { i++; continue; }
      const end = text.indexOf(close, i + 1);
      const para = text.indexOf('\n\n', i);
      if (end < 0 || (para >= 0 && para < end)) {
        file.message(`unbalanced quotation mark at ${i}`, { ruleId: 'unbalanced-quote', source: 'corpus-quotes' });
        i++;
        continue;
      }
      const start = i + 1;
      const qtext = text.slice(start, end);
      const before = text.slice(Math.max(0, start - 120), start - 1);
      const after = text.slice(end + 1, end + 80);
      const cue = before.match(SPEECH)?.[0] ?? after.match(SPEECH)?.[0] ?? null;
      const words = qtext.split(/\s+/).filter(Boolean).length;
      const kind = words <= 3 && !cue ? 'scare' : /^[A-Z]/.test(qtext) && words > 3 ? 'direct' : 'partial';
      let speaker: Speaker | null = null;
      if (kind !== 'scare' && cue) {
        let best: { name: string; id: string; pos: number } | null = null;
        for (const e of entities) {
          if (e.type !== 'person') continue;
          for (const m of e.mentions) if (m.end <= start && (!best || m.end > best.pos)) best = { name: e.name, id: e.id, pos: m.end };
        }
        if (best) speaker = { name: best.name, entityId: best.id };
      }
      quotes.push({ id: `q${quotes.length + 1}`, text: qtext, start, end, kind, speaker, cue: kind === 'scare' ? null : cue, confidence: speaker ? 0.5 : 0, clusterId: null });
      i = end + 1;
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
      g.quotes.push({ id: q.id, documentId: d.documentId, text: q.text, start: q.start, end: q.end, kind: q.kind, cue: q.cue, confidence: q.confidence, clusterId: q.clusterId });
    }
  }
  return [...groups.entries()]
    .sort(([a, x], [b, y]) => (a === '\uffff' ? 1 : b === '\uffff' ? -1 : y.quotes.length - x.quotes.length || (a < b ? -1 : 1)))
    .map(([, g]) => g);
}
