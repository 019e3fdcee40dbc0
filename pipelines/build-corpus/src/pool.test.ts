import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LinkEntity } from '@corpus/entities/corpus';
import { AnalysisPool } from './pool.js';
import type { AnalysisTask } from './task.js';

const ARTICLE = (city: string) =>
  `Negotiators met in ${city} on Tuesday to extend the grain corridor agreement.\n\n“We are closer than we have been for weeks,” said Martin Griffiths, the UN humanitarian chief.\n`;

let tmp: string;
const tasks: AnalysisTask[] = [];
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'corpus-pool-'));
  for (const [i, city] of ['Geneva', 'Vienna', 'Ankara', 'Odesa', 'Rome', 'Cairo', 'Oslo'].entries()) {
    const path = join(tmp, `${i}.txt`);
    const text = ARTICLE(city);
    await writeFile(path, text);
    tasks.push({
      path: `${i}.txt`,
      absolutePath: path,
      sha256: createHash('sha256').update(text).digest('hex'),
      mediaType: 'text/plain',
      overrides: {},
      siteChrome: [],
      cacheKey: createHash('sha256').update(`key${i}`).digest('hex'),
      maxBytes: 1 << 20,
    });
  }
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('AnalysisPool', () => {
  it('replaces its workers every few documents, or when their heap grows, without losing or changing a result', async () => {
    const run = async (pool: AnalysisPool) => {
      try {
        return await Promise.all(tasks.map((t) => pool.run(t)));
      } finally {
        await pool.close();
      }
    };
    const base = { options: {}, cacheDir: join(tmp, 'cache'), timeoutMs: 60_000 };
    const recycled = await run(new AnalysisPool({ ...base, workers: 2, recycleAfter: 2 }));
    // A heap limit every worker passes at once: each is replaced after every document.
    const byHeap = await run(new AnalysisPool({ ...base, workers: 2, recycleHeapBytes: 1 }));
    const inProcess = await run(new AnalysisPool({ ...base, workers: 0 }));
    expect(recycled.every((r) => r.ok)).toBe(true);
    expect(recycled).toEqual(inProcess);
    expect(byHeap).toEqual(inProcess);
    expect(recycled.map((r) => r.ok && (JSON.parse(r.entities) as LinkEntity[]).some((e) => e.name === 'Martin Griffiths'))).toEqual(tasks.map(() => true));
  });
});
