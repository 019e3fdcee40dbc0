/**
 * Chooses the duplicate-detection parameters by measurement: pair precision and recall on synthetic
 * near-duplicate sets built from real articles, for the defaults and for one change at a time.
 *
 *   node packages/dedup/dist/measure.js [fixturesDir]
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { documentSignature } from './documents.js';
import { findDuplicateDocuments, resemblance } from './duplicates.js';
import { decodeU32 } from './hash.js';
import { DEFAULT_DEDUP_PARAMETERS, type DedupParameters } from './params.js';
import { type Material, evaluateNearDuplicates, materialFrom, nearDuplicateSet } from './synthetic.js';

export function loadSources(dir = fileURLToPath(new URL('../../../fixtures/', import.meta.url))): string[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.txt')).sort().map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
}

const GRID: Partial<DedupParameters>[] = [
  {},
  { shingleSize: 3 },
  { shingleSize: 4 },
  { shingleSize: 7 },
  { numHashes: 64, bands: 16 },
  { bands: 16 },
  { bands: 64 },
  { sampleSize: 128 },
  { jaccardThreshold: 0.3 },
  { jaccardThreshold: 0.4 },
  { jaccardThreshold: 0.6 },
  { jaccardThreshold: 0.7 },
  { containmentThreshold: 0.6 },
  { containmentThreshold: 0.7 },
  { containmentThreshold: 0.9 },
  { containmentThreshold: 1.01 },
  { jaccardThreshold: 0.2, containmentThreshold: 0.4 },
  { jaccardThreshold: 0.3, containmentThreshold: 0.6, minSizeRatio: 0.3 },
];

/** Where the thresholds sit: scores of every same-family pair against every other pair (all pairs: small sets only). */
function separation(material: Material, seeds: readonly number[]) {
  const pos: { j: number; c: number }[] = [], neg: { j: number; c: number; ratio: number }[] = [];
  for (const seed of seeds) {
    const docs = nearDuplicateSet(material, { seed });
    const sigs = docs.map((d) => { const s = documentSignature(d.text); return { d, s, sample: decodeU32(s.sample) }; });
    for (let i = 0; i < sigs.length; i++) {
      for (let j = i + 1; j < sigs.length; j++) {
        const a = sigs[i], b = sigs[j];
        const r = resemblance(a.sample, a.s.shingles, b.sample, b.s.shingles, DEFAULT_DEDUP_PARAMETERS.sampleSize);
        if (a.d.family && a.d.family === b.d.family) pos.push({ j: r.jaccard, c: r.containment });
        else neg.push({ j: r.jaccard, c: r.containment, ratio: r.sizeRatio });
      }
    }
  }
  const q = (xs: number[], at: number) => xs.sort((a, b) => a - b)[Math.floor(at * (xs.length - 1))].toFixed(3);
  console.log(`\nsame-article pairs (${pos.length}): Jaccard 1st/5th/50th percentile ${q(pos.map((x) => x.j), 0.01)} / ${q(pos.map((x) => x.j), 0.05)} / ${q(pos.map((x) => x.j), 0.5)}`);
  console.log(`other pairs (${neg.length}): Jaccard max ${q(neg.map((x) => x.j), 1)}, 99.9th percentile ${q(neg.map((x) => x.j), 0.999)}; containment max (size ratio >= ${DEFAULT_DEDUP_PARAMETERS.minSizeRatio}) ${q(neg.filter((x) => x.ratio >= DEFAULT_DEDUP_PARAMETERS.minSizeRatio).map((x) => x.c), 1)}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const material = materialFrom(loadSources(process.argv[2]));
  const seeds = [1, 2, 3, 4, 5];
  console.log(`| change from defaults | documents | true pairs | predicted | precision | recall |`);
  console.log(`|---|---|---|---|---|---|`);
  for (const change of GRID) {
    const e = evaluateNearDuplicates(material, change, seeds, documentSignature, findDuplicateDocuments);
    const label = Object.keys(change).length ? Object.entries(change).map(([k, v]) => `${k}=${v}`).join(', ') : 'defaults';
    console.log(`| ${label} | ${e.documents} | ${e.truePairs} | ${e.predictedPairs} | ${e.precision.toFixed(4)} | ${e.recall.toFixed(4)} |`);
  }
  separation(material, seeds);
}
