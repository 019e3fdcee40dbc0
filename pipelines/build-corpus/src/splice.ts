import { open, stat, type FileHandle } from 'node:fs/promises';
import { PrefixCopy, writeChunksAtomic } from './io.js';

/**
 * Where each item of a file written by `spliceItems` sits: its content key and byte range. Kept in the cache so the
 * next build can copy unchanged items instead of producing them again.
 */
export interface SpliceLayout {
  size: number;
  mtimeMs: number;
  items: [key: string, start: number, end: number][];
}

export interface SpliceItem {
  /** Changes whenever the item's bytes would: same key, same bytes. */
  key: string;
  /**
   * Produces (and validates) the item; called only when the previous file has no item with this key. `null` leaves
   * the item out.
   */
  render: () => string | Uint8Array | null | Promise<string | Uint8Array | null>;
}

export interface SpliceFormat {
  head: string;
  /** Written between two items. */
  separator: string;
  /** Written after the last item. */
  tail: string;
  /** Written instead of `tail` when there are no items (default: `tail`). */
  empty?: string;
}

/** Whether `path` is still the very file of that size and time (so byte ranges recorded of it may be copied). */
export async function isSameFile(path: string, file: { size: number; mtimeMs: number }): Promise<boolean> {
  const info = await stat(path).catch(() => null);
  return !!info && info.size === file.size && info.mtimeMs === file.mtimeMs;
}

/** The layout if `path` is still the very file it describes (so its byte ranges may be copied), else null. */
export async function copyable(path: string, previous: SpliceLayout | null): Promise<SpliceLayout | null> {
  return previous?.items.length && (await isSameFile(path, previous)) ? previous : null;
}

/** The layout to keep for a file just written with `items` at those byte ranges. */
export async function layoutOf(path: string, items: SpliceLayout['items']): Promise<SpliceLayout> {
  const info = await stat(path);
  return { size: info.size, mtimeMs: info.mtimeMs, items };
}

// Unchanged neighbours are copied with one read per run, up to this many bytes.
const MAX_RUN = 8 << 20;
// An unchanged prefix is copied by the kernel from this size on, when it is at least half the old file (the kernel
// copies the whole file, then it is cut).
const MIN_PREFIX_COPY = 16 << 20;

/** Whether the old file starts with `head`, as the new one will. */
async function sameHead(handle: FileHandle, head: string, previous: SpliceLayout): Promise<boolean> {
  const bytes = Buffer.from(head);
  if (!previous.items.length || previous.items[0][1] !== bytes.length) return false;
  if (!bytes.length) return true;
  const old = Buffer.alloc(bytes.length);
  await handle.read(old, 0, old.length, 0);
  return old.equals(bytes);
}

/**
 * Streams `head item sep item sep ... item tail`, copying every item whose key the previous file also had, byte for
 * byte, and rendering only the others. Adding one document to a large corpus thus costs about a file copy rather than
 * re-serialising (and re-validating) every element. `layout` receives the new file's layout as it is written.
 *
 * The bytes of a copied run are valid only until the next chunk is asked for (one buffer serves them all): write each
 * chunk before pulling the next, as `writeChunksAtomic` does.
 */
export async function* spliceItems(
  path: string,
  previous: SpliceLayout | null,
  items: Iterable<SpliceItem>,
  format: SpliceFormat,
  layout: SpliceLayout['items'],
  /** Where in the new file this output starts (it may be one part of a larger file). */
  startOffset = 0,
  /** The smallest unchanged prefix the kernel is asked to copy (see `PrefixCopy`). */
  minPrefixCopy = MIN_PREFIX_COPY,
): AsyncGenerator<Uint8Array | PrefixCopy> {
  let handle: FileHandle | null = null;
  const old = new Map<string, number>();
  previous = await copyable(path, previous);
  if (previous) {
    handle = await open(path, 'r');
    previous.items.forEach(([key], i) => old.set(key, i));
  }
  let offset = startOffset;
  const emit = (s: string | Uint8Array) => {
    const bytes = typeof s === 'string' ? Buffer.from(s) : s;
    offset += bytes.length;
    return bytes;
  };
  let copyBuffer = Buffer.allocUnsafe(0);
  // A run of consecutive old items waiting to be copied in one read; the separators between them come along.
  let run: { first: number; last: number } | null = null;
  const flush = async (): Promise<Buffer | null> => {
    if (!run) return null;
    const start = previous!.items[run.first][1];
    const end = previous!.items[run.last][2];
    // One buffer serves every run: a fresh 8 MB allocation per run is memory the kernel has to map (and V8 to
    // account) again each time, hundreds of megabytes over a large documents.jsonl.
    if (copyBuffer.length < end - start) copyBuffer = Buffer.allocUnsafe(Math.max(end - start, Math.min(MAX_RUN, 2 * copyBuffer.length)));
    const bytes = copyBuffer.subarray(0, end - start);
    const { bytesRead } = await handle!.read(bytes, 0, bytes.length, start);
    if (bytesRead !== bytes.length) throw new Error(`${path} changed while it was being copied`);
    for (let i = run.first; i <= run.last; i++) {
      const [key, s, e] = previous!.items[i];
      layout.push([key, offset + s - start, offset + e - start]);
    }
    offset += bytes.length;
    run = null;
    return bytes;
  };
  try {
    let first = true;
    // The leading items the last build wrote in the same places, head included, are one prefix of the old file: the
    // kernel copies it (a new document added at the end of documents.jsonl leaves hundreds of megabytes as they were).
    const list = Array.isArray(items) ? (items as SpliceItem[]) : [...items];
    let same = 0;
    if (previous && startOffset === 0 && (await sameHead(handle!, format.head, previous))) {
      while (same < list.length && same < previous.items.length && previous.items[same][0] === list[same].key) same++;
    }
    const prefix = same ? previous!.items[same - 1][2] : 0;
    if (prefix >= minPrefixCopy && 2 * prefix >= previous!.size) {
      yield new PrefixCopy(path, prefix, previous!.size);
      for (let i = 0; i < same; i++) layout.push(previous!.items[i]);
      offset = prefix;
      first = false;
    } else {
      same = 0;
      yield emit(format.head);
    }
    for (let i = same; i < list.length; i++) {
      const item = list[i];
      const at = handle ? old.get(item.key) : undefined;
      if (at !== undefined && run && at === run.last + 1 && previous!.items[at][2] - previous!.items[run.first][1] <= MAX_RUN) {
        run.last = at;
        continue;
      }
      const rendered = at === undefined ? await item.render() : null;
      if (at === undefined && rendered === null) continue;
      const copied = await flush();
      if (copied) yield copied;
      if (!first) yield emit(format.separator);
      first = false;
      if (at !== undefined) {
        run = { first: at, last: at };
        continue;
      }
      const text = emit(rendered!);
      layout.push([item.key, offset - text.length, offset]);
      yield text;
    }
    const copied = await flush();
    if (copied) yield copied;
    yield emit(first ? (format.empty ?? format.tail) : format.tail);
  } finally {
    await handle?.close();
  }
}

/** Writes `path` spliced from its last layout (see `spliceItems`), atomically; returns the new file's layout. */
export async function writeSplicedFile(path: string, previous: SpliceLayout | null, items: SpliceItem[], format: SpliceFormat): Promise<SpliceLayout> {
  const layout: SpliceLayout['items'] = [];
  await writeChunksAtomic(path, spliceItems(path, previous, items, format, layout));
  return layoutOf(path, layout);
}
