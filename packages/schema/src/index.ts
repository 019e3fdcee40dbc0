import { z } from 'zod';
import { DuplicateIndex, EntityIndex, QuoteIndex } from './corpus.js';
import { DocumentRecord } from './document.js';
import { Manifest } from './manifest.js';

export * from './common.js';
export * from './corpus.js';
export * from './document.js';
export * from './manifest.js';
export type * from './vfile.js';

/** Every record type written to the output directory, by the file name of its JSON Schema. */
export const recordSchemas = {
  document: DocumentRecord,
  entities: EntityIndex,
  quotes: QuoteIndex,
  duplicates: DuplicateIndex,
  manifest: Manifest,
} as const;

export type RecordName = keyof typeof recordSchemas;

/** JSON Schema (draft 2020-12) for each record type, generated from the zod schemas. */
export function jsonSchemas(): Record<RecordName, object> {
  const out = {} as Record<RecordName, object>;
  for (const [name, schema] of Object.entries(recordSchemas) as [RecordName, z.ZodType][]) {
    out[name] = { $id: `${name}.schema.json`, title: name, ...z.toJSONSchema(schema, { io: 'output' }) };
  }
  return out;
}

/** Validates a record against its schema and returns the parsed value, or throws with every issue listed. */
export function validateRecord<N extends RecordName>(name: N, value: unknown): z.infer<(typeof recordSchemas)[N]> {
  const result = recordSchemas[name].safeParse(value);
  if (!result.success) {
    throw new Error(`invalid ${name} record: ${z.prettifyError(result.error)}`);
  }
  return result.data as z.infer<(typeof recordSchemas)[N]>;
}
