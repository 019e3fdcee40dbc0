import type { EntityType } from '@corpus/schema';

/**
 * The linker's state, packed for storage: columns of numbers in typed arrays and columns of strings as JSON, rather
 * than tens of thousands of small objects. Structured cloning (`v8.serialize`) copies a typed array or a string in
 * one go but walks an object graph field by field, so a packed state of a large corpus is read and written in a
 * fraction of the time, and leaves far less for the garbage collector.
 */
export interface PackedLinkState {
  format: number;
  groups: {
    /** JSON arrays, one value per group. */
    names: string;
    types: string;
    nameKeys: string;
    aliasNames: string;
    blocks: string;
    ends: string;
    nameForms: Int32Array;
    /** Each group's texts, parts, keys, reach and join keys: one flat column each, and where each group's start. */
    texts: Packed<string>;
    parts: Packed<string>;
    keys: Packed<string>;
    reach: Packed<number>;
    joins: Packed<number>;
  };
  pairs: Int32Array;
  entries: {
    keys: string;
    localIds: string;
    groups: Packed<number>;
    ends: Packed<number>;
    spans: Packed<number>;
  };
  memory: {
    docIds: string;
    docKeys: string;
    firstDoc: Int32Array;
    firstPos: Int32Array;
    component: Int32Array;
    componentSize: Int32Array;
    root: Int32Array;
    clusters: {
      roots: Int32Array;
      types: string;
      names: string;
      stamps: string;
      baseIds: string;
      documentCounts: Int32Array;
      mentionCounts: Int32Array;
      aliases: Packed<string>;
    };
  };
}

/** Lists of values in one flat column: list i is `values[starts[i] .. starts[i + 1])`. */
interface Packed<T> {
  starts: Int32Array;
  values: T extends number ? Int32Array : string;
}

export interface GroupFields {
  name: string;
  type: EntityType;
  texts: string[];
  parts: string[];
  keys: string[];
  nameKey: string;
  aliasName: string | null;
  nameForm: number;
  reach: Int32Array;
  joins: Int32Array;
  block: string | null;
  ends: string | null;
}

export interface EntryFields {
  groups: Int32Array;
  ends: Int32Array;
  spans: Int32Array;
  localIds: string[] | null;
}

export interface ClusterFields {
  type: EntityType;
  name: string;
  aliases: string[];
  documentCount: number;
  mentionCount: number;
  stamp: string;
  baseId: string;
}

export interface MemoryFields {
  docIds: string[];
  docKeys: string[];
  firstDoc: Int32Array;
  firstPos: Int32Array;
  component: Int32Array;
  componentSize: Int32Array;
  root: Int32Array;
  clusters: Map<number, ClusterFields>;
}

export interface UnpackedState {
  groups: GroupFields[];
  pairs: Int32Array;
  entries: [string, EntryFields][];
  memory: MemoryFields;
}

function packStrings<T>(lists: readonly T[], of: (item: T) => readonly string[]): Packed<string> {
  const starts = new Int32Array(lists.length + 1);
  const values: string[] = [];
  lists.forEach((item, i) => {
    for (const v of of(item)) values.push(v);
    starts[i + 1] = values.length;
  });
  return { starts, values: JSON.stringify(values) };
}

function packNumbers<T>(lists: readonly T[], of: (item: T) => ArrayLike<number>): Packed<number> {
  const starts = new Int32Array(lists.length + 1);
  lists.forEach((item, i) => (starts[i + 1] = starts[i] + of(item).length));
  const values = new Int32Array(starts[lists.length]);
  lists.forEach((item, i) => values.set(of(item), starts[i]));
  return { starts, values } as Packed<number>;
}

/** The i-th list of a packed string column, the column parsed once. */
function stringLists(packed: Packed<string>): (i: number) => string[] {
  const values = JSON.parse(packed.values) as string[];
  return (i) => values.slice(packed.starts[i], packed.starts[i + 1]);
}

/** The i-th list of a packed number column, as a view (no copy). */
const numberLists = (packed: Packed<number>) => (i: number) => (packed.values as Int32Array).subarray(packed.starts[i], packed.starts[i + 1]);

export function packState(format: number, state: UnpackedState): PackedLinkState {
  const { groups, entries, memory } = state;
  const column = <T>(items: readonly T[], of: (item: T) => unknown) => JSON.stringify(items.map(of));
  const clusters = [...memory.clusters];
  return {
    format,
    groups: {
      names: column(groups, (g) => g.name),
      types: column(groups, (g) => g.type),
      nameKeys: column(groups, (g) => g.nameKey),
      aliasNames: column(groups, (g) => g.aliasName),
      blocks: column(groups, (g) => g.block),
      ends: column(groups, (g) => g.ends),
      nameForms: Int32Array.from(groups, (g) => g.nameForm),
      texts: packStrings(groups, (g) => g.texts),
      parts: packStrings(groups, (g) => g.parts),
      keys: packStrings(groups, (g) => g.keys),
      reach: packNumbers(groups, (g) => g.reach),
      joins: packNumbers(groups, (g) => g.joins),
    },
    pairs: state.pairs,
    entries: {
      keys: column(entries, ([key]) => key),
      localIds: column(entries, ([, e]) => e.localIds),
      groups: packNumbers(entries, ([, e]) => e.groups),
      ends: packNumbers(entries, ([, e]) => e.ends),
      spans: packNumbers(entries, ([, e]) => e.spans),
    },
    memory: {
      docIds: JSON.stringify(memory.docIds),
      docKeys: JSON.stringify(memory.docKeys),
      firstDoc: memory.firstDoc,
      firstPos: memory.firstPos,
      component: memory.component,
      componentSize: memory.componentSize,
      root: memory.root,
      clusters: {
        roots: Int32Array.from(clusters, ([root]) => root),
        types: column(clusters, ([, c]) => c.type),
        names: column(clusters, ([, c]) => c.name),
        stamps: column(clusters, ([, c]) => c.stamp),
        baseIds: column(clusters, ([, c]) => c.baseId),
        documentCounts: Int32Array.from(clusters, ([, c]) => c.documentCount),
        mentionCounts: Int32Array.from(clusters, ([, c]) => c.mentionCount),
        aliases: packStrings(clusters, ([, c]) => c.aliases),
      },
    },
  };
}

export function unpackState(packed: PackedLinkState): UnpackedState {
  const g = packed.groups;
  const names = JSON.parse(g.names) as string[];
  const types = JSON.parse(g.types) as EntityType[];
  const nameKeys = JSON.parse(g.nameKeys) as string[];
  const aliasNames = JSON.parse(g.aliasNames) as (string | null)[];
  const blocks = JSON.parse(g.blocks) as (string | null)[];
  const ends = JSON.parse(g.ends) as (string | null)[];
  const texts = stringLists(g.texts), parts = stringLists(g.parts), keys = stringLists(g.keys);
  const reach = numberLists(g.reach), joins = numberLists(g.joins);
  const groups: GroupFields[] = names.map((name, i) => ({
    name,
    type: types[i],
    texts: texts(i),
    parts: parts(i),
    keys: keys(i),
    nameKey: nameKeys[i],
    aliasName: aliasNames[i],
    nameForm: g.nameForms[i],
    reach: reach(i),
    joins: joins(i),
    block: blocks[i],
    ends: ends[i],
  }));
  const e = packed.entries;
  const entryGroups = numberLists(e.groups), entryEnds = numberLists(e.ends), entrySpans = numberLists(e.spans);
  const localIds = JSON.parse(e.localIds) as (string[] | null)[];
  const entries = (JSON.parse(e.keys) as string[]).map((key, i): [string, EntryFields] => [
    key,
    { groups: entryGroups(i), ends: entryEnds(i), spans: entrySpans(i), localIds: localIds[i] },
  ]);
  const m = packed.memory, c = m.clusters;
  const clusterTypes = JSON.parse(c.types) as EntityType[];
  const clusterNames = JSON.parse(c.names) as string[];
  const stamps = JSON.parse(c.stamps) as string[];
  const baseIds = JSON.parse(c.baseIds) as string[];
  const aliases = stringLists(c.aliases);
  const clusters = new Map<number, ClusterFields>();
  c.roots.forEach((root, i) =>
    clusters.set(root, {
      type: clusterTypes[i],
      name: clusterNames[i],
      aliases: aliases(i),
      documentCount: c.documentCounts[i],
      mentionCount: c.mentionCounts[i],
      stamp: stamps[i],
      baseId: baseIds[i],
    }));
  return {
    groups,
    pairs: packed.pairs,
    entries,
    memory: {
      docIds: JSON.parse(m.docIds) as string[],
      docKeys: JSON.parse(m.docKeys) as string[],
      firstDoc: m.firstDoc,
      firstPos: m.firstPos,
      component: m.component,
      componentSize: m.componentSize,
      root: m.root,
      clusters,
    },
  };
}
