import { z } from 'zod';

/** Bumped whenever a record's shape changes in a way consumers must notice. */
export const SCHEMA_VERSION = '1.0.0';

export const offset = z
  .int()
  .nonnegative()
  .describe('Index into the document `text`, in UTF-16 code units (JavaScript string indices).');

/** A half-open span `[start, end)` into `DocumentRecord.text`; `text.slice(start, end) === text`. */
export const Span = z.object({
  text: z.string().describe('Exactly `DocumentRecord.text.slice(start, end)`.'),
  start: offset,
  end: offset,
});

export const EntityType = z.enum(['person', 'organization', 'place', 'event', 'other']);
export type EntityType = z.infer<typeof EntityType>;

export const QuoteKind = z.enum(['direct', 'partial', 'scare']);
export type QuoteKind = z.infer<typeof QuoteKind>;

export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .describe('ISO 8601 calendar date (YYYY-MM-DD).');

export const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);

export const Speaker = z.object({
  name: z.string().describe('The speaker as named (canonical name when linked to an entity, else the phrase as written).'),
  entityId: z.string().optional(),
});
export type Speaker = z.infer<typeof Speaker>;
