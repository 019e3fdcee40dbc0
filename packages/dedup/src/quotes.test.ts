import { describe, expect, it } from 'vitest';
import { type QuoteForClustering, QuoteWordings, clusterQuotes, quoteKey } from './index.js';
import { seedQuotes } from './test-helpers/fixtures.js';

const q = (documentId: string, id: string, text: string, speaker: string | null = 'Kassym-Jomart Tokayev', kind = 'direct'): QuoteForClustering => ({
  documentId,
  id,
  text,
  kind,
  speaker: speaker ? { name: speaker } : null,
});

describe('clusterQuotes', () => {
  it('finds the one cross-document cluster of the seeds and nothing else', () => {
    expect(seedQuotes).toHaveLength(29);
    const { clusters, clusterOf } = clusterQuotes(seedQuotes);
    expect(clusters).toHaveLength(1);
    const [c] = clusters;
    expect(c.members.map((m) => m.documentId)).toEqual(['000_994fffdfe3f0c4b4', '002_6be1f0f537a5929b']);
    expect(c.members.every((m) => m.text.startsWith('We cannot violate'))).toBe(true);
    expect(c.representative).toMatch(/^We cannot violate \[the sanctions\].*if we did violate the sanctions\.$/);
    expect(c.documentCount).toBe(2);
    expect(c.speakers).toEqual([{ name: 'Kassym-Jomart Tokayev' }]);
    expect(c.members[1].similarity).toBeGreaterThan(0.6);
    expect(c.members[1].similarity).toBeLessThan(1);
    // Quote ids are per document (every seed has a "q1"): the map is keyed by document and id.
    const ids = c.members.map((m) => clusterOf.get(quoteKey(m.documentId, m.quoteId)));
    expect(ids).toEqual([c.id, c.id]);
    expect(clusterOf.size).toBe(2);
    // With corpus-unique ids the bare id is a key too.
    const global = clusterQuotes(seedQuotes.map((x) => ({ ...x, id: `${x.documentId}:${x.id}` })));
    expect(global.clusterOf.get('002_6be1f0f537a5929b:q5')).toBe(global.clusters[0].id);
    expect(global.clusters[0].members.map((m) => m.quoteId)).toEqual(['000_994fffdfe3f0c4b4:q3', '002_6be1f0f537a5929b:q5']);
  });

  it('clusters editorial variants: curly vs straight marks, ellipsis, a shortened version, a bracketed word', () => {
    const full = 'We will not recognise these quasi-state formations, because the territorial integrity of countries should prevail over the right of nations to self-determination.';
    const { clusters } = clusterQuotes([
      q('a', 'q1', full),
      q('b', 'q1', full.replace(/-/g, '\u2011').replace(/,/g, ' ,')),
      q('c', 'q3', 'We will not recognise these quasi-state formations … the territorial integrity of countries should prevail.'),
      q('d', 'q2', 'the territorial integrity of countries should prevail over the right of nations to self-determination', 'Tokayev'),
      q('e', 'q1', 'We will not recognise [Luhansk and Donetsk], because the territorial integrity of countries should prevail over the right of nations to self-determination.', null),
      q('f', 'q1', 'We don’t intend to recognise these formations and we will say so openly in St. Petersburg next week.'),
    ]);
    expect(clusters).toHaveLength(1);
    expect(clusters[0].members.map((m) => m.documentId)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(clusters[0].speakers.map((s) => s.name)).toEqual(['Kassym-Jomart Tokayev']);
  });

  it('gives the same clusters from wordings worked out ahead, some of them, as from none', () => {
    const quotes = seedQuotes;
    const ahead = new QuoteWordings();
    // A build works out the wordings of the quotes it already knows; the new ones are worked out while clustering.
    for (const x of quotes.slice(0, Math.floor(quotes.length / 2))) ahead.add(x.text);
    expect(JSON.stringify(clusterQuotes(quotes, undefined, ahead).clusters)).toBe(JSON.stringify(clusterQuotes(quotes).clusters));
    expect(clusterQuotes(quotes).clusters.length).toBeGreaterThan(0);
  });

  it('keeps different sentences of the same speaker apart even when they share a phrase', () => {
    const { clusters } = clusterQuotes([
      q('a', 'q1', 'Sanctions against our economy would be a disaster for the people of Kazakhstan and for our partners.'),
      q('b', 'q1', 'Sanctions against our economy are not something we will discuss with journalists before the summit.'),
      q('c', 'q1', 'The alliance with Russia is solid and we will keep working within the Eurasian Economic Union.'),
      q('d', 'q1', 'The alliance with Russia does not oblige us to follow every decision taken in Moscow.'),
    ]);
    expect(clusters).toEqual([]);
  });

  it('does not let a short quote inside two different ones join them', () => {
    const { clusters } = clusterQuotes([
      q('a', 'q1', 'Sanctions against our economy would be a disaster for the people of Kazakhstan and for our partners.'),
      q('b', 'q1', 'Sanctions against our economy would be lifted only after the war ends, and not a day before.'),
      q('c', 'q1', 'sanctions against our economy would be'),
    ]);
    expect(clusters).toHaveLength(1);
    expect(clusters[0].members.map((m) => m.documentId)).toEqual(['a', 'c']);
  });

  it('never clusters short phrases or scare quotes', () => {
    const { clusters } = clusterQuotes([
      q('a', 'q1', 'sanctions are sanctions.'),
      q('b', 'q1', 'sanctions are sanctions.'),
      q('a', 'q2', 'special military operation', null, 'scare'),
      q('b', 'q2', 'special military operation', null, 'scare'),
      q('c', 'q1', 'a total functioning of the oil pipeline system', null, 'scare'),
      q('d', 'q1', 'a total functioning of the oil pipeline system', null, 'scare'),
    ]);
    expect(clusters).toEqual([]);
  });

  it('merges a quote given to two speakers only when the wording is the same', () => {
    const text = 'Russia wants us to support them, but we must be careful not to fall under secondary sanctions ourselves.';
    const same = clusterQuotes([q('a', 'q1', text, 'Timur Suleimenov'), q('b', 'q1', text, 'Kassym-Jomart Tokayev')]);
    expect(same.clusters).toHaveLength(1);
    expect(same.clusters[0].speakers.map((s) => s.name).sort()).toEqual(['Kassym-Jomart Tokayev', 'Timur Suleimenov']);
    const edited = clusterQuotes([q('a', 'q1', text, 'Timur Suleimenov'), q('b', 'q1', 'Russia wants us to support them, but we must be careful.', 'Kassym-Jomart Tokayev')]);
    expect(edited.clusters).toEqual([]);
    const sameEntity = clusterQuotes([
      { ...q('a', 'q1', text), speaker: { name: 'Tokayev', entityId: 'e1' } },
      { ...q('b', 'q1', 'Russia wants us to support them, but we must be careful.'), speaker: { name: 'Kassym-Jomart Tokayev', entityId: 'e1' } },
    ]);
    expect(sameEntity.clusters).toHaveLength(1);
    expect(sameEntity.clusters[0].speakers).toEqual([{ name: 'Kassym-Jomart Tokayev', entityId: 'e1' }]);
    const spelling = clusterQuotes([q('a', 'q1', text, 'Kassim-Zhomart Tokayev'), q('b', 'q1', 'Russia wants us to support them, but we must be careful.', 'Kassym-Jomart Tokayev')]);
    expect(spelling.clusters).toHaveLength(1);
  });

  it('gives the same clusters and ids whatever the input order', () => {
    const forward = clusterQuotes(seedQuotes);
    const backward = clusterQuotes([...seedQuotes].reverse());
    expect(backward.clusters).toEqual(forward.clusters);
  });
});
