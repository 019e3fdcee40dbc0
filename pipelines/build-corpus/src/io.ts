import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, open, readFile, rename, rm, stat, truncate, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { deserialize, serialize } from 'node:v8';

/**
 * Writes a file so readers see the old content or the new, never half of one: temp file, then rename. `durable`
 * also flushes it to disk first (used for the manifest, whose presence says the build completed); per-document
 * files skip that, since an fsync each would dominate the time of a large build.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, durable = false): Promise<void> {
  await writeChunksAtomic(path, [data], durable);
}

/**
 * Saves a value under a version, atomically, in V8's serialisation: typed arrays and long strings are copied in one go
 * where JSON would walk them (the states the corpus threads keep between builds are made of such columns).
 */
export async function writeVersioned(path: string, version: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, serialize({ version, value }));
}

/** A value `writeVersioned` saved under this very version; null if there is none, it is another version's, or torn. */
export async function readVersioned<T>(path: string, version: string): Promise<T | null> {
  try {
    const saved = deserialize(await readFile(path)) as { version: string; value: T };
    return saved.version === version ? saved.value : null;
  } catch {
    return null;
  }
}

/** JSON with a trailing newline; key order is the order the record was built in, which is fixed. */
export const toJson = (value: unknown, indent = 2): string => `${JSON.stringify(value, null, indent)}\n`;

/**
 * A chunk that says the file starts with the first `length` bytes of the file at `from` (which is `size` bytes long):
 * the kernel copies them (one `copyFile`, then a truncation) instead of them passing through this process twice, which
 * for a large documents.jsonl is most of an incremental build's copying. Only as the first chunk.
 */
export class PrefixCopy {
  constructor(
    readonly from: string,
    readonly length: number,
    readonly size: number,
  ) {}
}

// Chunks are gathered up to this size before a write: an index of tens of thousands of elements would otherwise cost
// a write (a system call and a promise) per element.
const BATCH_BYTES = 1 << 20;
// A chunk from this size on is written as it is, after what was gathered before it.
const DIRECT_BYTES = 64 << 10;

/**
 * Streams many chunks into one file atomically (documents.jsonl, the indexes, the report: all can be large). A chunk is
 * written or copied before the next is asked for, so a producer may reuse its buffer.
 */
export async function writeChunksAtomic(
  path: string,
  chunks: AsyncIterable<string | Uint8Array | PrefixCopy> | Iterable<string | Uint8Array | PrefixCopy>,
  durable = false,
): Promise<void> {
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  let handle: FileHandle | null = null;
  // Made at the first small chunk: a file written in one piece (a record) needs none.
  let batch: Buffer | null = null;
  let used = 0;
  const flush = async (file: FileHandle) => {
    if (used) await file.write(batch!, 0, used);
    used = 0;
  };
  try {
    for await (const chunk of chunks) {
      if (chunk instanceof PrefixCopy) {
        if (handle) throw new Error(`${path}: a prefix copy must come first`);
        handle = await copyPrefix(chunk, tmp);
        continue;
      }
      handle ??= await openCreatingDir(tmp);
      // A string's UTF-8 length is at most three bytes per UTF-16 unit.
      const size = typeof chunk === 'string' ? 3 * chunk.length : chunk.length;
      if (size >= DIRECT_BYTES) {
        await flush(handle);
        await (typeof chunk === 'string' ? handle.write(chunk) : handle.write(chunk));
        continue;
      }
      if (used + size > BATCH_BYTES) await flush(handle);
      batch ??= Buffer.allocUnsafe(BATCH_BYTES);
      used += typeof chunk === 'string' ? batch.write(chunk, used) : (batch.set(chunk, used), chunk.length);
    }
    handle ??= await openCreatingDir(tmp);
    await flush(handle);
    if (durable) await handle.sync();
  } catch (error) {
    await handle?.close();
    await rm(tmp, { force: true });
    throw error;
  }
  await handle.close();
  await rename(tmp, path);
}

/** The temp file holding the prefix, opened to append what follows it. */
async function copyPrefix(prefix: PrefixCopy, tmp: string): Promise<FileHandle> {
  // Opened first only to make its directory, as any other temp file's.
  await (await openCreatingDir(tmp)).close();
  await copyFile(prefix.from, tmp);
  if ((await stat(tmp)).size !== prefix.size) throw new Error(`${prefix.from} changed while it was being copied`);
  await truncate(tmp, prefix.length);
  return open(tmp, 'a');
}

// Directories known to exist: a build writes thousands of files into a few hundred directories, and a mkdir per file
// is a syscall per file. A directory removed behind our back is made again when opening fails.
const madeDirs = new Set<string>();

async function openCreatingDir(path: string) {
  const dir = dirname(path);
  if (!madeDirs.has(dir)) {
    await mkdir(dir, { recursive: true });
    madeDirs.add(dir);
  }
  try {
    return await open(path, 'w');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await mkdir(dir, { recursive: true });
    return open(path, 'w');
  }
}
