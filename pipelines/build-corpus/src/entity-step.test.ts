import { describe, expect, it } from 'vitest';
import { EntityLinks, type EntityStepResult } from './entity-step.js';

const row = (id: string, name: string) => ({ id, name, type: 'person' as const, aliases: [name], documentCount: 1, mentionCount: 1 });

describe('EntityLinks', () => {
  const result: EntityStepResult = {
    entities: [row('per-a', 'A'), row('per-b', 'B')],
    mentionCount: 3,
    links: Int32Array.of(1, 0, 0),
    linkStarts: Int32Array.of(0, 2, 3),
    localIds: [null, ['x7']],
  };
  const links = new EntityLinks(result, ['doc-1', 'doc-2']);

  it('resolves local ids by position (e1, e2, …) or by the ids the document gave', () => {
    expect(links.resolve('doc-1', 'e1').id).toBe('per-b');
    expect(links.resolve('doc-1', 'e2').id).toBe('per-a');
    expect(links.resolve('doc-2', 'x7').id).toBe('per-a');
    expect(['e1', 'e2'].map((id) => links.resolve('doc-1', id).id)).toEqual(['per-b', 'per-a']);
  });

  it('spells out a document\'s entities, in order, so that records keyed by it change when one does', () => {
    expect(links.tokensOf('doc-1')).toBe('per-b"B"per-a"A"');
    expect(links.tokensOf('doc-2')).toBe('per-a"A"');
    // Names that could pass for a boundary cannot make two documents' entities read alike.
    const tricky = new EntityLinks({ ...result, entities: [row('per-a', 'A"per-b"B'), row('per-b', 'B')], links: Int32Array.of(0, 1, 0), linkStarts: Int32Array.of(0, 1, 3) }, ['x', 'y']);
    expect(tricky.tokensOf('x')).not.toBe(new EntityLinks(result, ['doc-1', 'doc-2']).tokensOf('doc-1'));
  });

    it('refuses what it does not know instead of guessing', () => {
    expect(() => links.resolve('doc-1', 'e3')).toThrow(/unknown entity e3/);
    expect(() => links.resolve('doc-2', 'e1')).toThrow(/unknown entity e1/);
    expect(() => links.resolve('doc-3', 'e1')).toThrow(/unknown document/);
  });
});
