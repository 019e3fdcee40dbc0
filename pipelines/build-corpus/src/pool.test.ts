import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LinkEntity } from '@corpus/entities/corpus';
import { AnalysisPool, hasPrestartedWorker, prestartAnalysisWorker } from './pool.js';
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

  it('adopts a worker started ahead, gives it its options, and gets the same analyses as from its own', async () => {
    // Options that show: an alias folds the speaker's name into another canonical name.
    const options = { aliases: [{ name: 'Martin Griffiths of OCHA', type: 'person' as const, aliases: ['Martin Griffiths'] }] };
    const base = { options, cacheDir: join(tmp, 'cache-ahead'), timeoutMs: 60_000 };
    prestartAnalysisWorker();
    expect(hasPrestartedWorker()).toBe(true);
    const ahead = new AnalysisPool({ ...base, workers: 1 });
    expect(hasPrestartedWorker()).toBe(false);
    const own = new AnalysisPool({ ...base, workers: 1 });
    try {
      const fromAhead = await Promise.all(tasks.slice(0, 3).map((t) => ahead.run(t)));
      const fromOwn = await Promise.all(tasks.slice(0, 3).map((t) => own.run(t)));
      expect(fromAhead.every((r) => r.ok)).toBe(true);
      expect(fromAhead).toEqual(fromOwn);
      expect(fromAhead.map((r) => r.ok && (JSON.parse(r.entities) as LinkEntity[]).some((e) => e.name === 'Martin Griffiths of OCHA'))).toEqual([true, true, true]);
    } finally {
      await Promise.all([ahead.close(), own.close()]);
    }
  });

  it('stops a worker started ahead when the build analyses in its own thread', async () => {
    prestartAnalysisWorker();
    const pool = new AnalysisPool({ options: {}, cacheDir: join(tmp, 'cache-here'), timeoutMs: 60_000, workers: 0 });
    expect(hasPrestartedWorker()).toBe(false);
    const [result] = [await pool.run(tasks[0])];
    expect(result.ok).toBe(true);
    await pool.close();
  });
});
