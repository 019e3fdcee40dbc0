import type { QuoteCluster, Speaker } from '@corpus/schema';
import { DisjointSets, sha256Hex } from './hash.js';
import { type DedupParameters, resolveParameters } from './params.js';
import { foldText, words } from './text.js';

export interface QuoteForClustering {
  /** Quote id; only unique together with documentId (quote ids are document-local). */
  id: string;
  documentId: string;
  text: string;
  kind: string;
  /** Speaker with a corpus-wide (canonical) entityId when known. */
  speaker: Speaker | null;
}

/** Key of a quote in `clusterOf`. */
export const quoteKey = (documentId: string, quoteId: string) => `${documentId}#${quoteId}`;

/**
 * Editorial marks split a quote into segments: `[the sanctions]` stands in for words the speaker said
 * differently, and an ellipsis marks words left out; n-grams never span either.
 */
function segments(text: string): string[][] {
  return foldText(text)
    .replace(/\[[^\]]*\]/g, '\u0000')
    .replace(/\u2026|\.\s*\.\s*\./g, '\u0000')
    .split('\u0000')
    .map((s) => s.match(/[\p{L}\p{N}]+/gu) ?? [])
    .filter((s) => s.length);
}

interface Prepared {
  q: QuoteForClustering;
  index: number;
  words: number;
  grams: Set<string>;
}

function prepare(q: QuoteForClustering, index: number, n: number): Prepared {
  const segs = segments(q.text);
  const grams = new Set<string>();
  for (const s of segs) {
    if (s.length < n) {
      grams.add(s.join(' '));
      continue;
    }
    for (let i = 0; i + n <= s.length; i++) grams.add(s.slice(i, i + n).join(' '));
  }
  return { q, index, words: segs.reduce((a, s) => a + s.length, 0), grams };
}

/** Share of the smaller quote's n-grams found in the larger one. */
function containment(a: Prepared, b: Prepared): number {
  const [small, large] = a.grams.size <= b.grams.size ? [a, b] : [b, a];
  if (!small.grams.size) return 0;
  let shared = 0;
  for (const g of small.grams) if (large.grams.has(g)) shared++;
  return shared / small.grams.size;
}

const speakerWords = (s: Speaker) => new Set(words(s.name));

/** Same speaker, or one side unknown. Names compare by words so "Tokayev" matches "Kassym-Jomart Tokayev". */
function speakersAgree(a: Speaker | null, b: Speaker | null): boolean {
  if (!a || !b) return true;
  if (a.entityId && b.entityId) return a.entityId === b.entityId;
  const wa = speakerWords(a), wb = speakerWords(b);
  if (!wa.size || !wb.size) return true;
  const [small, large] = wa.size <= wb.size ? [wa, wb] : [wb, wa];
  for (const w of small) if (!large.has(w)) return false;
  return true;
}

export interface QuoteClusters {
  clusters: QuoteCluster[];
  /** quoteKey(documentId, quoteId) → cluster id, for every clustered quote. */
  clusterOf: Map<string, string>;
}

/**
 * Clusters the same utterance quoted more than once. Candidates come from an inverted index of word
 * n-grams (no all-pairs pass); a pair matches when most of the shorter quote's n-grams occur in the
 * longer one, so a shortened or bracket-edited version joins its full form while two different
 * sentences of the same speaker stay apart. Scare quotes and quotes under `minQuoteWords` never cluster.
 */
export function clusterQuotes(quotes: readonly QuoteForClustering[], params?: Partial<DedupParameters>): QuoteClusters {
  const p = resolveParameters(params);
  const prepared: Prepared[] = [];
  quotes.forEach((q, i) => {
    if (q.kind === 'scare') return;
    const x = prepare(q, i, p.quoteShingleSize);
    if (x.words >= p.minQuoteWords) prepared.push(x);
  });

  const postings = new Map<string, number[]>();
  prepared.forEach((x, i) => {
    for (const g of x.grams) {
      const list = postings.get(g);
      if (list) list.push(i);
      else postings.set(g, [i]);
    }
  });
  // An n-gram shared by very many quotes ("we will not") carries no identity; it proposes nothing.
  const maxPosting = Math.max(50, Math.ceil(Math.sqrt(prepared.length)));
  const sets = new DisjointSets(prepared.length);
  prepared.forEach((x, i) => {
    const shared = new Map<number, number>();
    for (const g of x.grams) {
      const list = postings.get(g)!;
      if (list.length > maxPosting) continue;
      for (const j of list) if (j > i) shared.set(j, (shared.get(j) ?? 0) + 1);
    }
    for (const [j, count] of shared) {
      const y = prepared[j];
      if (count < Math.min(3, x.grams.size, y.grams.size)) continue;
      const c = containment(x, y);
      const needed = speakersAgree(x.q.speaker, y.q.speaker) ? p.quoteContainment : p.quoteConflictingSpeakerContainment;
      if (c >= needed) sets.union(i, j);
    }
  });

  const groups = new Map<number, Prepared[]>();
  prepared.forEach((x, i) => {
    const r = sets.find(i);
    const g = groups.get(r);
    if (g) g.push(x);
    else groups.set(r, [x]);
  });

  const clusters: QuoteCluster[] = [];
  const clusterOf = new Map<string, string>();
  const used = new Set<string>();
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    members.sort((a, b) => (a.q.documentId < b.q.documentId ? -1 : a.q.documentId > b.q.documentId ? 1 : a.index - b.index));
    // The fullest wording represents the cluster; ties go to the first document.
    const rep = members.reduce((best, x) => (x.words > best.words ? x : best));
    let id = `qc-${sha256Hex(segments(rep.q.text).flat().join(' '), 12)}`;
    for (let salt = 1; used.has(id); salt++) id = `qc-${sha256Hex(`${salt}:${rep.q.documentId}:${rep.q.id}`, 12)}`;
    used.add(id);
    const speakers: { speaker: Speaker; count: number }[] = [];
    for (const m of members) {
      const sp = m.q.speaker;
      if (!sp) continue;
      const s = speakers.find((x) => speakersAgree(x.speaker, sp));
      if (!s) speakers.push({ speaker: sp, count: 1 });
      else {
        s.count++;
        // Keep the fullest name, and an entity id whenever one member has it.
        if (sp.name.length > s.speaker.name.length || (!s.speaker.entityId && sp.entityId)) s.speaker = sp;
      }
    }
    clusters.push({
      id,
      representative: rep.q.text,
      speakers: speakers.sort((a, b) => b.count - a.count).map((s) => s.speaker),
      documentCount: new Set(members.map((m) => m.q.documentId)).size,
      members: members.map((m) => ({
        quoteId: m.q.id,
        documentId: m.q.documentId,
        text: m.q.text,
        similarity: m === rep ? 1 : Math.round(containment(m, rep) * 1000) / 1000,
      })),
    });
    for (const m of members) clusterOf.set(quoteKey(m.q.documentId, m.q.id), id);
  }
  return { clusters: clusters.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)), clusterOf };
}
