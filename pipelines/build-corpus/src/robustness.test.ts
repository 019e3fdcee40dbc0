import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Diagnostic, DocumentEntity, Paragraph, Quote, RemovedSpan } from '@corpus/schema';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { analyseDocument, createDocumentProcessor, type DocumentAnalysis } from './analyse.js';

// The whole per-document pipeline, driven by random and mutated inputs: it must never crash, every result must
// pass its schema, and every offset must point at exactly the text it claims.

const fixtures = new URL('../../../fixtures/', import.meta.url).pathname;
const seeds = readdirSync(fixtures).filter((f) => f.endsWith('.txt')).sort().map((f) => readFileSync(join(fixtures, f), 'utf8'));
const processor = createDocumentProcessor();
const MEDIA_TYPES = ['text/plain', 'text/html', 'text/markdown'] as const;

const Parts = z.object({
  paragraphs: z.array(Paragraph),
  removed: z.array(RemovedSpan),
  entities: z.array(DocumentEntity),
  quotes: z.array(Quote.omit({ clusterId: true })),
  diagnostics: z.array(Diagnostic),
});

function analyse(text: string, mediaType: string): DocumentAnalysis {
  return analyseDocument(processor, { path: `doc.${mediaType.split('/')[1]}`, text, mediaType, overrides: {}, siteChrome: [] });
}

function assertSound(source: string, a: DocumentAnalysis) {
  Parts.parse(a);
  for (const p of a.paragraphs) {
    expect(a.text.slice(p.start, p.end)).toBe(p.text);
    expect(p.source.start).toBeLessThanOrEqual(p.source.end);
    expect(p.source.end).toBeLessThanOrEqual(source.length);
  }
  for (const r of a.removed) {
    expect(r.start).toBeLessThanOrEqual(r.end);
    expect(r.end).toBeLessThanOrEqual(source.length);
  }
  for (const e of a.entities) for (const m of e.mentions) expect(a.text.slice(m.start, m.end)).toBe(m.text);
  for (const q of a.quotes) expect(a.text.slice(q.start, q.end)).toBe(q.text);
  for (const q of a.quotes) if (q.speaker?.entityId) expect(a.entities.map((e) => e.id)).toContain(q.speaker.entityId);
}

const JUNK = ['“', '”', '"', '‘', '’', "'", '«', '»', '…', '[', ']', '(', ')', '•', '\u0000', '\u0007', '\u00a0', '\u200b', '\ufeff', '\ud800', '\n', '\n\n', '\t',
  '<script>alert(1)</script>', '<div class="nav"><a href="/">Home</a></div>', '</p><p>', '&amp;', '&#x201c;', '---\ntitle: x\n---\n', '# Heading\n', '* item\n', 'Mr. ', 'U.S. ', 'said ', ' he added.'];

/** Random edits of a real article: inserted junk, deleted and duplicated slices. */
const mutatedSeed = fc
  .tuple(
    fc.constantFrom(...seeds),
    fc.array(fc.tuple(fc.nat(), fc.nat(400), fc.constantFrom('insert', 'delete', 'duplicate'), fc.constantFrom(...JUNK)), { maxLength: 25 }),
  )
  .map(([seed, edits]) => {
    let text = seed;
    for (const [at, len, op, junk] of edits) {
      const i = at % (text.length + 1);
      if (op === 'insert') text = text.slice(0, i) + junk + text.slice(i);
      else if (op === 'delete') text = text.slice(0, i) + text.slice(i + len);
      else text = text.slice(0, i + len) + text.slice(i, i + len) + text.slice(i + len);
    }
    return text;
  });

describe('the per-document pipeline under fuzzing', () => {
  it('survives random Unicode, control characters and marks in any media type', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 3000 }), fc.constantFrom(...MEDIA_TYPES), (text, mediaType) => {
        assertSound(text, analyse(text, mediaType));
      }),
      { numRuns: 150 },
    );
  });

  it('survives random words, quotes and apostrophes', () => {
    const word = fc.constantFrom('the', 'President', 'said', 'Mr.', 'Smith', 'Acme Corp', 'London', '“', '”', '"', "'", '’', 'don’t', 'Kazakhs’', '.', ',', ':', '\n', '\n\n', '[sic]', '…', 'NATO', 'U.S.');
    fc.assert(
      fc.property(fc.array(word, { maxLength: 400 }), fc.constantFrom(...MEDIA_TYPES), (words, mediaType) => {
        const text = words.join(' ');
        assertSound(text, analyse(text, mediaType));
      }),
      { numRuns: 150 },
    );
  });

  it('survives mutated real articles', () => {
    fc.assert(
      fc.property(mutatedSeed, fc.constantFrom(...MEDIA_TYPES), (text, mediaType) => {
        assertSound(text, analyse(text, mediaType));
      }),
      { numRuns: 60 },
    );
  });
});

describe('time grows linearly with input size', () => {
  // Collecting garbage before each run keeps one run's garbage out of the next one's time (vitest passes --expose-gc).
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
  const best = (fn: () => void, runs = 2) => {
    let min = Infinity;
    for (let i = 0; i < runs; i++) {
      gc();
      const t = performance.now();
      fn();
      min = Math.min(min, performance.now() - t);
    }
    return min;
  };
  const article = seeds.join('\n\n');
  const shapes: [string, string, (n: number) => string][] = [
    ['a real article, repeated', 'text/plain', (n) => article.repeat(Math.ceil(n / article.length)).slice(0, n)],
    ['one line with no spaces', 'text/plain', (n) => 'a'.repeat(n)],
    ['a line of opening quotes', 'text/plain', (n) => '“ "a '.repeat(n / 5)],
    ['capitalised words without punctuation', 'text/plain', (n) => 'Alpha Beta Gamma Delta '.repeat(n / 23)],
    ['nested brackets and ellipses', 'text/plain', (n) => '([… '.repeat(n / 4)],
    ['short menu lines', 'text/plain', (n) => '  • Home\n'.repeat(n / 9)],
    ['unclosed HTML tags', 'text/html', (n) => '<div class="a"><p>Alpha said “beta '.repeat(n / 37)],
  ];
  for (const [name, mediaType, make] of shapes) {
    it(`${name}: 10× the input takes at most ~15× the time`, () => {
      let n = 8_000;
      let small = best(() => analyse(make(n), mediaType));
      // Grow the input until the small run is long enough to time; tiny timings are all noise.
      while (small < 25 && n < 64_000) {
        n *= 2;
        small = best(() => analyse(make(n), mediaType));
      }
      small = Math.min(small, best(() => analyse(make(n), mediaType), 3));
      const large = best(() => analyse(make(n * 10), mediaType), 2);
      // Under half a second for the large input (≥ 1.2 MB/s) is fast whatever the ratio of two small timings says;
      // the super-linear regexes this hunts take seconds to minutes there.
      const ratio = large < 500 ? 1 : large / small;
      expect(ratio, `${n} chars: ${small.toFixed(0)} ms; ${n * 10} chars: ${large.toFixed(0)} ms`).toBeLessThan(15);
    }, 180_000);
  }
});
