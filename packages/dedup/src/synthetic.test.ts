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
