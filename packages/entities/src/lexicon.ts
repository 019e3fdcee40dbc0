import { readFileSync } from 'node:fs';
import type { EntityType } from '@corpus/schema';
import anyAscii from 'any-ascii';
import nlp from 'compromise';
import { memoize } from './memo.js';

interface LexiconFile {
  titles: string[];
  organizationHeads: string[];
  eventHeads: string[];
  placeHeads: string[];
  otherHeads: string[];
  placeFirstWords: string[];
  orgFirstWords: string[];
  descriptors: Partial<Record<EntityType, string[]>>;
  keepDescriptor: string[];
  personCues: string[];
  placeCues: string[];
  nameParticles: string[];
  notEntities: string[];
}

const file = JSON.parse(readFileSync(new URL('../data/lexicon.json', import.meta.url), 'utf8')) as LexiconFile;

export const TITLES = new Set(file.titles.map((t) => t.toLowerCase()));
export const TITLE_MAX_TOKENS = Math.max(...file.titles.map((t) => t.split(' ').length));
export const NOT_ENTITIES = new Set(file.notEntities);
export const PERSON_CUES = new Set(file.personCues);
export const PLACE_CUES = new Set(file.placeCues);
export const PARTICLES = new Set(file.nameParticles);
export const KEEP_DESCRIPTOR = new Set(file.keepDescriptor);
export const ORG_FIRST = new Set(file.orgFirstWords);

/** Type implied by the last word of a name ("… Forum" is an event, "… Sea" a place). */
const HEADS = new Map<string, EntityType>();
for (const [type, words] of [
  ['organization', file.organizationHeads],
  ['place', file.placeHeads],
  ['other', file.otherHeads],
  ['event', file.eventHeads],
] as const) for (const w of words) HEADS.set(w, type);
export const headType = (word: string): EntityType | undefined => HEADS.get(word);
export const firstWordType = (word: string): EntityType | undefined =>
  file.orgFirstWords.includes(word) ? (word === 'Order' ? 'other' : 'organization') : undefined;
/** "Fort Lauderdale", "Lake Baikal", "San Diego": a first word that makes a place. */
export const placeFirstWord = (word: string): boolean => file.placeFirstWords.includes(word);

/** Lowercase words after a name that say what it is ("Kashagan oil field", "the CPC pipeline"). */
export const DESCRIPTORS: { words: string[]; type: EntityType }[] = (Object.entries(file.descriptors) as [EntityType, string[]][])
  .flatMap(([type, list]) => list.map((d) => ({ words: d.split(' '), type })))
  .sort((a, b) => b.words.length - a.words.length);

// compromise's own lexicon is a cheap gazetteer and dictionary: looking words up costs nothing,
// unlike running its tagger.
const LEX = (nlp as unknown as { world(): { model: { one: { lexicon: Record<string, string | string[]> } } } }).world().model.one.lexicon;

const NONE: readonly string[] = [];
const LEX_MAP = new Map<string, readonly string[]>(Object.entries(LEX).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]));

// Keyed by the word as written, so the hot path does not lowercase (and allocate) on every lookup.
export const lexTags = memoize((word): readonly string[] => LEX_MAP.get(word.toLowerCase()) ?? NONE);

const PLACE_TAGS = new Set(['Country', 'City', 'Place', 'Region']);
const ORG_TAGS = new Set(['Organization', 'SportsTeam']);
const FIRST_TAGS = new Set(['FirstName', 'MaleName', 'FemaleName']);
const PERSON_TAGS = new Set(['Person', 'LastName', 'FirstName', 'MaleName', 'FemaleName']);
const TIME_TAGS = new Set(['Month', 'WeekDay']);
const PROPER_TAGS = new Set([...PLACE_TAGS, ...ORG_TAGS, ...PERSON_TAGS, 'ProperNoun', 'Honorific', 'Demonym', 'Abbreviation']);

/** Entity type the lexicon gives a word or phrase, if it knows it as a name. */
export const lexType = memoize(computeLexType);
function computeLexType(phrase: string): EntityType | undefined {
  let tags = lexTags(phrase);
  // The lexicon is ASCII: "São Paulo", "Zürich" are found by their folded forms.
  if (!tags.length && /[^\x00-\x7f]/.test(phrase)) tags = lexTags(anyAscii(phrase));
  if (tags.some((t) => PLACE_TAGS.has(t))) return 'place';
  if (tags.some((t) => ORG_TAGS.has(t))) return 'organization';
  if (tags.some((t) => PERSON_TAGS.has(t))) return 'person';
  return undefined;
}
export const isFirstName = memoize((w) => lexTags(w).some((t) => FIRST_TAGS.has(t)));
export const isLastName = (w: string) => lexTags(w).includes('LastName');
export const isTimeWord = memoize((w) => lexTags(w).some((t) => TIME_TAGS.has(t)) || /^(January|February|March|April|May|June|July|August|September|October|November|December)$/.test(w));
const isCountryWord = (w: string) => lexTags(w).some((t) => t === 'Country' || t === 'Region');

/** "Kazakh", "Uzbeks", "Kenyan", "Iraqi", "Italian": the lexicon's demonyms and those derived from its countries. */
export const isLexDemonym = memoize(derivedDemonym);

function derivedDemonym(word: string): boolean {
  if (lexTags(word).includes('Demonym')) return true;
  if (lexType(word) || word.length < 4) return false;
  let w = word.toLowerCase();
  if (w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  if (lexTags(w).includes('Demonym')) return true;
  const stems = [w + 'istan', w + 'stan', w.replace(/n$/, ''), w.replace(/an$/, ''), w.replace(/ian$/, ''), w.replace(/i$/, ''), w.replace(/ese$/, ''), w.replace(/ian$/, 'y'), w.replace(/dian$/, 'da'), w.replace(/ean$/, 'ea'), w.replace(/ian$/, 'ia')];
  return stems.some((s) => s !== w && s.length >= 3 && isCountryWord(s));
}

const FUNCTION_TAGS = new Set(['Determiner', 'Preposition', 'Conjunction', 'Pronoun', 'Possessive', 'QuestionWord', 'Modal', 'Copula', 'Negative', 'Adverb', 'Auxiliary']);

const commonByMode = {
  lexicon: memoize((w) => commonWord(w, 'lexicon')),
  shape: memoize((w) => commonWord(w, 'shape')),
  headline: memoize((w) => commonWord(w, 'headline')),
};
/** A word compromise knows only as an ordinary word (noun, verb, adjective…), not as a name. */
export const isCommonWord = (word: string, mode: 'lexicon' | 'shape' | 'headline' = 'shape'): boolean => commonByMode[mode](word);
function commonWord(word: string, mode: 'lexicon' | 'shape' | 'headline'): boolean {
  const tags = lexTags(word);
  if (tags.length) return !tags.some((t) => PROPER_TAGS.has(t));
  if (mode === 'lexicon') return false;
  const w = word.toLowerCase();
  // Unknown to the lexicon: fall back on English derivational endings that names rarely have
  // (only where capitals prove nothing: a sentence start or a headline).
  if (/^[a-z]+(?:ly|ing|ings|tion|tions|sion|sions|ment|ments|ness|ities|ically|ised|ized|ful|less|ism)$/.test(w) && w.length > 5) return true;
  return mode === 'headline' && /^[a-z]+(?:ity|ance|ances|ence|ences|ship|hood|ical|ive|ous|al|ary|ed|ers)$/.test(w) && w.length > 5;
}
export const isFunctionWord = memoize((word) => lexTags(word).some((t) => FUNCTION_TAGS.has(t)));
