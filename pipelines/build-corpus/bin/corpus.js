#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm ci`'s prepare step or `turbo run build`).
import { prestartAnalysisWorker } from '../dist/pool.js';

const argv = process.argv.slice(2);
// A build's analysis worker starts loading the stages now, beside the CLI's own modules (see prestartAnalysisWorker).
if (argv[0] === 'build' && !argv.includes('-h') && !argv.includes('--help')) prestartAnalysisWorker();
const { main } = await import('../dist/cli.js');

main(argv).then(
  (code) => { process.exitCode = code; },
  (error) => {
    console.error(`corpus: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    process.exitCode = 2;
  },
);
