import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findQuoteSpans } from './index.js';
import { entity, run } from './test-helpers/run.js';

// Text built from words, spaces, paragraph breaks, every kind of quote mark and apostrophe-like character.
const piece = fc.oneof(
  fc.constantFrom('said', 'Smith', 'he', 'told', 'the', 'that', 'according to', 'don’t', 'Kazakhs’', '’90s', 'rock ’n’ roll', 'O\'Neill', '[sic]', '…', 'so-called'),
  fc.constantFrom('“', '”', '"', '‘', '’', "'", '«', '»', '„', ',', '.', ':', '?', ' ', ' ', ' ', '\n\n', '\n'),
  fc.string({ maxLength: 4 }),
);
const textArb = fc.array(piece, { maxLength: 60 }).map((parts) => parts.join(''));

describe('property: random marks and apostrophes', () => {
  it('never crashes and never yields offsets outside the text', async () => {
    await fc.assert(
      fc.asyncProperty(textArb, async (text) => {
        const { quotes } = await run(text, [entity('e1', 'John Smith', 'person', text, 'Smith')]);
        const ids = new Set(quotes.map((q) => q.id));
        for (const q of quotes) {
          expect(q.start).toBeGreaterThanOrEqual(0);
          expect(q.end).toBeLessThanOrEqual(text.length);
          expect(q.start).toBeLessThanOrEqual(q.end);
          expect(text.slice(q.start, q.end)).toBe(q.text);
          expect(q.confidence).toBeGreaterThanOrEqual(0);
          expect(q.confidence).toBeLessThanOrEqual(1);
          if (q.kind === 'scare') expect(q.speaker).toBeNull();
          if (q.continuationOf) expect(ids.has(q.continuationOf)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('pairs marks without overlapping spans', () => {
    fc.assert(
      fc.property(textArb, (text) => {
        const { spans } = findQuoteSpans(text);
        for (const s of spans) {
          expect(s.open).toBeGreaterThanOrEqual(0);
          expect(s.close).toBeLessThanOrEqual(text.length);
          for (const t of spans) {
            if (s === t) continue;
            // Two spans are either disjoint or nested.
            const disjoint = s.close < t.open || t.close < s.open;
            const nested = (s.open < t.open && t.close < s.close) || (t.open < s.open && s.close < t.close);
            expect(disjoint || nested).toBe(true);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
