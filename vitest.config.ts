import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

// Tests import sibling packages from their TypeScript sources, so `npm test` needs no build of the
// package under test (the pipeline's worker and CLI tests use the compiled dist/, built by `tsc -b`).
const alias = [
  { find: /^@corpus\/entities\/corpus$/, replacement: `${root}packages/entities/src/corpus.ts` },
  { find: /^@corpus\/clean\/profile$/, replacement: `${root}packages/clean/src/profile.ts` },
  { find: /^@corpus\/(schema|clean|entities|quotes|dedup|report)$/, replacement: `${root}packages/$1/src/index.ts` },
  // Vite's resolver does not follow chrono-node's pattern export ("./*" to its locales); Node does.
  { find: /^chrono-node\/en$/, replacement: `${root}node_modules/chrono-node/dist/esm/locales/en/index.js` },
];

const project = (name: string, dir: string, extra: Record<string, unknown> = {}) => ({
  resolve: { alias },
  test: { name, root: `${root}${dir}`, include: ['src/**/*.test.ts', 'test/**/*.test.ts'], testTimeout: 60_000, execArgv: ['--expose-gc'], ...extra },
});

export default defineConfig({
  test: {
    // One test file at a time: the linear-time checks in the robustness suite measure wall time, and other files
    // running beside them on a 2-core machine would make those measurements noise.
    fileParallelism: false,
    projects: [
      project('schema', 'packages/schema'),
      project('clean', 'packages/clean'),
      project('entities', 'packages/entities'),
      project('quotes', 'packages/quotes'),
      project('dedup', 'packages/dedup'),
      project('report', 'packages/report'),
      project('build-corpus', 'pipelines/build-corpus'),
    ],
  },
});
