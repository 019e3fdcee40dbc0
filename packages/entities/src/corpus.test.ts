import { deserialize, serialize } from 'node:v8';
import { CanonicalEntity, type EntityType } from '@corpus/schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CorpusLinker, type LinkEntity, type LinkResult, type LinkState } from './corpus.js';
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

describe('mention runs', () => {
  it('are each entity\'s mentions a document at a time, with a digest that changes only with what fixes the run', () => {
    const texts: [string, string][] = [
      ['a', 'Kassym-Jomart Tokayev met the CSTO in Almaty. Mr. Tokayev thanked the Collective Security Treaty Organization.'],
      ['b', 'Kassim-Zhomart Tokayev spoke in Almaty, and Tokayev later left Almaty.'],
      ['c', 'The CSTO sent troops to Almaty.'],
    ];
    const link = (docs: [string, string][], keys: Record<string, string> = {}) => {
      const linker = new CorpusLinker();
      for (const [id, text] of docs) linker.add(keys[id] ?? `key-${id}`, doc(id, text).entities);
      return linker.link(docs.map(([id]) => ({ documentId: id, key: keys[id] ?? `key-${id}` })));
    };
    const r = link(texts);
    const digests = new Map<string, number[]>();
    r.entities.forEach((e, i) => {
      const runs = r.mentionRuns(i);
      expect(runs.flatMap((run) => run.mentions())).toEqual(e.mentions);
      expect(runs.map((run) => run.documentId)).toEqual([...new Set(e.mentions.map((m) => m.documentId))]);
      digests.set(e.id, runs.map((run) => run.digest));
    });
    const almaty = r.entities.findIndex((e) => e.name === 'Almaty');
    expect(r.mentionRuns(almaty).map((run) => run.mentions().length)).toEqual([1, 2, 1]);
    // Another document added: the runs of those that were there keep their digests.
    const more = link([...texts, ['d', 'Tokayev flew from Almaty to Moscow.']]);
    more.entities.forEach((e, i) => {
      const before = digests.get(e.id);
      if (before) expect(more.mentionRuns(i).map((run) => run.digest).filter((d) => before.includes(d)).length).toBeGreaterThanOrEqual(before.length);
    });
    // Document b analysed anew (another key): its runs' digests change, the others' do not.
    const again = link(texts, { b: 'key-b2' });
    const runsOf = (x: typeof r, name: string) => x.mentionRuns(x.entities.findIndex((e) => e.name === name));
    expect(runsOf(again, 'Almaty').map((run) => run.digest === runsOf(r, 'Almaty').find((o) => o.documentId === run.documentId)!.digest)).toEqual([true, false, true]);
    expect(new Set(r.entities.flatMap((_, i) => r.mentionRuns(i).map((run) => run.digest))).size).toBe(r.entities.reduce((n, e) => n + e.documentCount, 0));
  });
});

describe('CorpusLinker from the last build\'s state', () => {
  // Names that every rule has something to say about: transliterations and near-misses (2), lone surnames shared by
  // several people or by one (3), acronyms and their expansions (4), shortened names (5), a name typed two ways (1b),
  // forms that are other entities' names (1).
  const pool: [string, EntityType, string[]][] = [
    ['Kassym-Jomart Tokayev', 'person', ['Kassym-Jomart Tokayev', 'Tokayev']],
    ['Kassim-Zhomart Tokayev', 'person', ['Kassim-Zhomart Tokayev']],
    ['Tokayev', 'person', ['Tokayev']],
    ['Tokaev', 'person', ['Tokaev']],
    ['Arman Tokayev', 'person', ['Arman Tokayev']],
    ['Sergey Lavrov', 'person', ['Sergey Lavrov', 'Lavrov']],
    ['Sergei Lavrov', 'person', ['Sergei Lavrov']],
    ['Lavrov', 'person', ['Lavrov']],
    ['Balmorekan', 'place', ['Balmorekan']],
    ['Balmarekon', 'place', ['Balmarekon']],
    ['Balmorikun', 'place', ['Balmorikun']],
    ['Balmorekan', 'organization', ['Balmorekan']],
    ['Caspian Pipeline Consortium', 'organization', ['Caspian Pipeline Consortium', 'CPC']],
    ['CPC', 'organization', ['CPC']],
    ['Communist Party of China', 'organization', ['Communist Party of China']],
    ['St. Petersburg International Economic Forum', 'event', ['St. Petersburg International Economic Forum']],
    ['St. Petersburg Forum', 'event', ['St. Petersburg Forum']],
    ['St. Petersburg Economic Forum', 'event', ['St. Petersburg Economic Forum']],
    ['Luhansk', 'place', ['Luhansk', 'Lugansk']],
    ['Lugansk', 'place', ['Lugansk']],
    ['Fischler', 'person', ['Fischler']],
    ['Fischler', 'organization', ['Fischler']],
  ];
  const entitiesOf = (picks: number[]): LinkEntity[] =>
    [...new Set(picks)].map((p, i) => {
      const [name, type, forms] = pool[p];
      const spans = forms.flatMap((_, f) => [f, 10 * i + f, 10 * i + f + 3]);
      return { id: `e${i + 1}`, name, type, forms: [...forms].sort(), spans: spans.map((v, k) => (k % 3 === 0 ? [...forms].sort().indexOf(forms[v]) : v)) };
    });
  type Doc = { documentId: string; key: string; entities: LinkEntity[] };
  const doc = fc.record({ id: fc.integer({ min: 0, max: 30 }), picks: fc.array(fc.integer({ min: 0, max: pool.length - 1 }), { minLength: 1, maxLength: 5 }) });
  const link = (docs: Doc[], state?: LinkState) => {
    const linker = new CorpusLinker({}, state);
    for (const d of docs) if (!linker.has(d.key)) linker.add(d.key, d.entities);
    return linker.link(docs.map((d) => ({ documentId: d.documentId, key: d.key })));
  };
  const snapshot = (r: LinkResult, docs: Doc[]) => JSON.stringify([r.entities, docs.map((d) => [...r.linksOf(d.documentId)])]);
  /** Each entity's element and stamp, by id. */
  const elements = (r: LinkResult) => new Map(r.entities.map((e, i) => [e.id, { json: JSON.stringify(e), stamp: r.stamp(i) }]));

  it('links each build exactly as a cold link of the same documents would, through additions, removals and edits', () => {
    fc.assert(
      fc.property(fc.array(fc.array(doc, { minLength: 1, maxLength: 12 }), { minLength: 2, maxLength: 5 }), (builds) => {
        let state: LinkState | undefined;
        let previous = new Map<string, { json: string; stamp: string }>();
        for (const build of builds) {
          // One document per id; its analysis key follows its content, so an edited document has a new key.
          const byId = new Map(build.map((d) => [`d${String(d.id).padStart(2, '0')}`, d.picks]));
          const docs: Doc[] = [...byId].map(([documentId, picks]) => ({ documentId, key: `k${[...new Set(picks)].join('-')}`, entities: entitiesOf(picks) }));
          const incremental = link(docs, state && (deserialize(serialize(state)) as LinkState));
          const cold = link(docs);
          expect(snapshot(incremental, docs)).toBe(snapshot(cold, docs));
          // An entity that kept its stamp has the very element it had: the build copies it instead of writing it.
          const now = elements(incremental);
          for (const [id, e] of previous) if (now.get(id)?.stamp === e.stamp) expect(now.get(id)!.json).toBe(e.json);
          previous = now;
          state = incremental.state();
        }
      }),
      { numRuns: 300 },
    );
  });

  it('runs the rules again only over the part of the corpus that changed', () => {
    const docs: Doc[] = [
      { documentId: 'a', key: 'ka', entities: entitiesOf([0, 5, 12]) },
      { documentId: 'b', key: 'kb', entities: entitiesOf([1, 13, 18]) },
      { documentId: 'c', key: 'kc', entities: entitiesOf([15, 16, 20]) },
    ];
    const first = link(docs);
    expect(first.stats.relinked).toBe(first.stats.nodes);
    // A new document naming only "Lavrov": that lone name and the Sergey Lavrov it may stand for are linked again.
    const more = [...docs, { documentId: 'd', key: 'kd', entities: entitiesOf([7]) }];
    const next = link(more, first.state());
    expect(next.stats.relinked).toBe(2);
    expect(snapshot(next, more)).toBe(snapshot(link(more), more));
    // Entities the new document does not touch keep their stamps; the Lavrov it names gets a new one.
    const before = elements(first), after = elements(next);
    const kept = [...after].filter(([id, e]) => before.get(id)?.stamp === e.stamp).map(([id]) => id);
    expect(kept.length).toBe(after.size - 1);
    expect(kept).not.toContain(next.resolve('d', 'e1').id);
    // Nothing changed: nothing is linked again, and every stamp is the last build's.
    const same = link(docs, first.state());
    expect(same.stats.relinked).toBe(0);
    expect(snapshot(same, docs)).toBe(snapshot(first, docs));
    expect(same.entities.map((_, i) => same.stamp(i))).toEqual(first.entities.map((_, i) => first.stamp(i)));
  });
});
