import { z } from 'zod';
import { SCHEMA_VERSION, Sha256 } from './common.js';

export const ManifestError = z.object({
  path: z.string(),
  stage: z.string().describe('read, decode, clean, entities, quotes, dedup, write, ...'),
  message: z.string(),
});
export type ManifestError = z.infer<typeof ManifestError>;

export const ManifestInput = z.object({
  path: z.string(),
  sha256: Sha256,
  bytes: z.int().nonnegative(),
  mediaType: z.string().nullable(),
  status: z.enum(['ok', 'error', 'skipped']),
  reason: z.string().optional().describe('Why the input was skipped (unknown type, documentation file).'),
  documentId: z.string().nullable(),
});
export type ManifestInput = z.infer<typeof ManifestInput>;

export const Manifest = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  pipelineVersion: z.string().describe('Hash of every stage version and data file; changes invalidate the cache.'),
  inputCount: z.int().nonnegative(),
  inputs: z.array(ManifestInput),
  counts: z.object({
    documents: z.int().nonnegative(),
    paragraphs: z.int().nonnegative(),
    removed: z.int().nonnegative(),
    entities: z.int().nonnegative(),
    mentions: z.int().nonnegative(),
    quotes: z.int().nonnegative(),
    quoteClusters: z.int().nonnegative(),
    duplicateGroups: z.int().nonnegative(),
    duplicates: z.int().nonnegative(),
    errors: z.int().nonnegative(),
    skipped: z.int().nonnegative(),
  }),
  errors: z.array(ManifestError),
});
export type Manifest = z.infer<typeof Manifest>;
