import { validateRecord, type Diagnostic, type DocumentEntity, type DocumentRecord, type Quote, type Speaker } from '@corpus/schema';
import type { DocumentAnalysis } from './analyse.js';
import { toJson, writeFileAtomic } from './io.js';

export const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * What the corpus-level steps decided for one document's record, apart from its analysis: the record is this plus the
 * analysis, so it can be made on any thread that can read the cached analysis.
 */
export interface RecordPlan {
  id: string;
  path: string;
  sha256: string;
  bytes: number;
  mediaType: string;
  /** The build's own diagnostics for the document (a sidecar ignored, …), before the analysis's. */
  warnings: Diagnostic[];
  /** The canonical entity of each local entity, by local id. */
  entities: Record<string, { id: string; name: string; type: DocumentEntity['type'] }>;
  /** Each quote's resolved speaker and cluster, by the quote's local id. */
  quotes: Record<string, { speaker: Speaker | null; clusterId: string | null }>;
  duplicateOf: string | null;
}

/** The document's record (not validated yet). */
export function makeRecord(plan: RecordPlan, a: DocumentAnalysis): DocumentRecord {
  const diagnostics = [...plan.warnings, ...a.diagnostics];
  return {
    id: plan.id,
    source: {
      path: plan.path,
      sha256: plan.sha256,
      bytes: plan.bytes,
      mediaType: plan.mediaType,
      ...(a.metadata.url ? { url: a.metadata.url } : {}),
    },
    title: a.metadata.title,
    authors: a.metadata.authors,
    publisher: a.metadata.publisher,
    published: a.metadata.published,
    language: a.metadata.language,
    metadataMethods: a.metadata.methods,
    text: a.text,
    paragraphs: a.paragraphs,
    removed: a.removed,
    entities: exactSpans(a.text, canonicalEntities(plan, a.entities), diagnostics),
    quotes: exactQuotes(a.text, corpusQuotes(plan.id, a.quotes, (q) => plan.quotes[q.id]), diagnostics),
    duplicateOf: plan.duplicateOf,
    diagnostics,
  };
}

export type RecordResult = { ok: true; line: string } | { ok: false; stage: string; message: string };

/**
 * Makes and validates a document's record and writes its file; returns the record as its line of documents.jsonl, or
 * why there is none. A failed write throws.
 */
export async function writeRecord(plan: RecordPlan, analysis: DocumentAnalysis, path: string): Promise<RecordResult> {
  let record: DocumentRecord;
  try {
    record = validateRecord('document', makeRecord(plan, analysis));
  } catch (error) {
    return { ok: false, stage: 'validate', message: error instanceof Error ? error.message : String(error) };
  }
  await writeFileAtomic(path, toJson(record));
  return { ok: true, line: JSON.stringify(record) };
}

/** The document's entities with canonical ids and names; local entities that resolve to one canonical merge. */
function canonicalEntities(plan: RecordPlan, entities: DocumentEntity[]): DocumentEntity[] {
  const byId = new Map<string, DocumentEntity>();
  for (const e of entities) {
    const c = plan.entities[e.id];
    if (!c) throw new Error(`unknown entity ${e.id} of document ${plan.id}`);
    const target = byId.get(c.id) ?? { id: c.id, name: c.name, type: c.type, mentions: [] };
    target.mentions.push(...e.mentions);
    byId.set(c.id, target);
  }
  for (const e of byId.values()) e.mentions.sort((a, b) => a.start - b.start || a.end - b.end);
  return [...byId.values()].sort((a, b) => a.mentions[0].start - b.mentions[0].start || cmp(a.id, b.id));
}

/** A quote's id across the corpus. */
export const globalQuoteId = (documentId: string, localId: string): string => `${documentId}:${localId}`;

/** A document's quotes as the corpus writes them (records and quotes.json alike): global ids, speaker and cluster. */
export function corpusQuotes(documentId: string, quotes: Quote[], decided: (q: Quote) => RecordPlan['quotes'][string] | undefined): Quote[] {
  return quotes.map((q) => {
    const continuation = q.continuationOf ? { continuationOf: globalQuoteId(documentId, q.continuationOf) } : {};
    const d = decided(q);
    return { ...q, id: globalQuoteId(documentId, q.id), ...continuation, speaker: d?.speaker ?? null, clusterId: d?.clusterId ?? null };
  });
}

/** The offset contract is absolute: a span that does not match its text is dropped with a diagnostic, not written. */
function exactSpans(text: string, entities: DocumentEntity[], diagnostics: Diagnostic[]): DocumentEntity[] {
  const out: DocumentEntity[] = [];
  for (const e of entities) {
    const mentions = e.mentions.filter((m) => {
      const good = m.start <= m.end && m.end <= text.length && text.slice(m.start, m.end) === m.text;
      if (!good) diagnostics.push({ stage: 'entities', ruleId: 'bad-offset', message: `mention "${m.text}" dropped: offsets ${m.start}-${m.end} do not match the text` });
      return good;
    });
    if (mentions.length) out.push({ ...e, mentions });
  }
  return out;
}

function exactQuotes(text: string, quotes: Quote[], diagnostics: Diagnostic[]): Quote[] {
  return quotes.filter((q) => {
    const good = q.start <= q.end && q.end <= text.length && text.slice(q.start, q.end) === q.text;
    if (!good) diagnostics.push({ stage: 'quotes', ruleId: 'bad-offset', message: `quote "${q.text.slice(0, 40)}" dropped: offsets do not match the text` });
    return good;
  });
}
