import type { CanonicalEntity, DocumentEntity, EntityType } from '@corpus/schema';
import { distance } from 'fastest-levenshtein';
import { type AliasTable, buildAliasIndex } from './aliases.js';

export { AliasTable } from './aliases.js';
import { foldName, initialisms, nameParts } from './fold.js';

/**
 * A document-local entity as linking needs it: its distinct surface forms once (sorted), and each mention as three
 * numbers (form index, start, end) in one flat array. It carries what a `DocumentEntity` does, in a tenth of the
 * objects: a large corpus keeps every document's entities in memory while it links them.
 */
export interface LinkEntity {
  id: string;
  name: string;
  type: EntityType;
  forms: string[];
  spans: number[];
}

export interface CorpusEntityInput {
  documentId: string;
  entities: readonly (DocumentEntity | LinkEntity)[];
}

/** The compact form of a document-local entity (see `LinkEntity`). */
export function toLinkEntity(e: DocumentEntity): LinkEntity {
  const forms = distinctTexts(e);
  const spans = new Array<number>(e.mentions.length * 3);
  e.mentions.forEach((m, i) => {
    spans[3 * i] = forms.length === 1 ? 0 : forms.indexOf(m.text);
    spans[3 * i + 1] = m.start;
    spans[3 * i + 2] = m.end;
  });
  return { id: e.id, name: e.name, type: e.type, forms, spans };
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
 * Document-local entities that are identical for linking purposes (same type, name and surface forms), gathered as
 * analyses are added, in any order, with what the rules below need of them (computed once per group). Members are
 * (entry, position in the entry's entities) pairs; an entry is one analysis, which several documents may share.
 */
interface Group {
  entity: LinkEntity;
  memberEntries: number[];
  memberPositions: number[];
  texts: string[];
  parts: string[];
  keys: Set<string>;
  nameKey: string;
  /** The alias table's name for the entity's name, if it has one. */
  aliasName: string | null;
}

/**
 * Document-local entities that are identical for linking purposes (same type, name and surface forms) share one node:
 * every rule below decides them alike, and a large corpus repeats the same few thousand entities in every document.
 * `entity` is the first member's, standing for all of them. Members are kept as parallel arrays (document index,
 * entity): a corpus has hundreds of thousands of them.
 */
interface Node {
  entity: LinkEntity;
  memberDocs: number[];
  /** Each member's position among its document's entities. */
  memberPositions: number[];
  memberEntities: LinkEntity[];
  /** Mentions of all members. */
  mentionCount: number;
  /** How strongly the members vote for their name as the canonical one (see `canonicalName`). */
  nameWeight: number;
  /** The distinct surface forms, sorted. */
  texts: string[];
  parts: string[];
  keys: Set<string>;
  nameKey: string;
  aliasName: string | null;
}

const CORPORATE_PART = /^(?:inc|corp|co|cos|ltd|plc|ag|sa|nv|spa|llc|gmbh|group|holdings|bhd|ab|asa|oyj|se)$/;

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

class UnionFind {
  private readonly parent: number[] = [];
  add(): number {
    this.parent.push(this.parent.length);
    return this.parent.length - 1;
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
export function canonicalizeCorpus(docs: readonly CorpusEntityInput[], options: CanonicalizeOptions = {}): CorpusEntities {
  const linker = new CorpusLinker(options);
  for (const d of docs) linker.add(d.documentId, d.entities);
  return linker.link(docs.map((d) => ({ documentId: d.documentId, key: d.documentId })));
}

/**
 * Entity linking in two steps. `add` takes each analysis's entities, in any order and as soon as they are at hand
 * (a build adds its cached analyses while new documents are still being analysed); `link` then links the documents
 * of the corpus. The result is exactly `canonicalizeCorpus`'s over the same documents, whatever the order of `add`:
 * what depends on order is done in `link`, in document order.
 */
export class CorpusLinker {
  private readonly aliases: ReturnType<typeof buildAliasIndex>;
  private readonly groups: Group[] = [];
  private readonly sameNamed = new Map<string, Group[]>();
  private readonly entries = new Map<string, number>();
  private readonly entryEntities: LinkEntity[][] = [];
  private linked = false;

  constructor(options: CanonicalizeOptions = {}) {
    this.aliases = buildAliasIndex(options.aliases, options.defaultAliases !== false);
  }

  /** Whether an analysis was added under `key`. */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** The entities added under `key`, in compact form. */
  entitiesOf(key: string): readonly LinkEntity[] | undefined {
    const entry = this.entries.get(key);
    return entry === undefined ? undefined : this.entryEntities[entry];
  }

  /** Adds one analysis's entities under a key (the same key twice is the same analysis: added once). */
  add(key: string, entities: readonly (DocumentEntity | LinkEntity)[]): void {
    if (this.linked) throw new Error('CorpusLinker: add() after link()');
    if (this.entries.has(key)) return;
    const entry = this.entryEntities.length;
    const list = entities.map((e) => ('forms' in e ? e : toLinkEntity(e)));
    this.entries.set(key, entry);
    this.entryEntities.push(list);
    const aliases = this.aliases;
    for (let position = 0; position < list.length; position++) {
      const e = list[position];
      const texts = e.forms;
      // Looked up by name, then compared: building a signature string per entity was most of the time here.
      let withName = this.sameNamed.get(e.name);
      if (!withName) this.sameNamed.set(e.name, (withName = []));
      const same = withName.find((g) => g.entity.type === e.type && sameForms(g.texts, texts));
      if (same) {
        same.memberEntries.push(entry);
        same.memberPositions.push(position);
        // Equal values, one copy: a large corpus repeats the same names in thousands of documents.
        e.name = same.entity.name;
        e.forms = same.texts;
        continue;
      }
      const keys = new Set<string>();
      const canon = aliases.lookup(e.name);
      keys.add(`${e.type}|${foldName(canon?.name ?? e.name)}`);
      for (const text of texts) {
        const hit = aliases.lookup(text);
        keys.add(`${e.type}|${foldName(hit?.name ?? text)}`);
      }
      const parts = nameParts(canon?.name ?? e.name);
      // "Chrysler Corp" in one document is "Chrysler" in another.
      if (e.type === 'organization' && parts.length >= 2 && CORPORATE_PART.test(parts.at(-1)!)) keys.add(`${e.type}|${parts.slice(0, -1).join(' ')}`);
      const group: Group = { entity: e, memberEntries: [entry], memberPositions: [position], texts, parts, keys, nameKey: `${e.type}|${foldName(canon?.name ?? e.name)}`, aliasName: canon?.name ?? null };
      withName.push(group);
      this.groups.push(group);
    }
  }

  /** Links the corpus's documents, each named by its id and the key its analysis was added under. Once only. */
  link(docs: readonly { documentId: string; key: string }[]): CorpusEntities {
    if (this.linked) throw new Error('CorpusLinker: link() runs once');
    this.linked = true;
    const sorted = [...docs].sort((a, b) => (a.documentId < b.documentId ? -1 : a.documentId > b.documentId ? 1 : 0));
    // The documents of each entry, in document order.
    const docsOfEntry: number[][] = this.entryEntities.map(() => []);
    const docEntities = sorted.map((d, di) => {
      const entry = this.entries.get(d.key);
      if (entry === undefined) throw new Error(`no entities were added for ${d.documentId} (key ${d.key})`);
      docsOfEntry[entry].push(di);
      return this.entryEntities[entry];
    });
    // One node per group that occurs in the corpus, with its members in document order and the nodes in the order of
    // their first member: the order the rules below see them in, whatever order the analyses were added in.
    const nodes: Node[] = [];
    const first: number[] = [];
    // A member as one number, document index then position: sorted as numbers, no comparator and no pair objects.
    const SHIFT = 2 ** 21;
    let keys: number[] = [];
    for (const g of this.groups) {
      keys.length = 0;
      for (let k = 0; k < g.memberEntries.length; k++) {
        for (const di of docsOfEntry[g.memberEntries[k]]) keys.push(di * SHIFT + g.memberPositions[k]);
      }
      if (!keys.length) continue;
      const sortedKeys = keys.length === 1 ? keys : Float64Array.from(keys).sort();
      const node: Node = { entity: g.entity, memberDocs: [], memberPositions: [], memberEntities: [], mentionCount: 0, nameWeight: 0, texts: g.texts, parts: g.parts, keys: g.keys, nameKey: g.nameKey, aliasName: g.aliasName };
      for (let x = 0; x < sortedKeys.length; x++) {
        const di = Math.floor(sortedKeys[x] / SHIFT), position = sortedKeys[x] % SHIFT;
        const e = docEntities[di][position];
        node.memberDocs.push(di);
        node.memberPositions.push(position);
        node.memberEntities.push(e);
        node.mentionCount += e.spans.length / 3;
        node.nameWeight += nameWeight(e);
      }
      first.push(sortedKeys[0]);
      nodes.push(node);
    }
    keys = [];
    const order = nodes.map((_, i) => i).sort((a, b) => first[a] - first[b]);
    // Linking is done once: what only `add` needs goes now, before the result is used (and its memory is at its peak).
    this.groups.length = 0;
    this.sameNamed.clear();
    return linkNodes(order.map((i) => nodes[i]), docEntities, sorted.map((d) => d.documentId));
  }
}

/** The linking rules, over nodes in document order (see `CorpusLinker.link`). */
function linkNodes(nodes: Node[], docEntities: LinkEntity[][], documentIds: string[]): CorpusEntities {
  const uf = new UnionFind();
  for (let i = 0; i < nodes.length; i++) uf.add();
  applyRules(nodes, uf);
  return canonicalEntities(nodes, uf, docEntities, documentIds);
}

/**
 * The rules, as unions over the nodes. A function of its own: the look-up tables they build must not outlive it
 * (closures returned from the same function would keep them all alive, since V8 gives a function's closures one
 * shared context).
 */
function applyRules(nodes: Node[], uf: UnionFind): void {

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
      if (n.entity.type === 'person' && !k.slice(k.indexOf('|') + 1).includes(' ')) continue;
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
    else if (nodes[j].entity.type !== n.entity.type) uf.union(i, j);
  });

  // 2. Variant spellings of multi-part names and of long single names. Compared once per distinct name,
  //    within blocks of the same type, part count and surname initial, so a large corpus stays near-linear.
  const distinct = new Map<string, number>();
  nodes.forEach((n, i) => {
    if (!n.parts.length || (n.entity.type === 'person' && n.parts.length === 1)) return;
    const k = `${n.entity.type}|${n.parts.join(' ')}`;
    if (!distinct.has(k)) distinct.set(k, i);
  });
  const blocks = new Map<string, number[]>();
  for (const i of distinct.values()) {
    const n = nodes[i];
    // Transliterations keep the first two letters of a surname or place name ("Lugansk"/"Luhansk"), and the
    // initial of a given name ("Kassym"/"Kassim", "Sergey"/"Sergei"): blocks stay small on a large corpus.
    const given = n.parts.length > 1 ? n.parts[0][0] : '';
    push(blocks, `${n.entity.type}|${n.parts.length}|${given}|${n.parts.at(-1)!.slice(0, 2)}`, i);
  }
  const lastLens = new Int32Array(nodes.length);
  const lastLetters = new Int32Array(nodes.length);
  for (const i of distinct.values()) {
    const last = nodes[i].parts.at(-1)!;
    lastLens[i] = last.length;
    lastLetters[i] = letterSet(last);
  }
  const lastLen = (i: number) => lastLens[i];
  for (const block of blocks.values()) {
    block.sort((x, y) => lastLen(x) - lastLen(y) || x - y);
    for (let x = 0; x < block.length; x++) {
      for (let y = x + 1; y < block.length && lastLen(block[y]) - lastLen(block[x]) <= 2; y++) {
        // Either way the last parts must match closely (see sameName): at most two edits, four letters of difference.
        if (bitCount(lastLetters[block[x]] ^ lastLetters[block[y]]) > 2 * MAX_PART_EDITS) continue;
        const a = nodes[block[x]], b = nodes[block[y]];
        const ra = uf.find(block[x]), rb = uf.find(block[y]);
        if (ra === rb || !sameName(a.parts, b.parts, a.entity.type)) continue;
        // Also close to the first name of each side's group, so near-misses cannot chain into one blob.
        const pa = nodes[ra].parts, pb = nodes[rb].parts;
        if (pa.length === pb.length && !sameName(pa, pb, a.entity.type)) continue;
        uf.union(ra, rb);
      }
    }
  }

  // 3. A document that names someone only by surname ("Nazarbayev") joins the one full-named person with
  //    that surname; when several people share it, it stays apart.
  const fullPeople = new Map<string, Set<number>>();
  // Surnames by initial and length: a lone name is compared only with those within two letters of its length.
  const surnamesByShape = new Map<string, { surname: string; letters: number }[]>();
  nodes.forEach((n, i) => {
    if (n.entity.type !== 'person' || n.parts.length < 2) return;
    const surname = n.parts.at(-1)!;
    let set = fullPeople.get(surname);
    if (!set) {
      fullPeople.set(surname, (set = new Set()));
      if (surname.length >= MIN_VARIANT_PART) push(surnamesByShape, `${surname[0]}|${surname.length}`, { surname, letters: letterSet(surname) });
    }
    set.add(i);
  });
  // The same lone name recurs in many documents; its matching surnames are found once.
  const surnameMatches = new Map<string, string[]>();
  const matchesOf = (lone: string) => {
    let matches = surnameMatches.get(lone);
    if (!matches) {
      matches = fullPeople.has(lone) ? [lone] : [];
      const letters = letterSet(lone);
      if (lone.length >= MIN_VARIANT_PART) for (let len = lone.length - 2; len <= lone.length + 2; len++) {
        for (const s of surnamesByShape.get(`${lone[0]}|${len}`) ?? []) {
          if (s.surname !== lone && bitCount(s.letters ^ letters) <= 2 * MAX_PART_EDITS && samePart(s.surname, lone, false)) matches.push(s.surname);
        }
      }
      surnameMatches.set(lone, matches);
    }
    return matches;
  };
  // Joining lone names never merges two full-named groups, so the group a lone name belongs to (or that it is
  // ambiguous) is the same for every occurrence: decided once per distinct lone name.
  const loneTarget = new Map<string, number | null>();
  nodes.forEach((n, i) => {
    if (n.entity.type !== 'person' || n.parts.length !== 1) return;
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
    if (n.entity.type !== 'person' || n.parts.length !== 1 || uf.find(i) !== i) return;
    const j = loneSurnames.get(n.parts[0]);
    if (j === undefined) loneSurnames.set(n.parts[0], i);
    else if (!fullPeople.has(n.parts[0])) uf.union(i, j);
  });

  // 4. Acronyms used alone in one document, expanded in another ("CPC" ↔ "Caspian Pipeline Consortium").
  const expansions = new Map<string, Set<number>>();
  nodes.forEach((n, i) => {
    if (n.entity.type === 'person' || n.parts.length < 2) return;
    for (const acr of initialisms(n.entity.name)) {
      const s = expansions.get(acr) ?? new Set();
      s.add(uf.find(i));
      expansions.set(acr, s);
    }
  });
  nodes.forEach((n, i) => {
    if (!/^[A-Z0-9.&-]{2,8}$/.test(n.entity.name)) return;
    const roots = new Set([...(expansions.get(n.entity.name.replace(/\./g, '')) ?? [])].map((r) => uf.find(r)));
    const same = [...roots].filter((r) => nodes[r].entity.type === n.entity.type);
    if (same.length === 1) uf.union(i, same[0]);
  });

  // 5. A shortened institutional name ("St. Petersburg Forum") joins the one longer name it abbreviates
  //    ("St. Petersburg International Economic Forum"): same first and last word, words in order.
  const ends = (n: Node) => `${n.entity.type}|${n.parts[0]}|${n.parts.at(-1)}`;
  const longNames = new Map<string, number[]>();
  for (const i of distinct.values()) if (nodes[i].entity.type !== 'person' && nodes[i].parts.length >= 3) push(longNames, ends(nodes[i]), i);
  nodes.forEach((n, i) => {
    if (n.entity.type === 'person' || n.parts.length < 2) return;
    const roots = new Set<number>();
    for (const j of longNames.get(ends(n)) ?? []) {
      if (nodes[j].parts.length > n.parts.length && isSubsequence(n.parts, nodes[j].parts)) roots.add(uf.find(j));
    }
    if (roots.size === 1) uf.union(i, [...roots][0]);
  });

}

/** The canonical entities of the clusters, and the look-ups from document-local entities to them. */
function canonicalEntities(nodes: Node[], uf: UnionFind, docEntities: LinkEntity[][], documentIds: string[]): CorpusEntities {
  const clusters = new Map<number, number[]>();
  nodes.forEach((_, i) => push(clusters, uf.find(i), i));
  // The canonical entity of every document-local entity, by document index and position in the document.
  const resolved: CanonicalRef[][] = docEntities.map((list) => new Array<CanonicalRef>(list.length));
  const out: CanonicalEntity[] = [];
  const usedIds = new Set<string>();
  const sources = new Map<string, Node[]>();
  // Which cluster last counted a document: distinct documents per cluster without a set per cluster.
  const countedBy = new Int32Array(documentIds.length).fill(-1);
  const roots = [...clusters.keys()].sort((a, b) => a - b);
  for (const r of roots) {
    const cluster = clusters.get(r)!.map((i) => nodes[i]);
    // Most clusters are one node: its type and name need no vote.
    let type = cluster[0].entity.type;
    if (cluster.length > 1) {
      const typeVotes = new Map<EntityType, number>();
      for (const n of cluster) typeVotes.set(n.entity.type, (typeVotes.get(n.entity.type) ?? 0) + n.mentionCount);
      if (typeVotes.size > 1) type = [...typeVotes].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0];
    }
    const name = cluster.length === 1 ? (cluster[0].aliasName ?? cluster[0].entity.name) : canonicalName(cluster);
    let id = `${TYPE_PREFIX[type]}-${slug(name)}`;
    for (let n = 2; usedIds.has(id); n++) id = `${TYPE_PREFIX[type]}-${slug(name)}-${n}`;
    usedIds.add(id);
    // Every mention of a large corpus, as objects, would be most of the heap. Counts are taken here; the list itself
    // is built each time it is read (when entities.json is written), so it never has to be held all at once.
    const aliasSet = new Set<string>();
    let mentionCount = 0;
    let documentCount = 0;
    const canonical: CanonicalRef = { id, name, type };
    for (const n of cluster) {
      if (cluster.length > 1) for (const text of n.texts) aliasSet.add(text);
      mentionCount += n.mentionCount;
      for (let k = 0; k < n.memberDocs.length; k++) {
        const di = n.memberDocs[k];
        if (countedBy[di] !== r) {
          countedBy[di] = r;
          documentCount++;
        }
        resolved[di][n.memberPositions[k]] = canonical;
      }
    }
    // One node's forms are already distinct and sorted.
    const aliases = cluster.length === 1 ? cluster[0].texts.slice() : [...aliasSet].sort();
    const entity = { id, name, type, aliases, documentCount, mentionCount } as CanonicalEntity;
    Object.defineProperty(entity, 'mentions', {
      enumerable: true,
      get: () => {
        const list: { documentId: string; text: string; start: number; end: number; di: number }[] = [];
        for (const n of cluster) {
          for (let k = 0; k < n.memberDocs.length; k++) {
            const di = n.memberDocs[k], e = n.memberEntities[k];
            for (let s = 0; s < e.spans.length; s += 3) list.push({ documentId: documentIds[di], text: e.forms[e.spans[s]], start: e.spans[s + 1], end: e.spans[s + 2], di });
          }
        }
        list.sort((a, b) => a.di - b.di || a.start - b.start || a.end - b.end);
        return list.map(({ documentId, text, start, end }) => ({ documentId, text, start, end }));
      },
    });
    out.push(entity);
    sources.set(id, cluster);
  }
  // Sorted by index over plain number arrays: the entities' own properties are slower to read in a comparator.
  const mentions = out.map((e) => e.mentionCount), docs = out.map((e) => e.documentCount), ids = out.map((e) => e.id);
  const byRank = out.map((_, i) => i).sort((a, b) => mentions[b] - mentions[a] || docs[b] - docs[a] || (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0));
  const ranked = byRank.map((i) => out[i]);
  const docIndex = new Map(documentIds.map((id, i) => [id, i]));
  const resolvedOf = (documentId: string) => {
    const di = docIndex.get(documentId);
    if (di === undefined) throw new Error(`unknown document ${documentId}`);
    return di;
  };
  return {
    entities: ranked,
    resolve(documentId, localId) {
      const di = resolvedOf(documentId);
      const k = docEntities[di].findIndex((e) => e.id === localId);
      if (k < 0) throw new Error(`unknown entity ${localId} of document ${documentId}`);
      return resolved[di][k];
    },
    resolveAll(documentId) {
      return resolved[resolvedOf(documentId)];
    },
    sources(canonicalId) {
      const list: { documentId: string; localId: string; di: number; k: number }[] = [];
      for (const n of sources.get(canonicalId) ?? []) {
        for (let k = 0; k < n.memberDocs.length; k++) {
          const di = n.memberDocs[k];
          list.push({ documentId: documentIds[di], localId: n.memberEntities[k].id, di, k: n.memberPositions[k] });
        }
      }
      list.sort((a, b) => a.di - b.di || a.k - b.k);
      return list.map(({ documentId, localId }) => ({ documentId, localId }));
    },
  };
}

/** The alias table's name if it has one, else the most complete form, then the most frequent, then the first. */
function canonicalName(nodes: Node[]): string {
  for (const n of nodes) if (n.aliasName !== null) return n.aliasName;
  const counts = new Map<string, number>();
  for (const n of nodes) counts.set(n.entity.name, (counts.get(n.entity.name) ?? 0) + n.nameWeight);
  const isAcr = (s: string) => /^[A-Z0-9.&-]+$/.test(s);
  return [...counts]
    .sort((a, b) =>
      Number(isAcr(a[0])) - Number(isAcr(b[0])) ||
      b[0].split(/\s+/).length - a[0].split(/\s+/).length ||
      b[1] - a[1] ||
      b[0].length - a[0].length ||
      (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))[0][0];
}

/** A document's vote for its entity's name: one for using it, plus one per mention written exactly so. */
function nameWeight(e: LinkEntity): number {
  const form = e.forms.indexOf(e.name);
  let n = 1;
  if (form >= 0) for (let s = 0; s < e.spans.length; s += 3) if (e.spans[s] === form) n++;
  return n;
}

/** The distinct surface forms of an entity, sorted (most entities are named one way, often only once). */
function distinctTexts(e: DocumentEntity): string[] {
  if (e.mentions.length === 1) return [e.mentions[0].text];
  const texts: string[] = [];
  for (const m of e.mentions) if (!texts.includes(m.text)) texts.push(m.text);
  return texts.length > 1 ? texts.sort() : texts;
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
