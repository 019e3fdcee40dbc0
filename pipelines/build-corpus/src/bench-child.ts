// Runs one build in its own process so the benchmark can read that build's peak memory (maxRSS covers workers) and
// its whole time: `seconds` runs from the process's start, so loading the modules counts, as it does for a user.
import { prestartAnalysisWorker } from './pool.js';

// As the CLI does (bin/corpus.js).
prestartAnalysisWorker();
const { buildCorpus } = await import('./build.js');

const [inputDir, outDir, workers, cache] = process.argv.slice(2);
const result = await buildCorpus({ inputDir, outDir, workers: Number(workers), cacheDir: cache === 'none' ? null : undefined });
process.stdout.write(
  JSON.stringify({
    seconds: performance.now() / 1000,
    buildSeconds: result.seconds,
    analysed: result.analysed,
    fromCache: result.fromCache,
    written: result.written,
    documents: result.manifest.counts.documents,
    errors: result.manifest.counts.errors,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
  }),
);
