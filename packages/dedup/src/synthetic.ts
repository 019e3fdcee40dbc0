/**
 * Synthetic corpora built from real articles, for measuring duplicate detection (tests) and its cost
 * (bench). Deterministic for a given seed. Not part of the public API.
 */
import type { DuplicateGroup } from '@corpus/schema';
import type { DocumentSignature } from './documents.js';
import type { DedupDocument } from './duplicates.js';
import { mulberry32 } from './hash.js';
import type { DedupParameters } from './params.js';

export interface SyntheticDoc {
  id: string;
  published: string | null;
  text: string;
  /** Documents derived from the same original share a family; null marks a document with no copy. */
  family: string | null;
  /** How the document was derived from its original (empty for originals and unrelated documents). */
  edits: string[];
}

type Rng = () => number;
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
function shuffle<T>(rng: Rng, xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}
const wordCount = (s: string) => s.split(/\s+/).filter(Boolean).length;

/** Article material: paragraphs (long source lines: the body of a dump, not its menus) and their sentences. */
export interface Material {
  articles: string[][];
  sentences: string[];
  vocabulary: string[];
}

export function materialFrom(sources: readonly string[]): Material {
  const articles = sources
    .map((s) => s.split('\n').map((l) => l.trim()).filter((l) => wordCount(l) >= 15))
    .filter((a) => a.length >= 3);
  const sentences = articles.flat().flatMap((p) => p.split(/(?<=[.!?][”"’]?)\s+(?=[A-Z“"])/)).filter((s) => wordCount(s) >= 6);
  const counts = new Map<string, number>();
  for (const s of sentences) for (const w of s.match(/[\p{L}][\p{L}'’-]*/gu) ?? []) counts.set(w, (counts.get(w) ?? 0) + 1);
  const vocabulary = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([w]) => w);
  if (!articles.length || sentences.length < 20) throw new Error('synthetic material needs real articles with long paragraphs');
  return { articles, sentences, vocabulary };
}

/** Site chrome the cleaner may have left around a body: short nav lines and a long footer paragraph. */
const SITES = [
  { head: ['Home', 'World', 'Politics', 'Subscribe'], foot: 'This article is published under a Creative Commons licence and may be republished with attribution to the original outlet and a link to the source page.' },
  { head: ['Skip to main content', 'Menu', 'Search'], foot: 'The views expressed in this commentary are those of the author alone and do not necessarily reflect the positions of the institute or its funders.' },
  { head: ['Latest news', 'Analysis', 'Opinion', 'Newsletter'], foot: 'Sign up for our weekly newsletter to receive the best analysis on global affairs directly in your inbox every Friday morning.' },
  { head: ['Sections', 'Region', 'Topics'], foot: 'Reproduction of this material without the prior written permission of the publisher is prohibited; all rights are reserved worldwide.' },
  { head: ['Log in', 'Register', 'Print'], foot: 'Our reporting is funded by readers like you, so please consider supporting independent journalism with a monthly donation today.' },
  { head: ['Share on X', 'Share on Facebook', 'Copy link'], foot: 'Related coverage from our correspondents in the region is collected on the topic page, updated daily with maps and data.' },
];

function withChrome(rng: Rng, paragraphs: readonly string[], site: number, material: Material): string {
  const s = SITES[site % SITES.length];
  const related = Array.from({ length: int(rng, 0, 2) }, () => pick(rng, material.sentences).split(/\s+/).slice(0, 8).join(' '));
  return [...s.head, ...paragraphs, ...related, s.foot].join('\n\n');
}

/** Small copy edits: a word replaced, dropped, inserted, or two words swapped. */
function editSentence(rng: Rng, paragraph: string, material: Material): string {
  const w = paragraph.split(' ');
  if (w.length < 4) return paragraph;
  const i = int(rng, 1, w.length - 2);
  switch (int(rng, 0, 3)) {
    case 0: w[i] = pick(rng, material.vocabulary.slice(0, 500)); break;
    case 1: w.splice(i, 1); break;
    case 2: w.splice(i, 0, pick(rng, material.vocabulary.slice(0, 500))); break;
    default: [w[i], w[i + 1]] = [w[i + 1], w[i]];
  }
  return w.join(' ');
}

/** A new article on the same subject: paragraphs of sentences drawn from all the material. */
function composedArticle(rng: Rng, material: Material, paragraphs = int(rng, 4, 9)): string[] {
  return Array.from({ length: paragraphs }, () => Array.from({ length: int(rng, 2, 4) }, () => pick(rng, material.sentences)).join(' '));
}

const TRANSFORMS = ['chrome', 'edits', 'drop', 'add', 'shuffle'] as const;

/** A copy of an article as another outlet or a second scrape would carry it. */
export function variant(rng: Rng, original: readonly string[], material: Material, forced?: string[]): { paragraphs: string[]; edits: string[] } {
  let paragraphs = [...original];
  const edits = forced ?? shuffle(rng, [...TRANSFORMS]).slice(0, int(rng, 1, 3));
  for (const t of edits) {
    if (t === 'edits') {
      for (let e = int(rng, 1, 4); e > 0; e--) {
        const i = int(rng, 0, paragraphs.length - 1);
        paragraphs[i] = editSentence(rng, paragraphs[i], material);
      }
    } else if (t === 'drop' && paragraphs.length >= 4) paragraphs.splice(int(rng, 0, paragraphs.length - 1), 1);
    else if (t === 'add') paragraphs.splice(int(rng, 0, paragraphs.length), 0, composedArticle(rng, material, 1)[0]);
    else if (t === 'shuffle') paragraphs = shuffle(rng, paragraphs);
  }
  return { paragraphs, edits };
}

const date = (day: number) => new Date(Date.UTC(2022, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);

export interface NearDuplicateSetOptions {
  seed?: number;
  /** Originals composed from the material (the real articles are originals too). */
  composed?: number;
  /** Unrelated documents that reuse up to a third of one article's paragraphs. */
  mixed?: number;
}

/**
 * Originals (the real articles plus composed ones), one to three copies of each (chrome swapped,
 * sentences edited, a paragraph dropped or added, paragraphs shuffled, or restyled exact copies), and
 * unrelated documents that share vocabulary and up to a third of one article's paragraphs.
 */
export function nearDuplicateSet(material: Material, options: NearDuplicateSetOptions = {}): SyntheticDoc[] {
  const rng = mulberry32(options.seed ?? 1);
  const originals = [...material.articles, ...Array.from({ length: options.composed ?? 60 }, () => composedArticle(rng, material))];
  const docs: SyntheticDoc[] = [];
  originals.forEach((paragraphs, f) => {
    const family = `f${f}`;
    const day = int(rng, 0, 900);
    const site = int(rng, 0, SITES.length - 1);
    const originalText = withChrome(rng, paragraphs, site, material);
    docs.push({ id: `${family}-0`, published: date(day), text: originalText, family, edits: [] });
    for (let c = 1, copies = int(rng, 1, 3); c <= copies; c++) {
      // A second scrape of the same page: same words, other case, quote style and spacing.
      const exact = rng() < 0.15;
      const v = exact ? { paragraphs: [], edits: ['restyle'] } : variant(rng, paragraphs, material);
      const text = exact
        ? originalText.replace(/[“”]/g, '"').replace(/’/g, "'").replace(/\n\n/g, '\n \n').toUpperCase()
        : withChrome(rng, v.paragraphs, v.edits.includes('chrome') ? site + int(rng, 1, SITES.length - 1) : site, material);
      // Copies usually follow the original; sometimes one is dated earlier or carries no date at all.
      const r = rng();
      docs.push({ id: `${family}-${c}`, published: r < 0.1 ? null : date(day + int(rng, r < 0.25 ? -3 : 0, 5)), text, family, edits: v.edits });
    }
  });
  for (let m = 0; m < (options.mixed ?? 40); m++) {
    const source = pick(rng, originals);
    const borrowed = shuffle(rng, [...source]).slice(0, Math.max(1, Math.floor(source.length / 3)));
    const own = composedArticle(rng, material, Math.max(borrowed.length * 2, 4));
    docs.push({ id: `mix${m}`, published: date(int(rng, 0, 900)), text: withChrome(rng, shuffle(rng, [...borrowed, ...own]), int(rng, 0, SITES.length - 1), material), family: null, edits: ['mixed'] });
  }
  return docs;
}

export interface PairScores {
  precision: number;
  recall: number;
  truePairs: number;
  predictedPairs: number;
  correctPairs: number;
  /** Predicted pairs that are wrong, and true pairs that were missed (ids), for diagnosis. */
  falsePairs: [string, string][];
  missedPairs: [string, string][];
}

/** Document-pair precision and recall: a group of g members predicts g·(g−1)/2 pairs. */
export function pairScores(docs: readonly SyntheticDoc[], groups: readonly DuplicateGroup[]): PairScores {
  const family = new Map(docs.map((d) => [d.id, d.family]));
  const predicted = new Set<string>();
  const falsePairs: [string, string][] = [];
  let correct = 0;
  for (const g of groups) {
    const ids = g.members.map((m) => m.documentId).sort();
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        predicted.add(`${ids[i]}|${ids[j]}`);
        const f = family.get(ids[i]);
        if (f != null && f === family.get(ids[j])) correct++;
        else falsePairs.push([ids[i], ids[j]]);
      }
    }
  }
  const byFamily = new Map<string, string[]>();
  for (const d of docs) if (d.family) byFamily.set(d.family, [...(byFamily.get(d.family) ?? []), d.id]);
  let truePairs = 0;
  const missedPairs: [string, string][] = [];
  for (const ids of byFamily.values()) {
    ids.sort();
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        truePairs++;
        if (!predicted.has(`${ids[i]}|${ids[j]}`)) missedPairs.push([ids[i], ids[j]]);
      }
    }
  }
  return {
    precision: predicted.size ? correct / predicted.size : 1,
    recall: truePairs ? correct / truePairs : 1,
    truePairs,
    predictedPairs: predicted.size,
    correctPairs: correct,
    falsePairs,
    missedPairs,
  };
}

/** Zipf-distributed words from the material's vocabulary: unique text at any scale, realistic frequencies. */
export function* benchCorpus(material: Material, count: number, seed = 7, duplicateShare = 0.2): Generator<{ id: string; published: string; text: string; copy: boolean }> {
  const rng = mulberry32(seed);
  const vocab = material.vocabulary;
  const cumulative = new Float64Array(vocab.length);
  let total = 0;
  for (let i = 0; i < vocab.length; i++) cumulative[i] = total += 1 / (i + 1);
  const word = () => {
    const x = rng() * total;
    let lo = 0, hi = vocab.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return vocab[lo];
  };
  const sentence = () => {
    const w = Array.from({ length: int(rng, 8, 28) }, word);
    w[0] = w[0][0].toUpperCase() + w[0].slice(1);
    return `${w.join(' ')}.`;
  };
  const recent: string[][] = [];
  for (let i = 0; i < count; i++) {
    let paragraphs: string[];
    const copy = recent.length > 0 && rng() < duplicateShare;
    if (copy) paragraphs = variant(rng, pick(rng, recent), material).paragraphs;
    else paragraphs = Array.from({ length: int(rng, 4, 10) }, () => Array.from({ length: int(rng, 2, 5) }, sentence).join(' '));
    if (recent.length < 256) recent.push(paragraphs);
    else recent[int(rng, 0, 255)] = paragraphs;
    yield { id: `doc${i}`, published: date(int(rng, 0, 1500)), text: paragraphs.join('\n\n'), copy };
  }
}

export interface Evaluation {
  documents: number;
  precision: number;
  recall: number;
  truePairs: number;
  predictedPairs: number;
  correctPairs: number;
}

/** Pair precision/recall of signature + grouping, pooled over several generated sets. */
export function evaluateNearDuplicates(
  material: Material,
  params: Partial<DedupParameters>,
  seeds: readonly number[],
  sign: (text: string, p: Partial<DedupParameters>) => DocumentSignature,
  group: (docs: DedupDocument[], p: Partial<DedupParameters>) => DuplicateGroup[],
): Evaluation {
  const e: Evaluation = { documents: 0, precision: 0, recall: 0, truePairs: 0, predictedPairs: 0, correctPairs: 0 };
  for (const seed of seeds) {
    const docs = nearDuplicateSet(material, { seed });
    const s = pairScores(docs, group(docs.map((d) => ({ id: d.id, published: d.published, signature: sign(d.text, params) })), params));
    e.documents += docs.length;
    e.truePairs += s.truePairs;
    e.predictedPairs += s.predictedPairs;
    e.correctPairs += s.correctPairs;
  }
  e.precision = e.predictedPairs ? e.correctPairs / e.predictedPairs : 1;
  e.recall = e.truePairs ? e.correctPairs / e.truePairs : 1;
  return e;
}
