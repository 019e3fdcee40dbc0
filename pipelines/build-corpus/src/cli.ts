import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { buildCorpus, DEFAULT_MAX_BYTES, DEFAULT_REPORT_DOCUMENTS, type BuildOptions } from './build.js';

const HELP = `corpus: turn raw article files into a clean, validated JSON corpus

Usage:
  corpus build <inputDir> --out <outputDir> [options]

Options:
  -o, --out <dir>        output directory (required)
      --cache <dir>      per-document cache directory (default: <out>/.cache)
      --no-cache         analyse every document again; keep no cache
  -j, --workers <n>      worker threads for the per-document stages (default: ${availableParallelism()}, the core count;
                         0 runs them in the main thread)
      --max-bytes <n>    refuse input files larger than this (default: ${DEFAULT_MAX_BYTES} = 10 MiB)
      --timeout <ms>     give up on a document after this long (default: 120000)
      --favor <mode>     cleaning preference: precision | balanced | recall (default: balanced)
      --aliases <file>   entity alias file (default: <inputDir>/corpus.aliases.json when present)
      --no-report        do not write report.html
      --report-documents <n>  embed at most n documents in report.html (default: ${DEFAULT_REPORT_DOCUMENTS})
  -q, --quiet            no progress and no summary line
  -h, --help             show this help

Inputs: .txt/.text (plain-text dumps), .html/.htm, .md/.markdown; a sidecar <name>.meta.json beside a file
overrides inferred metadata. Other files are skipped and listed in manifest.json.

Exit status: 0 when the corpus was built (bad input files are error entries in manifest.json, not failures);
1 when the run itself failed; 2 on a usage error.`;

/** Runs the CLI and returns the exit code (the bin sets process.exitCode from it). */
export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string', short: 'o' },
        cache: { type: 'string' },
        'no-cache': { type: 'boolean' },
        workers: { type: 'string', short: 'j' },
        'max-bytes': { type: 'string' },
        timeout: { type: 'string' },
        favor: { type: 'string' },
        aliases: { type: 'string' },
        'no-report': { type: 'boolean' },
        'report-documents': { type: 'string' },
        quiet: { type: 'boolean', short: 'q' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    console.error(`corpus: ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) {
    console.log(HELP);
    return values.help ? 0 : 2;
  }
  const [command, inputDir, ...rest] = positionals;
  if (command !== 'build' || !inputDir || rest.length || !values.out) {
    console.error(`corpus: usage: corpus build <inputDir> --out <outputDir>\n(try corpus --help)`);
    return 2;
  }
  const int = (name: string, v: string | undefined, min: number) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} expects a whole number ≥ ${min}, got "${v}"`);
    return n;
  };
  let options: BuildOptions;
  try {
    const favor = values.favor;
    if (favor !== undefined && !['precision', 'balanced', 'recall'].includes(favor)) throw new UsageError(`--favor expects precision, balanced or recall`);
    options = {
      inputDir,
      outDir: values.out,
      cacheDir: values['no-cache'] ? null : values.cache,
      workers: int('workers', values.workers, 0),
      maxBytes: int('max-bytes', values['max-bytes'], 1),
      timeoutMs: int('timeout', values.timeout, 1),
      clean: favor ? { favor: favor as 'precision' | 'balanced' | 'recall' } : undefined,
      aliasesPath: values.aliases,
      report: !values['no-report'],
      reportDocuments: int('report-documents', values['report-documents'], 1),
    };
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`corpus: ${error.message}`);
      return 2;
    }
    throw error;
  }

  const quiet = values.quiet ?? false;
  const tty = !quiet && process.stderr.isTTY;
  let lastDraw = 0;
  if (tty) {
    options.onProgress = ({ phase, done, total }) => {
      const now = Date.now();
      if (now - lastDraw < 80 && done !== total) return;
      lastDraw = now;
      process.stderr.write(`\r\x1b[K${phase.padEnd(7)} ${done}/${total}`);
    };
  }
  try {
    const result = await buildCorpus(options);
    if (tty) process.stderr.write('\r\x1b[K');
    const c = result.manifest.counts;
    if (!quiet) {
      console.log(
        `${c.documents} documents, ${c.entities} entities, ${c.quotes} quotes, ${c.duplicates} duplicates, ` +
          `${c.errors} errors, ${c.skipped} skipped in ${result.seconds.toFixed(1)}s ` +
          `(${result.analysed} analysed, ${result.fromCache} from cache) → ${values.out}`,
      );
      for (const e of result.manifest.errors) console.error(`  ${e.path}: [${e.stage}] ${e.message}`);
    }
    return 0;
  } catch (error) {
    if (tty) process.stderr.write('\r\x1b[K');
    console.error(`corpus: build failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

class UsageError extends Error {}
