import { readFileSync } from 'node:fs';

/** The raw shape of `data/lexicon.json`; every list can be extended through the plugin options. */
export interface LexiconData {
  speechVerbs: string[];
  speechNouns: string[];
  personPronouns: Record<string, 'male' | 'female'>;
  groupPronouns: string[];
  titles: { male: string[]; female: string[]; neutral: string[] };
  genderedRoles: { male: string[]; female: string[] };
  firstNames: { male: string[]; female: string[] };
  roleNouns: string[];
  nonSubjectWords: string[];
  notNames: string[];
  auxiliaries: string[];
  prepositions: string[];
  determiners: string[];
  namingVerbs: string[];
  afterQuoteVerbs?: string[];
}

export type Gender = 'male' | 'female' | null;

export interface VerbForm {
  /** Lower-cased words of the form ("according", "to"). */
  words: string[];
  base: string;
  form: 'base' | 's' | 'ed' | 'ing';
}

export interface Lexicon {
  /** First word → the verb forms (single or multi-word) starting with it, longest first. */
  verbs: Map<string, VerbForm[]>;
  /** Verbs that report speech only right after a quotation ("…,” she laughed / he went on). */
  afterVerbs: Map<string, VerbForm[]>;
  nouns: Set<string>;
  personPronouns: Map<string, 'male' | 'female'>;
  groupPronouns: Set<string>;
  titles: Map<string, Gender>;
  roleGender: Map<string, 'male' | 'female'>;
  firstNames: Map<string, 'male' | 'female'>;
  roleNouns: Set<string>;
  nonSubject: Set<string>;
  notNames: Set<string>;
  auxiliaries: Set<string>;
  prepositions: Set<string>;
  determiners: Set<string>;
  /** Verbs that name rather than report ("called it a “betrayal”"): what follows is a label, not an utterance. */
  namingVerbs: Set<string>;
  /** Non-zero at `cueKey(w)` for every first word of a verb or after-verb and every noun (see `mayCue`). */
  cueFilter: Uint8Array;
}

// Length and first and last characters, folded into 17 bits.
const cueKey = (w: string) => ((w.length & 31) << 12) | ((w.charCodeAt(0) & 63) << 6) | (w.charCodeAt(w.length - 1) & 63);

/**
 * False when `lower` is certainly not the first word of a speech verb or a speech noun. Most words of a text
 * are rejected here without hashing the string for the lexicon's maps.
 */
export const mayCue = (lex: Lexicon, lower: string) => lex.cueFilter[cueKey(lower)] === 1;

const DATA_URL = new URL('../data/lexicon.json', import.meta.url);
let cachedData: LexiconData | null = null;

/** The lexicon shipped in `data/lexicon.json`. */
export function defaultLexiconData(): LexiconData {
  cachedData ??= JSON.parse(readFileSync(DATA_URL, 'utf8')) as LexiconData;
  return cachedData;
}

// Regular English inflection is enough for speech verbs; irregular ones are spelled out in the data file.
function inflect(base: string): Record<VerbForm['form'], string> {
  const stem = base.endsWith('e') && !base.endsWith('ee') ? base.slice(0, -1) : base;
  const y = /[^aeiou]y$/.test(base);
  return {
    base,
    s: y ? `${base.slice(0, -1)}ies` : /(s|sh|ch|x|z)$/.test(base) ? `${base}es` : `${base}s`,
    ed: y ? `${base.slice(0, -1)}ied` : base.endsWith('e') ? `${base}d` : `${base}ed`,
    ing: base.endsWith('ie') ? `${base.slice(0, -2)}ying` : `${stem}ing`,
  };
}

function formOf(word: string, base: string): VerbForm['form'] {
  if (word === base) return 'base';
  if (word.endsWith('ing')) return 'ing';
  if (/(ed|d|t)$/.test(word) && !word.endsWith('s')) return 'ed';
  if (word.endsWith('s')) return 's';
  return 'ed';
}

function addVerb(verbs: Map<string, VerbForm[]>, entry: string) {
  const parts = entry.toLowerCase().split('|').map((s) => s.trim()).filter(Boolean);
  if (!parts.length) return;
  const base = parts[0];
  const forms = parts.length > 1 ? parts : Object.values(inflect(base));
  // A multi-word phrase inflects its first word only ("point out" → "pointed out").
  const multi = parts.length === 1 && base.includes(' ') && !/ing$/.test(base.split(' ')[0]);
  const all = multi ? Object.values(inflect(base.split(' ')[0])).map((w) => [w, ...base.split(' ').slice(1)].join(' ')) : forms;
  all.forEach((f, index) => {
    const words = f.split(/\s+/);
    const vf: VerbForm = { words, base, form: formOf(words[0], base.split(' ')[0]) };
    // "forecast|forecasts|forecast|forecasting": a past form spelled like the base.
    if (index > 0 && vf.form === 'base') vf.form = 'ed';
    if (base === 'according to') vf.form = 'ing';
    const list = verbs.get(words[0]) ?? [];
    if (!list.some((x) => x.words.join(' ') === f && x.form === vf.form)) list.push(vf);
    list.sort((a, b) => b.words.length - a.words.length);
    verbs.set(words[0], list);
  });
}

/** Compiles the data (plus user additions) into lookup tables. */
export function compileLexicon(data: LexiconData, extra: { speechVerbs?: string[]; speechNouns?: string[]; roleNouns?: string[] } = {}): Lexicon {
  const verbs = new Map<string, VerbForm[]>();
  for (const v of [...data.speechVerbs, ...(extra.speechVerbs ?? [])]) addVerb(verbs, v);
  const afterVerbs = new Map<string, VerbForm[]>();
  for (const v of data.afterQuoteVerbs ?? []) addVerb(afterVerbs, v);
  const titles = new Map<string, Gender>();
  for (const t of data.titles.male) titles.set(t, 'male');
  for (const t of data.titles.female) titles.set(t, 'female');
  for (const t of data.titles.neutral) titles.set(t, null);
  const roleGender = new Map<string, 'male' | 'female'>();
  for (const r of data.genderedRoles.male) roleGender.set(r, 'male');
  for (const r of data.genderedRoles.female) roleGender.set(r, 'female');
  const firstNames = new Map<string, 'male' | 'female'>();
  for (const n of data.firstNames.male) firstNames.set(n, 'male');
  for (const n of data.firstNames.female) firstNames.set(n, 'female');
  const nouns = new Set([...data.speechNouns, ...(extra.speechNouns ?? [])].map((s) => s.toLowerCase()));
  const cueFilter = new Uint8Array(1 << 17);
  for (const w of [...verbs.keys(), ...afterVerbs.keys(), ...nouns]) cueFilter[cueKey(w)] = 1;
  return {
    verbs,
    afterVerbs,
    nouns,
    personPronouns: new Map(Object.entries(data.personPronouns)),
    groupPronouns: new Set(data.groupPronouns),
    titles,
    roleGender,
    firstNames,
    roleNouns: new Set([...data.roleNouns, ...(extra.roleNouns ?? [])].map((s) => s.toLowerCase())),
    nonSubject: new Set(data.nonSubjectWords),
    notNames: new Set(data.notNames),
    auxiliaries: new Set(data.auxiliaries),
    prepositions: new Set(data.prepositions),
    determiners: new Set(data.determiners),
    namingVerbs: new Set(data.namingVerbs ?? []),
    cueFilter,
  };
}
