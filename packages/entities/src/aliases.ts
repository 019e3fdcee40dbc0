import { readFileSync } from 'node:fs';
import { EntityType } from '@corpus/schema';
import { z } from 'zod';
import { foldName } from './fold.js';
import { memoize } from './memo.js';

/** One real-world entity the text alone cannot link: its canonical name, type and other names. */
export const AliasEntry = z.object({
  name: z.string().min(1).describe('Canonical name, used as the entity name in the output.'),
  type: EntityType.optional().describe('Type to give every mention of this entity.'),
  aliases: z.array(z.string().min(1)).default([]).describe('Other names: acronyms, variant spellings, former names.'),
  demonyms: z.array(z.string().min(1)).optional().describe('Adjectives/nouns of inhabitants; never mentions themselves.'),
});
export type AliasEntry = z.input<typeof AliasEntry>;

/** The alias file format (`corpus.aliases.json`): a JSON array of entries. */
export const AliasTable = z.array(AliasEntry);
export type AliasTable = z.input<typeof AliasTable>;

export interface AliasHit {
  name: string;
  type?: EntityType;
}

/** Lookup structure built from the default table with the user's table merged over it. */
export interface AliasIndex {
  lookup(surface: string): AliasHit | undefined;
  isDemonym(word: string): boolean;
  /** Longest alias, in tokens, so span lookups know how far to look. */
  maxTokens: number;
}

const DEFAULT_PATH = new URL('../data/aliases.json', import.meta.url);
let defaults: z.output<typeof AliasTable> | undefined;

/** The general default table shipped in `data/aliases.json`. */
export function defaultAliases(): z.output<typeof AliasTable> {
  defaults ??= AliasTable.parse(JSON.parse(readFileSync(DEFAULT_PATH, 'utf8')));
  return defaults;
}

// An all-capital alias ("US", "WHO") must be written in capitals to match, so the pronoun "us" never does.
const isAcronym = (s: string) => /^[A-Z0-9.&-]+$/.test(s) && /[A-Z]/.test(s);

export function buildAliasIndex(user: AliasTable | undefined, useDefaults = true): AliasIndex {
  const folded = new Map<string, AliasHit>();
  const exact = new Map<string, AliasHit>();
  const demonyms = new Set<string>();
  let maxTokens = 1;
  const tables = [...(useDefaults ? [defaultAliases()] : []), AliasTable.parse(user ?? [])];
  for (const table of tables) {
    for (const e of table) {
      const hit: AliasHit = { name: e.name, type: e.type };
      // Later tables win: the user's entry for a surface replaces the default one.
      for (const surface of [e.name, ...e.aliases]) {
        if (isAcronym(surface)) exact.set(surface.replace(/\./g, ''), hit);
        else folded.set(foldName(surface), hit);
        maxTokens = Math.max(maxTokens, surface.split(/\s+/).length);
      }
      for (const d of e.demonyms ?? []) demonyms.add(d.toLowerCase());
    }
  }
  const find = (surface: string): AliasHit | undefined => {
    if (isAcronym(surface)) {
      const hit = exact.get(surface.replace(/\./g, ''));
      if (hit) return hit;
      // A heading in capitals ("KAZAKHSTAN") still names the country.
      if (surface.replace(/[^A-Z]/g, '').length < 3) return undefined;
    }
    return folded.get(foldName(surface));
  };
  // The same words and spans are looked up many times per document: answers are kept (bounded), as is the
  // demonym test, so the hot path neither folds nor lowercases again.
  return {
    maxTokens,
    isDemonym: memoize((w) => demonyms.has(w.toLowerCase())),
    lookup: memoize(find),
  };
}
