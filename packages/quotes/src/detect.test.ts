import { describe, expect, it } from 'vitest';
import { findQuoteSpans } from './index.js';
import { brief, run } from './test-helpers/run.js';

describe('quotation marks', () => {
  it('pairs curly double quotes and keeps trailing punctuation inside the marks', async () => {
    const { quotes } = await run('The central bank called the outlook “highly uncertain,” and markets fell.');
    expect(quotes.map((q) => q.text)).toEqual(['highly uncertain,']);
  });

  it('pairs straight double quotes by their position next to words', async () => {
    const text = '"We are confident in our case," said defense attorney Mark Hill. "The evidence will show that."';
    const { quotes } = await run(text);
    expect(quotes.map((q) => q.text)).toEqual(['We are confident in our case,', 'The evidence will show that.']);
  });

  it('treats single marks as quotes but not apostrophes', async () => {
    const text = 'In the ’90s the Kazakhs’ leaders didn’t talk of a ‘pivot’, and the workers\' union rejected the \'deal\'.';
    const { quotes } = await run(text);
    expect(quotes.map((q) => q.text)).toEqual(['pivot', 'deal']);
  });

  it('keeps a plural possessive inside an open single quotation', async () => {
    const { quotes } = await run('Critics called it ‘the generals’ war’ from the start.');
    expect(quotes.map((q) => q.text)).toEqual(['the generals’ war']);
  });

  it('keeps quotations that span sentences, ellipses and bracketed insertions', async () => {
    const text = 'The minister said: “We cannot lift [the tariffs] now. … We will review them in [sic] June.”';
    const { quotes } = await run(text);
    expect(quotes).toHaveLength(1);
    expect(quotes[0].text).toBe('We cannot lift [the tariffs] now. … We will review them in [sic] June.');
  });

  it('records a quotation inside a quotation as its own span', async () => {
    const text = '“They keep calling it a ‘special operation’, but it is a war,” the diplomat said.';
    const { quotes } = await run(text);
    expect(quotes.map(brief)).toEqual([
      { text: 'They keep calling it a ‘special operation’, but it is a war,', kind: 'direct', speaker: 'the diplomat', cue: 'said' },
      { text: 'special operation', kind: 'scare', speaker: null, cue: null },
    ]);
  });

  it('reports unbalanced marks as diagnostics without crashing', async () => {
    const text = 'The mayor said the plan was “unworkable and would not be funded.\n\nA stray closing mark” here. Then “fine” again.';
    const { quotes, file } = await run(text);
    expect(quotes.map((q) => q.text)).toEqual(['fine']);
    const rules = file.messages.map((m) => m.ruleId);
    expect(rules).toContain('unclosed-quote');
    expect(rules).toContain('unopened-quote');
    expect(file.messages.every((m) => m.source === 'corpus-quotes')).toBe(true);
    expect(file.messages.find((m) => m.ruleId === 'unclosed-quote')?.line).toBe(1);
  });

  it('summarises a flood of stray marks instead of one message each', async () => {
    const text = 'Menu ” Home ” News ” Sport ”\n\n'.repeat(30).trim();
    const { quotes, file } = await run(text);
    expect(quotes).toEqual([]);
    expect(file.messages.length).toBe(21);
    expect(file.messages.at(-1)?.ruleId).toBe('many-quote-problems');
    expect(file.messages.at(-1)?.reason).toMatch(/^100 more/);
  });

  it('links the parts of a quotation continued over a paragraph break', async () => {
    const text =
      '“We have lost everything,” said Fatima Hassan, a farmer. “The water came in the night.\n\n“We had no warning at all. Nobody came,” she added.';
    const { quotes } = await run(text);
    expect(quotes.map((q) => q.text)).toEqual(['We have lost everything,', 'The water came in the night.', 'We had no warning at all. Nobody came,']);
    expect(quotes[1].continuationOf).toBeUndefined();
    expect(quotes[2].continuationOf).toBe(quotes[1].id);
    expect(quotes.every((q) => q.speaker?.name === 'Fatima Hassan')).toBe(true);
  });

  it('findQuoteSpans works on plain text without a tokenizer', () => {
    const { spans, problems } = findQuoteSpans('He said "no" twice.');
    expect(spans).toMatchObject([{ open: 8, close: 11, depth: 0 }]);
    expect(problems).toEqual([]);
  });
});
