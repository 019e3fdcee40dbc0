import { z } from 'zod';
import { EntityType, QuoteKind, SCHEMA_VERSION, Speaker, offset } from './common.js';

const CorpusMention = z.object({
  documentId: z.string(),
  text: z.string(),
  start: offset,
  end: offset,
});

export const CanonicalEntity = z.object({
  id: z.string(),
  name: z.string(),
  type: EntityType,
  aliases: z.array(z.string()).describe('Every distinct surface form seen, sorted.'),
  documentCount: z.int().nonnegative(),
  mentionCount: z.int().nonnegative(),
  mentions: z.array(CorpusMention),
});
export type CanonicalEntity = z.infer<typeof CanonicalEntity>;

export const EntityIndex = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  entities: z.array(CanonicalEntity),
});
export type EntityIndex = z.infer<typeof EntityIndex>;

export const QuoteRef = z.object({
  id: z.string(),
  documentId: z.string(),
  text: z.string(),
  start: offset,
  end: offset,
  kind: QuoteKind,
  cue: z.string().nullable(),
  confidence: z.number().min(0).max(1),
  clusterId: z.string().nullable(),
  continuationOf: z.string().optional().describe('Id of the previous part of a quotation continued over a paragraph break.'),
});
export type QuoteRef = z.infer<typeof QuoteRef>;

export const QuoteCluster = z.object({
  id: z.string(),
  representative: z.string().describe('The fullest member text.'),
  speakers: z.array(Speaker),
  documentCount: z.int().nonnegative(),
  members: z.array(
    z.object({
      quoteId: z.string(),
      documentId: z.string(),
      text: z.string(),
      similarity: z.number().min(0).max(1).describe('Similarity to the representative.'),
    }),
  ),
});
export type QuoteCluster = z.infer<typeof QuoteCluster>;

export const QuoteIndex = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  bySpeaker: z.array(
    z.object({
      speaker: Speaker.nullable().describe('null groups the unattributed quotes.'),
      quotes: z.array(QuoteRef),
    }),
  ),
  clusters: z.array(QuoteCluster).describe('Groups of the same utterance quoted more than once (across or within documents).'),
});
export type QuoteIndex = z.infer<typeof QuoteIndex>;

export const DuplicateGroup = z.object({
  id: z.string(),
  canonical: z.string().describe('Id of the canonical member (earliest published, then longest body, then id).'),
  members: z.array(
    z.object({
      documentId: z.string(),
      similarity: z.number().min(0).max(1).describe('Verified similarity to the canonical member.'),
      method: z.enum(['canonical', 'exact', 'near']),
      jaccard: z.number().min(0).max(1).optional().describe('Estimated Jaccard resemblance of word shingles with the canonical member.'),
      containment: z.number().min(0).max(1).optional().describe('Estimated share of the smaller document contained in the larger one.'),
      via: z.string().optional().describe('Member this one was verified against, when it is not close enough to the canonical member directly.'),
    }),
  ),
});
export type DuplicateGroup = z.infer<typeof DuplicateGroup>;

const PassageLocation = z.object({
  documentId: z.string(),
  start: offset.describe('Start in the decoded source text of that document.'),
  end: offset,
  inBody: z.boolean().describe('Whether the passage survived cleaning (is in the body text).'),
});

export const RepeatedPassage = z.object({
  text: z.string(),
  hash: z.string().optional().describe('Key of the normalised passage (same key = same passage).'),
  documentCount: z.int().positive().optional().describe('Distinct documents holding the passage.'),
  count: z.int().positive(),
  locations: z.array(PassageLocation),
});
export type RepeatedPassage = z.infer<typeof RepeatedPassage>;

export const DuplicateIndex = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  parameters: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
  documents: z.array(DuplicateGroup),
  passages: z.object({
    withinDocument: z.array(RepeatedPassage).describe('Lines/paragraphs repeated inside one document (e.g. a menu rendered twice).'),
    acrossDocuments: z.array(RepeatedPassage).describe('Paragraphs shared by several documents (syndicated text, disclaimers).'),
  }),
});
export type DuplicateIndex = z.infer<typeof DuplicateIndex>;
