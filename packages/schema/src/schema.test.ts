import { describe, expect, it } from 'vitest';
import { DocumentRecord, jsonSchemas, validateRecord } from './index.js';

const record = () => ({
  id: 'grain-talks-1a2b3c4d',
  source: { path: 'news/grain-talks.txt', sha256: 'a'.repeat(64), bytes: 512, mediaType: 'text/plain' },
  title: 'Grain deal talks resume in Geneva',
  authors: ['Jane Doe'],
  publisher: 'Example News',
  published: '2023-03-14',
  language: 'en',
  metadataMethods: { title: 'title-line' },
  text: 'Negotiators met in Geneva.\n\n“We are close,” said Martin Griffiths.',
  paragraphs: [
    { text: 'Negotiators met in Geneva.', start: 0, end: 26, kind: 'paragraph', source: { start: 40, end: 66 } },
    { text: '“We are close,” said Martin Griffiths.', start: 28, end: 66, kind: 'paragraph', source: { start: 68, end: 106 } },
  ],
  removed: [{ start: 0, end: 38, text: 'Home News Sport', ruleId: 'nav-run', reason: '3 short lines in a run' }],
  entities: [{ id: 'pla-1', name: 'Geneva', type: 'place', mentions: [{ text: 'Geneva', start: 19, end: 25 }] }],
  quotes: [
    { id: 'grain-talks-1a2b3c4d:q1', text: 'We are close,', start: 29, end: 42, kind: 'direct', speaker: { name: 'Martin Griffiths', entityId: 'per-1' }, cue: 'said', confidence: 0.9, clusterId: null },
  ],
  duplicateOf: null,
  diagnostics: [],
});

describe('DocumentRecord', () => {
  it('accepts a realistic record', () => {
    expect(validateRecord('document', record()).quotes[0].speaker?.name).toBe('Martin Griffiths');
  });

  it('rejects negative offsets, unknown entity types and dates that are not ISO calendar dates', () => {
    const bad = record();
    bad.entities[0].mentions[0].start = -1;
    expect(() => validateRecord('document', bad)).toThrow(/start/);
    expect(DocumentRecord.safeParse({ ...record(), entities: [{ ...record().entities[0], type: 'city' }] }).success).toBe(false);
    expect(DocumentRecord.safeParse({ ...record(), published: '14 March 2023' }).success).toBe(false);
    expect(DocumentRecord.safeParse({ ...record(), id: 'Has Spaces' }).success).toBe(false);
  });

  it('fills defaults a consumer can rely on', () => {
    const r = record();
    const { clusterId: _c, ...quote } = r.quotes[0];
    expect(validateRecord('document', { ...r, quotes: [quote] }).quotes[0].clusterId).toBeNull();
  });
});

describe('jsonSchemas', () => {
  it('exports a JSON Schema per record type that documents the offset convention', () => {
    const schemas = jsonSchemas();
    expect(Object.keys(schemas).sort()).toEqual(['document', 'duplicates', 'entities', 'manifest', 'quotes']);
    const doc = schemas.document as { properties: Record<string, any>; required: string[] };
    expect(doc.required).toEqual(expect.arrayContaining(['id', 'source', 'text', 'entities', 'quotes', 'duplicateOf']));
    expect(JSON.stringify(doc.properties.entities)).toMatch(/UTF-16 code units/);
    expect(doc.properties.entities.items.properties.type.enum).toEqual(['person', 'organization', 'place', 'event', 'other']);
  });
});
