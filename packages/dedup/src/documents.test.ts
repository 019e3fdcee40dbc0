import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DedupDocument, documentSignature, duplicateOfMap, findDuplicateDocuments, resemblance } from './index.js';
import { decodeU32 } from './hash.js';
import { fixtures } from './test-helpers/fixtures.js';

const bodyOf = (source: string) => source.split('\n').map((l) => l.trim()).filter((l) => l.split(/\s+/).length >= 15);
const doc = (id: string, text: string, published: string | null = null): DedupDocument => ({ id, published, signature: documentSignature(text) });
const sim = (a: string, b: string) => {
  const x = documentSignature(a), y = documentSignature(b);
  return resemblance(decodeU32(x.sample), x.shingles, decodeU32(y.sample), y.shingles, 256);
};

describe('documents', () => {
  it('marks none of the five seed articles as duplicates, raw or as bodies', () => {
    const raw = [...fixtures].map(([id, text]) => doc(id, text));
    const bodies = [...fixtures].map(([id, text]) => doc(id, bodyOf(text).join('\n\n')));
    expect(raw).toHaveLength(5);
    expect(findDuplicateDocuments(raw)).toEqual([]);
    expect(findDuplicateDocuments(bodies)).toEqual([]);
    // Same subject, same names, but no two share more than a sliver of 5-word shingles.
    for (const a of bodies) for (const b of bodies) if (a !== b) expect(sim(bodyOf(fixtures.get(a.id)!).join('\n'), bodyOf(fixtures.get(b.id)!).join('\n')).jaccard).toBeLessThan(0.05);
  });

  it('finds an exact copy that differs only in case, quote marks and spacing', () => {
    const text = bodyOf(fixtures.get('003_df994bc8bbab06bf')!).join('\n\n');
    const copy = text.replace(/[“”]/g, '"').replace(/’/g, "'").toUpperCase().replace(/\n\n/g, '\n  \n');
    const groups = findDuplicateDocuments([doc('b', copy, '2024-01-05'), doc('a', text, '2024-01-04'), doc('c', bodyOf(fixtures.get('000_994fffdfe3f0c4b4')!).join('\n\n'))]);
    expect(groups).toEqual([
      { id: 'dup-a', canonical: 'a', members: [{ documentId: 'a', similarity: 1, method: 'canonical' }, { documentId: 'b', similarity: 1, method: 'exact', jaccard: 1, containment: 1 }] },
    ]);
  });

  it('finds a syndicated copy with other chrome, a dropped paragraph, edits and shuffled paragraphs', () => {
    const paras = bodyOf(fixtures.get('002_6be1f0f537a5929b')!);
    const original = ['Home', 'World', ...paras, 'Subscribe to our newsletter for weekly analysis of the region and its politics.'].join('\n\n');
    const copy = [...paras.slice(0, 10), ...paras.slice(11)]
      .map((p, i) => (i === 3 ? p.replace('Kazakhstan', 'Kazakstan').replace(' the ', ' a ') : p))
      .reverse();
    const text = ['Skip to content', ...copy, 'The views expressed are the author’s own and do not reflect those of this outlet.'].join('\n\n');
    const groups = findDuplicateDocuments([doc('syndicated', text, '2022-06-21'), doc('original', original, '2022-06-20'), doc('other', fixtures.get('001_a6d5643462e5b6db')!, '2022-06-19')]);
    expect(groups).toHaveLength(1);
    const [g] = groups;
    expect(g.canonical).toBe('original');
    expect(g.members.map((m) => [m.documentId, m.method])).toEqual([['original', 'canonical'], ['syndicated', 'near']]);
    expect(g.members[1].similarity).toBeGreaterThan(0.85);
    expect(g.members[1].similarity).toBeLessThan(1);
    expect(duplicateOfMap(groups)).toEqual(new Map([['syndicated', 'original']]));
  });

  it('does not call an excerpt or an article that borrows a third of another one a duplicate', () => {
    const paras = bodyOf(fixtures.get('002_6be1f0f537a5929b')!);
    const others = bodyOf(fixtures.get('001_a6d5643462e5b6db')!).concat(bodyOf(fixtures.get('003_df994bc8bbab06bf')!));
    const excerpt = paras.slice(0, 5).join('\n\n');
    const borrowing = [...paras.slice(0, 6), ...others].join('\n\n');
    expect(sim(excerpt, paras.join('\n\n')).containment).toBeGreaterThan(0.95);
    expect(findDuplicateDocuments([doc('full', paras.join('\n\n')), doc('excerpt', excerpt), doc('borrowing', borrowing)])).toEqual([]);
  });

  it('attaches a copy that matches the original but not an earlier-dated, differently cut copy (one hop)', () => {
    const p = bodyOf(fixtures.get('002_6be1f0f537a5929b')!);
    const q = bodyOf(fixtures.get('001_a6d5643462e5b6db')!);
    const original = p.slice(0, 12);
    const early = [...original.slice(0, 8), q[0], q[1]]; // dated first: it becomes the canonical member
    const late = [...original.slice(4), q[2], q[3]];
    const docsIn = [doc('early', early.join('\n\n'), '2022-06-01'), doc('original', original.join('\n\n'), '2022-06-02'), doc('late', late.join('\n\n'), '2022-06-03')];
    expect(sim(early.join('\n'), late.join('\n')).jaccard).toBeLessThan(0.4);
    const [g] = findDuplicateDocuments(docsIn);
    expect(g.canonical).toBe('early');
    const late_ = g.members.find((m) => m.documentId === 'late')!;
    expect(late_).toMatchObject({ method: 'near', via: 'original' });
    expect(late_.jaccard).toBeLessThan(0.5);
    // Two hops are not followed: a fourth copy that only matches `late` stays out.
    const later = [...late.slice(3), q[4], p[20], p[21]];
    const g2 = findDuplicateDocuments([...docsIn, doc('later', later.join('\n\n'), '2022-06-04')]);
    expect(g2.flatMap((x) => x.members.map((m) => m.documentId))).not.toContain('later');
    expect(sim(late.join('\n'), later.join('\n')).jaccard).toBeGreaterThan(0.5);
  });

  it('picks the canonical member: earliest published, then longest body, then id', () => {
    const paras = bodyOf(fixtures.get('004_88074478d0c769ee')!);
    const long = paras.join('\n\n');
    const short = paras.slice(1).join('\n\n');
    expect(findDuplicateDocuments([doc('z', long, null), doc('y', short, '2023-01-02')])[0].canonical).toBe('y');
    expect(findDuplicateDocuments([doc('y', short, '2023-01-02'), doc('z', long, '2023-01-02')])[0].canonical).toBe('z');
    expect(findDuplicateDocuments([doc('b', long, '2023-01-02'), doc('a', long, '2023-01-02')])[0].canonical).toBe('a');
  });

  it('keeps the signature small, deterministic and JSON-safe', () => {
    const text = fixtures.get('002_6be1f0f537a5929b')!;
    const s = documentSignature(text);
    expect(JSON.parse(JSON.stringify(s))).toEqual(documentSignature(text));
    expect(JSON.stringify(s).length).toBeLessThan(2500);
    expect(documentSignature('').minhash).toBe('');
    expect(findDuplicateDocuments([doc('a', ''), doc('b', '   ')])).toEqual([]);
  });

  it('refuses signatures built with other parameters', () => {
    const a = { id: 'a', published: null, signature: documentSignature('one two three four five six seven eight nine ten', { shingleSize: 3 }) };
    expect(() => findDuplicateDocuments([a])).toThrow(/rebuild signatures/);
  });

  it('gives the same signature whatever the paragraph order (property)', () => {
    const paras = bodyOf(fixtures.get('003_df994bc8bbab06bf')!);
    const base = documentSignature(paras.join('\n\n'));
    fc.assert(
      fc.property(fc.shuffledSubarray(paras, { minLength: paras.length, maxLength: paras.length }), (order) => {
        const s = documentSignature(order.join('\n\n'));
        return s.minhash === base.minhash && s.sample === base.sample;
      }),
      { numRuns: 25 },
    );
  });

  it('estimates Jaccard exactly on small documents and closely on large ones', () => {
    const a = 'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu';
    const b = 'alpha beta gamma delta epsilon zeta eta theta iota kappa nu xi';
    // 5-shingles: a has 8, b has 8, 6 shared → 6 / 10.
    expect(sim(a, b).jaccard).toBeCloseTo(0.6, 10);
    const big = bodyOf(fixtures.get('002_6be1f0f537a5929b')!);
    const half = big.slice(0, Math.floor(big.length / 2));
    const exactShare = half.join(' ').split(/\s+/).length / big.join(' ').split(/\s+/).length;
    expect(Math.abs(sim(half.join('\n'), big.join('\n')).jaccard - exactShare)).toBeLessThan(0.08);
  });
});
