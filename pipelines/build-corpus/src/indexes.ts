import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { z } from 'zod';
import type { AnalysisCache } from './cache.js';
import { PrefixCopy, writeChunksAtomic } from './io.js';
import { layoutOf, spliceItems, writeSplicedFile, type SpliceFormat, type SpliceItem, type SpliceLayout } from './splice.js';

/**
 * Which fields of an index are arrays written one element per line (with the element's schema), or objects holding
 * such arrays.
 */
export interface IndexLayout {
  [field: string]: z.ZodType | IndexLayout;
}

/** Keys an array's elements without producing them: same key, same element bytes (e.g. from the analyses they use). */
export type ElementKeys = (item: never) => string;

const isSchema = (x: z.ZodType | IndexLayout): x is z.ZodType => typeof (x as z.ZodType).safeParse === 'function';

/**
 * Writes a corpus index as JSON, one array element per line, validating each element with its schema as it goes:
 * the index never exists as one giant string, so memory stays bounded on large corpora.
 *
 * With a cache, arrays are spliced: an element the last build also wrote is copied from the previous file instead of
 * being validated again. Elements are matched by the key `keys` gives for their path, or else by a hash of their JSON.
 * Returns each array's layout (by field path): where its elements now are.
 */
export async function writeIndex(
  path: string,
  schema: z.ZodType,
  value: Record<string, unknown>,
  layout: IndexLayout,
  cache: AnalysisCache | null,
  keys: Record<string, ElementKeys> = {},
  /**
   * How the elements of an array are keyed and produced, where not as `keys` says: the caller then validates what
   * `render` makes (see `SpliceItem`).
   */
  custom: Record<string, (item: never, index: number) => SpliceItem> = {},
): Promise<Map<string, SpliceLayout>> {
  schema.parse(withoutArrays(value, layout));
  const layouts: [string, SpliceLayout['items']][] = [];
  const previous = new Map<string, SpliceLayout | null>();
  const stateName = (fieldPath: string) => `layout-${basename(path, '.json')}-${fieldPath}`;
  let offset = 0;
  const text = (s: string) => {
    offset += Buffer.byteLength(s);
    return s;
  };

  async function* object(obj: Record<string, unknown>, spec: IndexLayout, indent: string, prefix: string): AsyncGenerator<string | Uint8Array> {
    const names = Object.keys(obj);
    for (const [i, name] of names.entries()) {
      const sep = i < names.length - 1 ? ',' : '';
      const field = spec[name];
      const v = obj[name];
      const fieldPath = prefix ? `${prefix}.${name}` : name;
      if (!field) {
        yield text(`${indent}${JSON.stringify(name)}: ${JSON.stringify(v)}${sep}\n`);
      } else if (!isSchema(field)) {
        yield text(`${indent}${JSON.stringify(name)}: {\n`);
        yield* object(v as Record<string, unknown>, field, `${indent}  `, fieldPath);
        yield text(`${indent}}${sep}\n`);
      } else if (!(v as unknown[]).length) {
        yield text(`${indent}${JSON.stringify(name)}: []${sep}\n`);
      } else {
        yield text(`${indent}${JSON.stringify(name)}: [\n${indent}  `);
        yield* elements(v as unknown[], field, `${indent}  `, fieldPath);
        yield text(`\n${indent}]${sep}\n`);
      }
    }
  }

  async function* elements(items: unknown[], itemSchema: z.ZodType, indent: string, fieldPath: string): AsyncGenerator<Uint8Array> {
    const keyOf = keys[fieldPath];
    const itemOf = custom[fieldPath];
    const spliced = items.map((item, index) => {
      if (itemOf) return itemOf(item as never, index);
      if (keyOf) return { key: keyOf(item as never), render: () => JSON.stringify(itemSchema.parse(item) && item) };
      const json = JSON.stringify(item);
      return { key: createHash('sha256').update(json).digest('base64url').slice(0, 24), render: () => (itemSchema.parse(item), json) };
    });
    const state = stateName(fieldPath);
    if (cache && !previous.has(state)) previous.set(state, await cache.readState<SpliceLayout>(state));
    const itemsLayout: SpliceLayout['items'] = [];
    for await (const chunk of spliceItems(path, previous.get(state) ?? null, spliced, { head: '', separator: `,\n${indent}`, tail: '' }, itemsLayout, offset)) {
      // Never, as the array does not start the file.
      if (chunk instanceof PrefixCopy) throw new Error(`${path}: a prefix copy inside an index`);
      offset += chunk.length;
      yield chunk;
    }
    layouts.push([state, itemsLayout]);
  }

  async function* chunks(): AsyncGenerator<string | Uint8Array> {
    yield text('{\n');
    yield* object(value, layout, '  ', '');
    yield text('}\n');
  }
  await writeChunksAtomic(path, chunks());
  const written = new Map<string, SpliceLayout>();
  for (const [state, items] of layouts) {
    const fileLayout = await layoutOf(path, items);
    written.set(state.slice(stateName('').length), fileLayout);
    if (cache) await cache.writeState(state, fileLayout);
  }
  return written;
}

/** A file of spliced items only (documents.jsonl), its layout kept in the cache under `state`. */
export async function writeSpliced(path: string, cache: AnalysisCache, state: string, previous: SpliceLayout | null, items: SpliceItem[], format: SpliceFormat) {
  await cache.writeState(state, await writeSplicedFile(path, previous, items, format));
}

/** The index with its arrays emptied, to validate everything but the elements (which are validated one by one). */
function withoutArrays(value: Record<string, unknown>, layout: IndexLayout): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const field = layout[k];
    out[k] = !field ? v : isSchema(field) ? [] : withoutArrays(v as Record<string, unknown>, field);
  }
  return out;
}
