import { describe, expect, it } from 'vitest';
import { indexQuotesBySpeaker } from './index.js';
import { entity, run } from './test-helpers/run.js';

describe('indexQuotesBySpeaker', () => {
  it('groups quotes of several documents by entity, then by name, unattributed last', async () => {
    const a = '“We will not give in,” said Maria Lopez. “Our members have waited long enough.” The so-called “deal” was rejected.';
    const b = '“Talks continue,” a union spokesman said. Maria Lopez added: “Nothing is signed.”';
    const docA = await run(a, [entity('e1', 'Maria Lopez', 'person', a)]);
    const docB = await run(b, [entity('e1', 'Maria Lopez', 'person', b)]);
    const groups = indexQuotesBySpeaker([
      { documentId: 'a', quotes: docA.quotes },
      { documentId: 'b', quotes: docB.quotes },
    ]);
    expect(groups.map((g) => [g.speaker?.name ?? null, g.quotes.map((q) => `${q.documentId}:${q.text}`)])).toEqual([
      ['Maria Lopez', ['a:We will not give in,', 'a:Our members have waited long enough.', 'b:Nothing is signed.']],
      ['a union spokesman', ['b:Talks continue,']],
      [null, ['a:deal']],
    ]);
    const first = groups[0].quotes[0];
    expect(a.slice(first.start, first.end)).toBe(first.text);
  });
});
