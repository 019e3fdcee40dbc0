import anyAscii from 'any-ascii';

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
const folded = new Map<string, string>();

export function foldName(name: string): string {
  let hit = folded.get(name);
  if (hit === undefined) {
    hit = fold(name);
    // Bounded: names repeat, but a long-running process must not grow without limit.
    if (folded.size > 50_000) folded.clear();
    folded.set(name, hit);
  }
  return hit;
}

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
const initialCache = new Map<string, string[]>();
export function initialisms(name: string): string[] {
  let hit = initialCache.get(name);
  if (!hit) {
    if (initialCache.size > 50_000) initialCache.clear();
    initialCache.set(name, (hit = computeInitialisms(name)));
  }
  return hit;
}

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
