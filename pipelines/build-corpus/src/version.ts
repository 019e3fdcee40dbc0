import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { SCHEMA_VERSION } from '@corpus/schema';

const require = createRequire(import.meta.url);
const STAGE_PACKAGES = ['@corpus/schema', '@corpus/clean', '@corpus/entities', '@corpus/quotes', '@corpus/dedup'];
/**
 * Corpus-level code inside the stage packages, which no per-document analysis runs: entity linking, duplicate
 * documents, repeated passages, quote clusters. It keys what the corpus-level steps write (see `corpusCodeHash`),
 * not the analyses, so changing how documents are compared does not analyse every document again.
 */
const CORPUS_MODULES = [
  { package: '@corpus/entities', file: 'corpus.js' },
  { package: '@corpus/entities', file: 'link-state.js' },
  { package: '@corpus/dedup', file: 'duplicates.js' },
  { package: '@corpus/dedup', file: 'repeated.js' },
  { package: '@corpus/dedup', file: 'quotes.js' },
];
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));
const corpusModulePaths = () => CORPUS_MODULES.map((m) => join(packageDir(m.package), 'dist', m.file));

function hashTree(h: ReturnType<typeof createHash>, dir: string, filter: (name: string, path: string) => boolean) {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return;
  }
  for (const name of names) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) hashTree(h, path, filter);
    else if (filter(name, path)) h.update(name).update('\0').update(readFileSync(path)).update('\0');
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
  // Each stage's version constant is in its compiled code, hashed below: importing the stages to read them would load
  // compromise on the main thread, seconds of start-up for nothing.
  h.update(SCHEMA_VERSION);
  const corpusLevel = new Set(corpusModulePaths());
  for (const name of STAGE_PACKAGES) {
    const root = packageDir(name);
    hashTree(h, join(root, 'dist'), (f, path) => f.endsWith('.js') && !corpusLevel.has(path));
    hashTree(h, join(root, 'data'), () => true);
  }
  // src/ (under the test runner) and dist/ both sit one level below the package root; hash the compiled code,
  // including the cache's own format (cache.js), so a changed summary format is never read as the old one.
  hashTree(h, new URL('../dist/', import.meta.url).pathname, (f) => /^(analyse|task|decode|cache)\.js$/.test(f));
  codeHash = h.digest('hex');
  return codeHash;
}

/** The version of the per-document analyses (it keys the cache): stage code and data, plus the options that change results. */
export function pipelineVersion(options: unknown): string {
  return createHash('sha256').update(stageCodeHash()).update(JSON.stringify(options ?? null)).digest('hex').slice(0, 16);
}

/** The pipeline version written to the manifest: the analyses' version and the corpus-level code's. */
export function manifestVersion(analysisVersion: string): string {
  return createHash('sha256').update(analysisVersion).update('\0').update(corpusCodeHash()).digest('hex').slice(0, 16);
}

let corpusHash: string | null = null;

/** A hash of the corpus-level code (`CORPUS_MODULES`): it keys the saved link state and, through `outputCodeHash`, the output. */
export function corpusCodeHash(): string {
  if (corpusHash) return corpusHash;
  const h = createHash('sha256');
  for (const path of corpusModulePaths()) h.update(readFileSync(path)).update('\0');
  corpusHash = h.digest('hex').slice(0, 16);
  return corpusHash;
}

let outputHash: string | null = null;

/**
 * A hash of the code that turns analyses into output files (this package's compiled writer) and of the schema
 * version. It keys the records and index elements copied from the last build, so a change to how records are
 * assembled rewrites them all.
 */
export function outputCodeHash(): string {
  if (outputHash) return outputHash;
  const h = createHash('sha256').update(SCHEMA_VERSION).update(corpusCodeHash());
  hashTree(h, new URL('../dist/', import.meta.url).pathname, (f) => /^(build|splice|io|indexes|entity-step|dedup-step|record)\.js$/.test(f));
  outputHash = h.digest('hex').slice(0, 16);
  return outputHash;
}

let reportHash: string | null = null;

/** A hash of the report package's compiled code: what the report makes of a record is cached under it. */
export function reportCodeHash(): string {
  if (reportHash) return reportHash;
  const h = createHash('sha256');
  hashTree(h, join(packageDir('@corpus/report'), 'dist'), (f) => f.endsWith('.js'));
  reportHash = h.digest('hex').slice(0, 16);
  return reportHash;
}
