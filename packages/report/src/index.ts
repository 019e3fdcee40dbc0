import { createHash } from 'node:crypto';
import type { DocumentRecord, DuplicateIndex, EntityIndex, Manifest, QuoteIndex } from '@corpus/schema';
import { reportApp } from './client.js';
import { SummaryBuilder, embedJson, prepareDocument, type DocumentOverview, type PreparedDocument } from './data.js';
import { REPORT_CSS } from './style.js';

export { countWords, embedJson, PASSAGE_LIMIT, prepareDocument, topPassages, type DocumentOverview, type PreparedDocument } from './data.js';
export type * from './model.js';

export const REPORT_VERSION = 'report-1.1.0';

export interface ReportInput {
  manifest: Manifest;
  /** Document records, in the corpus's stable order. Read once, front to back. */
  documents: Iterable<DocumentRecord>;
  entities: EntityIndex;
  quotes: QuoteIndex;
  duplicates: DuplicateIndex;
  /** How many documents the corpus has when `documents` holds only the first of them (large corpora). */
  totalDocuments?: number;
  /**
   * How many repeated passages the corpus has when `duplicates` holds only those the report lists (`topPassages`),
   * so a large corpus's passages need not all be kept for it.
   */
  passageTotals?: { withinDocument: number; acrossDocuments: number };
}

/** Like ReportInput, but documents may be loaded lazily (e.g. read one file at a time). */
export interface ReportStreamInput extends Omit<ReportInput, 'documents'> {
  /** Records, or what `prepareDocument` made of them (a caller may keep those between reports). */
  documents: Iterable<DocumentRecord | PreparedDocument> | AsyncIterable<DocumentRecord | PreparedDocument>;
}

// The page script is the compiled `reportApp` function, so it is identical in every report and a CSP hash can pin it:
// even if some text ever escaped into markup, the browser would refuse to run any other script, and `default-src
// 'none'` forbids every network request, which is what "works offline" promises.
const APP_SCRIPT = `(${reportApp.toString()})();`;
if (/<\/script|<!--/i.test(APP_SCRIPT)) throw new Error('report script contains a sequence that would end its <script> element');
const APP_HASH = createHash('sha256').update(APP_SCRIPT, 'utf8').digest('base64');
const CSP = `default-src 'none'; script-src 'sha256-${APP_HASH}'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'`;

function head(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${REPORT_VERSION}">
<title>Corpus report</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main id="app"><p>Loading the report…</p></main>
<noscript><p style="padding:20px">This report is drawn by a script embedded in the file; enable JavaScript to see it. The data is in <code>manifest.json</code> and <code>documents/</code> beside it.</p></noscript>
`;
}

// Each document is its own inert JSON block, parsed only when its view opens, so a 1,000-document report loads fast.
const docBlock = (index: number, d: Pick<PreparedDocument, 'payload'>) => `<script type="application/json" id="doc-${index}">${d.payload}</script>\n`;

/**
 * The page in its parts, for a writer that keeps the blocks of the last report it wrote: `head`, then each document's
 * `block` in order, then `tail`, which needs every document's overview (and so comes from them, not from the blocks).
 * Put together, they are `renderReport`'s page.
 */
export const reportParts = {
  head,
  block: (index: number, payload: string): string => docBlock(index, { payload }),
  tail(documents: Iterable<DocumentOverview>, input: Omit<ReportStreamInput, 'documents'>): string {
    const builder = new SummaryBuilder();
    for (const d of documents) builder.add(d);
    return tail(builder, input);
  },
};

function tail(builder: SummaryBuilder, input: Omit<ReportInput, 'documents'>): string {
  const summary = builder.finish(input, REPORT_VERSION);
  return `<script type="application/json" id="corpus-summary">${embedJson(summary)}</script>
<script>${APP_SCRIPT}</script>
</body>
</html>
`;
}

/** A static, self-contained HTML page describing the corpus (no network, opens from disk). */
export function renderReport(input: ReportInput): string {
  const parts = [head()];
  const builder = new SummaryBuilder();
  for (const d of input.documents) {
    const p = prepareDocument(d);
    parts.push(docBlock(builder.add(p), p));
  }
  parts.push(tail(builder, input));
  return parts.join('');
}

/**
 * The same page as `renderReport`, as chunks: documents are consumed one at a time and only a small row per document is
 * kept, so a large corpus never needs all its records in memory. Feed it to a streaming file writer.
 */
export async function* renderReportStream(input: ReportStreamInput): AsyncGenerator<string> {
  yield head();
  const builder = new SummaryBuilder();
  for await (const d of input.documents) {
    const p = 'payload' in d ? d : prepareDocument(d);
    yield docBlock(builder.add(p), p);
  }
  yield tail(builder, input);
}
