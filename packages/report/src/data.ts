import type { DocumentRecord, DuplicateIndex, EntityIndex, Manifest, QuoteIndex, RepeatedPassage } from '@corpus/schema';
import type { DiagnosticKind, DocPayload, DocRow, PassageRow, ReportSummary } from './model.js';

const WORD = /[\p{L}\p{N}]+(?:['’.\-][\p{L}\p{N}]+)*/gu;

/** Words as an analyst would count them: letter/digit runs, keeping contractions and hyphenated words whole. */
export function countWords(text: string): number {
  let n = 0;
  for (const _ of text.matchAll(WORD)) n++;
  return n;
}

/**
 * Serialises a value as JSON that is safe inside `<script type="application/json">`: `<`, `>` and `&` become
 * `\u003c`… so no `</script>` or `<!--` can end or alter the element, and U+2028/U+2029 are escaped so the text is
 * also a valid JavaScript literal. JSON.parse of the element's textContent returns the value unchanged.
 */
export function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Builds the compact per-document payload the document view renders from. */
export function docPayload(d: DocumentRecord): DocPayload {
  return {
    id: d.id,
    title: d.title,
    authors: d.authors,
    publisher: d.publisher,
    published: d.published,
    language: d.language,
    source: { path: d.source.path, mediaType: d.source.mediaType, bytes: d.source.bytes, sha256: d.source.sha256, ...(d.source.url ? { url: d.source.url } : {}) },
    metadataMethods: d.metadataMethods,
    text: d.text,
    paragraphs: d.paragraphs.map((p) => [p.start, p.end, p.source.start, p.source.end, p.kind === 'heading' ? 1 : 0]),
    removed: d.removed,
    entities: d.entities.map((e) => ({
      id: e.id,
      name: e.name,
      type: e.type,
      mentions: e.mentions.map((m): [number, number, string?] => (m.title ? [m.start, m.end, m.title] : [m.start, m.end])),
    })),
    quotes: d.quotes.map((q) => ({ id: q.id, start: q.start, end: q.end, kind: q.kind, speaker: q.speaker, cue: q.cue, confidence: q.confidence, clusterId: q.clusterId })),
    duplicateOf: d.duplicateOf,
    diagnostics: d.diagnostics,
  };
}

/**
 * What the report needs of one document record, computed once: its embedded block (the payload as safe JSON) and
 * what the overview counts. A caller may keep it (keyed by the record's bytes) and pass it instead of the record.
 */
export interface PreparedDocument {
  /** `embedJson(docPayload(record))`. */
  payload: string;
  row: Omit<DocRow, 'duplicateOf' | 'diagnosticKinds'>;
  /** Each canonical entity of the document, with its mention count in it. */
  entityMentions: [string, number][];
  /** Each diagnostic's stage and rule, in order. */
  diagnostics: [string, string][];
  duplicateOf: string | null;
}

/** What the overview counts of a document: its prepared form without the block. */
export type DocumentOverview = Omit<PreparedDocument, 'payload'>;

export function prepareDocument(d: DocumentRecord): PreparedDocument {
  return {
    payload: embedJson(docPayload(d)),
    row: {
      id: d.id,
      title: d.title,
      publisher: d.publisher,
      published: d.published,
      language: d.language,
      authors: d.authors,
      path: d.source.path,
      mediaType: d.source.mediaType,
      words: countWords(d.text),
      paragraphs: d.paragraphs.length,
      removed: d.removed.length,
      entities: d.entities.length,
      mentions: d.entities.reduce((n, e) => n + e.mentions.length, 0),
      quotes: d.quotes.length,
      warnings: d.diagnostics.length,
    },
    entityMentions: d.entities.map((e) => [e.id, e.mentions.length]),
    diagnostics: d.diagnostics.map((diag) => [diag.stage, diag.ruleId ?? '']),
    duplicateOf: d.duplicateOf,
  };
}

/** Accumulates the overview while documents stream past, so the documents need not all be in memory at once. */
export class SummaryBuilder {
  readonly docs: DocRow[] = [];
  private readonly index = new Map<string, number>();
  private readonly duplicateOf: (string | null)[] = [];
  private readonly kinds = new Map<string, DiagnosticKind & { index: number }>();
  /** Canonical entity id → the embedded documents that mention it and how often, in document order. */
  private readonly entityDocs = new Map<string, { docs: number[]; counts: number[] }>();
  words = 0;
  warnings = 0;

  add(d: DocumentRecord | DocumentOverview): number {
    const p = 'row' in d ? d : prepareDocument(d);
    const i = this.docs.length;
    const kindsHere = new Set<number>();
    for (const [stage, ruleId] of p.diagnostics) {
      const key = `${stage}\0${ruleId}`;
      let kind = this.kinds.get(key);
      if (!kind) {
        kind = { stage, ruleId, count: 0, documents: 0, index: this.kinds.size };
        this.kinds.set(key, kind);
      }
      kind.count++;
      if (!kindsHere.has(kind.index)) kind.documents++;
      kindsHere.add(kind.index);
    }
    this.docs.push({ ...p.row, duplicateOf: -1, diagnosticKinds: [...kindsHere].sort((a, b) => a - b) });
    for (const [id, mentions] of p.entityMentions) {
      let row = this.entityDocs.get(id);
      if (!row) this.entityDocs.set(id, (row = { docs: [], counts: [] }));
      row.docs.push(i);
      row.counts.push(mentions);
    }
    this.duplicateOf.push(p.duplicateOf);
    this.index.set(p.row.id, i);
    this.words += p.row.words;
    this.warnings += p.row.warnings;
    return i;
  }

  finish(
    input: {
      manifest: Manifest;
      entities: EntityIndex;
      quotes: QuoteIndex;
      duplicates: DuplicateIndex;
      totalDocuments?: number;
      passageTotals?: { withinDocument: number; acrossDocuments: number };
    },
    reportVersion: string,
  ): ReportSummary {
    const { manifest, entities, quotes, duplicates } = input;
    // A reference to a document that is not in the report (it failed to write) is dropped rather than shown broken.
    const at = (id: string) => this.index.get(id) ?? -1;
    this.docs.forEach((row, i) => (row.duplicateOf = this.duplicateOf[i] ? at(this.duplicateOf[i]!) : -1));

    const passageRows = (list: RepeatedPassage[]): PassageRow[] =>
      topPassages(list).map((p) => ({
        text: p.text,
        count: p.count,
        docs: [...new Set(p.locations.map((l) => at(l.documentId)).filter((i) => i >= 0))],
        inBody: p.locations.filter((l) => l.inBody).length,
      }));

    return {
      reportVersion,
      schemaVersion: manifest.schemaVersion,
      pipelineVersion: manifest.pipelineVersion,
      counts: {
        ...manifest.counts,
        inputs: manifest.inputCount,
        words: this.words,
        warnings: this.warnings,
        omittedDocuments: Math.max(0, (input.totalDocuments ?? this.docs.length) - this.docs.length),
      },
      docs: this.docs,
      // Taken from the embedded records rather than the index's mention lists, which a large corpus builds lazily.
      entities: entities.entities.map((e) => {
        const perDoc = this.entityDocs.get(e.id);
        return {
          id: e.id,
          name: e.name,
          type: e.type,
          aliases: e.aliases,
          documentCount: e.documentCount,
          mentionCount: e.mentionCount,
          docs: perDoc?.docs ?? [],
          docMentions: perDoc?.counts ?? [],
        };
      }),
      speakers: quotes.bySpeaker.map((g) => ({
        speaker: g.speaker,
        quotes: g.quotes
          .map((q) => ({ id: q.id, doc: at(q.documentId), text: q.text, start: q.start, kind: q.kind, cue: q.cue, confidence: q.confidence, clusterId: q.clusterId }))
          .filter((q) => q.doc >= 0),
      })),
      clusters: quotes.clusters.map((c) => ({
        id: c.id,
        representative: c.representative,
        speakers: c.speakers,
        documentCount: c.documentCount,
        members: c.members.map((m) => ({ quoteId: m.quoteId, doc: at(m.documentId), text: m.text, similarity: m.similarity })),
      })),
      duplicates: duplicates.documents.map((g) => ({
        id: g.id,
        canonical: at(g.canonical),
        members: g.members.map((m) => ({ doc: at(m.documentId), similarity: m.similarity, method: m.method })),
      })),
      passages: {
        acrossDocuments: passageRows(duplicates.passages.acrossDocuments),
        withinDocument: passageRows(duplicates.passages.withinDocument),
        acrossTotal: input.passageTotals?.acrossDocuments ?? duplicates.passages.acrossDocuments.length,
        withinTotal: input.passageTotals?.withinDocument ?? duplicates.passages.withinDocument.length,
      },
      errors: manifest.errors,
      failedInputs: manifest.inputs.filter((i) => i.status !== 'ok'),
      diagnosticKinds: [...this.kinds.values()].map(({ index: _index, ...k }) => k),
    };
  }
}

/** Repeated passages can number in the tens of thousands; the report lists the most repeated ones. */
export const PASSAGE_LIMIT = 500;

/** The passages the report lists, in its order: the most repeated, then the longest. */
export function topPassages(list: readonly RepeatedPassage[]): RepeatedPassage[] {
  return [...list].sort((a, b) => b.count - a.count || b.text.length - a.text.length).slice(0, PASSAGE_LIMIT);
}
