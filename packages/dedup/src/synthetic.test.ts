import { describe, expect, it } from 'vitest';
import { documentSignature, findDuplicateDocuments } from './index.js';
import { evaluateNearDuplicates, materialFrom, nearDuplicateSet, pairScores } from './synthetic.js';
import { fixtures } from './test-helpers/fixtures.js';

const material = materialFrom([...fixtures.values()]);
const seeds = [1, 2, 3, 4, 5];

describe('synthetic near-duplicate set built from the seed articles', () => {
  it('covers every kind of copy and hard negatives that share a third of an article', () => {
    const docs = nearDuplicateSet(material, { seed: 1 });
    const edits = new Set(docs.flatMap((d) => d.edits));
    expect([...edits].sort()).toEqual(['add', 'chrome', 'drop', 'edits', 'mixed', 'restyle', 'shuffle']);
    expect(docs.filter((d) => d.family === null).length).toBeGreaterThanOrEqual(40);
    expect(new Set(docs.map((d) => d.family).filter(Boolean)).size).toBe(65);
  });

  it('reaches pair precision ≥ 0.98 and recall ≥ 0.95 with the default parameters', () => {
    const e = evaluateNearDuplicates(material, {}, seeds, documentSignature, findDuplicateDocuments);
    expect(e.truePairs).toBeGreaterThan(900);
    expect(e.precision).toBeGreaterThanOrEqual(0.98);
    expect(e.recall).toBeGreaterThanOrEqual(0.95);
  });

  it('is a set that can fail: loose thresholds lose precision, too few bands lose recall', () => {
    const loose = evaluateNearDuplicates(material, { jaccardThreshold: 0.2, containmentThreshold: 0.4 }, seeds, documentSignature, findDuplicateDocuments);
    expect(loose.precision).toBeLessThan(0.98);
    const fewBands = evaluateNearDuplicates(material, { bands: 8 }, seeds, documentSignature, findDuplicateDocuments);
    expect(fewBands.recall).toBeLessThan(0.95);
  });

  it('labels restyled copies exact and edited copies near, with the original as canonical when it came first', () => {
    const docs = nearDuplicateSet(material, { seed: 2 });
    const groups = findDuplicateDocuments(docs.map((d) => ({ id: d.id, published: d.published, signature: documentSignature(d.text) })));
    const byId = new Map(docs.map((d) => [d.id, d]));
    const members = groups.flatMap((g) => g.members.slice(1).map((m) => ({ ...m, doc: byId.get(m.documentId)!, canonical: byId.get(g.canonical)! })));
    const restyled = members.filter((m) => m.doc.edits.includes('restyle') && m.canonical.id.endsWith('-0'));
    expect(restyled.length).toBeGreaterThan(3);
    expect(restyled.every((m) => m.method === 'exact' && m.similarity === 1)).toBe(true);
    expect(members.filter((m) => m.doc.edits.includes('edits')).every((m) => m.method === 'near')).toBe(true);
    expect(pairScores(docs, groups).falsePairs).toEqual([]);
  });
});

describe('verdicts kept from one search to the next', () => {
  const docs = nearDuplicateSet(material, { seed: 3 }).map((d) => ({ id: d.id, key: `key-of-${d.id}`, published: d.published, signature: documentSignature(d.text) }));
  const plain = (list: typeof docs) => findDuplicateDocuments(list.map(({ key, ...d }) => d));

  it('finds the groups a search without them finds, through additions and removals', async () => {
    const { PairVerdicts } = await import('./index.js');
    const first = docs.filter((_, i) => i % 5 !== 0);
    let verdicts = new PairVerdicts();
    expect(findDuplicateDocuments(first, undefined, verdicts)).toEqual(plain(first));
    const saved = verdicts.save();
    expect(saved.firsts.length).toBeGreaterThan(50);
    expect(saved.ok.some((x) => x === 1)).toBe(true);
    // Restored (keys renumbered in the order they were saved), then searched over a changed corpus.
    const second = docs.filter((_, i) => i % 7 !== 3);
    verdicts = new PairVerdicts(saved);
    expect(findDuplicateDocuments(second, undefined, verdicts)).toEqual(plain(second));
    // Every verdict restored reads back as saved.
    const restored = new PairVerdicts(saved);
    for (let x = 0; x < saved.firsts.length; x++) {
      expect(restored.get(restored.idOf(saved.keys[saved.seconds[x]]), restored.idOf(saved.keys[saved.firsts[x]]))).toBe(saved.ok[x] === 1);
    }
  });

  it('are what decides: a planted verdict changes the groups (so they are read, not recomputed)', async () => {
    const { PairVerdicts } = await import('./index.js');
    const groups = plain(docs);
    const near = groups.flatMap((g) => g.members.filter((m) => m.method === 'near' && !m.via).map((m) => [g.canonical, m.documentId]));
    expect(near.length).toBeGreaterThan(0);
    const [canonical, member] = near[0];
    const verdicts = new PairVerdicts();
    verdicts.set(verdicts.idOf(`key-of-${canonical}`), verdicts.idOf(`key-of-${member}`), false);
    const planted = findDuplicateDocuments(docs, undefined, verdicts);
    const memberOf = (gs: typeof groups, id: string) => gs.find((g) => g.members.some((m) => m.documentId === id && m.documentId !== g.canonical));
    expect(memberOf(groups, member)?.canonical).toBe(canonical);
    expect(planted).not.toEqual(groups);
  });
});
