import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { CLEAN_VERSION } from '@corpus/clean';
import { DEDUP_VERSION } from '@corpus/dedup';
import { ENTITIES_VERSION } from '@corpus/entities';
import { QUOTES_VERSION } from '@corpus/quotes';
import { SCHEMA_VERSION } from '@corpus/schema';

const require = createRequire(import.meta.url);
const STAGE_PACKAGES = ['@corpus/schema', '@corpus/clean', '@corpus/entities', '@corpus/quotes', '@corpus/dedup'];

function hashTree(h: ReturnType<typeof createHash>, dir: string, filter: (name: string) => boolean) {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return;
  }
  for (const name of names) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) hashTree(h, path, filter);
    else if (filter(name)) h.update(name).update('\0').update(readFileSync(path)).update('\0');
  }
}

let codeHash: string | null = null;

/**
 * A hash of every stage's compiled code and data files. It keys the per-document cache, so editing a stage or its
 * alias/stop-word data re-analyses exactly the documents whose results could change: all of them, and only then.
 */
export function stageCodeHash(): string {
  if (codeHash) return codeHash;
  const h = createHash('sha256');
  h.update([SCHEMA_VERSION, CLEAN_VERSION, ENTITIES_VERSION, QUOTES_VERSION, DEDUP_VERSION].join('|'));
  for (const name of STAGE_PACKAGES) {
    const root = dirname(require.resolve(`${name}/package.json`));
    hashTree(h, join(root, 'dist'), (f) => f.endsWith('.js'));
    hashTree(h, join(root, 'data'), () => true);
  }
  // src/ (under the test runner) and dist/ both sit one level below the package root; hash the compiled code,
  // including the cache's own format (cache.js), so a changed summary format is never read as the old one.
  hashTree(h, new URL('../dist/', import.meta.url).pathname, (f) => /^(analyse|task|decode|cache)\.js$/.test(f));
  codeHash = h.digest('hex');
  return codeHash;
}

/** The pipeline version written to the manifest: stage code and data, plus the options that change results. */
export function pipelineVersion(options: unknown): string {
  return createHash('sha256').update(stageCodeHash()).update(JSON.stringify(options ?? null)).digest('hex').slice(0, 16);
}

let outputHash: string | null = null;

/**
 * A hash of the code that turns analyses into output files (this package's compiled writer) and of the schema
 * version. It keys the records and index elements copied from the last build, so a change to how records are
 * assembled rewrites them all.
 */
export function outputCodeHash(): string {
  if (outputHash) return outputHash;
  const h = createHash('sha256').update(SCHEMA_VERSION);
  hashTree(h, new URL('../dist/', import.meta.url).pathname, (f) => /^(build|splice|io)\.js$/.test(f));
  outputHash = h.digest('hex').slice(0, 16);
  return outputHash;
}

let reportHash: string | null = null;

/** A hash of the report package's compiled code: what the report makes of a record is cached under it. */
export function reportCodeHash(): string {
  if (reportHash) return reportHash;
  const h = createHash('sha256');
  hashTree(h, join(dirname(require.resolve('@corpus/report/package.json')), 'dist'), (f) => f.endsWith('.js'));
  reportHash = h.digest('hex').slice(0, 16);
  return reportHash;
}
