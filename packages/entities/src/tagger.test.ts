import nlp from 'compromise';
import { describe, expect, it } from 'vitest';
import { tagText } from './tagger.js';

// Newswire-style text with the constructions compromise's post-tagger rules fire on: titles, quotes, lists,
// possessives, hyphenated words, auxiliaries, numbers and dates.
const TEXTS = [
  'EU Farm Commissioner Franz Fischler proposed on Tuesday a ban on sheep brains in the food chain.',
  '“We do not support any German boycott of British lamb,” said Werner Zwingmann, a spokesman for the ministry.',
  'Shares of Rosneft rose 3.5 percent after the Kremlin-backed company said it had agreed to buy a stake in Essar Oil.',
  'Kazakhstan, Kyrgyzstan and Tajikistan have been members of the Collective Security Treaty Organization since 2002.',
  'President Kassym-Jomart Tokayev’s government does not recognise the so-called republics of Donetsk and Luhansk.',
  'Seles beat Graf 6-3 6-4 in Sydney on Friday, and will play the winner of the match between Hingis and Sanchez.',
  'SOCCER - JAPAN GET LUCKY WIN, CHINA IN SURPRISE DEFEAT.\n\nAL-AIN, United Arab Emirates 1996-12-06',
];

const viaNlp = (text: string) => {
  const doc = nlp(text) as unknown as { compute(m: string): void; docs: { offset: { start: number; length: number }; tags: Set<string> }[][] };
  doc.compute('offset');
  return doc.docs.flat().map((t) => ({ start: t.offset.start, end: t.offset.start + t.offset.length, tags: [...t.tags].sort() }));
};
const viaTagText = (text: string) => tagText(text).map((t) => ({ start: t.start, end: t.end, tags: [...t.tags].sort() }));

describe('tagText', () => {
  it('tags every term exactly as nlp() does, with the same offsets', () => {
    for (const text of TEXTS) expect(viaTagText(text)).toEqual(viaNlp(text));
    // Short windows joined by blank lines, as the extractor tags them.
    const windows = 'the EU’s Franz Fischler proposed a ban\n\nsaid Zwingmann, a spokesman\n\nin Sydney on Friday, and will';
    expect(viaTagText(windows)).toEqual(viaNlp(windows));
  });

  it('runs before or after nlp() without disturbing it', () => {
    const text = TEXTS[0];
    const ours = viaTagText(text);
    expect(viaNlp(text)).toEqual(ours);
    expect(viaTagText(text)).toEqual(ours);
    const fischler = ours.find((t) => text.slice(t.start, t.end) === 'Fischler');
    expect(fischler?.tags).toEqual(expect.arrayContaining(['ProperNoun']));
  });

  it('maps terms to offsets of the input', () => {
    const text = 'Prices fell.\n\nMr. Putin met Xi Jinping in Moscow.';
    const terms = tagText(text);
    expect(terms.map((t) => text.slice(t.start, t.end))).toEqual(['Prices', 'fell', 'Mr', 'Putin', 'met', 'Xi', 'Jinping', 'in', 'Moscow']);
    expect(terms.find((t) => text.slice(t.start, t.end) === 'Moscow')?.tags.has('Place')).toBe(true);
    expect(terms.find((t) => text.slice(t.start, t.end) === 'met')?.tags.has('PastTense')).toBe(true);
    expect(tagText('')).toEqual([]);
  });
});
