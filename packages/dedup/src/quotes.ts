import type { QuoteCluster, Speaker } from '@corpus/schema';
import { DisjointSets, sha256Hex } from './hash.js';
import { type DedupParameters, resolveParameters } from './params.js';
import { foldText, words } from './text.js';

export interface QuoteForClustering {
  /** Quote id: document-local ("q3") or corpus-unique ("<documentId>:q3"); see `clusterOf`. */
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
    // Bounded: insertions are short, and an unbounded scan from every unclosed '[' is quadratic.
    .replace(/\[[^[\]]{0,120}\]/g, '\u0000')
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

/** What clustering needs of a quote's wording: its word count and word n-grams. */
interface Wording {
  words: number;
  grams: Set<string>;
}

function wording(text: string, n: number): Wording {
  const segs = segments(text);
  const grams = new Set<string>();
  for (const s of segs) {
    if (s.length < n) {
      grams.add(s.join(' '));
      continue;
    }
    for (let i = 0; i + n <= s.length; i++) grams.add(s.slice(i, i + n).join(' '));
  }
  return { words: segs.reduce((a, s) => a + s.length, 0), grams };
}

/**
 * The wordings of quote texts, worked out ahead of clustering: a build fills it with the quotes it already knows
 * while new documents are still being analysed, so that clustering, once the speakers are known, only looks them up.
 */
export class QuoteWordings {
  private readonly byText = new Map<string, Wording>();
  private readonly n: number;

  constructor(params?: Partial<DedupParameters>) {
    this.n = resolveParameters(params).quoteShingleSize;
  }

  add(text: string): void {
    if (!this.byText.has(text)) this.byText.set(text, wording(text, this.n));
  }

  get(text: string): Wording {
    let w = this.byText.get(text);
    if (!w) this.byText.set(text, (w = wording(text, this.n)));
    return w;
  }
}

/** Shared n-grams over the smaller quote's (containment) and over the larger one's (same wording). */
function overlap(a: Prepared, b: Prepared): { containment: number; resemblance: number } {
  const [small, large] = a.grams.size <= b.grams.size ? [a, b] : [b, a];
  if (!small.grams.size) return { containment: 0, resemblance: 0 };
  let shared = 0;
  for (const g of small.grams) if (large.grams.has(g)) shared++;
  return { containment: shared / small.grams.size, resemblance: shared / large.grams.size };
}

const speakerWords = (s: Speaker) => new Set(words(s.name));

/**
 * Same speaker, or one side unknown. Without corpus-wide entity ids, names compare by words: one name
 * inside the other ("Tokayev", "Kassym-Jomart Tokayev") or the same last word (transliterations of a
 * first name differ far more often than surnames do).
 */
function speakersAgree(a: Speaker | null, b: Speaker | null): boolean {
  if (!a || !b) return true;
  if (a.entityId && b.entityId) return a.entityId === b.entityId;
  const wa = speakerWords(a), wb = speakerWords(b);
  if (!wa.size || !wb.size) return true;
  if ([...wa].at(-1) === [...wb].at(-1)) return true;
  const [small, large] = wa.size <= wb.size ? [wa, wb] : [wb, wa];
  for (const w of small) if (!large.has(w)) return false;
  return true;
}

export interface QuoteClusters {
  clusters: QuoteCluster[];
  /**
   * Cluster id of every clustered quote, under quoteKey(documentId, quoteId); also under the bare
   * quote id when the ids given are unique across the input (e.g. "<documentId>:<quoteId>").
   */
  clusterOf: Map<string, string>;
}

/**
 * Clusters the same utterance quoted more than once. Candidates come from an inverted index of word
 * n-grams (no all-pairs pass); a pair matches when most of the shorter quote's n-grams occur in the
 * longer one, so a shortened or bracket-edited version joins its full form while two different
 * sentences of the same speaker stay apart. Scare quotes and quotes under `minQuoteWords` never cluster.
 */
export function clusterQuotes(
  quotes: readonly QuoteForClustering[],
  params?: Partial<DedupParameters>,
  /** Wordings worked out ahead (made with the same `params`); the others are worked out here. */
  wordings: QuoteWordings = new QuoteWordings(params),
): QuoteClusters {
  const p = resolveParameters(params);
  const prepared: Prepared[] = [];
  quotes.forEach((q, i) => {
    if (q.kind === 'scare') return;
    const w = wordings.get(q.text);
    if (w.words >= p.minQuoteWords) prepared.push({ q, index: i, words: w.words, grams: w.grams });
  });

  const postings = new Map<string, number[]>();
  prepared.forEach((x, i) => {
    for (const g of x.grams) {
      const list = postings.get(g);
      if (list) list.push(i);
      else postings.set(g, [i]);
    }
  });
  // Two named speakers who differ: only the same wording is one utterance (misattributed once); a
  // shorter quote inside a longer one by someone else is more likely a slogan being repeated.
  const matches = (x: Prepared, y: Prepared) => {
    const o = overlap(x, y);
    return speakersAgree(x.q.speaker, y.q.speaker) ? o.containment >= p.quoteContainment : o.resemblance >= p.quoteConflictingSpeakerSimilarity;
  };
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
      if (count >= Math.min(3, x.grams.size, y.grams.size) && matches(x, y)) sets.union(i, j);
    }
  });

  const components = new Map<number, Prepared[]>();
  prepared.forEach((x, i) => {
    const r = sets.find(i);
    const g = components.get(r);
    if (g) g.push(x);
    else components.set(r, [x]);
  });
  // A short quote inside two different longer ones links them in the graph; each cluster is instead a
  // star around its fullest wording, and every member must match that wording itself.
  const byDocument = (a: Prepared, b: Prepared) => (a.q.documentId < b.q.documentId ? -1 : a.q.documentId > b.q.documentId ? 1 : a.index - b.index);
  const groups: Prepared[][] = [];
  for (const comp of components.values()) {
    let remaining = comp.sort((a, b) => b.words - a.words || byDocument(a, b));
    while (remaining.length > 1) {
      const rep = remaining[0];
      const star = [rep];
      const rest: Prepared[] = [];
      for (const m of remaining.slice(1)) (matches(rep, m) ? star : rest).push(m);
      if (star.length > 1) groups.push(star);
      remaining = rest;
    }
  }

  const uniqueIds = new Set(quotes.map((q) => q.id)).size === quotes.length;
  const clusters: QuoteCluster[] = [];
  const clusterOf = new Map<string, string>();
  const used = new Set<string>();
  for (const star of groups) {
    // The fullest wording represents the cluster (ties: the first document); members in document order.
    const rep = star[0];
    const members = [...star].sort(byDocument);
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
        similarity: m === rep ? 1 : Math.round(overlap(m, rep).containment * 1000) / 1000,
      })),
    });
    for (const m of members) {
      clusterOf.set(quoteKey(m.q.documentId, m.q.id), id);
      if (uniqueIds) clusterOf.set(m.q.id, id);
    }
  }
  return { clusters: clusters.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)), clusterOf };
}
