import cleanSource from '@corpus/clean';
import extractEntities from '@corpus/entities';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { analyseDocument, createDocumentProcessor, StageError } from './analyse.js';
import { warmUp } from './warm-up.js';

const input = (text: string) => ({ path: 'a.txt', text, mediaType: 'text/plain', overrides: {}, siteChrome: [] });

const ARTICLE = [
  'Home',
  'World',
  'Business',
  '',
  'Shipping rates across the Pacific rose for a third week as carriers cut capacity ahead of the holiday season, industry data showed on Friday.',
  '',
  '“We expect the squeeze to last into January,” said Maria Lopez, an analyst at Drewry in London.',
].join('\n');

describe('analyseDocument', () => {
  it('gives the same analysis after a worker warms up as before', () => {
    // A dated, quoted article with names only compromise can decide, so the warm-up's paths are this one's too.
    const text = `${ARTICLE}\n\nUpdated on the 4th of December in the year 2023\n\nA Delsmere spokesman welcomed the Brantle plan, and Orvick reportedly agreed.`;
    const before = analyseDocument(createDocumentProcessor(), input(text));
    const warmed = createDocumentProcessor();
    warmUp(warmed);
    expect(analyseDocument(warmed, input(text))).toEqual(before);
    expect(before.entities.length).toBeGreaterThan(2);
  });

  it('chains clean, entities and quotes on one VFile', () => {
    const a = analyseDocument(createDocumentProcessor(), input(ARTICLE));
    expect(a.text).not.toMatch(/^Home/);
    expect(a.paragraphs).toHaveLength(2);
    expect(a.entities.map((e) => e.name)).toEqual(expect.arrayContaining(['Maria Lopez', 'London']));
    expect(a.quotes).toHaveLength(1);
    expect(a.quotes[0]).toMatchObject({ text: 'We expect the squeeze to last into January,', kind: 'direct', cue: 'said' });
    expect(a.quotes[0].speaker?.name).toBe('Maria Lopez');
    expect(a.signature).toBeTruthy();
  });

  it('names the stage that failed when a stage throws', () => {
    const boom = () => () => {
      throw new Error('tagger exploded');
    };
    const processor = unified().use(cleanSource).use(extractEntities).use(boom).freeze();
    let caught: unknown;
    try {
      analyseDocument(processor as never, input(ARTICLE));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(StageError);
    expect(caught).toMatchObject({ stage: 'quotes', message: 'tagger exploded' });
  });
});
