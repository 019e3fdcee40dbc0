import type { DocumentRecord, DuplicateIndex, EntityIndex, Manifest, QuoteIndex } from '@corpus/schema';

export const REPORT_VERSION = 'report-0.1.0';

export interface ReportInput {
  manifest: Manifest;
  /** Document records, in the corpus's stable order. */
  documents: readonly DocumentRecord[];
  entities: EntityIndex;
  quotes: QuoteIndex;
  duplicates: DuplicateIndex;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A static, self-contained HTML page describing the corpus. */
export function renderReport(input: ReportInput): string {
  const { manifest, documents } = input;
  const rows = documents
    .map((d) => `<tr><td>${escapeHtml(d.id)}</td><td>${escapeHtml(d.title ?? '')}</td><td>${escapeHtml(d.publisher ?? '')}</td><td>${d.entities.length}</td><td>${d.quotes.length}</td></tr>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Corpus report</title></head>
<body>
<h1>Corpus report</h1>
<p>${manifest.counts.documents} documents, ${manifest.counts.entities} entities, ${manifest.counts.quotes} quotes, ${manifest.counts.duplicateGroups} duplicate groups, ${manifest.counts.errors} errors</p>
<table><thead><tr><th>id</th><th>title</th><th>publisher</th><th>entities</th><th>quotes</th></tr></thead><tbody>
${rows}
</tbody></table>
</body></html>
`;
}
