import { z } from 'zod';
import { EntityType, IsoDate, QuoteKind, Sha256, Span, Speaker, offset } from './common.js';

export const SourceInfo = z.object({
  path: z.string().min(1).describe('Path of the source file relative to the input directory, with `/` separators.'),
  sha256: Sha256,
  bytes: z.int().nonnegative(),
  mediaType: z.string().describe('e.g. text/plain, text/html, text/markdown.'),
});
export type SourceInfo = z.infer<typeof SourceInfo>;

export const Paragraph = Span.extend({
  kind: z.enum(['paragraph', 'heading']).default('paragraph'),
  source: z
    .object({
      start: z.int().nonnegative(),
      end: z.int().nonnegative(),
    })
    .describe('Where the paragraph came from in the decoded source file (UTF-16 indices into the source text, BOM removed).'),
});
export type Paragraph = z.infer<typeof Paragraph>;

export const RemovedSpan = z.object({
  start: z.int().nonnegative().describe('Start in the decoded source text (UTF-16 index, BOM removed).'),
  end: z.int().nonnegative(),
  text: z.string().describe('The removed source text (trimmed of surrounding whitespace).'),
  ruleId: z.string().describe('Which rule removed it, e.g. nav-run, icon-names, caption, repeated-in-site.'),
  reason: z.string().describe('Human-readable evidence for the decision.'),
  role: z
    .enum(['boilerplate', 'title', 'byline', 'dateline', 'summary', 'caption', 'pullquote', 'related', 'share', 'footer', 'nav', 'other'])
    .optional(),
});
export type RemovedSpan = z.infer<typeof RemovedSpan>;

export const Mention = Span.extend({
  title: z.string().optional().describe('A title or honorific written before the name (President, Mr.), kept out of the name.'),
});
export type Mention = z.infer<typeof Mention>;

export const DocumentEntity = z.object({
  id: z.string().describe('Canonical entity id, shared by every document that mentions the same real-world entity.'),
  name: z.string().describe('Canonical name: the most complete, most frequent form across the corpus.'),
  type: EntityType,
  mentions: z.array(Mention),
});
export type DocumentEntity = z.infer<typeof DocumentEntity>;


export const Quote = Span.extend({
  id: z.string(),
  kind: QuoteKind,
  speaker: Speaker.nullable(),
  cue: z.string().nullable().describe('The speech verb or noun as written (said, told, according to), or null.'),
  confidence: z.number().min(0).max(1).describe('Confidence of the attribution (0 when there is no speaker).'),
  clusterId: z.string().nullable().default(null).describe('Cluster of the same utterance across the corpus (quotes.json).'),
  continuationOf: z.string().optional().describe('Id of the previous part when one quotation runs over a paragraph break (one part per paragraph).'),
});
export type Quote = z.infer<typeof Quote>;

export const MetadataMethods = z
  .record(z.string(), z.string())
  .describe('For each metadata field, how it was found (e.g. title: "title-line", published: "dateline").');

export const Diagnostic = z.object({
  stage: z.string(),
  ruleId: z.string().optional(),
  message: z.string(),
  start: offset.optional(),
  end: offset.optional(),
});
export type Diagnostic = z.infer<typeof Diagnostic>;

export const DocumentRecord = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/).describe('Stable id derived from the source path; file name of documents/<id>.json.'),
  source: SourceInfo.extend({ url: z.string().optional() }),
  title: z.string().nullable(),
  authors: z.array(z.string()),
  publisher: z.string().nullable(),
  published: IsoDate.nullable(),
  language: z.string().nullable().describe('ISO 639-1 code where known (en, it, de), else ISO 639-3 from franc.'),
  metadataMethods: MetadataMethods,
  text: z.string().describe('The cleaned body: paragraphs joined by a blank line.'),
  paragraphs: z.array(Paragraph),
  removed: z.array(RemovedSpan),
  entities: z.array(DocumentEntity),
  quotes: z.array(Quote),
  duplicateOf: z.string().nullable().describe('Id of the canonical document when this one is a (near-)duplicate.'),
  diagnostics: z.array(Diagnostic).describe('Warnings the stages raised on this document (VFile messages).'),
});
export type DocumentRecord = z.infer<typeof DocumentRecord>;
