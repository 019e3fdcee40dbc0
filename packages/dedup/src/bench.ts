/**
 * Cost of duplicate detection at scale: signatures, then grouping, for N synthetic documents (Zipf
 * words from the seed articles' vocabulary, 20% of them edited copies of earlier ones). Each N runs
 * in a fresh process so its peak memory is its own.
 *
 *   node packages/dedup/dist/bench.js [N...]        (default: 1000 10000 100000)
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { documentSignature } from './documents.js';
import { type DedupDocument, findDuplicateDocuments } from './duplicates.js';
import { loadSources } from './measure.js';
import { benchCorpus, materialFrom } from './synthetic.js';

interface Result {
  n: number;
  words: number;
  copies: number;
  signatureMs: number;
  groupMs: number;
  signatureCpuMs: number;
  groupCpuMs: number;
  groups: number;
  marked: number;
  signatureBytes: number;
  baselineMb: number;
  peakRssMb: number;
  heapMb: number;
}

function runOne(n: number): Result {
  const material = materialFrom(loadSources());
  const baselineMb = process.resourceUsage().maxRSS / 1024;
  const docs: DedupDocument[] = [];
  let signatureMs = 0, signatureCpuMs = 0, words = 0, copies = 0, signatureBytes = 0;
  for (const d of benchCorpus(material, n)) {
    const t = performance.now(), c = process.cpuUsage();
    const signature = documentSignature(d.text);
    signatureMs += performance.now() - t;
    const dc = process.cpuUsage(c);
    signatureCpuMs += (dc.user + dc.system) / 1000;
    words += signature.words;
    if (d.copy) copies++;
    if (docs.length < 1000) signatureBytes += JSON.stringify(signature).length;
    docs.push({ id: d.id, published: d.published, signature });
  }
  const t = performance.now(), c = process.cpuUsage();
  const groups = findDuplicateDocuments(docs);
  const groupMs = performance.now() - t;
  const gc = process.cpuUsage(c);
  const groupCpuMs = (gc.user + gc.system) / 1000;
  return {
    n,
    words,
    copies,
    signatureMs,
    groupMs,
    signatureCpuMs,
    groupCpuMs,
    groups: groups.length,
    marked: groups.reduce((a, g) => a + g.members.length - 1, 0),
    signatureBytes: signatureBytes / Math.min(n, 1000),
    baselineMb,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    heapMb: process.memoryUsage().heapUsed / 2 ** 20,
  };
}

const self = fileURLToPath(import.meta.url);
if (process.argv[1] && path.resolve(process.argv[1]) === self) {
  const args = process.argv.slice(2);
  if (args[0] === '--one') {
    process.stdout.write(JSON.stringify(runOne(Number(args[1]))));
  } else {
    const sizes = args.length ? args.map(Number) : [1000, 10_000, 100_000];
    console.log('Wall time, with CPU time in parentheses (the wall time includes waiting for a shared CPU).');
    console.log('| documents | words | signatures | grouping | total | docs/s (CPU) | copies injected | marked duplicate | groups | signature JSON | peak RSS (baseline) | heap after |');
    console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
    for (const n of sizes) {
      const child = spawnSync(process.execPath, ['--max-old-space-size=4096', self, '--one', String(n)], { encoding: 'utf8', maxBuffer: 1 << 20 });
      if (child.status !== 0) throw new Error(`bench ${n} failed: ${child.stderr}`);
      const r: Result = JSON.parse(child.stdout);
      const s = (ms: number, cpu: number) => `${(ms / 1000).toFixed(2)} s (${(cpu / 1000).toFixed(2)})`;
      console.log(
        `| ${r.n.toLocaleString('en')} | ${(r.words / 1e6).toFixed(1)} M | ${s(r.signatureMs, r.signatureCpuMs)} | ${s(r.groupMs, r.groupCpuMs)} | ${s(r.signatureMs + r.groupMs, r.signatureCpuMs + r.groupCpuMs)} | ${Math.round(r.n / ((r.signatureCpuMs + r.groupCpuMs) / 1000)).toLocaleString('en')} | ${r.copies.toLocaleString('en')} | ${r.marked.toLocaleString('en')} | ${r.groups.toLocaleString('en')} | ${Math.round(r.signatureBytes)} B | ${Math.round(r.peakRssMb)} MB (${Math.round(r.baselineMb)}) | ${Math.round(r.heapMb)} MB |`,
      );
    }
  }
}
