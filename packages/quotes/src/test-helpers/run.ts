import type { DocumentEntity, EntityType, Quote } from '@corpus/schema';
import retextEnglish from 'retext-english';
import { unified } from 'unified';
import { VFile } from 'vfile';
import extractQuotes, { type QuoteOptions } from '../index.js';

/** A document-local entity with every occurrence of its surface forms in `text`. */
export function entity(id: string, name: string, type: EntityType, text: string, ...surfaces: string[]): DocumentEntity {
  const mentions = [];
  for (const s of surfaces.length ? surfaces : [name]) {
    for (let i = text.indexOf(s); i >= 0; i = text.indexOf(s, i + 1)) {
      const before = text[i - 1], after = text[i + s.length];
      if ((before && /\p{L}/u.test(before)) || (after && /\p{L}/u.test(after))) continue;
      mentions.push({ text: s, start: i, end: i + s.length });
    }
  }
  mentions.sort((a, b) => a.start - b.start);
  return { id, name, type, mentions };
}

/** Runs the plugin the way the pipeline does (nlcst tree of `text`, entities already on the file). */
export async function run(text: string, entities: DocumentEntity[] = [], options: QuoteOptions = {}): Promise<{ quotes: Quote[]; file: VFile }> {
  const file = new VFile({ value: text });
  file.data.text = text;
  file.data.entities = entities;
  const processor = unified().use(retextEnglish).use(extractQuotes, options);
  await processor.run(processor.parse(file), file);
  const quotes = file.data.quotes ?? [];
  for (const q of quotes) if (text.slice(q.start, q.end) !== q.text) throw new Error(`offsets of ${q.id} are wrong`);
  return { quotes, file };
}

export const brief = (q: Quote) => ({ text: q.text, kind: q.kind, speaker: q.speaker?.name ?? null, cue: q.cue });
