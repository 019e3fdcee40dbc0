// `npm run bench`: throughput per stage and end to end, peak memory, and incremental rebuild time, on synthetic
// corpora built from the fixtures; plain compromise over the same text as the yardstick. Not a test.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import cleanSource from '@corpus/clean';
import { documentSignature } from '@corpus/dedup';
import extractEntities from '@corpus/entities';
import extractQuotes from '@corpus/quotes';
import nlp from 'compromise';
import { unified } from 'unified';
import { VFile } from 'vfile';
import { seedParagraphs, syntheticCorpus } from './synthetic.js';

const root = new URL('../../../', import.meta.url).pathname;
const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100,1000,10000' },
    workers: { type: 'string', default: String(availableParallelism()) },
    sample: { type: 'string', default: '150' },
    dir: { type: 'string', default: join(root, '.bench') },
  },
});
const sizes = values.sizes.split(',').map(Number);
const workers = Number(values.workers);
const benchDir = values.dir;
const MB = 1024 * 1024;
const paragraphs = seedParagraphs(join(root, 'fixtures'));

function corpusDir(n: number): string {
  const dir = join(benchDir, `corpus-${n}`);
  const marker = join(dir, '.complete');
  if (existsSync(marker)) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const doc of syntheticCorpus(paragraphs, n)) writeFileSync(join(dir, doc.name), doc.text);
  writeFileSync(marker, '');
  return dir;
}

const dirBytes = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.txt')).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
const fmt = (x: number, d = 2) => x.toFixed(d);
const time = <T>(fn: () => T): [T, number] => {
  const t = performance.now();
  const r = fn();
  return [r, (performance.now() - t) / 1000];
};

// ---- per-stage throughput, single thread, in-process -------------------------------------------------------
// From the 1,000-document corpus whatever sizes are asked for: the sample and the untimed documents before it must be
// different documents (a smaller corpus has too few).
const sampleDir = corpusDir(1000);
const sampleFiles = readdirSync(sampleDir).filter((f) => f.endsWith('.txt')).sort();
const sample = sampleFiles.slice(0, Number(values.sample)).map((f) => readFileSync(join(sampleDir, f), 'utf8'));
// Other documents of the same corpus, run first and not timed (see below).
const rest = sampleFiles.slice(Number(values.sample), 2 * Number(values.sample));
const warmUp = (rest.length ? rest : sampleFiles).map((f) => readFileSync(join(sampleDir, f), 'utf8'));
const sampleBytes = sample.reduce((n, t) => n + Buffer.byteLength(t), 0);
const clean = unified().use(cleanSource).freeze();
const entities = unified().use(extractEntities).freeze();
const quotes = unified().use(extractQuotes).freeze();
const stage = { clean: 0, entities: 0, quotes: 0, dedup: 0 };
// An untimed pass over other documents first, for us and for compromise alike: a worker analyses thousands of
// documents, so the steady state is what counts, not the first calls' compilation and lexicon loading. (Other
// documents, not the sample itself, so that no cache holds the very answers being timed.)
for (const [warm, texts] of [[true, warmUp], [false, sample]] as const) for (const text of texts) {
  const file = new VFile({ value: text, path: 'x.txt' });
  file.data.mediaType = 'text/plain';
  const [tree, tc] = time(() => clean.runSync(clean.parse(file) as { type: 'root' }, file));
  const [, te] = time(() => entities.runSync(tree, file));
  const [, tq] = time(() => quotes.runSync(tree, file));
  const [, td] = time(() => documentSignature(file.data.text!));
  if (warm) continue;
  stage.clean += tc; stage.entities += te; stage.quotes += tq; stage.dedup += td;
}
for (const text of warmUp) nlp(text).people().json();
const [, compromiseSeconds] = time(() => {
  for (const text of sample) {
    const doc = nlp(text);
    doc.people().json(); doc.organizations().json(); doc.places().json();
  }
});
const compromiseMBs = sampleBytes / MB / compromiseSeconds;

console.log(`machine: ${cpus()[0]?.model ?? 'unknown cpu'}, ${availableParallelism()} cores, ${fmt(totalmem() / 1024 ** 3, 0)} GiB, Node ${process.version}`);
console.log(`\nper stage, one thread, ${sample.length} documents (${fmt(sampleBytes / MB)} MB of source):`);
console.log('stage      docs/s    MB/s (of source)');
for (const [name, seconds] of Object.entries(stage)) {
  console.log(`${name.padEnd(10)} ${fmt(sample.length / seconds, 1).padStart(7)}   ${fmt(sampleBytes / MB / seconds, 3)}`);
}
const perDocSeconds = Object.values(stage).reduce((a, b) => a + b, 0);
console.log(`${'all'.padEnd(10)} ${fmt(sample.length / perDocSeconds, 1).padStart(7)}   ${fmt(sampleBytes / MB / perDocSeconds, 3)}`);
console.log(`plain compromise (people+organizations+places), one thread: ${fmt(compromiseMBs, 3)} MB/s`);

// ---- end to end, cold and incremental, in a child process per build ----------------------------------------
const child = join(root, 'pipelines/build-corpus/dist/bench-child.js');
/**
 * Each build starts with what the last one wrote flushed to disk (`sync`), as after any pause: otherwise a build timed
 * right after a cold one shares the machine with the kernel writing back the cold build's gigabyte of output.
 */
const flushDisk = () => {
  try {
    execFileSync('sync');
  } catch {
    // No `sync` here (Windows): the builds are timed as they come.
  }
};
const build = (input: string, out: string, cache: 'on' | 'none') => {
  flushDisk();
  return JSON.parse(execFileSync(process.execPath, [child, input, out, String(workers), cache], { encoding: 'utf8', maxBuffer: 1 << 24 }));
};

const rows: Record<string, unknown>[] = [];
console.log(`\nend to end, ${workers} workers (cold = empty output and cache):`);
console.log('docs     MB     cold s   docs/s   MB/s   MB/s/core  ×compromise  peak RSS MiB  +1 doc s  no change s');
for (const n of sizes) {
  const input = corpusDir(n);
  const bytes = dirBytes(input);
  const out = join(benchDir, `out-${n}`);
  rmSync(out, { recursive: true, force: true });
  const cold = build(input, out, 'on');
  const extra = join(input, 'zz-added.txt');
  writeFileSync(extra, [...syntheticCorpus(paragraphs, 1, 999_999 + n)][0].text);
  let incremental;
  try {
    incremental = build(input, out, 'on');
  } finally {
    rmSync(extra, { force: true });
  }
  build(input, out, 'on'); // back to the corpus without the extra document
  const unchanged = build(input, out, 'on');
  const mbs = bytes / MB / cold.seconds;
  const row = {
    documents: n, megabytes: bytes / MB, coldSeconds: cold.seconds, docsPerSecond: n / cold.seconds, mbPerSecond: mbs,
    mbPerSecondPerCore: mbs / workers, ratioToCompromise: mbs / compromiseMBs, peakRssMiB: cold.maxRssMiB,
    addOneSeconds: incremental.seconds, addOneAnalysed: incremental.analysed, unchangedSeconds: unchanged.seconds, errors: cold.errors,
  };
  rows.push(row);
  console.log(
    `${String(n).padEnd(8)} ${fmt(bytes / MB, 1).padStart(5)}  ${fmt(cold.seconds, 1).padStart(7)}  ${fmt(row.docsPerSecond, 1).padStart(7)}  ${fmt(mbs, 3)}  ${fmt(row.mbPerSecondPerCore, 3).padStart(9)}  ${fmt(row.ratioToCompromise, 1).padStart(11)}  ${fmt(cold.maxRssMiB, 0).padStart(12)}  ${fmt(incremental.seconds, 2).padStart(8)}  ${fmt(unchanged.seconds, 2).padStart(11)}`,
  );
}
mkdirSync(benchDir, { recursive: true });
writeFileSync(join(benchDir, 'results.json'), `${JSON.stringify({ workers, sampleDocuments: sample.length, stageSeconds: stage, compromiseMBs, rows }, null, 2)}\n`);
console.log(`\nresults: ${join(benchDir, 'results.json')}`);
