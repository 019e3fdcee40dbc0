import nlp, { compromiseSrc } from './compromise.js';

/**
 * compromise's part-of-speech tagger, run the way `nlp(text)` runs it but without the work this stage never
 * reads: the chunker, and the overhead of its rule sweep. Term tags come out identical to `nlp(text)` (the
 * tests compare them); only the cost differs.
 *
 * Why not plain `nlp()`: its post-tagger sweep picks, for every sentence, the rules that might apply by walking
 * every key of its rule index (thousands) and concatenating arrays; on the short windows this stage tags that
 * walk costs more than tagging itself. Here the walk goes the other way, over the sentence's few cached words
 * and tags, and the rule list is put back in the sweep's own order, so the rules apply exactly as before.
 */

/** A tagged term: offsets into the tagged string and its tags. */
export interface TaggedTerm {
  start: number;
  end: number;
  tags: Set<string>;
}

interface Term {
  id?: string;
  text: string;
  tags: Set<string>;
  normal: string;
  switch?: string;
  implicit?: string;
  machine?: string;
  root?: string;
  alias?: string[];
  offset: { start: number; length: number };
  post: string;
  index: [number, number];
}
interface Match {
  match: string;
  needs: string[];
  wants: string[];
  minWant: number;
  ifNo?: string[];
  minWords: number;
  regs?: Reg[];
  group?: unknown;
  justOne?: boolean;
  notIf?: unknown;
  tag?: unknown;
  unTag?: unknown;
  chunk?: unknown;
  reason?: string;
  safe?: boolean;
  freeze?: boolean;
}
interface ViewLike {
  docs: Term[][];
  world: World;
  methods: World['methods'];
  compute(names: string | string[]): void;
  uncache(): void;
  unfreeze(): void;
}
interface World {
  hooks: string[];
  model: { two: { matches: Match[] } };
  methods: {
    one: {
      bulkTagger(found: unknown[], docs: Term[][], world: World): void;
      tokenize: { fromString(text: string, world: World): Term[][] };
    };
    two: { quickSplit(docs: Term[][]): Term[][] };
  };
}

const world = (nlp as unknown as { world(): World }).world();

/** A parsed match token of a rule (only the fields that decide whether the rule's first token is a plain one). */
interface Reg {
  tag?: string;
  word?: string;
  id?: string;
  use?: string;
  fuzzy?: boolean;
  start?: boolean;
  end?: boolean;
  optional?: boolean;
  negative?: boolean;
  greedy?: boolean;
  anything?: boolean;
  choices?: unknown[];
}
/** [sentence, start, end, start id, end id]: compromise's pointer to matched terms. */
type Pointer = [number, number, number, string?, string?];
interface Found {
  pointer: Pointer;
  groups: Record<string, Pointer>;
}
type FromHere = (terms: Term[], regs: Reg[], start: number, length: number) => Found | null;
type MatchTerm = (term: Term, reg: Reg, index: number, length: number) => boolean | null;
// compromise's match internals, by their place in the pinned package (its entry point is src/three.js; the
// CommonJS build that require() resolves sits two folders down): the rule sweep below calls them directly.
const internal = async <T>(path: string): Promise<T> => ((await import(new URL(path, compromiseSrc).href)) as { default: T }).default;
const fromHere = await internal<FromHere>('1-one/match/methods/match/02-from-here.js');
const matchTerm = await internal<MatchTerm>('1-one/match/methods/match/term/doesMatch.js');
const notIf = await internal<(res: Found[], not: unknown, docs: Term[][]) => Found[]>('1-one/match/methods/match/03-notIf.js');
const getGroup = await internal<(res: Found[], group: unknown) => { ptrs: Pointer[] }>('1-one/match/methods/match/03-getGroup.js');
const View = (nlp('') as unknown as { constructor: new (document: Term[][]) => ViewLike }).constructor;
// nlp()'s own computations, in its order, up to its post-tagger (replaced below) and without the chunker.
// Term ids (random uuids) are skipped: they only serve to repair pointers after the text is edited, and tagging
// never edits it between a match and its tags (contractions that split a word give their new terms ids themselves).
const PRE_HOOKS = world.hooks.slice(0, world.hooks.indexOf('postTagger')).filter((h) => h !== 'id');
const HAS_POST = world.hooks.includes('postTagger');

interface Index {
  /** Every word or tag key a rule needs, wants or forbids, as a small integer (the filters below test integers). */
  keyId: Map<string, number>;
  /** The id of "#Tag" by tag name (so no "#" + tag string is built per term). */
  tagId: Map<string, number>;
  /** The id of "%Switch%" by switch name, likewise. */
  switchId: Map<string, number>;
  /** Rules that need words or tags, each filed under one of its needs only (the rarest): all must be present. */
  anchored: (Rule[] | undefined)[];
  /** Rules with wants but no needs (or only tags as needs), under each want. */
  byWant: (Rule[] | undefined)[];
  always: Plan[];
  size: number;
}
/** A rule's filter fields in one fixed shape (compromise's rule objects come in many shapes, slow to read). */
interface Rule {
  id: number;
  minWords: number;
  /** Its needs other than the one it is filed under in `anchored`, rarest first (all of them if under wants). */
  needs: number[];
  ifNo: number[] | null;
  wants: number[];
  minWant: number;
  plan: Plan;
  /** The rule's hook keys, with each key's rank in compromise's index and the rule's place in that key's list. */
  keys: number[];
  ranks: number[];
  places: number[];
}
let index: Index | undefined;
// Per rule: the sentence it was last visited for; per key: the sentence it was last seen in.
let stamp = new Uint32Array(0);
let present = new Uint32Array(0);
let generation = 0;

/**
 * The rule index of compromise's post-tagger, as its `buildNet` builds it, re-filed for a cheaper look-up.
 * compromise's sweep concatenates, for every hook key the sentence has (in the index's key order), the rules
 * hooked on it, keeps the first of rules with the same match string, filters them by needs/wants/ifNo/length,
 * and runs them in that order. Here each rule is visited once and the survivors are sorted back into the
 * sweep's order (rank of the first key the sentence has, then the rule's place under it).
 * `buildNet` parses the rules in place and cannot parse them twice, so compromise is left to parse them (by
 * tagging a word once) and the index is built from the parsed rules.
 */
// Tags ("#Verb") and switches ("%Noun|Verb%") as opposed to words.
const isTag = (key: string) => key.startsWith('#') || key.startsWith('%');
function buildIndex(): Index {
  const matches = world.model.two.matches;
  if (!matches.every((m) => m.regs)) nlp('Warm up.');
  const hooks: Record<string, Match[]> = {};
  for (const m of matches) for (const k of [...m.needs, ...m.wants]) (hooks[k] ??= []).push(m);
  for (const k of Object.keys(hooks)) {
    const seen = new Set<string>();
    hooks[k] = hooks[k].filter((m) => !seen.has(m.match) && !!seen.add(m.match));
  }
  const rank = new Map(Object.keys(hooks).map((k, i) => [k, i]));
  const keyId = new Map<string, number>();
  const id = (k: string) => {
    let n = keyId.get(k);
    if (n === undefined) keyId.set(k, (n = keyId.size));
    return n;
  };
  // Of rules with the same match string the sweep only ever keeps the first (they share their hook keys).
  const seen = new Set<string>();
  const needy: Rule[] = [];
  const byWant: (Rule[] | undefined)[] = [];
  let size = 0;
  for (const m of matches) {
    if (seen.has(m.match) || (m.needs.length === 0 && m.wants.length === 0)) continue;
    seen.add(m.match);
    const keys = [...new Set([...m.needs, ...m.wants])];
    const rule: Rule = {
      id: size++,
      minWords: m.minWords,
      needs: [],
      ifNo: m.ifNo ? m.ifNo.map(id) : null,
      wants: m.wants.map(id),
      minWant: m.minWant,
      plan: planOf(m),
      keys: keys.map(id),
      ranks: keys.map((k) => rank.get(k)!),
      places: keys.map((k) => hooks[k].indexOf(m)),
    };
    // A rule that needs only tags but wants one of some words ("#Verb (up|down|out)") is filed under those
    // words: in text a word is far rarer than a tag, and the rule can only apply where one of them is.
    const wordsOnly = m.wants.length > 0 && m.minWant >= 1 && m.needs.every(isTag) && !m.wants.some(isTag);
    if (m.needs.length && !wordsOnly) needy.push(rule);
    else {
      rule.needs = [...new Set(m.needs)].map(id);
      for (const k of new Set(m.wants)) (byWant[id(k)] ??= []).push(rule);
    }
  }
  // Each other rule with needs is filed under the rarest (the key fewest rules hook on), the others to be
  // tested rarest first: it is only visited for clauses that have its anchor, and if it does not apply it is
  // then mostly turned down by its first test.
  const anchored: (Rule[] | undefined)[] = [];
  const byRarity = (a: string, b: string) => hooks[a].length - hooks[b].length;
  for (const rule of needy) {
    const [anchor, ...rest] = [...new Set(rule.plan.match.needs)].sort(byRarity);
    rule.needs = rest.map(id);
    (anchored[id(anchor)] ??= []).push(rule);
  }
  stamp = new Uint32Array(size);
  present = new Uint32Array(keyId.size);
  const tagId = new Map<string, number>();
  const switchId = new Map<string, number>();
  for (const [k, n] of keyId) {
    if (k.startsWith('#')) tagId.set(k.slice(1), n);
    else if (k.length > 2 && k.startsWith('%') && k.endsWith('%')) switchId.set(k.slice(1, -1), n);
  }
  return { keyId, tagId, switchId, anchored, byWant, always: matches.filter((m) => m.needs.length === 0 && m.wants.length === 0).map(planOf), size };
}

function passes(m: Rule, gen: number, termCount: number): boolean {
  if (termCount < m.minWords) return false;
  for (const n of m.needs) if (present[n] !== gen) return false;
  if (m.ifNo !== null) for (const n of m.ifNo) if (present[n] === gen) return false;
  if (m.wants.length) {
    let found = 0;
    for (const w of m.wants) if (present[w] === gen) found++;
    if (found < m.minWant) return false;
  }
  return true;
}

/**
 * The rules that may apply to one sentence, in the order compromise's own sweep would try them. The sentence's
 * keys are those compromise's `cacheDoc` collects (words, switches, implicit, machine and root forms, aliases,
 * "#" + tags), kept only where some rule asks about them.
 */
function candidates(ix: Index, terms: Term[]): Plan[] {
  if (++generation === 0xffffffff) {
    stamp.fill(0);
    present.fill(0);
    generation = 1;
  }
  const gen = generation;
  const termCount = terms.length;
  const ids: number[] = [];
  const add = (n: number | undefined) => {
    if (n !== undefined && present[n] !== gen) {
      present[n] = gen;
      ids.push(n);
    }
  };
  for (const term of terms) {
    if (term.normal !== '') add(ix.keyId.get(term.normal));
    if (term.switch) add(ix.switchId.get(term.switch));
    if (term.implicit) add(ix.keyId.get(term.implicit));
    if (term.machine) add(ix.keyId.get(term.machine));
    if (term.root) add(ix.keyId.get(term.root));
    if (term.alias) for (const a of term.alias) add(ix.keyId.get(a));
    for (const t of term.tags) add(ix.tagId.get(t));
  }
  const found: { rule: Rule; order: number }[] = [];
  const keep = (rule: Rule) => {
    let rank = Infinity;
    let place = 0;
    for (let i = 0; i < rule.keys.length; i++) {
      if (rule.ranks[i] < rank && present[rule.keys[i]] === gen) {
        rank = rule.ranks[i];
        place = rule.places[i];
      }
    }
    found.push({ rule, order: rank * 65536 + place });
  };
  for (const k of ids) {
    const a = ix.anchored[k];
    if (a !== undefined) for (const rule of a) if (passes(rule, gen, termCount)) keep(rule);
    const w = ix.byWant[k];
    if (w !== undefined) {
      for (const rule of w) {
        if (stamp[rule.id] === gen) continue;
        stamp[rule.id] = gen;
        if (passes(rule, gen, termCount)) keep(rule);
      }
    }
  }
  found.sort((a, b) => a.order - b.order);
  const out = found.map((f) => f.rule.plan);
  // compromise appends the always-run rules after the hooked ones.
  for (const p of ix.always) if (termCount >= p.minWords) out.push(p);
  return out;
}

/**
 * What running one rule takes, read once from compromise's rule object into one fixed shape (compromise's rule
 * objects come in many shapes, slow to read in the hot loop): its tokens, how many of them must match a term,
 * and whether its first token is a plain term test (not optional, negative, greedy to the end or a multi-word
 * choice), and if so whether it comes down to one tag or one word.
 */
interface Plan {
  match: Match;
  regs: Reg[] | undefined;
  group: unknown;
  justOne: boolean;
  notIf: unknown;
  minWords: number;
  minLength: number;
  plainFirst: boolean;
  firstTag: string | undefined;
  firstWord: string | undefined;
}
function planOf(m: Match): Plan {
  const regs = m.regs;
  const r = regs?.[0];
  const plainFirst = !!r && r.anything !== true && r.choices === undefined && r.negative !== true && r.optional !== true && !(r.end === true && r.greedy === true);
  // doesMatch tests, in order: any, start, end, id, then a word (as machine form, alias, text or normal form)
  // before a tag: a token with neither of the first four is decided by its word, else by its tag.
  const bare = plainFirst && r!.start !== true && r!.end !== true && r!.id === undefined;
  return {
    match: m,
    regs,
    group: m.group,
    justOne: m.justOne === true,
    notIf: m.notIf,
    minWords: m.minWords,
    minLength: regs ? regs.filter((x) => x.optional !== true && x.negative !== true).length : 0,
    plainFirst,
    firstTag: bare && r!.word === undefined ? r!.tag : undefined,
    firstWord: bare && r!.use === undefined && r!.fuzzy !== true ? r!.word : undefined,
  };
}
function firstFits(plan: Plan, term: Term, reg: Reg, i: number, length: number): boolean {
  const { firstTag, firstWord } = plan;
  if (firstTag !== undefined) return term.tags.has(firstTag);
  if (firstWord !== undefined) {
    return (
      (term.machine !== null && term.machine === firstWord) ||
      (!!term.alias && term.alias.includes(firstWord)) ||
      firstWord === term.text ||
      firstWord === term.normal
    );
  }
  return !plan.plainFirst || matchTerm(term, reg, i, length) === true;
}

/**
 * compromise's `match` of one rule over one clause (`methods.one.match([terms], rule)`, its runMatch), with the
 * same results in the same order, but a start position whose term fails the rule's first token is skipped
 * before the clause is copied from there: compromise copies the clause's tail for every start position and
 * tries the rule on it, and at most positions the first token already fails. Only a plain first token (a term
 * test, not optional, negative, greedy to the end or a multi-word choice) is tested early: that is the first
 * thing compromise's own attempt does with it, and a failure ends the attempt.
 */
function runRule(terms: Term[], plan: Plan): Pointer[] {
  const regs = plan.regs;
  if (!regs || regs.length === 0) return [];
  const length = terms.length;
  let results: Found[] = [];
  if (regs[0].start === true) {
    const res = fromHere(terms, regs, 0, length);
    if (res) results.push(res);
  } else {
    const { minLength } = plan;
    for (let i = 0; i < length; i++) {
      if (length - i < minLength) break;
      if (!firstFits(plan, terms[i], regs[0], i, length)) continue;
      const res = fromHere(terms.slice(i), regs, i, length);
      if (!res) continue;
      results.push(res);
      if (plan.justOne) break;
      const end = res.pointer[2];
      if (Math.abs(end - 1) > i) i = Math.abs(end - 1);
    }
  }
  if (!results.length) return [];
  // The clause is sentence 0 of the match, as in `match([terms], rule)`.
  for (const res of results) {
    res.pointer[0] = 0;
    for (const k of Object.keys(res.groups)) res.groups[k][0] = 0;
  }
  if (regs[regs.length - 1].end === true) results = results.filter((res) => res.pointer[2] === length);
  if (plan.notIf) results = notIf(results, plan.notIf, [terms]);
  const { ptrs } = getGroup(results, plan.group);
  for (const ptr of ptrs) {
    ptr[3] = terms[ptr[1]].id;
    ptr[4] = terms[ptr[2] - 1].id;
  }
  return ptrs;
}

function postTag(view: ViewLike): void {
  const ix = (index ??= buildIndex());
  const { methods } = world;
  // compromise runs its sweep on a view of these clauses; their terms are the same objects, so the clauses
  // serve directly.
  const docs = methods.two.quickSplit(view.docs);
  const found: unknown[] = [];
  for (let n = 0; n < docs.length; n++) {
    for (const plan of candidates(ix, docs[n])) {
      const rule = plan.match;
      for (const ptr of runRule(docs[n], plan)) {
        ptr[0] = n;
        // Only the fields compromise's bulk tagger reads: copying the whole parsed rule per match is costly.
        found.push({ tag: rule.tag, unTag: rule.unTag, chunk: rule.chunk, reason: rule.reason, match: rule.match, safe: rule.safe, freeze: rule.freeze, pointer: ptr });
      }
    }
  }
  methods.one.bulkTagger(found, docs, world);
  view.uncache();
  view.unfreeze();
}

/** Tags `text` with compromise; returns its terms with offsets into `text`. */
export function tagText(text: string): TaggedTerm[] {
  if (!text) return [];
  const view = new View(world.methods.one.tokenize.fromString(text, world));
  view.compute(PRE_HOOKS);
  if (HAS_POST) postTag(view);
  view.compute('offset');
  const out: TaggedTerm[] = [];
  for (const sentence of view.docs) for (const t of sentence) out.push({ start: t.offset.start, end: t.offset.start + t.offset.length, tags: t.tags });
  return out;
}
