import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RecordWriters } from './record-pool.js';
import type { RecordPlan } from './record.js';
import type { AnalysisTask } from './task.js';

const tmp = await mkdtemp(join(tmpdir(), 'corpus-records-'));
afterAll(() => rm(tmp, { recursive: true, force: true }));

const plan: RecordPlan = { id: 'gone', path: 'gone.txt', sha256: '0'.repeat(64), bytes: 1, mediaType: 'text/plain', warnings: [], entities: {}, quotes: {}, duplicateOf: null };
const task: AnalysisTask = {
  path: 'gone.txt',
  absolutePath: join(tmp, 'gone.txt'),
  sha256: '0'.repeat(64),
  mediaType: 'text/plain',
  overrides: {},
  siteChrome: [],
  cacheKey: 'f'.repeat(64),
  maxBytes: 1 << 20,
};

describe('RecordWriters', () => {
  it('reports a record whose analysis can be neither read nor made as a cache error', async () => {
    const writers = new RecordWriters(1, join(tmp, 'cache'), {});
    try {
      const result = await writers.write(plan, task, join(tmp, 'documents', 'gone.json'));
      expect(result).toMatchObject({ ok: false, stage: 'cache' });
      if (!result.ok) expect(result.message).toContain('gone.txt');
    } finally {
      await writers.close();
    }
  });

  it('refuses jobs once its threads are gone, so the build makes those records itself', async () => {
    const writers = new RecordWriters(2, join(tmp, 'cache'), {});
    await writers.close();
    await expect(writers.write(plan, task, join(tmp, 'documents', 'gone.json'))).rejects.toThrow(/no record thread/);
  });
});
