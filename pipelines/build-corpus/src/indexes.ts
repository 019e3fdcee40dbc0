import { stat } from 'node:fs/promises';
import type { z } from 'zod';
import type { AnalysisCache } from './cache.js';
import { writeChunksAtomic } from './io.js';
import { spliceItems, type SpliceLayout } from './splice.js';

/** How an index array's elements are keyed for splicing: same key, same element bytes. */
export type ElementKeys = { state: string; keyOf: (item: never) => string };

/**
 * Writes a corpus index as JSON, one array element per line, validating each element with its schema as it goes:
 * the index never exists as one giant string, so memory stays bounded on large corpora. Arrays given `keys` are
 * spliced: elements whose key the last build also wrote are copied from the previous file, already validated.
 */
export async function writeIndex<T extends Record<string, unknown>>(
  path: string,
  schema: z.ZodType,
  value: T,
  arrays: Partial<Record<keyof T, z.ZodType>>,
  cache: AnalysisCache | null,
  keys: Partial<Record<keyof T, ElementKeys>> = {},
) {
  const head: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) head[k] = k in arrays ? [] : v;
  schema.parse(head);
  const names = Object.keys(value);
  const layouts: [string, SpliceLayout['items']][] = [];
  let offset = 0;
  const text = (s: string) => {
    offset += Buffer.byteLength(s);
    return s;
  };
  async function* chunks(): AsyncGenerator<string | Uint8Array> {
    yield text('{\n');
    for (const [i, name] of names.entries()) {
      const sep = i < names.length - 1 ? ',' : '';
      const itemSchema = arrays[name as keyof T];
      if (!itemSchema) {
        yield text(`  ${JSON.stringify(name)}: ${JSON.stringify(value[name])}${sep}\n`);
        continue;
      }
      const items = value[name] as unknown[];
      if (!items.length) {
        yield text(`  ${JSON.stringify(name)}: []${sep}\n`);
        continue;
      }
      const keyed = keys[name as keyof T];
      const previous = keyed && cache ? await cache.readState<SpliceLayout>(keyed.state) : null;
      const layout: SpliceLayout['items'] = [];
      const elements = items.map((item, j) => ({
        key: keyed ? keyed.keyOf(item as never) : String(j),
        render: () => JSON.stringify(itemSchema.parse(item) && item),
      }));
      yield text(`  ${JSON.stringify(name)}: [\n    `);
      for await (const chunk of spliceItems(path, previous, elements, { head: '', separator: ',\n    ', tail: '' }, layout, offset)) {
        offset += chunk.length;
        yield chunk;
      }
      yield text(`\n  ]${sep}\n`);
      if (keyed) layouts.push([keyed.state, layout]);
    }
    yield text('}\n');
  }
  await writeChunksAtomic(path, chunks());
  if (!cache) return;
  const info = await stat(path);
  for (const [state, items] of layouts) await cache.writeState(state, { size: info.size, mtimeMs: info.mtimeMs, items } satisfies SpliceLayout);
}

