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
  regs?: unknown[];
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
      match(docs: Term[][], m: Match): { ptrs: number[][] };
      tokenize: { fromString(text: string, world: World): Term[][] };
    };
    two: { quickSplit(docs: Term[][]): Term[][] };
  };
}

const world = (nlp as unknown as { world(): World }).world();
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
  /** Rules that need words or tags, each filed under one of its needs only (the rarest): all must be present. */
  anchored: (Rule[] | undefined)[];
  /** Rules with wants but no needs, under each want. */
  byWant: (Rule[] | undefined)[];
  always: Match[];
  size: number;
}
/** A rule's filter fields in one fixed shape (compromise's rule objects come in many shapes, slow to read). */
interface Rule {
  id: number;
  minWords: number;
  needs: number[];
  ifNo: number[] | null;
  wants: number[];
  minWant: number;
  match: Match;
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
  const anchored: (Rule[] | undefined)[] = [];
  const byWant: (Rule[] | undefined)[] = [];
  let size = 0;
  for (const m of matches) {
    if (seen.has(m.match) || (m.needs.length === 0 && m.wants.length === 0)) continue;
    seen.add(m.match);
    const keys = [...new Set([...m.needs, ...m.wants])];
    const rule: Rule = {
      id: size++,
      minWords: m.minWords,
      needs: m.needs.map(id),
      ifNo: m.ifNo ? m.ifNo.map(id) : null,
      wants: m.wants.map(id),
      minWant: m.minWant,
      match: m,
      keys: keys.map(id),
      ranks: keys.map((k) => rank.get(k)!),
      places: keys.map((k) => hooks[k].indexOf(m)),
    };
    if (m.needs.length) {
      const anchor = id(m.needs.reduce((a, b) => (hooks[b].length < hooks[a].length ? b : a)));
      (anchored[anchor] ??= []).push(rule);
    } else for (const k of new Set(m.wants)) (byWant[id(k)] ??= []).push(rule);
  }
  stamp = new Uint32Array(size);
  present = new Uint32Array(keyId.size);
  const tagId = new Map<string, number>();
  for (const [k, n] of keyId) if (k.startsWith('#')) tagId.set(k.slice(1), n);
  return { keyId, tagId, anchored, byWant, always: matches.filter((m) => m.needs.length === 0 && m.wants.length === 0), size };
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
function candidates(ix: Index, terms: Term[]): Match[] {
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
    if (term.switch) add(ix.keyId.get(`%${term.switch}%`));
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
  const out = found.map((f) => f.rule.match);
  // compromise appends the always-run rules after the hooked ones.
  for (const m of ix.always) if (termCount >= m.minWords) out.push(m);
  return out;
}

function postTag(view: ViewLike): void {
  const ix = (index ??= buildIndex());
  const { methods } = world;
  // compromise runs its sweep on a view of these clauses; their terms are the same objects, so the clauses
  // serve directly.
  const docs = methods.two.quickSplit(view.docs);
  const found: unknown[] = [];
  for (let n = 0; n < docs.length; n++) {
    for (const rule of candidates(ix, docs[n])) {
      const res = methods.one.match([docs[n]], rule);
      for (const ptr of res.ptrs) {
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
