#!/usr/bin/env node
// Bundles each thread's entry point (dist/<name>.js) into one file (dist/<name>.bundle.js), beside a list of the files
// it was made from with their sizes, modification times and hashes (dist/<name>.bundle.json). A thread loads some 600 ES
// modules (the stages and their dependencies); Node resolves, reads, compiles and links them one by one, which is most
// of the second a worker takes to start on a busy machine. `bundledUrl` (src/bundled.ts) loads a bundle only while
// every file it was made from is as listed, so a bundle older than the code is never run.
import { createHash } from 'node:crypto';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = resolve(dirname(fileURLToPath(import.meta.url)), '../dist');
const ENTRIES = ['worker', 'entity-worker', 'dedup-worker', 'record-worker'];

// Modules find their data files (and compromise) relative to their own file: `import.meta.url` is made to name the
// module's original file, relative to the bundle's, so the bundle reads what the module would have.
const ownUrl = {
  name: 'own-module-url',
  setup(b) {
    b.onLoad({ filter: /\.m?js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      const path = relative(dist, args.path).split('\\').join('/');
      return { contents: source.replaceAll('import.meta.url', `new URL(${JSON.stringify(path)}, import.meta.url).href`), loader: 'js' };
    });
  },
};

// The bundles only make threads start sooner: without esbuild (a platform it has no binary for), or if bundling fails,
// the threads load their modules as before, and the build goes on.
let build;
try {
  ({ build } = await import('esbuild'));
} catch (error) {
  console.warn(`bundle-threads: esbuild is not available (${error.message}); threads will load their modules one by one`);
}

for (const name of ENTRIES) {
  const outfile = join(dist, `${name}.bundle.js`);
  const listFile = join(dist, `${name}.bundle.json`);
  // A bundle of older code is never left behind (it would not be run, but it would be misleading).
  await rm(listFile, { force: true });
  await rm(outfile, { force: true });
  if (!build) continue;
  try {
    await bundle(name, outfile, listFile);
  } catch (error) {
    await rm(outfile, { force: true });
    console.warn(`bundle-threads: ${name} not bundled (${error.message}); it will load its modules one by one`);
  }
}

async function bundle(name, outfile, listFile) {
  const result = await build({
    entryPoints: [join(dist, `${name}.js`)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    metafile: true,
    absWorkingDir: dist,
    logLevel: 'warning',
    plugins: [ownUrl],
    // CommonJS dependencies, once bundled, still require Node's own modules.
    banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
  });
  const inputs = [];
  for (const input of Object.keys(result.metafile.inputs).sort()) {
    const path = resolve(dist, input);
    const s = await stat(path);
    const sha1 = createHash('sha1').update(await readFile(path)).digest('base64');
    inputs.push([relative(dist, path).split('\\').join('/'), s.size, s.mtimeMs, sha1]);
  }
  await writeFile(listFile, JSON.stringify({ inputs }));
}
