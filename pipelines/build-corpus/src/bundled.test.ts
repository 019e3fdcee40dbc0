import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledUrl } from './bundled.js';

// Where esbuild has no binary the build goes on without bundles (scripts/bundle-threads.mjs), and so does the test of them.
const esbuild = await import('esbuild').then(
  () => true,
  () => false,
);

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'corpus-bundled-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** An entry point, its bundle and the one file the bundle was made from, listed as they are now. */
async function bundleIn(name: string): Promise<{ entry: URL; dep: string }> {
  const dir = join(tmp, name);
  const dep = join(dir, 'dep.js');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir);
  await writeFile(join(dir, 'entry.js'), "import './dep.js';\n");
  await writeFile(dep, 'export const x = 1;\n');
  await writeFile(join(dir, 'entry.bundle.js'), 'const x = 1;\n');
  const s = await stat(dep);
  const sha1 = createHash('sha1').update('export const x = 1;\n').digest('base64');
  await writeFile(join(dir, 'entry.bundle.json'), JSON.stringify({ inputs: [['dep.js', s.size, s.mtimeMs, sha1]] }));
  return { entry: pathToFileURL(join(dir, 'entry.js')), dep };
}

describe('bundledUrl', () => {
  it('loads the bundle while its files are as listed', async () => {
    const { entry } = await bundleIn('fresh');
    expect(bundledUrl(entry).href).toBe(entry.href.replace(/entry\.js$/, 'entry.bundle.js'));
  });

  it('loads the entry point once a file the bundle was made from has changed', async () => {
    const { entry, dep } = await bundleIn('changed');
    // Same size, other content: only the hash tells.
    await writeFile(dep, 'export const y = 2;\n');
    expect(bundledUrl(entry).href).toBe(entry.href);
  });

  it('still loads the bundle when a file was only touched (a checkout or a build cache writes it again)', async () => {
    const { entry, dep } = await bundleIn('touched');
    await utimes(dep, new Date(2001, 0, 1), new Date(2001, 0, 1));
    expect(bundledUrl(entry).href).toBe(entry.href.replace(/entry\.js$/, 'entry.bundle.js'));
  });

  it('loads the entry point when there is no bundle, or no list', async () => {
    const { entry } = await bundleIn('unlisted');
    await rm(new URL('entry.bundle.json', entry));
    expect(bundledUrl(entry).href).toBe(entry.href);
    const other = await bundleIn('unbundled');
    await rm(new URL('entry.bundle.js', other.entry));
    expect(bundledUrl(other.entry).href).toBe(other.entry.href);
  });

  it.skipIf(!esbuild)('has fresh bundles of the threads in dist/, made by the build (`npm test` and `turbo run build` make them)', () => {
    for (const name of ['worker', 'entity-worker', 'dedup-worker', 'record-worker']) {
      const entry = new URL(`../dist/${name}.js`, import.meta.url);
      expect(bundledUrl(entry).href).toBe(new URL(`../dist/${name}.bundle.js`, import.meta.url).href);
    }
  });
});
