import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SummaryLog } from './cache.js';

const key = (n: number) => n.toString(16).padStart(64, '0');
const dirs: string[] = [];
const fresh = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'corpus-log-'));
  dirs.push(dir);
  return join(dir, 'log.jsonl');
};
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('SummaryLog', () => {
  it('appends, reads back only the live lines, and lets a later line for a key win', async () => {
    const path = await fresh();
    const writer = new SummaryLog<{ v: number }>(path);
    for (let n = 0; n < 5; n++) writer.append(key(n), JSON.stringify({ v: n }));
    await writer.flush();
    await appendFile(path, `${key(2)}\t{"v":22}\n`);
    const reader = new SummaryLog<{ v: number }>(path);
    await reader.load((k) => k !== key(4));
    expect([0, 1, 2, 3, 4].map((n) => reader.get(key(n))?.v ?? null)).toEqual([0, 1, 22, 3, null]);
  });

  it('parses the lines it keeps ahead of being asked, dropping a line that does not parse', async () => {
    const path = await fresh();
    const writer = new SummaryLog<{ v: number }>(path);
    for (let n = 0; n < 3; n++) writer.append(key(n), JSON.stringify({ v: n }));
    await writer.flush();
    await appendFile(path, `${key(7)}\t{"v":\n`);
    const reader = new SummaryLog<{ v: number }>(path);
    await reader.load((k) => k !== key(2));
    expect(reader.keptCount).toBe(3);
    reader.parseKept();
    expect(reader.keptCount).toBe(2);
    expect([0, 1, 2, 7].map((n) => reader.take(key(n))?.v ?? null)).toEqual([0, 1, null, null]);
    expect(reader.keptCount).toBe(0);
  });

    it('reads what another writer appended since it loaded, and never a torn line', async () => {
    const path = await fresh();
    const writer = new SummaryLog<{ v: number }>(path);
    writer.append(key(1), '{"v":1}');
    await writer.flush();
    await appendFile(path, `${key(9)}\t{"v":`);
    const reader = new SummaryLog<{ v: number }>(path);
    await reader.load();
    // A new writer finds the torn end and starts on a line of its own.
    const later = new SummaryLog<{ v: number }>(path);
    later.append(key(2), '{"v":2}');
    await later.flush();
    await reader.loadMore();
    expect([1, 2, 9].map((n) => reader.take(key(n))?.v ?? null)).toEqual([1, 2, null]);
  });

  it('is rewritten with its live lines once most are stale, the latest line of each', async () => {
    const path = await fresh();
    const writer = new SummaryLog<{ v: number }>(path);
    await writer.load();
    for (let n = 0; n < 10; n++) writer.append(key(n), JSON.stringify({ v: n }));
    await writer.flush();
    await appendFile(path, `${key(1)}\t{"v":11}\n`);
    const log = new SummaryLog<{ v: number }>(path);
    await log.load((k) => k === key(1) || k === key(2));
    await log.save(new Set([key(1), key(2)]));
    const lines = (await readFile(path, 'utf8')).trim().split('\n');
    expect(lines).toEqual([`${key(2)}\t{"v":2}`, `${key(1)}\t{"v":11}`]);
    // Nothing stale any more: saving again leaves the file as it is.
    await log.save(new Set([key(1), key(2)]));
    expect((await readFile(path, 'utf8')).trim().split('\n')).toEqual(lines);
  });
});
