import { createHash } from 'node:crypto';
import type { CanonicalEntity, DocumentEntity, EntityType, Mention } from '@corpus/schema';
import nlp from 'compromise';
import type { Root as NlcstRoot } from 'nlcst';
import type { Plugin } from 'unified';
import type { VFile } from 'vfile';

export const ENTITIES_VERSION = 'entities-0.1.0';

/** User-extendable knowledge the text cannot give: alias → canonical name (and optional type). */
export interface AliasEntry {
  name: string;
  type?: EntityType;
  aliases: string[];
}
export type AliasTable = AliasEntry[];

export interface EntityOptions {
  aliases?: AliasTable;
}

const TRIM = /^[\s"'“”‘’•·\-–—(\[]+|[\s"'“”‘’.,;:!?)\]]+$/gu;

function trimSpan(text: string, start: number, end: number): [number, number] {
  let s = start, e = end;
  let slice = text.slice(s, e);
  const lead = slice.match(/^[\s"'“”‘’•·(\[]+/u)?.[0].length ?? 0;
  s += lead;
  slice = text.slice(s, e);
  const poss = slice.match(/(?:['’]s|['’])$/u)?.[0].length ?? 0;
  e -= poss;
  slice = text.slice(s, e);
  const tail = slice.match(/[\s"'“”‘’.,;:!?)\]]+$/u)?.[0].length ?? 0;
  e -= tail;
  // keep the period of an abbreviation such as "U.S."
  if (tail && /\b\p{L}\.\p{L}$/u.test(text.slice(s, e)) && text[e] === '.') e += 1;
  return [s, e];
}

/** unified plugin: named entities of `file.data.text` (or the file's own text), with exact offsets. */
const extractEntities: Plugin<[EntityOptions?], NlcstRoot> = function () {
  return (_tree: NlcstRoot, file: VFile) => {
    const text = file.data.text ?? String(file.value);
    const doc = nlp(text);
    const found: { text: string; start: number; end: number; type: EntityType }[] = [];
    const take = (view: any, type: EntityType) => {
      for (const m of view.json({ offset: true }) as { offset: { start: number; length: number } }[]) {
        const [s, e] = trimSpan(text, m.offset.start, m.offset.start + m.offset.length);
        if (e > s) found.push({ text: text.slice(s, e), start: s, end: e, type });
      }
    };
    take(doc.people(), 'person');
    take(doc.organizations(), 'organization');
    take(doc.places(), 'place');
    found.sort((a, b) => a.start - b.start || b.end - a.end);
    const byKey = new Map<string, DocumentEntity>();
    let lastEnd = -1;
    for (const m of found) {
      if (m.start < lastEnd) continue;
      lastEnd = m.end;
      const key = `${m.type}|${m.text.toLowerCase()}`;
      let entity = byKey.get(key);
      if (!entity) {
        entity = { id: `e${byKey.size + 1}`, name: m.text, type: m.type, mentions: [] };
        byKey.set(key, entity);
      }
      const mention: Mention = { text: m.text, start: m.start, end: m.end };
      entity.mentions.push(mention);
    }
    file.data.entities = [...byKey.values()];
  };
};
export default extractEntities;

export interface CorpusEntityInput {
  documentId: string;
  entities: DocumentEntity[];
}

export interface CorpusEntities {
  /** Canonical entities for `entities.json`, sorted deterministically. */
  entities: CanonicalEntity[];
  /** The canonical entity a document-local entity belongs to. */
  resolve(documentId: string, localId: string): { id: string; name: string; type: EntityType };
}

const entityId = (type: string, name: string) =>
  `${type.slice(0, 3)}-${createHash('sha256').update(`${type}\0${name.toLowerCase()}`).digest('hex').slice(0, 12)}`;

/** Links document-local entities into canonical corpus entities. */
export function canonicalizeCorpus(docs: readonly CorpusEntityInput[], _options: EntityOptions = {}): CorpusEntities {
  const canon = new Map<string, CanonicalEntity>();
  const local = new Map<string, string>();
  for (const d of docs) {
    for (const e of d.entities) {
      const key = `${e.type}|${e.name.toLowerCase()}`;
      let c = canon.get(key);
      if (!c) {
        c = { id: entityId(e.type, e.name), name: e.name, type: e.type, aliases: [], documentCount: 0, mentionCount: 0, mentions: [] };
        canon.set(key, c);
      }
      local.set(`${d.documentId}\0${e.id}`, key);
      for (const m of e.mentions) c.mentions.push({ documentId: d.documentId, text: m.text, start: m.start, end: m.end });
    }
  }
  for (const c of canon.values()) {
    c.aliases = [...new Set(c.mentions.map((m) => m.text))].sort();
    c.mentionCount = c.mentions.length;
    c.documentCount = new Set(c.mentions.map((m) => m.documentId)).size;
    c.mentions.sort((a, b) => (a.documentId < b.documentId ? -1 : a.documentId > b.documentId ? 1 : a.start - b.start));
  }
  const entities = [...canon.values()].sort((a, b) => b.mentionCount - a.mentionCount || (a.id < b.id ? -1 : 1));
  return {
    entities,
    resolve(documentId, localId) {
      const c = canon.get(local.get(`${documentId}\0${localId}`)!)!;
      return { id: c.id, name: c.name, type: c.type };
    },
  };
}
