// Runs one build in its own process so the benchmark can read that build's peak memory (maxRSS covers workers).
import { buildCorpus } from './build.js';

const [inputDir, outDir, workers, cache] = process.argv.slice(2);
const result = await buildCorpus({ inputDir, outDir, workers: Number(workers), cacheDir: cache === 'none' ? null : undefined });
process.stdout.write(
  JSON.stringify({
    seconds: result.seconds,
    analysed: result.analysed,
    fromCache: result.fromCache,
    written: result.written,
    documents: result.manifest.counts.documents,
    errors: result.manifest.counts.errors,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
  }),
);
