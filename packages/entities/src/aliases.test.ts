import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AliasTable, buildAliasIndex, defaultAliases, extractDocumentEntities } from './index.js';

describe('alias table', () => {
  it('ships a valid general default table', () => {
    const table = defaultAliases();
    expect(() => AliasTable.parse(table)).not.toThrow();
    const names = table.map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining(['United Nations', 'North Atlantic Treaty Organization', 'European Union', 'Soviet Union', 'United States']));
  });

  it('matches acronyms only in capitals, so the pronoun "us" is not the United States', () => {
    const index = buildAliasIndex(undefined);
    expect(index.lookup('US')?.name).toBe('United States');
    expect(index.lookup('U.S.')?.name).toBe('United States');
    expect(index.lookup('us')).toBeUndefined();
    expect(index.lookup('Us')).toBeUndefined();
    expect(index.lookup('USSR')?.name).toBe('Soviet Union');
    expect(index.lookup('KAZAKHSTAN')?.name).toBe('Kazakhstan');
  });

  it('lets the user table override and extend the defaults', () => {
    const index = buildAliasIndex([
      { name: 'Union of European Football Associations', type: 'organization', aliases: ['UEFA'] },
      { name: 'Gazprom', type: 'organization', aliases: ['Gazprom PJSC'] },
    ]);
    expect(index.lookup('UEFA')?.name).toBe('Union of European Football Associations');
    expect(index.lookup('Gazprom PJSC')?.name).toBe('Gazprom');
    expect(index.lookup('NATO')?.name).toBe('North Atlantic Treaty Organization');
    expect(buildAliasIndex([], false).lookup('NATO')).toBeUndefined();
  });

  it('rejects a malformed table with a readable error', () => {
    expect(() => buildAliasIndex([{ name: 'X', type: 'company', aliases: [] }] as never)).toThrow(/type/);
    expect(() => buildAliasIndex([{ aliases: ['Y'] }] as never)).toThrow(/name/);
  });
});

describe('offsets (property)', () => {
  const words = ['Russia', 'Putin’s', '“Kazakhstan”', '• Nur-Sultan', 'the', 'U.S.', 'CSTO', 'said', 'President', 'Mr.', 'of', 'and', 'Bank', '(EEU)',
    'Organization', 'Kassym-Jomart', 'Tokayev.', 'Moscow,', 'KREMLIN', 'Russia-led', 'Kazakh', 'é', '\n\n', '\n', ' ', ':', '—', 'Ünal', '24', 'St.', 'Petersburg'];
  it('every mention is exactly text.slice(start, end), non-empty and trimmed', () => {
    const index = buildAliasIndex(undefined);
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...words), fc.string({ maxLength: 6 })), { maxLength: 40 }), (parts) => {
        const text = parts.join(' ');
        const { entities } = extractDocumentEntities(text, index);
        for (const e of entities) {
          expect(e.mentions.length).toBeGreaterThan(0);
          for (const m of e.mentions) {
            expect(text.slice(m.start, m.end)).toBe(m.text);
            expect(m.text.length).toBeGreaterThan(0);
            expect(m.text).toBe(m.text.trim());
            expect(/^[“”"‘’'•(),:;]|[“”"‘’'•(),:;]$/u.test(m.text)).toBe(false);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
