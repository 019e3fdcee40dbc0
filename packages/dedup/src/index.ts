import { createHash } from 'node:crypto';
import type { DuplicateGroup, Paragraph, QuoteCluster, RepeatedPassage, Speaker } from '@corpus/schema';

export const DEDUP_VERSION = 'dedup-0.1.0';

export const DEFAULT_DEDUP_PARAMETERS = { method: 'exact-hash' } as const;
export type DedupParameters = typeof DEFAULT_DEDUP_PARAMETERS;

const normalise = (s: string) => s.normalize('NFKC').toLowerCase().replace(/[“”"‘’'`]/g, '').replace(/\s+/g, ' ').trim();
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** Per-document, cacheable: what corpus-level duplicate detection needs of a body. */
export interface DocumentSignature {
  exact: string;
  length: number;
}

export function documentSignature(text: string): DocumentSignature {
  return { exact: sha(normalise(text)), length: text.length };
}

export interface DedupDocument {
  id: string;
  published: string | null;
  signature: DocumentSignature;
}

/** Canonical member first: earliest published, then the longest body, then id. */
const canonicalOrder = (a: DedupDocument, b: DedupDocument) =>
  (a.published ?? '9999') < (b.published ?? '9999') ? -1 : (a.published ?? '9999') > (b.published ?? '9999') ? 1 :
  b.signature.length - a.signature.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function findDuplicateDocuments(docs: readonly DedupDocument[]): DuplicateGroup[] {
  const byHash = new Map<string, DedupDocument[]>();
  for (const d of docs) {
    if (!d.signature.length) continue;
    const list = byHash.get(d.signature.exact) ?? [];
    list.push(d);
    byHash.set(d.signature.exact, list);
  }
  const groups: DuplicateGroup[] = [];
  for (const list of byHash.values()) {
    if (list.length < 2) continue;
    list.sort(canonicalOrder);
    groups.push({
      id: `dup-${list[0].id}`,
      canonical: list[0].id,
      members: list.map((d, i) => ({ documentId: d.id, similarity: 1, method: i === 0 ? 'canonical' : 'exact' })),
    });
  }
  return groups.sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** Per-document, cacheable: the lines of a source with their hashes and whether each reached the body. */
export interface DocumentPassages {
  documentId: string;
  passages: { hash: string; text: string; start: number; end: number; inBody: boolean }[];
}

export function documentPassages(documentId: string, source: string, paragraphs: readonly Paragraph[]): DocumentPassages {
  const body = new Set(paragraphs.map((p) => p.source.start));
  const passages: DocumentPassages['passages'] = [];
  let offset = 0;
  for (const line of source.split('\n')) {
    const trimmed = line.trim();
    const start = offset + line.indexOf(trimmed);
    offset += line.length + 1;
    if (!trimmed) continue;
    passages.push({ hash: sha(normalise(trimmed)).slice(0, 16), text: trimmed, start, end: start + trimmed.length, inBody: body.has(start) });
  }
  return { documentId, passages };
}

export function findRepeatedPassages(docs: readonly DocumentPassages[]): { withinDocument: RepeatedPassage[]; acrossDocuments: RepeatedPassage[] } {
  const withinDocument: RepeatedPassage[] = [];
  const across = new Map<string, RepeatedPassage & { docs: Set<string> }>();
  for (const d of docs) {
    const local = new Map<string, RepeatedPassage>();
    for (const p of d.passages) {
      const loc = { documentId: d.documentId, start: p.start, end: p.end, inBody: p.inBody };
      const l = local.get(p.hash) ?? { text: p.text, count: 0, locations: [] };
      l.count++; l.locations.push(loc); local.set(p.hash, l);
      if (p.text.split(/\s+/).length >= 8) {
        const a = across.get(p.hash) ?? { text: p.text, count: 0, locations: [], docs: new Set<string>() };
        a.count++; a.locations.push(loc); a.docs.add(d.documentId); across.set(p.hash, a);
      }
    }
    for (const l of local.values()) if (l.count > 1) withinDocument.push(l);
  }
  const acrossDocuments = [...across.values()].filter((a) => a.docs.size > 1).map(({ docs: _d, ...r }) => r);
  return { withinDocument, acrossDocuments };
}

export interface QuoteForClustering {
  id: string;
  documentId: string;
  text: string;
  kind: string;
  speaker: Speaker | null;
}

export function clusterQuotes(quotes: readonly QuoteForClustering[]): { clusters: QuoteCluster[]; clusterOf: Map<string, string> } {
  const byText = new Map<string, QuoteForClustering[]>();
  for (const q of quotes) {
    if (q.kind === 'scare') continue;
    const key = normalise(q.text).replace(/[^\p{L}\p{N} ]/gu, '');
    if (key.split(' ').length < 4) continue;
    byText.set(key, [...(byText.get(key) ?? []), q]);
  }
  const clusters: QuoteCluster[] = [];
  const clusterOf = new Map<string, string>();
  for (const [key, members] of byText) {
    if (members.length < 2) continue;
    const id = `qc-${sha(key).slice(0, 12)}`;
    const speakers = [...new Map(members.filter((m) => m.speaker).map((m) => [m.speaker!.entityId ?? m.speaker!.name, m.speaker!])).values()];
    clusters.push({ id, representative: members[0].text, speakers, documentCount: new Set(members.map((m) => m.documentId)).size,
      members: members.map((m) => ({ quoteId: m.id, documentId: m.documentId, text: m.text, similarity: 1 })) });
    for (const m of members) clusterOf.set(m.id, id);
  }
  return { clusters: clusters.sort((a, b) => (a.id < b.id ? -1 : 1)), clusterOf };
}
