import nlp from 'compromise';

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
  tags: Set<string>;
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
  regs?: unknown[];
  unTag?: unknown;
}
interface ViewLike {
  docs: Term[][];
  world: World;
  methods: World['methods'];
  compute(names: string | string[]): void;
  update(ptrs: number[][]): ViewLike;
  uncache(): void;
  unfreeze(): void;
}
interface World {
  hooks: string[];
  model: { two: { matches: Match[] } };
  methods: {
    one: {
      bulkTagger(found: unknown[], docs: Term[][], world: World): void;
      cacheDoc(document: Term[][]): Set<string>[];
      match(docs: Term[][], m: Match): { ptrs: number[][] };
      tokenize: { fromString(text: string, world: World): Term[][] };
    };
    two: { quickSplit(docs: Term[][]): Term[][] };
  };
}

const world = (nlp as unknown as { world(): World }).world();
const View = (nlp('') as unknown as { constructor: new (document: Term[][]) => ViewLike }).constructor;
// nlp()'s own computations, in its order, up to its post-tagger (replaced below) and without the chunker.
const PRE_HOOKS = world.hooks.slice(0, world.hooks.indexOf('postTagger'));
const HAS_POST = world.hooks.includes('postTagger');

interface Index {
  /** Rules that need words or tags, each filed under one of its needs only (the rarest): all must be present. */
  anchored: Map<string, Rule[]>;
  /** Rules with wants but no needs, under each want. */
  byWant: Map<string, Rule[]>;
  always: Match[];
  size: number;
}
/** A rule's filter fields in one fixed shape (compromise's rule objects come in many shapes, slow to read). */
interface Rule {
  id: number;
  minWords: number;
  needs: string[];
  ifNo: string[] | null;
  wants: string[];
  minWant: number;
  match: Match;
  /** The rule's hook keys, with each key's rank in compromise's index and the rule's place in that key's list. */
  keys: string[];
  ranks: number[];
  places: number[];
}
let index: Index | undefined;
let stamp = new Uint32Array(0);
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
  // Of rules with the same match string the sweep only ever keeps the first (they share their hook keys).
  const seen = new Set<string>();
  const anchored = new Map<string, Rule[]>();
  const byWant = new Map<string, Rule[]>();
  let size = 0;
  for (const m of matches) {
    if (seen.has(m.match) || (m.needs.length === 0 && m.wants.length === 0)) continue;
    seen.add(m.match);
    const keys = [...new Set([...m.needs, ...m.wants])];
    const rule: Rule = {
      id: size++,
      minWords: m.minWords,
      needs: m.needs,
      ifNo: m.ifNo ?? null,
      wants: m.wants,
      minWant: m.minWant,
      match: m,
      keys,
      ranks: keys.map((k) => rank.get(k)!),
      places: keys.map((k) => hooks[k].indexOf(m)),
    };
    if (m.needs.length) {
      const anchor = m.needs.reduce((a, b) => (hooks[b].length < hooks[a].length ? b : a));
      anchored.set(anchor, [...(anchored.get(anchor) ?? []), rule]);
    } else for (const k of new Set(m.wants)) byWant.set(k, [...(byWant.get(k) ?? []), rule]);
  }
  stamp = new Uint32Array(size);
  return { anchored, byWant, always: matches.filter((m) => m.needs.length === 0 && m.wants.length === 0), size };
}

function passes(m: Rule, cache: Set<string>, termCount: number): boolean {
  if (termCount < m.minWords) return false;
  for (const n of m.needs) if (!cache.has(n)) return false;
  if (m.ifNo !== null) for (const n of m.ifNo) if (cache.has(n)) return false;
  if (m.wants.length) {
    let found = 0;
    for (const w of m.wants) if (cache.has(w)) found++;
    if (found < m.minWant) return false;
  }
  return true;
}

/** The rules that may apply to one sentence, in the order compromise's own sweep would try them. */
function candidates(ix: Index, cache: Set<string>, termCount: number): Match[] {
  if (++generation === 0xffffffff) {
    stamp.fill(0);
    generation = 1;
  }
  const found: { rule: Rule; rank: number; place: number }[] = [];
  const keep = (rule: Rule) => {
    let rank = Infinity;
    let place = 0;
    for (let i = 0; i < rule.keys.length; i++) {
      if (rule.ranks[i] < rank && cache.has(rule.keys[i])) {
        rank = rule.ranks[i];
        place = rule.places[i];
      }
    }
    found.push({ rule, rank, place });
  };
  for (const k of cache) {
    const a = ix.anchored.get(k);
    if (a !== undefined) for (const rule of a) if (passes(rule, cache, termCount)) keep(rule);
    const w = ix.byWant.get(k);
    if (w !== undefined) {
      for (const rule of w) {
        if (stamp[rule.id] === generation) continue;
        stamp[rule.id] = generation;
        if (passes(rule, cache, termCount)) keep(rule);
      }
    }
  }
  found.sort((a, b) => a.rank - b.rank || a.place - b.place);
  const out = found.map((f) => f.rule.match);
  // compromise appends the always-run rules after the hooked ones.
  for (const m of ix.always) if (termCount >= m.minWords) out.push(m);
  return out;
}

function postTag(view: ViewLike): void {
  const ix = (index ??= buildIndex());
  const { methods } = world;
  const document = methods.two.quickSplit(view.docs);
  const m = view.update(document.map((terms) => [terms[0].index[0], terms[0].index[1], terms[0].index[1] + terms.length]));
  const docs = m.docs;
  const caches = methods.one.cacheDoc(docs);
  const found: (Match & { pointer: number[] })[] = [];
  for (let n = 0; n < docs.length; n++) {
    for (const rule of candidates(ix, caches[n], docs[n].length)) {
      const res = methods.one.match([docs[n]], rule);
      for (const ptr of res.ptrs) {
        ptr[0] = n;
        found.push({ ...rule, pointer: ptr });
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
