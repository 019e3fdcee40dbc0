import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { documentPassages, findRepeatedPassages } from './index.js';
import { fixtures } from './test-helpers/fixtures.js';

/** Body paragraphs the way the cleaner reports them: text plus where it came from in the source. */
function paragraphsOf(source: string, isBody: (line: string) => boolean) {
  const out: { text: string; start: number; end: number; source: { start: number; end: number }; kind: 'paragraph' }[] = [];
  let offset = 0, textOffset = 0;
  for (const line of source.split('\n')) {
    const t = line.trim();
    if (t && isBody(t)) {
      const start = offset + line.indexOf(t);
      out.push({ text: t, start: textOffset, end: textOffset + t.length, source: { start, end: start + t.length }, kind: 'paragraph' });
      textOffset += t.length + 2;
    }
    offset += line.length + 1;
  }
  return out;
}
const longLine = (l: string) => l.split(/\s+/).length >= 20;

describe('passages within a document', () => {
  it('reports the menu of 004 rendered twice, line by line, as the gold counts them', () => {
    const src = fixtures.get('004_88074478d0c769ee')!;
    const { withinDocument } = findRepeatedPassages([documentPassages('004', src, paragraphsOf(src, longLine))]);
    const texts = withinDocument.map((p) => p.text);
    expect(withinDocument).toHaveLength(36);
    expect(withinDocument.every((p) => p.count === 2 && p.locations.length === 2 && p.locations.every((l) => !l.inBody))).toBe(true);
    expect(texts).toEqual(expect.arrayContaining(['• Home', '• RICERCA', '• Sicurezza energetica', '• ANALISTI', '• ISTITUTO', 'ISPI', 'Filippo Costa Buranelli']));
    // `Home` without a bullet is another line: normalising bullets away would make it a third `• Home`.
    expect(texts).not.toContain('Home');
    for (const p of withinDocument) for (const l of p.locations) expect(src.slice(l.start, l.end)).toBe(p.text);
  });

  it('matches the gold duplicate lines over all five seeds (37 distinct lines, none in a body)', () => {
    const all = [...fixtures].map(([id, src]) => documentPassages(id, src, paragraphsOf(src, longLine)));
    const { withinDocument } = findRepeatedPassages(all);
    expect(withinDocument).toHaveLength(37);
    expect(withinDocument.filter((p) => p.locations[0].documentId === '002_6be1f0f537a5929b').map((p) => [p.text, p.count])).toEqual([['×', 2]]);
  });

  it('keeps per-document data compact: body text stays in the record, not in the passages', () => {
    const src = fixtures.get('002_6be1f0f537a5929b')!;
    const paras = paragraphsOf(src, longLine);
    const dp = documentPassages('002', src, paras);
    const body = dp.passages.filter((p) => p.inBody);
    expect(body).toHaveLength(paras.length);
    expect(body.every((p) => p.text === undefined && p.paragraph !== undefined)).toBe(true);
    expect(JSON.stringify(dp).length).toBeLessThan(src.length / 2);
    // A short line that occurs once (a caption credit, a nav label) can never be reported: not kept.
    expect(dp.passages.some((p) => src.slice(p.start, p.end) === 'In a nutshell')).toBe(false);
    // A repeated line carries its text once, on its first occurrence.
    expect(dp.passages.filter((p) => src.slice(p.start, p.end) === '×').map((p) => p.text)).toEqual(['×', undefined]);
  });

  it('locates every repeated line exactly and counts it, whatever the indentation (property)', () => {
    const pool = ['• Home', 'Share', 'Subscribe to our newsletter for the weekly briefing', '×', 'ISPI', 'Read more about the region and its politics'];
    const line = fc.tuple(fc.constantFrom(...pool), fc.constantFrom('', ' ', '  ', '\u00a0', '\t'), fc.constantFrom('', ' ', '\u00a0'));
    fc.assert(
      fc.property(fc.array(fc.oneof(line, fc.constant(null)), { maxLength: 40 }), (lines) => {
        const src = lines.map((l) => (l ? l[1] + l[0] + l[2] : '')).join('\n');
        const { withinDocument } = findRepeatedPassages([documentPassages('d', src, [])]);
        for (const p of withinDocument) for (const l of p.locations) if (src.slice(l.start, l.end) !== p.text) return false;
        const expected = new Map<string, number>();
        for (const l of lines) if (l) expected.set(l[0], (expected.get(l[0]) ?? 0) + 1);
        const repeated = [...expected].filter(([, n]) => n > 1);
        return withinDocument.length === repeated.length && repeated.every(([t, n]) => withinDocument.find((p) => p.text === t)?.count === n);
      }),
      { numRuns: 200 },
    );
  });

  it('reads the visible text of HTML lines', () => {
    const html = '<ul>\n<li><a href="/">Home</a></li>\n<li><a href="/news">News &amp; views</a></li>\n</ul>\n<p>Story</p>\n<ul>\n<li><a href="/">Home</a></li>\n<li><a href="/news">News &amp; views</a></li>\n</ul>';
    const { withinDocument } = findRepeatedPassages([documentPassages('h', html, [], { mediaType: 'text/html' })]);
    expect(withinDocument.map((p) => [p.text, p.count])).toEqual([['Home', 2], ['News & views', 2]]);
  });
});

describe('passages across documents', () => {
  const statement =
    'The ministry said in a statement that the pipeline consortium would resume loading at the terminal once the inspection of the moorings had been completed.';
  const disclaimer = 'The views expressed in this article are solely those of the author and do not reflect the position of the publisher.';
  const make = (id: string, own: string[]) => {
    const src = ['Home', 'Latest', ...own, statement, disclaimer].join('\n');
    const paras = paragraphsOf(src, (l) => l.split(/\s+/).length >= 8);
    return { ...documentPassages(id, src, paras), paragraphs: paras, src };
  };
  const a = make('a', ['Oil exports from the Caspian rose in the spring as tanker traffic through the Black Sea recovered after the storms.']);
  const b = make('b', ['Analysts in Almaty expect the central bank to hold its base rate while inflation slows for a third month in a row.']);
  const c = make('c', ['Farmers in the north reported a late harvest because of the unusually wet autumn and the shortage of machinery.']);

  it('reports a shared press statement and disclaimer with every location, but not short navigation lines', () => {
    const { acrossDocuments } = findRepeatedPassages([a, b, c]);
    expect(acrossDocuments.map((p) => [p.text, p.documentCount])).toEqual(expect.arrayContaining([[statement, 3], [disclaimer, 3]]));
    expect(acrossDocuments).toHaveLength(2);
    const s = acrossDocuments.find((p) => p.text === statement)!;
    expect(s.locations.map((l) => l.documentId)).toEqual(['a', 'b', 'c']);
    for (const l of s.locations) expect([a, b, c].find((d) => d.documentId === l.documentId)!.src.slice(l.start, l.end)).toBe(statement);
  });

  it('asks the resolver for a reported body passage whose text is not at hand, and only for those', () => {
    const asked: string[] = [];
    const bare = [a, b, c].map(({ documentId, passages }) => ({ documentId, passages }));
    const { acrossDocuments } = findRepeatedPassages(bare, {
      textOf: (id, u) => (asked.push(id), [a, b, c].find((d) => d.documentId === id)!.src.slice(u.start, u.end)),
    });
    expect(acrossDocuments.map((p) => p.text).sort()).toEqual([disclaimer, statement].sort());
    expect(asked).toEqual(['a', 'a']);
  });

  it('matches a paragraph wrapped over several lines with its one-line copy', () => {
    const wrapped = 'The ministry said in a statement that the pipeline consortium\nwould resume loading at the terminal once the inspection\nof the moorings had been completed.';
    const src = `Intro line that is long enough to be a body paragraph of this page.\n\n${wrapped}`;
    const paras = [
      { text: 'Intro line that is long enough to be a body paragraph of this page.', source: { start: 0, end: 68 } },
      { text: wrapped.replace(/\n/g, ' '), source: { start: 70, end: src.length } },
    ];
    const d = documentPassages('md', src, paras);
    expect(d.passages).toHaveLength(2);
    const { acrossDocuments } = findRepeatedPassages([a, { ...d, paragraphs: paras }]);
    expect(acrossDocuments.find((p) => p.text === statement)?.locations.map((l) => l.documentId)).toEqual(['a', 'md']);
  });

  it('leaves passages shared only by duplicates of one another to the duplicate group', () => {
    const copy = { ...b, documentId: 'b-copy' };
    expect(findRepeatedPassages([b, copy]).acrossDocuments.length).toBeGreaterThan(0);
    expect(findRepeatedPassages([b, copy], { duplicateOf: new Map([['b-copy', 'b']]) }).acrossDocuments).toEqual([]);
  });
});
