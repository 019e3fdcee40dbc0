// The shape of the data embedded in report.html. Documents are referred to by their index in `ReportSummary.docs`
// so the many cross-references (entities → documents, quotes → documents) stay small in a 1,000-document report.
// Types only: the client script (client.ts) is inlined as source text and must not import anything at runtime.

import type { Diagnostic, EntityType, ManifestError, ManifestInput, QuoteKind, RemovedSpan, Speaker } from '@corpus/schema';

export interface DocRow {
  id: string;
  title: string | null;
  publisher: string | null;
  published: string | null;
  language: string | null;
  authors: string[];
  path: string;
  mediaType: string;
  words: number;
  paragraphs: number;
  removed: number;
  entities: number;
  mentions: number;
  quotes: number;
  warnings: number;
  /** Index of the canonical document when this one is a duplicate, else -1. */
  duplicateOf: number;
  /** Indexes into `ReportSummary.diagnosticKinds` of the kinds this document raised. */
  diagnosticKinds: number[];
}

export interface EntityRow {
  id: string;
  name: string;
  type: EntityType;
  aliases: string[];
  documentCount: number;
  mentionCount: number;
  /** Document indexes, ascending, with the mention count in each (parallel arrays). */
  docs: number[];
  docMentions: number[];
}

export interface QuoteRow {
  id: string;
  doc: number;
  text: string;
  start: number;
  kind: QuoteKind;
  cue: string | null;
  confidence: number;
  clusterId: string | null;
}

export interface SpeakerGroup {
  speaker: Speaker | null;
  quotes: QuoteRow[];
}

export interface ClusterRow {
  id: string;
  representative: string;
  speakers: Speaker[];
  documentCount: number;
  members: { quoteId: string; doc: number; text: string; similarity: number }[];
}

export interface DuplicateRow {
  id: string;
  canonical: number;
  members: { doc: number; similarity: number; method: string }[];
}

export interface PassageRow {
  text: string;
  count: number;
  docs: number[];
  inBody: number;
}

export interface DiagnosticKind {
  stage: string;
  ruleId: string;
  count: number;
  documents: number;
}

export interface ReportSummary {
  reportVersion: string;
  schemaVersion: string;
  pipelineVersion: string;
  counts: Record<string, number>;
  docs: DocRow[];
  entities: EntityRow[];
  speakers: SpeakerGroup[];
  clusters: ClusterRow[];
  duplicates: DuplicateRow[];
  passages: { acrossDocuments: PassageRow[]; withinDocument: PassageRow[]; acrossTotal: number; withinTotal: number };
  errors: ManifestError[];
  /** Inputs that did not become documents (error or skipped). */
  failedInputs: ManifestInput[];
  diagnosticKinds: DiagnosticKind[];
}

/** One document's payload, parsed on demand when its view opens. Span texts are dropped: they are slices of `text`. */
export interface DocPayload {
  id: string;
  title: string | null;
  authors: string[];
  publisher: string | null;
  published: string | null;
  language: string | null;
  source: { path: string; mediaType: string; bytes: number; sha256: string; url?: string };
  metadataMethods: Record<string, string>;
  text: string;
  /** [start, end, sourceStart, sourceEnd, isHeading (1/0)] */
  paragraphs: [number, number, number, number, number][];
  removed: RemovedSpan[];
  /** Canonical entities of the document; mentions as [start, end, title?]. */
  entities: { id: string; name: string; type: EntityType; mentions: [number, number, string?][] }[];
  quotes: { id: string; start: number; end: number; kind: QuoteKind; speaker: Speaker | null; cue: string | null; confidence: number; clusterId: string | null }[];
  duplicateOf: string | null;
  diagnostics: Diagnostic[];
}
