#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm ci`'s prepare step or `turbo run build`).
import { main } from '../dist/cli.js';

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error) => {
    console.error(`corpus: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    process.exitCode = 2;
  },
);
