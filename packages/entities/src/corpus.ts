import { randomBytes } from 'node:crypto';
import type { CanonicalEntity, DocumentEntity, EntityType } from '@corpus/schema';
import { distance } from 'fastest-levenshtein';
import { type AliasTable, buildAliasIndex } from './aliases.js';
import { foldName, initialisms, nameParts } from './fold.js';
import { toLinkEntity, type LinkEntity } from './link-entity.js';
import { packState, unpackState, type ClusterFields, type EntryFields, type GroupFields, type MemoryFields, type PackedLinkState } from './link-state.js';

export { AliasTable } from './aliases.js';
export { toLinkEntity, type LinkEntity } from './link-entity.js';

export interface CorpusEntityInput {
  documentId: string;
  entities: readonly (DocumentEntity | LinkEntity)[];
}

export interface CorpusEntities {
  /** Canonical entities for `entities.json`, sorted deterministically. */
  entities: CanonicalEntity[];
  /** The canonical entity a document-local entity belongs to. */
  resolve(documentId: string, localId: string): CanonicalRef;
  /** The canonical entity of each of a document's local entities, in the order they were given. */
  resolveAll(documentId: string): readonly CanonicalRef[];
  /**
   * The document-local entities a canonical entity was made of (what its element depends on), in document order and,
   * within a document, in the order they were given.
   */
  sources(canonicalId: string): { documentId: string; localId: string }[];
}

/** What `CorpusLinker.link` returns: the linked corpus, plus what a build needs to write it incrementally. */
export interface LinkResult extends CorpusEntities {
  /** For each of a document's local entities, in their order, its canonical entity's index in `entities`. */
  linksOf(documentId: string): Int32Array;
  /**
   * A stamp of what a canonical entity is made of (its sources, hence its name, type, aliases, counts and mentions):
   * kept from the last link while none of that changed, new otherwise. With its id, it says whether the entity's
   * element of entities.json is the one the last build wrote. Stamps are made up, not derived: the same entity linked
   * twice from scratch has two stamps.
   */
  stamp(entityIndex: number): string;
  /**
   * An entity's mentions one document at a time, in the order of its `mentions`: a large entity's element of
   * entities.json changes whenever any document mentioning it does, and a writer that kept the runs of the last build
   * can copy those whose `digest` it has and render only the others.
   */
  mentionRuns(entityIndex: number): MentionRun[];
  /** The linker's state after this link, to start the next build's linker from (see `CorpusLinker`). */
  state(): LinkState;
  /** How much of the corpus the rules ran over: groups in all, and groups whose part of the corpus had changed. */
  stats: { nodes: number; relinked: number };
}

/** One document's mentions of a canonical entity (see `LinkResult.mentionRuns`). */
export interface MentionRun {
  documentId: string;
  /**
   * A 53-bit digest of what fixes the run's JSON: the document's id, its analysis's key, and which of its local
   * entities are this entity. Same digest, same mentions (short of a 2^-53 chance).
   */
  digest: number;
  /** The mentions, sorted by position. */
  mentions(): CanonicalEntity['mentions'];
}

export interface CanonicalRef {
  id: string;
  name: string;
  type: EntityType;
}

export interface CanonicalizeOptions {
  aliases?: AliasTable;
  /** Set to false to ignore the shipped default alias table. */
  defaultAliases?: boolean;
}

/**
 * Document-local entities that are identical for linking purposes (same type, name and surface forms) form one group:
 * every rule decides them alike, and a large corpus repeats the same few thousand entities in every document. A group
 * holds what the rules need of its entities, computed once: besides the name, type and forms, the name's parts and
 * keys, the alias table's name for it (`aliasName`), where the name is among the forms (`nameForm`, for the name
 * vote), the hashed keys under which groups are always related (`reach`, see `reachKeys`) and those of the groups it
 * may be joined to (`joins`, see `joinKeys`), and where rules 2 and 5 look for names to compare it with (`block`,
 * `ends`).
 */
type Group = GroupFields;

/**
 * One analysis's entities, compactly: each local entity's group, and its mentions as (form, start, end) triples in one
 * flat array (entity k's are `spans[3 * ends[k - 1] .. 3 * ends[k])`); the local ids where they are not e1, e2, ….
 */
type Entry = EntryFields;

/** What a canonical entity was at the last link. */
type ClusterMemory = ClusterFields;

/**
 * What the last link decided, by group (groups are numbered in node order): the documents linked (sorted by id) and
 * their analyses, each group's first member (document index, position), its component and the components' sizes, the
 * group at the root of its canonical entity, and each canonical entity by its root group.
 */
type LinkMemory = MemoryFields;

/** A linker's state after a link, for the next build (see `LinkResult.state`): stored with `v8.serialize`. */
export type LinkState = PackedLinkState;

const STATE_FORMAT = 5;

const CORPORATE_PART = /^(?:inc|corp|co|cos|ltd|plc|ag|sa|nv|spa|llc|gmbh|group|holdings|bhd|ab|asa|oyj|se)$/;
const ACRONYM = /^[A-Z0-9.&-]{2,8}$/;

// What each rule looks at, said once: linking a part of the corpus anew is exact only if the rules and the keys that
// decide which groups they may relate (`reachKeys`, `joinKeys`, `findPairs`) agree on them.
/** A person named by one word ("Nazarbayev"): rule 3's lone name. */
const isLoneName = (g: Group) => g.type === 'person' && g.parts.length === 1;
/** A person's full name: what a lone name may stand for (rule 3). */
const isFullName = (g: Group) => g.type === 'person' && g.parts.length >= 2;
/** A name rule 2 looks for variant spellings of: any but a lone person name. */
const hasVariants = (g: Group) => g.parts.length > 0 && !isLoneName(g);
/** A name of two words or more that is not a person's: acronyms (rule 4) and shortened names (rule 5) may stand for it. */
const isLongName = (g: Group) => g.type !== 'person' && g.parts.length >= 2;
/** Whether a form's key joins its group to the group so named (rule 1): a person's bare surname does not. */
const formJoins = (g: Group, key: string) => g.type !== 'person' || key.slice(key.indexOf('|') + 1).includes(' ');

/** Adds `v` to the list under `k`. */
function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

// Transliterations differ by a letter or two per part ("Kassim-Zhomart"/"Kassym-Jomart", "Lugansk"/"Luhansk");
// short names differing by one letter are usually different names ("Iran"/"Iraq", "Mali"/"Bali").
const MIN_VARIANT_PART = 6;
const MAX_PART_EDITS = 2;
/**
 * The letters a string uses, as bits. One edit changes that set by at most two letters, so two parts whose sets
 * differ by more than twice the allowed edits cannot match: a cheap test before the edit distance.
 */
function letterSet(s: string): number {
  let bits = 0;
  for (let i = 0; i < s.length; i++) bits |= 1 << (s.charCodeAt(i) & 31);
  return bits;
}
function bitCount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
function samePart(a: string, b: string, loose: boolean): boolean {
  if (a === b) return true;
  const len = Math.min(a.length, b.length);
  if (len < (loose ? 5 : MIN_VARIANT_PART)) return false;
  // Surnames keep their first letter across transliterations; given names may not ("Zhomart"/"Jomart").
  if (!loose && a[0] !== b[0]) return false;
  const d = distance(a, b);
  return loose ? d / Math.max(a.length, b.length) <= 0.34 : d <= (len >= 8 ? MAX_PART_EDITS : 1);
}

/** Same name written differently: every part matches its counterpart. */
function sameName(a: string[], b: string[], type: EntityType): boolean {
  if (a.length !== b.length || !a.length) return false;
  if (type === 'person') {
    // Surnames must agree closely; given names may vary more ("Sergey"/"Sergei", "Kassym"/"Kassim").
    return samePart(a.at(-1)!, b.at(-1)!, false) && a.slice(0, -1).every((p, i) => samePart(p, b[i], true));
  }
  return a.every((p, i) => samePart(p, b[i], false));
}

/**
 * The surnames of full-named people that a lone name ("Nazarbayev") may stand for: the same one, or one spelt within
 * the allowed edits. A lone name recurs in many documents; its matches are found once.
 */
function surnameMatcher(surnames: Iterable<string>): (lone: string) => string[] {
  const known = new Set<string>();
  // Surnames by initial and length: a lone name is compared only with those within two letters of its length.
  const byShape = new Map<string, { surname: string; letters: number }[]>();
  for (const surname of surnames) {
    if (known.has(surname)) continue;
    known.add(surname);
    if (surname.length >= MIN_VARIANT_PART) push(byShape, `${surname[0]}|${surname.length}`, { surname, letters: letterSet(surname) });
  }
  const memo = new Map<string, string[]>();
  return (lone) => {
    let matches = memo.get(lone);
    if (!matches) {
      matches = known.has(lone) ? [lone] : [];
      const letters = letterSet(lone);
      if (lone.length >= MIN_VARIANT_PART) for (let len = lone.length - 2; len <= lone.length + 2; len++) {
        for (const s of byShape.get(`${lone[0]}|${len}`) ?? []) {
          if (s.surname !== lone && bitCount(s.letters ^ letters) <= 2 * MAX_PART_EDITS && samePart(s.surname, lone, false)) matches.push(s.surname);
        }
      }
      memo.set(lone, matches);
    }
    return matches;
  };
}

class UnionFind {
  private readonly parent: Int32Array;
  constructor(size: number) {
    this.parent = new Int32Array(size);
    for (let i = 0; i < size; i++) this.parent[i] = i;
  }
  find(i: number): number {
    while (this.parent[i] !== i) i = this.parent[i] = this.parent[this.parent[i]];
    return i;
  }
  union(a: number, b: number): void {
    const ra = this.find(a), rb = this.find(b);
    // The smaller index stays root, so results do not depend on the order unions are made in.
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

const slug = (s: string) => foldName(s).replace(/ /g, '-') || 'x';
const TYPE_PREFIX: Record<EntityType, string> = { person: 'per', organization: 'org', place: 'plc', event: 'evt', other: 'oth' };

/** Links document-local entities into canonical corpus entities. */
export function canonicalizeCorpus(docs: readonly CorpusEntityInput[], options: CanonicalizeOptions = {}): LinkResult {
  const linker = new CorpusLinker(options);
  for (const d of docs) linker.add(d.documentId, d.entities);
  return linker.link(docs.map((d) => ({ documentId: d.documentId, key: d.documentId })));
}

/**
 * Entity linking in two steps. `add` takes each analysis's entities, in any order and as soon as they are at hand
 * (a build adds its new analyses while others are still being analysed); `link` then links the documents of the
 * corpus. The result is exactly `canonicalizeCorpus`'s over the same documents, whatever the order of `add`: what
 * depends on order is done in `link`, in document order.
 *
 * A linker can start from the state of the last build's (`LinkResult.state`): it then holds that build's analyses,
 * and `link` runs the rules again only over the part of the corpus that changed. The groups fall into components that
 * no rule relates to each other (`componentsOf`); the rules decide within each component from its groups and their
 * order alone, so a component whose groups and order are those of the last link keeps its decisions. The result is
 * the same as linking everything again.
 */
export class CorpusLinker {
  private readonly aliases: ReturnType<typeof buildAliasIndex>;
  private groups: Group[] = [];
  private readonly sameNamed = new Map<string, number[]>();
  private entries = new Map<string, Entry>();
  private memory: LinkMemory | null = null;
  /** The pairs found by comparing the names of the groups that came with the state (all of them, pairwise). */
  private pairs: ArrayLike<number> = [];
  private linked = false;

  constructor(options: CanonicalizeOptions = {}, state?: LinkState | null) {
    this.aliases = buildAliasIndex(options.aliases, options.defaultAliases !== false);
    if (state?.format === STATE_FORMAT) {
      const unpacked = unpackState(state);
      this.groups = unpacked.groups;
      this.groups.forEach((g, i) => push(this.sameNamed, g.name, i));
      this.entries = new Map(unpacked.entries);
      this.memory = unpacked.memory;
      this.pairs = unpacked.pairs;
    }
  }

  /** Whether an analysis was added under `key` (or came with the state). */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** The local ids of the entities added under `key`, where they are not e1, e2, … in order (else null). */
  localIdsOf(key: string): string[] | null {
    const entry = this.entries.get(key);
    if (!entry) throw new Error(`no entities were added under ${key}`);
    return entry.localIds;
  }

  /** Adds one analysis's entities under a key (the same key twice is the same analysis: added once). */
  add(key: string, entities: readonly (DocumentEntity | LinkEntity)[]): void {
    if (this.linked) throw new Error('CorpusLinker: add() after link()');
    if (this.entries.has(key)) return;
    const list = entities.map((e) => ('forms' in e ? e : toLinkEntity(e)));
    const groups = new Int32Array(list.length);
    const ends = new Int32Array(list.length);
    let spanCount = 0;
    list.forEach((e, k) => {
      groups[k] = this.groupOf(e);
      spanCount += e.spans.length / 3;
      ends[k] = spanCount;
    });
    const spans = new Int32Array(spanCount * 3);
    let at = 0;
    for (const e of list) {
      spans.set(e.spans, at);
      at += e.spans.length;
    }
    const positional = list.every((e, k) => e.id === `e${k + 1}`);
    this.entries.set(key, { groups, ends, spans, localIds: positional ? null : list.map((e) => e.id) });
  }

  /** The group of an entity, made if it is the first of its kind. */
  private groupOf(e: LinkEntity): number {
    // Looked up by name, then compared: building a signature string per entity was most of the time here.
    let withName = this.sameNamed.get(e.name);
    if (!withName) this.sameNamed.set(e.name, (withName = []));
    for (const i of withName) {
      const g = this.groups[i];
      if (g.type === e.type && sameForms(g.texts, e.forms)) return i;
    }
    const keys = new Set<string>();
    const canon = this.aliases.lookup(e.name);
    const nameKey = `${e.type}|${foldName(canon?.name ?? e.name)}`;
    keys.add(nameKey);
    for (const text of e.forms) {
      const hit = this.aliases.lookup(text);
      keys.add(`${e.type}|${foldName(hit?.name ?? text)}`);
    }
    const parts = nameParts(canon?.name ?? e.name);
    // "Chrysler Corp" in one document is "Chrysler" in another.
    if (e.type === 'organization' && parts.length >= 2 && CORPORATE_PART.test(parts.at(-1)!)) keys.add(`${e.type}|${parts.slice(0, -1).join(' ')}`);
    const group: Group = {
      name: e.name,
      type: e.type,
      texts: e.forms.slice(),
      parts,
      keys: [...keys],
      nameKey,
      aliasName: canon?.name ?? null,
      nameForm: e.forms.indexOf(e.name),
      reach: NO_KEYS,
      joins: NO_KEYS,
      block: null,
      ends: null,
    };
    if (hasVariants(group)) group.block = blockKey(group);
    if (isLongName(group)) group.ends = ends(group);
    group.reach = Int32Array.from(reachKeys(group), keyHash);
    group.joins = Int32Array.from(joinKeys(group), keyHash);
    withName.push(this.groups.length);
    this.groups.push(group);
    return this.groups.length - 1;
  }

  /** Links the corpus's documents, each named by its id and the key its analysis was added under. Once only. */
  link(docs: readonly { documentId: string; key: string }[]): LinkResult {
    if (this.linked) throw new Error('CorpusLinker: link() runs once');
    this.linked = true;
    const sorted = [...docs].sort((a, b) => (a.documentId < b.documentId ? -1 : a.documentId > b.documentId ? 1 : 0));
    const docIds = sorted.map((d) => d.documentId);
    const docKeys = sorted.map((d) => d.key);
    const docEntries = sorted.map((d) => {
      const entry = this.entries.get(d.key);
      if (!entry) throw new Error(`no entities were added for ${d.documentId} (key ${d.key})`);
      return entry;
    });
    const groups = this.groups;
    const G = groups.length;

    // The nodes: the groups that occur, in the order of their first member (document, then position); and the members
    // of each group in that order too, by a counting sort.
    const firstDi = new Int32Array(G).fill(-1);
    const firstPos = new Int32Array(G);
    const memberCount = new Int32Array(G);
    const order: number[] = [];
    for (let di = 0; di < docEntries.length; di++) {
      const gs = docEntries[di].groups;
      for (let k = 0; k < gs.length; k++) {
        const g = gs[k];
        memberCount[g]++;
        if (firstDi[g] < 0) {
          firstDi[g] = di;
          firstPos[g] = k;
          order.push(g);
        }
      }
    }
    const memberStart = new Int32Array(G + 1);
    for (let g = 0; g < G; g++) memberStart[g + 1] = memberStart[g] + memberCount[g];
    const memberDi = new Int32Array(memberStart[G]);
    const memberPos = new Int32Array(memberStart[G]);
    const fill = memberStart.slice(0, G);
    for (let di = 0; di < docEntries.length; di++) {
      const gs = docEntries[di].groups;
      for (let k = 0; k < gs.length; k++) {
        const at = fill[gs[k]]++;
        memberDi[at] = di;
        memberPos[at] = k;
      }
    }
    const N = order.length;
    const nodeOf = new Int32Array(G).fill(-1);
    for (let i = 0; i < N; i++) nodeOf[order[i]] = i;
    // Pairs among the groups the state came with are known; only those with a new group are looked for.
    const known = this.memory ? this.memory.firstDoc.length : 0;
    const pairs: number[] = [];
    for (let p = 0; p < this.pairs.length; p += 2) {
      const x = nodeOf[this.pairs[p]], y = nodeOf[this.pairs[p + 1]];
      if (x >= 0 && y >= 0) pairs.push(x, y);
    }
    const nodes = order.map((g) => groups[g]);
    findPairs(nodes, (i) => order[i] >= known, pairs);
    const component = componentsOf(nodes, pairs);
    const componentSize = new Int32Array(N);
    for (let i = 0; i < N; i++) componentSize[component[i]]++;

    // Which documents changed since the last link (added, removed, renamed or analysed anew): their groups' members
    // changed.
    const memory = this.memory;
    const changedGroup = new Uint8Array(G);
    if (memory) {
      const before = new Map<string, string>();
      memory.docIds.forEach((id, i) => before.set(id, memory.docKeys[i]));
      const markEntry = (key: string) => {
        const entry = this.entries.get(key);
        if (entry) for (const g of entry.groups) changedGroup[g] = 1;
      };
      for (let di = 0; di < docIds.length; di++) {
        const key = before.get(docIds[di]);
        if (key !== docKeys[di]) {
          markEntry(docKeys[di]);
          if (key !== undefined) markEntry(key);
        }
        before.delete(docIds[di]);
      }
      for (const key of before.values()) markEntry(key);
    }

    // A component is kept when it has exactly the groups it had, each first met where it was (so in the same order):
    // every rule then decides within it as it did. The others are linked again, all together (they are independent).
    const stable = (g: number) => g < known && memory!.docIds[memory!.firstDoc[g]] === docIds[firstDi[g]] && memory!.firstPos[g] === firstPos[g];
    const kept = new Uint8Array(N);
    if (memory) {
      const previous = new Int32Array(N).fill(-1);
      const same = new Uint8Array(N).fill(1);
      for (let i = 0; i < N; i++) {
        const c = component[i], g = order[i];
        if (!stable(g)) same[c] = 0;
        else if (previous[c] < 0) previous[c] = memory.component[g];
        else if (previous[c] !== memory.component[g]) same[c] = 0;
      }
      for (let i = 0; i < N; i++) {
        const c = component[i];
        if (same[c] && previous[c] >= 0 && memory.componentSize[previous[c]] === componentSize[c]) kept[i] = 1;
      }
    }
    const root = new Int32Array(N);
    const relink: number[] = [];
    for (let i = 0; i < N; i++) {
      if (kept[i]) root[i] = nodeOf[memory!.root[order[i]]];
      else relink.push(i);
    }
    if (relink.length) {
      const uf = new UnionFind(relink.length);
      applyRules(relink.map((i) => groups[order[i]]), uf);
      // Nodes are relinked in their order, so each cluster's smallest index is its root here as in the whole corpus.
      for (let x = 0; x < relink.length; x++) root[relink[x]] = relink[uf.find(x)];
    }

    // The canonical entities, one per cluster, in the order of their roots (ids are given in that order).
    const clusterOfNode = new Int32Array(N);
    const clusterRoots: number[] = [];
    const clusterNodes: number[][] = [];
    for (let i = 0; i < N; i++) {
      if (root[i] === i) {
        clusterOfNode[i] = clusterRoots.length;
        clusterRoots.push(i);
        clusterNodes.push([i]);
      } else {
        clusterOfNode[i] = clusterOfNode[root[i]];
        clusterNodes[clusterOfNode[i]].push(i);
      }
    }
    const C = clusterRoots.length;
    const mentionsOf = (di: number, k: number) => {
      const ends = docEntries[di].ends;
      return ends[k] - (k ? ends[k - 1] : 0);
    };
    const nodeMentions = (i: number) => {
      const g = order[i];
      let n = 0;
      for (let m = memberStart[g]; m < memberStart[g + 1]; m++) n += mentionsOf(memberDi[m], memberPos[m]);
      return n;
    };
    const nodeNameWeight = (i: number) => {
      const g = order[i], form = groups[g].nameForm;
      let n = 0;
      for (let m = memberStart[g]; m < memberStart[g + 1]; m++) {
        // A document's vote for its entity's name: one for using it, plus one per mention written exactly so.
        n++;
        if (form < 0) continue;
        const { ends, spans } = docEntries[memberDi[m]], k = memberPos[m];
        for (let s = 3 * (k ? ends[k - 1] : 0); s < 3 * ends[k]; s += 3) if (spans[s] === form) n++;
      }
      return n;
    };
    const countedBy = new Int32Array(docIds.length).fill(-1);
    const clusters: ClusterMemory[] = new Array(C);
    // New stamps are unique to this link.
    const stampPrefix = `${randomBytes(9).toString('base64url')}.`;
    for (let c = 0; c < C; c++) {
      const nodes = clusterNodes[c];
      const before = memory && kept[clusterRoots[c]] ? memory.clusters.get(order[clusterRoots[c]]) : undefined;
      if (before && nodes.every((i) => !changedGroup[order[i]])) {
        clusters[c] = before;
        continue;
      }
      const first = groups[order[nodes[0]]];
      let type = first.type;
      if (nodes.length > 1) {
        const typeVotes = new Map<EntityType, number>();
        for (const i of nodes) typeVotes.set(groups[order[i]].type, (typeVotes.get(groups[order[i]].type) ?? 0) + nodeMentions(i));
        if (typeVotes.size > 1) type = [...typeVotes].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0];
      }
      const name = nodes.length === 1 ? (first.aliasName ?? first.name) : canonicalName(nodes.map((i) => groups[order[i]]), nodes.map(nodeNameWeight));
      let mentionCount = 0, documentCount = 0;
      const aliasSet = new Set<string>();
      for (const i of nodes) {
        const g = order[i];
        if (nodes.length > 1) for (const text of groups[g].texts) aliasSet.add(text);
        for (let m = memberStart[g]; m < memberStart[g + 1]; m++) {
          mentionCount += mentionsOf(memberDi[m], memberPos[m]);
          if (countedBy[memberDi[m]] !== c) {
            countedBy[memberDi[m]] = c;
            documentCount++;
          }
        }
      }
      // One group's forms are already distinct and sorted.
      const aliases = nodes.length === 1 ? first.texts.slice() : [...aliasSet].sort();
      clusters[c] = { type, name, aliases, documentCount, mentionCount, stamp: `${stampPrefix}${c.toString(36)}`, baseId: `${TYPE_PREFIX[type]}-${slug(name)}` };
    }
    const ids: string[] = new Array(C);
    const usedIds = new Set<string>();
    for (let c = 0; c < C; c++) {
      const { baseId } = clusters[c];
      let id = baseId;
      for (let n = 2; usedIds.has(id); n++) id = `${baseId}-${n}`;
      usedIds.add(id);
      ids[c] = id;
    }
    // Ranked over plain number arrays: the clusters' own properties are slower to read in a comparator.
    const mentionCounts = Int32Array.from(clusters, (x) => x.mentionCount);
    const documentCounts = Int32Array.from(clusters, (x) => x.documentCount);
    const byRank = Array.from({ length: C }, (_, c) => c).sort((a, b) =>
      mentionCounts[b] - mentionCounts[a] || documentCounts[b] - documentCounts[a] || (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0));
    const rankOf = new Int32Array(C);
    byRank.forEach((c, r) => (rankOf[c] = r));

    // Every member of a cluster, in document order and then position: its sources.
    const membersOf = (c: number) => {
      const list: number[] = [];
      for (const i of clusterNodes[c]) {
        const g = order[i];
        for (let m = memberStart[g]; m < memberStart[g + 1]; m++) list.push(m);
      }
      return list.sort((a, b) => memberDi[a] - memberDi[b] || memberPos[a] - memberPos[b]);
    };
    const localId = (di: number, k: number) => docEntries[di].localIds?.[k] ?? `e${k + 1}`;
    // A document's mentions of one entity: those of its local entities `ks`, by position.
    const runMentions = (di: number, ks: readonly number[]) => {
      const { groups: entryGroups, ends, spans } = docEntries[di];
      const list: { documentId: string; text: string; start: number; end: number }[] = [];
      for (const k of ks) {
        const texts = groups[entryGroups[k]].texts;
        for (let s = 3 * (k ? ends[k - 1] : 0); s < 3 * ends[k]; s += 3) list.push({ documentId: docIds[di], text: texts[spans[s]], start: spans[s + 1], end: spans[s + 2] });
      }
      return list.sort((a, b) => a.start - b.start || a.end - b.end);
    };
    // A document's part of its runs' digests (its id and analysis), hashed once: an entity in most documents has a run
    // in each, and a few such entities change with every new document.
    const docSeeds = new Int32Array(2 * docIds.length);
    const seeded = new Uint8Array(docIds.length);
    const runDigest = (di: number, ks: readonly number[]) => {
      if (!seeded[di]) {
        [docSeeds[2 * di], docSeeds[2 * di + 1]] = digestSeeds(`${docIds[di]}\0${docKeys[di]}`);
        seeded[di] = 1;
      }
      return digestOf(docSeeds[2 * di], docSeeds[2 * di + 1], ks);
    };
    // A cluster's members a document at a time, in document order: each document's local entities `ks` in it.
    const documentRuns = (c: number) => {
      const members = membersOf(c);
      const runs: { di: number; ks: number[] }[] = [];
      for (let at = 0; at < members.length; ) {
        const di = memberDi[members[at]];
        const ks: number[] = [];
        for (; at < members.length && memberDi[members[at]] === di; at++) ks.push(memberPos[members[at]]);
        runs.push({ di, ks });
      }
      return runs;
    };
    const runsOf = (c: number): MentionRun[] =>
      documentRuns(c).map(({ di, ks }) => ({ documentId: docIds[di], digest: runDigest(di, ks), mentions: () => runMentions(di, ks) }));
    const entities: CanonicalEntity[] = byRank.map((c) => {
      const { type, name, aliases, documentCount, mentionCount } = clusters[c];
      const entity = { id: ids[c], name, type, aliases, documentCount, mentionCount } as CanonicalEntity;
      // Every mention of a large corpus, as objects, would be most of the heap: the list is built each time it is read
      // (when entities.json is written, and then only for the elements that changed).
      Object.defineProperty(entity, 'mentions', {
        enumerable: true,
        get: () => documentRuns(c).flatMap(({ di, ks }) => runMentions(di, ks)),
      });
      return entity;
    });
    const refs: CanonicalRef[] = byRank.map((c) => ({ id: ids[c], name: clusters[c].name, type: clusters[c].type }));
    const rankOfGroup = (g: number) => rankOf[clusterOfNode[nodeOf[g]]];

    const docIndex = new Map(docIds.map((id, i) => [id, i]));
    const indexOf = (documentId: string) => {
      const di = docIndex.get(documentId);
      if (di === undefined) throw new Error(`unknown document ${documentId}`);
      return di;
    };
    const linksOf = (documentId: string) => Int32Array.from(docEntries[indexOf(documentId)].groups, rankOfGroup);
    let clusterById: Map<string, number> | null = null;

    return {
      entities,
      stats: { nodes: N, relinked: relink.length },
      resolve(documentId, id) {
        const entry = docEntries[indexOf(documentId)];
        const k = entry.localIds ? entry.localIds.indexOf(id) : /^e[1-9][0-9]*$/.test(id) ? Number(id.slice(1)) - 1 : -1;
        if (k < 0 || k >= entry.groups.length) throw new Error(`unknown entity ${id} of document ${documentId}`);
        return refs[rankOfGroup(entry.groups[k])];
      },
      resolveAll: (documentId) => Array.from(linksOf(documentId), (r) => refs[r]),
      linksOf,
      sources(canonicalId) {
        clusterById ??= new Map(ids.map((id, c) => [id, c]));
        const c = clusterById.get(canonicalId);
        if (c === undefined) return [];
        return membersOf(c).map((m) => ({ documentId: docIds[memberDi[m]], localId: localId(memberDi[m], memberPos[m]) }));
      },
      stamp: (entityIndex) => clusters[byRank[entityIndex]].stamp,
      mentionRuns: (entityIndex) => runsOf(byRank[entityIndex]),
      state: () => {
        // Only the groups and analyses in use are kept, the groups renumbered in node order.
        const renumber = new Int32Array(G).fill(-1);
        order.forEach((g, i) => (renumber[g] = i));
        const entries: [string, Entry][] = [];
        const seen = new Set<string>();
        docKeys.forEach((key, di) => {
          if (seen.has(key)) return;
          seen.add(key);
          const entry = docEntries[di];
          entries.push([key, { ...entry, groups: Int32Array.from(entry.groups, (g) => renumber[g]) }]);
        });
        const clusterMemory = new Map<number, ClusterMemory>();
        for (let c = 0; c < C; c++) clusterMemory.set(clusterRoots[c], clusters[c]);
        return packState(STATE_FORMAT, {
          groups: nodes,
          // Between nodes, which are the groups' new numbers.
          pairs: Int32Array.from(pairs),
          entries,
          memory: {
            docIds,
            docKeys,
            firstDoc: Int32Array.from(order, (g) => firstDi[g]),
            firstPos: Int32Array.from(order, (g) => firstPos[g]),
            component,
            componentSize,
            root,
            clusters: clusterMemory,
          },
        });
      },
    };
  }
}

/**
 * Keys two groups share when a rule relates them whatever else the corpus holds (see `componentsOf`): the same name key
 * (rule 1), the same untyped name (1b), the same parts, of which rules 2 and 5 look at the first group only, the same
 * lone name (3), the same acronym (4).
 */
function reachKeys(g: Group): string[] {
  const reach = [`N${g.nameKey}`];
  const untyped = g.parts.join(' ');
  if (untyped) reach.push(`U${untyped}`);
  if (hasVariants(g)) reach.push(`P${g.type}|${untyped}`);
  if (isLoneName(g)) reach.push(`L${g.parts[0]}`);
  if (ACRONYM.test(g.name)) reach.push(`A${g.name.replace(/\./g, '')}`);
  return reach;
}

/**
 * Reach keys of other groups this one may be joined to: the name keys of its forms (1; person surnames aside, as in the
 * rule) and the acronyms its name may be abbreviated to (4).
 */
function joinKeys(g: Group): string[] {
  const joins: string[] = [];
  for (const k of g.keys) if (formJoins(g, k)) joins.push(`N${k}`);
  if (isLongName(g)) for (const acr of initialisms(g.name)) joins.push(`A${acr}`);
  return joins;
}

/**
 * A key as a 32-bit number. Two keys with the same number join their groups' components for nothing, which costs a
 * little relinking and never a wrong link: components may only be coarser than the rules' reach.
 */
function keyHash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
const NO_KEYS = new Int32Array(0);

/** Two 32-bit FNV-1a hashes of a string, with different primes and seeds: the start of a 53-bit digest. */
function digestSeeds(key: string): [number, number] {
  let a = 0x811c9dc5, b = 0x9747b28c;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return [a, b];
}

/** The 53-bit digest of what `digestSeeds` started, followed by a list of small numbers (each ends with a separator). */
function digestOf(a: number, b: number, list: readonly number[]): number {
  for (const n of list) {
    a = Math.imul(a ^ (n + 1), 0x01000193);
    b = Math.imul(b ^ (n + 1), 0x5bd1e995);
    a = Math.imul(a ^ 0x2c, 0x01000193);
    b = Math.imul(b ^ 0x2c, 0x5bd1e995);
  }
  a ^= a >>> 16;
  a = Math.imul(a, 0x85ebca6b);
  a ^= a >>> 13;
  b ^= b >>> 15;
  b = Math.imul(b, 0xc2b2ae35);
  b ^= b >>> 16;
  return (a >>> 0) * 0x200000 + ((b >>> 0) & 0x1fffff);
}

/**
 * The components of the nodes (groups in order of first occurrence): nodes joined by a shared reach key, by a join key
 * that is another's reach key, or by one of the `pairs` found by comparing names (see `findPairs`). Every union the
 * rules make, and every node a rule consults to decide one, is within a component; each node's component is named by
 * its smallest node.
 */
function componentsOf(nodes: Group[], pairs: readonly number[]): Int32Array {
  const uf = new UnionFind(nodes.length);
  const first = new Map<number, number>();
  nodes.forEach((n, i) => {
    for (const key of n.reach) {
      const j = first.get(key);
      if (j === undefined) first.set(key, i);
      else uf.union(i, j);
    }
  });
  nodes.forEach((n, i) => {
    for (const key of n.joins) {
      const j = first.get(key);
      if (j !== undefined) uf.union(i, j);
    }
  });
  for (let p = 0; p < pairs.length; p += 2) uf.union(pairs[p], pairs[p + 1]);
  const component = new Int32Array(nodes.length);
  for (let i = 0; i < nodes.length; i++) component[i] = uf.find(i);
  return component;
}

/**
 * The pairs of nodes a rule could join by comparing their names, at least one of them new (`isNew`), appended to
 * `out`: variant spellings (rule 2), a lone name and a full name with that surname (3), a shortened name and a longer
 * one (5). Pairs of old nodes were found when the newer of them was new: a large corpus compares only its new names,
 * and only with the names they could be paired with.
 */
function findPairs(nodes: Group[], isNew: (i: number) => boolean, out: number[]): void {
  const fresh: number[] = [];
  for (let i = 0; i < nodes.length; i++) if (isNew(i)) fresh.push(i);
  if (!fresh.length) return;
  const wantBlocks = new Set<string>(), wantEnds = new Set<string>();
  let lonesAreNew = false, surnamesAreNew = false;
  for (const i of fresh) {
    const n = nodes[i];
    if (n.block !== null) wantBlocks.add(n.block);
    if (n.ends !== null) wantEnds.add(n.ends);
    lonesAreNew ||= isLoneName(n);
    surnamesAreNew ||= isFullName(n);
  }
  const blocks = new Map<string, number[]>();
  const byEnds = new Map<string, number[]>();
  const surnames = new Map<string, number[]>();
  const lone = new Map<string, number[]>();
  nodes.forEach((n, i) => {
    if (n.block !== null && wantBlocks.has(n.block)) push(blocks, n.block, i);
    if (n.ends !== null && wantEnds.has(n.ends)) push(byEnds, n.ends, i);
    if (isFullName(n) && (lonesAreNew || surnamesAreNew)) push(surnames, n.parts.at(-1)!, i);
    if (isLoneName(n) && (lonesAreNew || surnamesAreNew)) push(lone, n.parts[0], i);
  });
  for (const block of blocks.values()) forVariantPairs(nodes, block, (x, y) => (isNew(x) || isNew(y)) && out.push(x, y));
  // Lone names and surnames: each new lone name against every surname, each new surname against the old lone names.
  if (lonesAreNew) {
    const matchesOf = surnameMatcher(surnames.keys());
    for (const [name, named] of lone) {
      if (!named.some(isNew)) continue;
      const anchor = named[0];
      for (const surname of matchesOf(name)) for (const j of surnames.get(surname)!) out.push(anchor, j);
    }
  }
  if (surnamesAreNew) {
    const oldLone = new Map<string, number>();
    for (const [name, named] of lone) {
      const old = named.find((i) => !isNew(i));
      if (old !== undefined) oldLone.set(name, old);
    }
    // The relation is symmetric: the old lone names a surname may stand for are those that may stand for it.
    const loneMatcher = surnameMatcher(oldLone.keys());
    for (const [surname, list] of surnames) {
      if (!list.some(isNew)) continue;
      for (const name of loneMatcher(surname)) for (const j of list) if (isNew(j)) out.push(oldLone.get(name)!, j);
    }
  }
  // Shortened and longer names with the same type and first and last words; a pair of two new nodes is taken from
  // the later one's side.
  const counts = (i: number, j: number) => !isNew(j) || j < i;
  for (const list of byEnds.values()) {
    if (list.length < 2) continue;
    for (const x of list) {
      if (!isNew(x)) continue;
      for (const y of list) {
        if (y === x || !counts(x, y)) continue;
        const a = nodes[x].parts, b = nodes[y].parts;
        if ((b.length > a.length && isSubsequence(a, b)) || (a.length > b.length && isSubsequence(b, a))) out.push(x, y);
      }
    }
  }
}

// Transliterations keep the first two letters of a surname or place name ("Lugansk"/"Luhansk"), and the initial of a
// given name ("Kassym"/"Kassim", "Sergey"/"Sergei"): variant spellings are looked for within these blocks only.
const blockKey = (g: Group) => `${g.type}|${g.parts.length}|${g.parts.length > 1 ? g.parts[0][0] : ''}|${g.parts.at(-1)!.slice(0, 2)}`;
const ends = (g: Group) => `${g.type}|${g.parts[0]}|${g.parts.at(-1)}`;

/**
 * Calls `each` for every pair of a block's nodes that are the same name spelt differently (see `sameName`), the nodes
 * ordered by the length of their last part, then by index. Only parts within two letters of each other's length, and
 * within twice the allowed edits in the letters they use, can match.
 */
function forVariantPairs(nodes: Group[], block: number[], each: (x: number, y: number) => void): void {
  if (block.length < 2) return;
  const lastLen = (i: number) => nodes[i].parts.at(-1)!.length;
  block.sort((x, y) => lastLen(x) - lastLen(y) || x - y);
  const lens = block.map(lastLen);
  const letters = block.map((i) => letterSet(nodes[i].parts.at(-1)!));
  for (let x = 0; x < block.length; x++) {
    for (let y = x + 1; y < block.length && lens[y] - lens[x] <= 2; y++) {
      if (bitCount(letters[x] ^ letters[y]) > 2 * MAX_PART_EDITS) continue;
      const a = nodes[block[x]], b = nodes[block[y]];
      if (sameName(a.parts, b.parts, a.type)) each(block[x], block[y]);
    }
  }
}

/**
 * The rules, as unions over the nodes (groups in order of first occurrence). A function of its own: the look-up tables
 * they build must not outlive it (closures returned from the same function would keep them all alive, since V8 gives a
 * function's closures one shared context).
 */
function applyRules(nodes: Group[], uf: UnionFind): void {

  // 1. The same name, or a surface form that is another entity's name ("CSTO" named alone in one document,
  //    a mention of the Collective Security Treaty Organization in another). Two entities that merely share
  //    a mention ("CPC" of two different expansions) are not merged by it. Person surnames are left out: a
  //    bare "Smith" must not glue two Smiths together.
  const byName = new Map<string, number>();
  nodes.forEach((n, i) => {
    const j = byName.get(n.nameKey);
    if (j === undefined) byName.set(n.nameKey, i);
    else uf.union(i, j);
  });
  nodes.forEach((n, i) => {
    for (const k of n.keys) {
      if (!formJoins(n, k)) continue;
      const j = byName.get(k);
      if (j !== undefined) uf.union(i, j);
    }
  });

  // 1b. The same name typed differently in two documents is still one thing (heuristic types disagree more
  //     often than two different things share a name); its type is voted below.
  const byUntypedName = new Map<string, number>();
  nodes.forEach((n, i) => {
    const k = n.parts.join(' ');
    if (!k) return;
    const j = byUntypedName.get(k);
    if (j === undefined) byUntypedName.set(k, i);
    else if (nodes[j].type !== n.type) uf.union(i, j);
  });

  // 2. Variant spellings of multi-part names and of long single names. Compared once per distinct name,
  //    within blocks of the same type, part count and surname initial, so a large corpus stays near-linear.
  //    The pairs are then joined in an order of their own nodes (last part's length, then index, of each side):
  //    a join depends on the joins before it, which must not depend on the rest of the corpus.
  const distinct = new Map<string, number>();
  nodes.forEach((n, i) => {
    if (!hasVariants(n)) return;
    const k = `${n.type}|${n.parts.join(' ')}`;
    if (!distinct.has(k)) distinct.set(k, i);
  });
  const blocks = new Map<string, number[]>();
  for (const i of distinct.values()) push(blocks, blockKey(nodes[i]), i);
  const pairs: [number, number][] = [];
  for (const block of blocks.values()) forVariantPairs(nodes, block, (x, y) => pairs.push([x, y]));
  const lastLen = (i: number) => nodes[i].parts.at(-1)!.length;
  pairs.sort(([a, b], [c, d]) => lastLen(a) - lastLen(c) || a - c || lastLen(b) - lastLen(d) || b - d);
  for (const [x, y] of pairs) {
    const ra = uf.find(x), rb = uf.find(y);
    if (ra === rb) continue;
    // Also close to the first name of each side's group, so near-misses cannot chain into one blob.
    const pa = nodes[ra].parts, pb = nodes[rb].parts;
    if (pa.length === pb.length && !sameName(pa, pb, nodes[x].type)) continue;
    uf.union(ra, rb);
  }

  // 3. A document that names someone only by surname ("Nazarbayev") joins the one full-named person with
  //    that surname; when several people share it, it stays apart.
  const fullPeople = new Map<string, Set<number>>();
  nodes.forEach((n, i) => {
    if (!isFullName(n)) return;
    const surname = n.parts.at(-1)!;
    let set = fullPeople.get(surname);
    if (!set) fullPeople.set(surname, (set = new Set()));
    set.add(i);
  });
  const matchesOf = surnameMatcher(fullPeople.keys());
  // Joining lone names never merges two full-named groups, so the group a lone name belongs to (or that it is
  // ambiguous) is the same for every occurrence: decided once per distinct lone name.
  const loneTarget = new Map<string, number | null>();
  nodes.forEach((n, i) => {
    if (!isLoneName(n)) return;
    let target = loneTarget.get(n.parts[0]);
    if (target === undefined) {
      const candidates = new Set<number>();
      for (const surname of matchesOf(n.parts[0])) for (const r of fullPeople.get(surname)!) candidates.add(uf.find(r));
      target = candidates.size === 1 ? [...candidates][0] : null;
      loneTarget.set(n.parts[0], target);
    }
    if (target !== null) uf.union(i, target);
  });
  // Lone surnames seen in several documents with no full name anywhere are the same person.
  const loneSurnames = new Map<string, number>();
  nodes.forEach((n, i) => {
    if (!isLoneName(n) || uf.find(i) !== i) return;
    const j = loneSurnames.get(n.parts[0]);
    if (j === undefined) loneSurnames.set(n.parts[0], i);
    else if (!fullPeople.has(n.parts[0])) uf.union(i, j);
  });

  // 4. Acronyms used alone in one document, expanded in another ("CPC" ↔ "Caspian Pipeline Consortium").
  const expansions = new Map<string, Set<number>>();
  nodes.forEach((n, i) => {
    if (!isLongName(n)) return;
    for (const acr of initialisms(n.name)) {
      const s = expansions.get(acr) ?? new Set();
      s.add(uf.find(i));
      expansions.set(acr, s);
    }
  });
  nodes.forEach((n, i) => {
    if (!ACRONYM.test(n.name)) return;
    const roots = new Set([...(expansions.get(n.name.replace(/\./g, '')) ?? [])].map((r) => uf.find(r)));
    const same = [...roots].filter((r) => nodes[r].type === n.type);
    if (same.length === 1) uf.union(i, same[0]);
  });

  // 5. A shortened institutional name ("St. Petersburg Forum") joins the one longer name it abbreviates
  //    ("St. Petersburg International Economic Forum"): same first and last word, words in order.
  const longNames = new Map<string, number[]>();
  for (const i of distinct.values()) if (isLongName(nodes[i]) && nodes[i].parts.length >= 3) push(longNames, ends(nodes[i]), i);
  nodes.forEach((n, i) => {
    if (!isLongName(n)) return;
    const roots = new Set<number>();
    for (const j of longNames.get(ends(n)) ?? []) {
      if (nodes[j].parts.length > n.parts.length && isSubsequence(n.parts, nodes[j].parts)) roots.add(uf.find(j));
    }
    if (roots.size === 1) uf.union(i, [...roots][0]);
  });

}

/** The alias table's name if it has one, else the most complete form, then the most frequent, then the first. */
function canonicalName(groups: Group[], weights: number[]): string {
  for (const g of groups) if (g.aliasName !== null) return g.aliasName;
  const counts = new Map<string, number>();
  groups.forEach((g, i) => counts.set(g.name, (counts.get(g.name) ?? 0) + weights[i]));
  const isAcr = (s: string) => /^[A-Z0-9.&-]+$/.test(s);
  return [...counts]
    .sort((a, b) =>
      Number(isAcr(a[0])) - Number(isAcr(b[0])) ||
      b[0].split(/\s+/).length - a[0].split(/\s+/).length ||
      b[1] - a[1] ||
      b[0].length - a[0].length ||
      (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))[0][0];
}

function sameForms(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function isSubsequence(short: string[], long: string[]): boolean {
  let k = 0;
  for (const p of long) if (p === short[k]) k++;
  return k === short.length;
}
