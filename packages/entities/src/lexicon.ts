import { readFileSync } from 'node:fs';
import type { EntityType } from '@corpus/schema';
import anyAscii from 'any-ascii';
import nlp from './compromise.js';
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

const UNKNOWN = 0;
const YES = 1;
const NO = 2;
const flag = (b: boolean) => (b ? YES : NO);
/**
 * What the lexicon says about one word (or phrase), each answer worked out on first use. The extractor asks
 * several questions about the same word in a row (function word? name type? time word? common word?); with one
 * entry per word the first look-up finds the entry and the next ones find it again in the processor's cache,
 * where separate memos, each a large table, would miss the cache once per question.
 */
class Facts {
  tags: readonly string[] | undefined = undefined;
  type: EntityType | null | undefined = undefined;
  firstName = UNKNOWN;
  timeWord = UNKNOWN;
  demonym = UNKNOWN;
  functionWord = UNKNOWN;
  commonLexicon = UNKNOWN;
  commonShape = UNKNOWN;
  commonHeadline = UNKNOWN;
  titleFirst = UNKNOWN;
  titleHead = UNKNOWN;
}
const factsOf = memoize(() => new Facts(), 100_000);

const tagsOf = (word: string): readonly string[] => LEX_MAP.get(word.toLowerCase()) ?? NONE;
// Keyed by the word as written, so the hot path does not lowercase (and allocate) on every lookup.
export const lexTags = (word: string): readonly string[] => {
  const f = factsOf(word);
  return (f.tags ??= tagsOf(word));
};

const PLACE_TAGS = new Set(['Country', 'City', 'Place', 'Region']);
const ORG_TAGS = new Set(['Organization', 'SportsTeam']);
const FIRST_TAGS = new Set(['FirstName', 'MaleName', 'FemaleName']);
const PERSON_TAGS = new Set(['Person', 'LastName', 'FirstName', 'MaleName', 'FemaleName']);
const TIME_TAGS = new Set(['Month', 'WeekDay']);
const PROPER_TAGS = new Set([...PLACE_TAGS, ...ORG_TAGS, ...PERSON_TAGS, 'ProperNoun', 'Honorific', 'Demonym', 'Abbreviation']);

/** Entity type the lexicon gives a word or phrase, if it knows it as a name. */
export const lexType = (phrase: string): EntityType | undefined => {
  const f = factsOf(phrase);
  if (f.type === undefined) f.type = computeLexType(phrase) ?? null;
  return f.type ?? undefined;
};
function computeLexType(phrase: string): EntityType | undefined {
  let tags = lexTags(phrase);
  // The lexicon is ASCII: "São Paulo", "Zürich" are found by their folded forms.
  if (!tags.length && /[^\x00-\x7f]/.test(phrase)) tags = lexTags(anyAscii(phrase));
  if (tags.some((t) => PLACE_TAGS.has(t))) return 'place';
  if (tags.some((t) => ORG_TAGS.has(t))) return 'organization';
  if (tags.some((t) => PERSON_TAGS.has(t))) return 'person';
  return undefined;
}
export const isFirstName = (w: string): boolean => {
  const f = factsOf(w);
  if (f.firstName === UNKNOWN) f.firstName = flag(lexTags(w).some((t) => FIRST_TAGS.has(t)));
  return f.firstName === YES;
};
export const isLastName = (w: string) => lexTags(w).includes('LastName');
export const isTimeWord = (w: string): boolean => {
  const f = factsOf(w);
  if (f.timeWord === UNKNOWN)
    f.timeWord = flag(lexTags(w).some((t) => TIME_TAGS.has(t)) || /^(January|February|March|April|May|June|July|August|September|October|November|December)$/.test(w));
  return f.timeWord === YES;
};
// Asked of a dozen made-up stems per word (below): straight from the lexicon, so they take no place in the memo.
const isCountryWord = (w: string) => tagsOf(w).some((t) => t === 'Country' || t === 'Region');

/** "Kazakh", "Uzbeks", "Kenyan", "Iraqi", "Italian": the lexicon's demonyms and those derived from its countries. */
export const isLexDemonym = (word: string): boolean => {
  const f = factsOf(word);
  if (f.demonym === UNKNOWN) f.demonym = flag(derivedDemonym(word));
  return f.demonym === YES;
};

function derivedDemonym(word: string): boolean {
  if (lexTags(word).includes('Demonym')) return true;
  if (lexType(word) || word.length < 4) return false;
  let w = word.toLowerCase();
  if (w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  if (tagsOf(w).includes('Demonym')) return true;
  // Country names the word may derive from: "Kazakh" + "stan", "Kenya" + "n", "Canad(a)" + "ian", "Chin(a)" + "ese".
  const stems = [w + 'istan', w + 'stan', swapEnd(w, 'n', ''), swapEnd(w, 'an', ''), swapEnd(w, 'ian', ''), swapEnd(w, 'i', ''), swapEnd(w, 'ese', ''), swapEnd(w, 'ian', 'y'), swapEnd(w, 'dian', 'da'), swapEnd(w, 'ean', 'ea'), swapEnd(w, 'ian', 'ia')];
  return stems.some((s) => s !== w && s.length >= 3 && isCountryWord(s));
}
/** `w.replace(/<end>$/, to)` without a regular expression (run for every new word). */
const swapEnd = (w: string, end: string, to: string) => (w.endsWith(end) ? w.slice(0, w.length - end.length) + to : w);

const FUNCTION_TAGS = new Set(['Determiner', 'Preposition', 'Conjunction', 'Pronoun', 'Possessive', 'QuestionWord', 'Modal', 'Copula', 'Negative', 'Adverb', 'Auxiliary']);

/** A word compromise knows only as an ordinary word (noun, verb, adjective…), not as a name. */
export const isCommonWord = (word: string, mode: 'lexicon' | 'shape' | 'headline' = 'shape'): boolean => {
  const f = factsOf(word);
  if (mode === 'lexicon') {
    if (f.commonLexicon === UNKNOWN) f.commonLexicon = flag(commonWord(word, mode));
    return f.commonLexicon === YES;
  }
  if (mode === 'shape') {
    if (f.commonShape === UNKNOWN) f.commonShape = flag(commonWord(word, mode));
    return f.commonShape === YES;
  }
  if (f.commonHeadline === UNKNOWN) f.commonHeadline = flag(commonWord(word, mode));
  return f.commonHeadline === YES;
};
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
const TITLE_FIRST = new Set([...TITLES].map((t) => t.split(' ')[0]));
/** Whether a title ("Prime Minister", "Mr.") can start with this word, in any case. */
export const isTitleFirst = (word: string): boolean => {
  const f = factsOf(word);
  if (f.titleFirst === UNKNOWN) f.titleFirst = flag(TITLE_FIRST.has(word.toLowerCase()));
  return f.titleFirst === YES;
};
const TITLE_HEADS = /^(?:[\p{L}]+-General|Minister|Secretary|Commissioner|Spokesman|Spokeswoman|Spokesperson|Chief|Envoy|Ambassador|Officer|Executive|Director|Chairman|Chairwoman|President|Governor|Manager|Coach|Editor|Analyst|Economist|Adviser|Advisor|Correspondent|Leader|General)$/u;
/** A word that ends a title after ordinary words ("Energy Minister", "Chief Financial Officer"). */
export const isTitleHead = (word: string): boolean => {
  const f = factsOf(word);
  if (f.titleHead === UNKNOWN) f.titleHead = flag(TITLE_HEADS.test(word));
  return f.titleHead === YES;
};
export const isFunctionWord = (word: string): boolean => {
  const f = factsOf(word);
  if (f.functionWord === UNKNOWN) f.functionWord = flag(lexTags(word).some((t) => FUNCTION_TAGS.has(t)));
  return f.functionWord === YES;
};
