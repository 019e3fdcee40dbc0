import { CanonicalEntity } from '@corpus/schema';
import { describe, expect, it } from 'vitest';
import { CorpusLinker, type LinkEntity } from './corpus.js';
import { type CorpusEntityInput, buildAliasIndex, canonicalizeCorpus, extractDocumentEntities, toLinkEntity } from './index.js';

const aliases = buildAliasIndex(undefined);
const doc = (documentId: string, text: string): CorpusEntityInput => ({ documentId, entities: extractDocumentEntities(text, aliases).entities });
const idOf = (docs: CorpusEntityInput[], documentId: string, surface: string, result = canonicalizeCorpus(docs)) => {
  const d = docs.find((x) => x.documentId === documentId)!;
  const e = d.entities.find((x) => x.mentions.some((m) => m.text === surface));
  if (!e) throw new Error(`${surface} not found in ${documentId}`);
  return result.resolve(documentId, e.id);
};

describe('canonicalizeCorpus', () => {
  const docs = [
    doc('a', 'President Kassim-Zhomart Tokayev met officials in Lugansk. Tokayev spoke about the Collective Security Treaty Organisation.'),
    doc('b', 'Kassym-Jomart Tokayev, the president, said the Collective Security Treaty Organization (CSTO) would help. Luhansk was shelled.'),
    doc('c', 'Kassym-Jomart Tokayev again praised the CSTO. Later Tokayev visited Luhansk and met Sergey Lavrov.'),
    doc('d', 'Tokayev said little. Sergei Lavrov, the foreign minister, answered.'),
  ];
  const result = canonicalizeCorpus(docs);

  it('gives one id and name across transliterations and spellings', () => {
    const t = idOf(docs, 'a', 'Kassim-Zhomart Tokayev', result);
    expect(idOf(docs, 'b', 'Kassym-Jomart Tokayev', result)).toEqual(t);
    expect(idOf(docs, 'd', 'Tokayev', result)).toEqual(t);
    expect(t.name).toBe('Kassym-Jomart Tokayev');
    expect(idOf(docs, 'a', 'Lugansk', result).id).toBe(idOf(docs, 'b', 'Luhansk', result).id);
    expect(idOf(docs, 'a', 'Collective Security Treaty Organisation', result).id).toBe(idOf(docs, 'c', 'CSTO', result).id);
    expect(idOf(docs, 'c', 'Sergey Lavrov', result).id).toBe(idOf(docs, 'd', 'Sergei Lavrov', result).id);
  });

  it('lists every alias, mention and count, sorted deterministically, and valid for the schema', () => {
    const t = result.entities.find((e) => e.name === 'Kassym-Jomart Tokayev')!;
    expect(t.type).toBe('person');
    expect(t.documentCount).toBe(4);
    expect(t.mentionCount).toBe(t.mentions.length);
    expect(t.aliases).toEqual(['Kassim-Zhomart Tokayev', 'Kassym-Jomart Tokayev', 'Tokayev']);
    for (const e of result.entities) CanonicalEntity.parse(e);
    const counts = result.entities.map((e) => e.mentionCount);
    expect(counts).toEqual([...counts].sort((x, y) => y - x));
    // The same documents in another order give the same output.
    expect(canonicalizeCorpus([...docs].reverse()).entities).toEqual(result.entities);
  });

  it('derives ids from type and folded canonical name', () => {
    expect(idOf(docs, 'b', 'Luhansk', result).id).toBe('plc-luhansk');
    expect(idOf(docs, 'b', 'CSTO', result).id).toBe('org-collective-security-treaty-organization');
  });

  it('does not merge different people who share a surname', () => {
    const family = [
      doc('x', 'George Bush won in 1988.'),
      doc('y', 'Jeb Bush ran in 2016.'),
      doc('z', 'Bush said nothing.'),
    ];
    const r = canonicalizeCorpus(family);
    const ids = new Set(['x', 'y', 'z'].map((d, i) => idOf(family, d, ['George Bush', 'Jeb Bush', 'Bush'][i], r).id));
    expect(ids.size).toBe(3);
    // With only one Bush in the corpus, the surname joins him.
    const one = [doc('x', 'George Bush won in 1988.'), doc('z', 'Bush said nothing.')];
    expect(idOf(one, 'z', 'Bush').id).toBe(idOf(one, 'x', 'George Bush').id);
  });

  it('keeps similar but different short names apart', () => {
    const d = [doc('p', 'Troops left Iran.'), doc('q', 'Troops left Iraq.'), doc('r', 'Austria and Australia met.')];
    const r = canonicalizeCorpus(d);
    expect(idOf(d, 'p', 'Iran', r).id).not.toBe(idOf(d, 'q', 'Iraq', r).id);
    expect(idOf(d, 'r', 'Austria', r).id).not.toBe(idOf(d, 'r', 'Australia', r).id);
  });

  it('joins a shortened name and an acronym to the full name used elsewhere', () => {
    const d = [
      doc('m', 'Tokayev spoke at the St. Petersburg International Economic Forum. Oil flows through the Caspian Pipeline Consortium.'),
      doc('n', 'At the St. Petersburg Forum he was blunt. The CPC terminal was closed.'),
    ];
    const r = canonicalizeCorpus(d);
    expect(idOf(d, 'n', 'St. Petersburg Forum', r).name).toBe('St. Petersburg International Economic Forum');
    expect(idOf(d, 'n', 'CPC', r).name).toBe('Caspian Pipeline Consortium');
  });

  it('keeps one entity when two documents type the same name differently', () => {
    const d = [doc('f', 'Fischler proposed new rules on Monday.'), doc('g', 'Ministers accused Fischler at the meeting.')];
    const r = canonicalizeCorpus(d);
    expect(idOf(d, 'f', 'Fischler', r).id).toBe(idOf(d, 'g', 'Fischler', r).id);
  });

  it('joins a company named with and without its legal suffix', () => {
    const d = [doc('h', 'Chrysler Corp said it would cut 2,000 jobs.'), doc('i', 'Analysts said Chrysler was undervalued.')];
    const r = canonicalizeCorpus(d);
    expect(idOf(d, 'i', 'Chrysler', r)).toEqual(idOf(d, 'h', 'Chrysler Corp', r));
    expect(idOf(d, 'i', 'Chrysler', r).type).toBe('organization');
  });

  it('applies the alias table: "Eurasian Union" is the Eurasian Economic Union; U.S., US and United States are one', () => {
    const d = [doc('u', 'The Eurasian Union and the U.S. disagreed.'), doc('v', 'The Eurasian Economic Union (EEU) and the United States talked. The US dollar fell.')];
    const r = canonicalizeCorpus(d);
    expect(idOf(d, 'u', 'Eurasian Union', r).id).toBe(idOf(d, 'v', 'EEU', r).id);
    expect(idOf(d, 'u', 'U.S.', r).id).toBe(idOf(d, 'v', 'US', r).id);
    expect(idOf(d, 'v', 'United States', r).name).toBe('United States');
  });

  it('gives the same result from the compact form, and resolves the entities of a document in their order', () => {
    const compact = docs.map((d) => ({ documentId: d.documentId, entities: d.entities.map(toLinkEntity) }));
    const r = canonicalizeCorpus(compact);
    expect(JSON.stringify(r.entities)).toBe(JSON.stringify(result.entities));
    const form = compact[1].entities.find((e) => e.forms.length > 1 || e.spans.length > 3)!;
    expect(form.spans.length % 3).toBe(0);
    for (const d of docs) {
      expect(r.resolveAll(d.documentId)).toEqual(d.entities.map((e) => result.resolve(d.documentId, e.id)));
      for (const e of d.entities) expect(r.resolve(d.documentId, e.id)).toEqual(result.resolve(d.documentId, e.id));
    }
    // Sources in document order, then in the order of each document's entities.
    const tokayev = r.entities.find((e) => e.name === 'Kassym-Jomart Tokayev')!;
    const sources = r.sources(tokayev.id);
    expect(sources.map((s) => s.documentId)).toEqual(['a', 'b', 'c', 'd']);
    for (const s of sources) expect(r.resolve(s.documentId, s.localId).id).toBe(tokayev.id);
  });

  it('links the same way whatever order the analyses are added in, and when two documents share one analysis', () => {
    const all = [...docs, doc('e', 'Kassym-Jomart Tokayev again praised the CSTO. Later Tokayev visited Luhansk and met Sergey Lavrov.')];
    const expected = canonicalizeCorpus(all);
    const orders = [[0, 1, 2, 3, 4], [4, 3, 2, 1, 0], [2, 0, 4, 1, 3], [3, 4, 0, 2, 1]];
    for (const order of orders) {
      const linker = new CorpusLinker();
      // Documents c and e have the same text: one analysis, added once under one key.
      const keyOf = (d: CorpusEntityInput) => (d.documentId === 'e' ? 'key-c' : `key-${d.documentId}`);
      for (const i of order) linker.add(keyOf(all[i]), all[i].entities);
      const r = linker.link(all.map((d) => ({ documentId: d.documentId, key: keyOf(d) })));
      expect(JSON.stringify(r.entities)).toBe(JSON.stringify(expected.entities));
      for (const d of all) expect(r.resolveAll(d.documentId)).toEqual(d.entities.map((e) => expected.resolve(d.documentId, e.id)));
      expect(() => linker.link([])).toThrow(/once/);
    }
    // Spellings two edits apart join; "Balmarekon" and "Balmorikun" are three apart. Which of them join depends on which
    // comes first in document order (each side's first name must match too), never on the order they were added in.
    const place = (name: string): LinkEntity => ({ id: 'e1', name, type: 'place', forms: [name], spans: [0, 0, name.length] });
    const variants = [
      { documentId: 'a', entities: [place('Balmorekan')] },
      { documentId: 'b', entities: [place('Balmarekon')] },
      { documentId: 'c', entities: [place('Balmorikun')] },
    ];
    const cold = canonicalizeCorpus(variants);
    expect(new Set(variants.map((d) => cold.resolve(d.documentId, 'e1').id)).size).toBe(1);
    for (const order of [[1, 0, 2], [2, 1, 0], [1, 2, 0]]) {
      const linker = new CorpusLinker();
      for (const i of order) linker.add(variants[i].documentId, variants[i].entities);
      const r = linker.link(variants.map((d) => ({ documentId: d.documentId, key: d.documentId })));
      expect(JSON.stringify(r.entities)).toBe(JSON.stringify(cold.entities));
    }
    const reordered = canonicalizeCorpus([{ ...variants[1], documentId: 'a' }, { ...variants[0], documentId: 'b' }, variants[2]]);
    expect(reordered.resolve('c', 'e1').id).not.toBe(reordered.resolve('a', 'e1').id);
  });
});
