import anyAscii from 'any-ascii';
import { memoize } from './memo.js';

// British and American spellings of the same name must compare equal ("Organisation"/"Organization").
const SPELLING: [RegExp, string][] = [
  [/isation\b/g, 'ization'],
  [/isations\b/g, 'izations'],
  [/\bcentre\b/g, 'center'],
  [/\bdefence\b/g, 'defense'],
  [/\bprogramme\b/g, 'program'],
  [/\blabour\b/g, 'labor'],
];

/** Transliteration- and spelling-insensitive key of a name: "Kassym-Jomart Tokayev’s" → "kassym jomart tokayev". */
export const foldName = memoize(fold);

function fold(name: string): string {
  let s = anyAscii(name).toLowerCase();
  s = s.replace(/['’`]s\b/g, '').replace(/['’`]/g, '');
  s = s.replace(/[^a-z0-9]+/g, ' ').trim();
  for (const [re, to] of SPELLING) s = s.replace(re, to);
  return s.replace(/^the /, '');
}

/** Folded tokens of a name, used to compare name parts. */
export const nameParts = (name: string): string[] => foldName(name).split(' ').filter(Boolean);

/** "Collective Security Treaty Organization" → ["CSTO"], "St. Petersburg International Economic Forum" → ["SPIEF"]. */
export const initialisms = memoize(computeInitialisms);

function computeInitialisms(name: string): string[] {
  const words = anyAscii(name).split(/\s+/).filter(Boolean);
  const out = new Set<string>();
  const content = words.filter((w) => /^[A-Z0-9]/.test(w));
  out.add(content.map((w) => w[0]).join(''));
  out.add(content.flatMap((w) => w.split('-').filter((p) => /^[A-Z]/.test(p)).map((p) => p[0])).join(''));
  // Some acronyms keep the function words ("Bank of England" → BoE is rare; "OSCE" keeps "Co-operation").
  out.add(words.map((w) => w[0].toUpperCase()).join(''));
  return [...out].filter((s) => s.length >= 2);
}
