import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The code a thread of this package runs: `dist/<name>.js`, or its bundle (see `bundledUrl`). Under the test runner
 * this module runs from src/*.ts; threads always run the compiled code.
 */
export function threadUrl(name: string): URL {
  return bundledUrl(import.meta.url.endsWith('.ts') ? new URL(`../dist/${name}.js`, import.meta.url) : new URL(`./${name}.js`, import.meta.url));
}

/**
 * The bundle of a thread's entry point (see scripts/bundle-threads.mjs) when there is one and every file it was made
 * from is still as it was then; otherwise the entry point itself. A stale bundle would run other code than the cache's
 * version says (that version is a hash of the compiled files), so it is never used. A file is checked by its size and
 * modification time, and when only the time differs (a checkout, or a build cache restoring files), by its content.
 */
export function bundledUrl(entry: URL): URL {
  let url = chosen.get(entry.href);
  if (!url) chosen.set(entry.href, (url = choose(entry)));
  return url;
}

const chosen = new Map<string, URL>();
/** Files found as their bundles list them (the bundles share most of their files). */
const unchanged = new Set<string>();

function choose(entry: URL): URL {
  const bundle = new URL(entry.href.replace(/\.js$/, '.bundle.js'));
  try {
    const manifest = JSON.parse(readFileSync(new URL(entry.href.replace(/\.js$/, '.bundle.json')), 'utf8')) as { inputs: [string, number, number, string][] };
    for (const [path, size, mtimeMs, sha1] of manifest.inputs) {
      const file = fileURLToPath(new URL(path, bundle));
      if (unchanged.has(`${file}\0${sha1}`)) continue;
      const s = statSync(file);
      if (s.size !== size) return entry;
      if (s.mtimeMs !== mtimeMs && createHash('sha1').update(readFileSync(file)).digest('base64') !== sha1) return entry;
      unchanged.add(`${file}\0${sha1}`);
    }
    statSync(bundle);
    return bundle;
  } catch {
    return entry;
  }
}
