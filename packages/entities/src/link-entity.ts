import type { DocumentEntity, EntityType } from '@corpus/schema';

/**
 * A document-local entity as linking needs it: its distinct surface forms once (sorted), and each mention as three
 * numbers (form index, start, end) in one flat array. It carries what a `DocumentEntity` does, in a tenth of the
 * objects. It is also the format of the build's entity log, so it lives apart from the linking code: the analysis
 * cache depends on this module, not on how linking works.
 */
export interface LinkEntity {
  id: string;
  name: string;
  type: EntityType;
  forms: string[];
  spans: number[];
}

/** The compact form of a document-local entity (see `LinkEntity`). */
export function toLinkEntity(e: DocumentEntity): LinkEntity {
  const forms = distinctTexts(e);
  const spans = new Array<number>(e.mentions.length * 3);
  e.mentions.forEach((m, i) => {
    spans[3 * i] = forms.length === 1 ? 0 : forms.indexOf(m.text);
    spans[3 * i + 1] = m.start;
    spans[3 * i + 2] = m.end;
  });
  return { id: e.id, name: e.name, type: e.type, forms, spans };
}

/** The distinct surface forms of an entity, sorted (most entities are named one way, often only once). */
function distinctTexts(e: DocumentEntity): string[] {
  if (e.mentions.length === 1) return [e.mentions[0].text];
  const texts: string[] = [];
  for (const m of e.mentions) if (!texts.includes(m.text)) texts.push(m.text);
  return texts.length > 1 ? texts.sort() : texts;
}
