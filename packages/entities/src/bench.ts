/**
 * Throughput of the entities stage next to plain compromise on the same text.
 *
 *   node packages/entities/dist/bench.js [dir-of-txt-files] [--copies N]
 *
 * The text is the fixture articles, each repeated in several variants (paragraphs rotated, so no two
 * documents are identical). The tagged-window cache shared across documents is cleared before each document
 * unless `--reuse` is given, so repeated paragraphs cannot flatter the figure. Both sides are warmed up on the
 * whole set first: start-up and JIT compilation are not throughput.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nlp from 'compromise';
import { buildAliasIndex } from './aliases.js';
import { clearWindowCache, extractDocumentEntities } from './extract.js';

const args = process.argv.slice(2);
const copiesAt = args.indexOf('--copies');
const copies = copiesAt >= 0 ? Number(args[copiesAt + 1]) : 6;
const reuse = args.includes('--reuse');
const dir = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--copies') ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures');

const sources = readdirSync(dir).filter((f) => f.endsWith('.txt')).sort().map((f) => readFileSync(path.join(dir, f), 'utf8'));
if (!sources.length) throw new Error(`no .txt files in ${dir}`);
const docs: string[] = [];
for (let c = 0; c < copies; c++) {
  for (const s of sources) {
    const paras = s.split(/\n{2,}|\n/);
    const k = c % Math.max(1, paras.length);
    docs.push([...paras.slice(k), ...paras.slice(0, k)].join('\n\n'));
  }
}
const bytes = docs.reduce((n, d) => n + Buffer.byteLength(d), 0);

function time(label: string, fn: (text: string) => unknown): number {
  const t0 = performance.now();
  for (const d of docs) fn(d);
  const s = (performance.now() - t0) / 1000;
  const mbs = bytes / 1e6 / s;
  console.log(`${label.padEnd(44)} ${mbs.toFixed(3)} MB/s  (${(bytes / 1e6).toFixed(2)} MB in ${s.toFixed(2)} s)`);
  return mbs;
}

const aliases = buildAliasIndex(undefined);
let sentences = 0;
let chars = 0;
// Warm-up: module and lexicon loading and JIT compilation are not throughput.
for (const d of docs) extractDocumentEntities(d, aliases);
for (const d of docs.slice(0, 20)) nlp(d).people().json();

console.log(`${docs.length} documents, ${sources.length} sources × ${copies} variants, single core${reuse ? ', window cache kept across documents' : ''}`);
const ours = time('entities stage (extractDocumentEntities)', (t) => {
  if (!reuse) clearWindowCache();
  const { stats } = extractDocumentEntities(t, aliases);
  sentences += stats.compromiseSentences;
  chars += stats.compromiseChars;
});
const plain = time('plain compromise (people/organizations/places)', (t) => {
  const doc = nlp(t);
  doc.people().json();
  doc.organizations().json();
  doc.places().json();
});
console.log(`speed-up ×${(ours / plain).toFixed(1)}; compromise ran on ${sentences} sentences, ${((100 * chars) / (bytes || 1)).toFixed(1)}% of the text`);
