import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PrefixCopy, writeChunksAtomic } from './io.js';
import { layoutOf, spliceItems, type SpliceItem, type SpliceLayout } from './splice.js';
import { writeSpliceJob, writeSpliceJobOnThread } from './splice-thread.js';

const tmp = await mkdtemp(join(tmpdir(), 'corpus-splice-'));
afterAll(() => rm(tmp, { recursive: true, force: true }));

const FORMAT = { head: '', separator: '\n', tail: '\n' };
const line = (key: string) => JSON.stringify({ key, body: `${key} `.repeat(20) });

/** Writes `keys` as lines, spliced from the file's last layout; returns the new layout and the chunks' kinds. */
async function write(path: string, keys: string[], previous: SpliceLayout | null, minPrefixCopy?: number) {
  const rendered: string[] = [];
  const items: SpliceItem[] = keys.map((key) => ({ key, render: () => (rendered.push(key), line(key)) }));
  const layout: SpliceLayout['items'] = [];
  const kinds: string[] = [];
  async function* chunks() {
    for await (const chunk of spliceItems(path, previous, items, FORMAT, layout, 0, minPrefixCopy)) {
      kinds.push(chunk instanceof PrefixCopy ? 'prefix' : 'bytes');
      yield chunk;
    }
  }
  await writeChunksAtomic(path, chunks());
  return { layout: await layoutOf(path, layout), kinds, rendered };
}

describe('spliceItems', () => {
  it('has the kernel copy an unchanged prefix, and writes the same bytes as a fresh write', async () => {
    const path = join(tmp, 'lines.jsonl');
    const keys = Array.from({ length: 40 }, (_, i) => `doc-${String(i).padStart(3, '0')}`);
    const first = await write(path, keys, null, 1);
    expect(first.kinds).not.toContain('prefix');
    const expected = `${keys.map(line).join('\n')}\n`;
    expect(await readFile(path, 'utf8')).toBe(expected);

    // Added at the end, one changed near the end: the first 37 lines are the old file's prefix.
    const next = [...keys.slice(0, 37), 'doc-037b', ...keys.slice(38), 'doc-zzz'];
    const second = await write(path, next, first.layout, 1);
    expect(second.kinds[0]).toBe('prefix');
    expect(second.rendered).toEqual(['doc-037b', 'doc-zzz']);
    expect(await readFile(path, 'utf8')).toBe(`${next.map(line).join('\n')}\n`);
    // The layout says where each line now is.
    const text = await readFile(path);
    for (const [key, start, end] of second.layout.items) expect(JSON.parse(text.subarray(start, end).toString()).key).toBe(key);

    // A change in the first half: copied the usual way, no prefix.
    const early = ['doc-000a', ...next.slice(1)];
    const third = await write(path, early, second.layout, 1);
    expect(third.kinds).not.toContain('prefix');
    expect(third.rendered).toEqual(['doc-000a']);
    expect(await readFile(path, 'utf8')).toBe(`${early.map(line).join('\n')}\n`);
    // Below the size threshold, no prefix either.
    const fourth = await write(path, [...early, 'doc-zzzz'], third.layout);
    expect(fourth.kinds).not.toContain('prefix');
    expect(await readFile(path, 'utf8')).toBe(`${[...early, 'doc-zzzz'].map(line).join('\n')}\n`);
  });
});

describe('writeSpliceJobOnThread', () => {
  it('writes, on its own thread, the file and layout a write here would: new lines given, others copied or read from their records', async () => {
    const keys = Array.from({ length: 30 }, (_, i) => `doc-${String(i).padStart(3, '0')}`);
    const records = join(tmp, 'records');
    await mkdir(records, { recursive: true });
    // A line the last file does not hold, read back from its record file (pretty-printed there, one line here).
    await writeFile(join(records, 'doc-015b.json'), `${JSON.stringify(JSON.parse(line('doc-015b')), null, 2)}\n`);
    const next = ['doc-000a', ...keys.slice(1, 15), 'doc-015b', ...keys.slice(16)];
    const expected = `${next.map(line).join('\n')}\n`;
    for (const [name, run] of [['thread', writeSpliceJobOnThread], ['here', writeSpliceJob]] as const) {
      const path = join(tmp, `${name}.jsonl`);
      const first = await write(path, keys, null);
      const statePath = join(tmp, `${name}.layout.json`);
      await run({
        path,
        statePath,
        previous: first.layout,
        items: next.map((key) => (key === 'doc-000a' ? { key, line: line(key) } : key === 'doc-015b' ? { key, recordPath: join(records, `${key}.json`) } : { key })),
        format: FORMAT,
      });
      expect(await readFile(path, 'utf8')).toBe(expected);
      const layout = JSON.parse(await readFile(statePath, 'utf8')) as SpliceLayout;
      const text = await readFile(path);
      expect(layout.items.map(([key]) => key)).toEqual(next);
      for (const [key, start, end] of layout.items) expect(JSON.parse(text.subarray(start, end).toString()).key).toBe(key);
    }
  });

  it('fails, leaving the old file, when a line cannot be made', async () => {
    const path = join(tmp, 'failing.jsonl');
    const first = await write(path, ['a', 'b'], null);
    const job = { path, statePath: join(tmp, 'failing.layout.json'), previous: first.layout, items: [{ key: 'a' }, { key: 'c', recordPath: join(tmp, 'no-such-record.json') }], format: FORMAT };
    await expect(writeSpliceJobOnThread(job)).rejects.toThrow(/no-such-record/);
    expect(await readFile(path, 'utf8')).toBe(`${line('a')}\n${line('b')}\n`);
    expect((await readdir(tmp)).filter((f) => f.startsWith('failing.jsonl.'))).toEqual([]);
  });
});
