import { execFile } from 'node:child_process';
import { appendFile, copyFile, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { deserialize, serialize } from 'node:v8';
import { recordSchemas, type DocumentRecord, type Manifest } from '@corpus/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCorpus } from './build.js';
import { seedParagraphs, syntheticCorpus } from './synthetic.js';
import { main } from './cli.js';

const run = promisify(execFile);
const root = new URL('../../../', import.meta.url).pathname;
const fixtures = join(root, 'fixtures');
const bin = join(root, 'pipelines/build-corpus/bin/corpus.js');

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'corpus-build-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const readJson = async <T>(path: string): Promise<T> => JSON.parse(await readFile(path, 'utf8')) as T;

async function listFiles(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(p, base)));
    else out.push(p.slice(base.length + 1));
  }
  return out.sort();
}

/** Both output trees hold the same files, byte for byte. */
async function expectSameOutput(actual: string, expected: string, label = ''): Promise<void> {
  const files = await listFiles(expected);
  expect(await listFiles(actual), label).toEqual(files);
  for (const f of files) expect(await readFile(join(actual, f), 'utf8'), `${label}${f}`).toBe(await readFile(join(expected, f), 'utf8'));
}

/** A fresh input directory under the test's temp dir: the first `fixtureCount` fixture articles, then `files`. */
async function inputDir(name: string, fixtureCount: number, files: Record<string, string> = {}): Promise<string> {
  const dir = join(tmp, name);
  await mkdir(dir, { recursive: true });
  const articles = (await readdir(fixtures)).filter((f) => f.endsWith('.txt')).sort().slice(0, fixtureCount);
  for (const f of articles) await copyFile(join(fixtures, f), join(dir, f));
  for (const [file, text] of Object.entries(files)) await writeFile(join(dir, file), text);
  return dir;
}

const ARTICLE = `World leaders gathered in Geneva on Tuesday for talks on the future of the grain corridor.
Home
News
Sport
Contact

Negotiators from Turkey and the United Nations said they hoped to extend the agreement, which has allowed millions of tonnes of wheat to leave ports on the Black Sea since last summer.

“We are closer than we have been for weeks,” said Martin Griffiths, the UN humanitarian chief, adding that several technical issues remained unresolved.
`;

describe('buildCorpus on the fixtures', () => {
  let out: string;
  let manifest: Manifest;
  let records: DocumentRecord[];

  beforeAll(async () => {
    out = join(tmp, 'fixtures-out');
    await buildCorpus({ inputDir: fixtures, outDir: out, workers: 0, cacheDir: null, report: false });
    manifest = await readJson<Manifest>(join(out, 'manifest.json'));
    records = await Promise.all(
      (await readdir(join(out, 'documents'))).sort().map((f) => readJson<DocumentRecord>(join(out, 'documents', f))),
    );
  });

  it('writes one valid record per article, with exact offsets', () => {
    const seeds = manifest.inputs.filter((i) => i.path.endsWith('.txt'));
    expect(seeds).toHaveLength(5);
    expect(records).toHaveLength(5);
    for (const r of records) {
      expect(recordSchemas.document.safeParse(r).success).toBe(true);
      expect(r.text.length).toBeGreaterThan(500);
      for (const p of r.paragraphs) expect(r.text.slice(p.start, p.end)).toBe(p.text);
      for (const e of r.entities) for (const m of e.mentions) expect(r.text.slice(m.start, m.end)).toBe(m.text);
      for (const q of r.quotes) expect(r.text.slice(q.start, q.end)).toBe(q.text);
    }
  });

  it('lists every input in the manifest with its hash, and writes the indexes and JSON Schemas', async () => {
    for (const input of manifest.inputs) expect(input.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.counts.documents).toBe(5);
    expect(manifest.errors).toEqual([]);
    expect(manifest.inputs.find((i) => i.path === 'README.md')).toMatchObject({ status: 'skipped', documentId: null });
    const files = await listFiles(out);
    for (const f of ['entities.json', 'quotes.json', 'duplicates.json', 'documents.jsonl', 'schema/document.schema.json', 'schema/manifest.schema.json']) {
      expect(files).toContain(f);
    }
    for (const name of ['entities', 'quotes', 'duplicates'] as const) {
      expect(recordSchemas[name].safeParse(await readJson(join(out, `${name}.json`))).success).toBe(true);
    }
    const jsonl = (await readFile(join(out, 'documents.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(jsonl.map((r: DocumentRecord) => r.id)).toEqual(records.map((r) => r.id));
  });

  it('gives an entity mentioned in several documents one id everywhere', () => {
    const ids = records.map((r) => new Set(r.entities.map((e) => e.id)));
    const shared = [...ids[0]].filter((id) => ids.every((s) => s.has(id)));
    expect(shared.length).toBeGreaterThan(0);
  });
});

describe('the report of a large corpus', () => {
  it('embeds only the first documents, says how many it left out, and still counts them all', async () => {
    const out = join(tmp, 'report-limit');
    await buildCorpus({ inputDir: fixtures, outDir: out, workers: 0, cacheDir: null, reportDocuments: 2 });
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html.match(/<script type="application\/json" id="doc-\d+">/g)).toHaveLength(2);
    expect(html).toMatch(/"documents":5,/);
    expect(html).toMatch(/"omittedDocuments":3/);
  });
});

describe('bad inputs never stop the corpus', () => {
  let out: string;
  let manifest: Manifest;
  const statusOf = (path: string) => manifest.inputs.find((i) => i.path === path)?.status;
  const errorOf = (path: string) => manifest.errors.find((e) => e.path === path);

  beforeAll(async () => {
    const dir = join(tmp, 'bad-in');
    out = join(tmp, 'bad-out');
    await mkdir(join(dir, 'nested'), { recursive: true });
    await writeFile(join(dir, 'good.txt'), ARTICLE);
    await writeFile(join(dir, 'empty.txt'), '');
    await writeFile(join(dir, 'blank.txt'), '  \n\n \n');
    await writeFile(join(dir, 'binary.txt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48]));
    await writeFile(join(dir, 'latin1.txt'), Buffer.from('Caf\xe9 society in M\xfcnchen was never quieter than this winter, the mayor said.', 'latin1'));
    await writeFile(join(dir, 'bom.txt'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(ARTICLE)]));
    await writeFile(join(dir, 'nested', 'crlf.txt'), ARTICLE.replace(/\n/g, '\r\n'));
    await writeFile(join(dir, 'huge.txt'), Buffer.alloc(50 * 1024 * 1024, 'a'));
    await writeFile(join(dir, 'scan.pdf'), '%PDF-1.4');
    await writeFile(join(dir, 'good.meta.json'), JSON.stringify({ title: 'Grain deal talks', published: '2023-03-14', url: 'https://news.example.org/grain' }));
    await writeFile(join(dir, 'bom.meta.json'), '{ not json');
    await buildCorpus({ inputDir: dir, outDir: out, workers: 0, cacheDir: null, report: false });
    manifest = await readJson<Manifest>(join(out, 'manifest.json'));
  });

  it('reports each bad file with its stage and a clear message', () => {
    expect(statusOf('empty.txt')).toBe('error');
    expect(errorOf('empty.txt')?.message).toMatch(/empty/);
    expect(errorOf('blank.txt')?.message).toMatch(/empty/);
    expect(errorOf('binary.txt')?.message).toMatch(/binary/);
    expect(errorOf('latin1.txt')?.message).toMatch(/invalid UTF-8 at byte 3/);
    expect(errorOf('huge.txt')).toMatchObject({ stage: 'limit' });
    expect(errorOf('huge.txt')?.message).toMatch(/52428800 bytes, above the 10485760-byte limit/);
    expect(statusOf('scan.pdf')).toBe('skipped');
    expect(manifest.inputs.find((i) => i.path === 'scan.pdf')?.reason).toMatch(/unknown file type "\.pdf"/);
    expect(errorOf('scan.pdf')).toBeUndefined();
    expect(manifest.counts.errors).toBe(5);
    expect(manifest.counts.skipped).toBe(1);
  });

  it('still builds the good ones: BOM stripped, CRLF normalised, sidecar applied', async () => {
    expect(manifest.counts.documents).toBe(3);
    const records = await Promise.all((await readdir(join(out, 'documents'))).map((f) => readJson<DocumentRecord>(join(out, 'documents', f))));
    const byPath = new Map(records.map((r) => [r.source.path, r]));
    const good = byPath.get('good.txt')!;
    const bom = byPath.get('bom.txt')!;
    const crlf = byPath.get('nested/crlf.txt')!;
    expect(good.title).toBe('Grain deal talks');
    expect(good.published).toBe('2023-03-14');
    expect(good.source.url).toBe('https://news.example.org/grain');
    expect(bom.text.charCodeAt(0)).not.toBe(0xfeff);
    expect(bom.text).toBe(good.text);
    expect(bom.diagnostics.some((d) => d.stage === 'sidecar' && /sidecar ignored/.test(d.message))).toBe(true);
    expect(crlf.text).not.toContain('\r');
    expect(crlf.text).toBe(good.text);
  });

  it('reports a document that the stages cannot finish in time, and writes the rest', async () => {
    const dir = join(tmp, 'slow-in');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'a.txt'), ARTICLE);
    const result = await buildCorpus({ inputDir: dir, outDir: join(tmp, 'slow-out'), workers: 1, timeoutMs: 1, cacheDir: null, report: false });
    expect(result.manifest.errors).toEqual([{ path: 'a.txt', stage: 'timeout', message: 'analysis took longer than 1 ms' }]);
    expect(result.manifest.counts.documents).toBe(0);
  });

  it('times out only the slow document: the one queued behind it on the same worker is analysed on its replacement', async () => {
    const dir = join(tmp, 'slow-queue-in');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'a.txt'), ARTICLE);
    await writeFile(join(dir, 'b.txt'), `${ARTICLE}\n`.repeat(16000));
    await writeFile(join(dir, 'c.txt'), ARTICLE.replace(/Geneva/g, 'Vienna'));
    const result = await buildCorpus({ inputDir: dir, outDir: join(tmp, 'slow-queue-out'), workers: 1, timeoutMs: 2000, cacheDir: null, report: false });
    expect(result.manifest.errors).toEqual([{ path: 'b.txt', stage: 'timeout', message: 'analysis took longer than 2000 ms' }]);
    expect(result.manifest.inputs.map((i) => [i.path, i.status])).toEqual([['a.txt', 'ok'], ['b.txt', 'error'], ['c.txt', 'ok']]);
  });
});

const LOGS = ['summaries.jsonl', 'dedup.jsonl', 'entities.jsonl', 'report.jsonl', 'report-blocks.jsonl'];

describe('output is deterministic and incremental', () => {
  it('gives byte-identical output whatever the worker count or cache', async () => {
    const a = join(tmp, 'det-a');
    const b = join(tmp, 'det-b');
    await run(process.execPath, [bin, 'build', fixtures, '--out', a, '--no-cache', '-j', '2', '-q']);
    await run(process.execPath, [bin, 'build', fixtures, '--out', b, '-j', '0', '--cache', join(tmp, 'det-cache'), '-q']);
    await expectSameOutput(b, a);
  });

  it('re-analyses only a new document, and drops the record of a deleted one', async () => {
    const dir = await inputDir('inc-in', Infinity);
    const out = join(tmp, 'inc-out');
    const first = await buildCorpus({ inputDir: dir, outDir: out, workers: 0, report: false });
    expect(first.analysed).toBe(5);
    await writeFile(join(dir, 'new.txt'), ARTICLE);
    const second = await buildCorpus({ inputDir: dir, outDir: out, workers: 0, report: false });
    expect(second).toMatchObject({ analysed: 1, fromCache: 5 });
    expect(second.manifest.counts.documents).toBe(6);
    await rm(join(dir, 'new.txt'));
    const third = await buildCorpus({ inputDir: dir, outDir: out, workers: 0, report: false });
    expect(third).toMatchObject({ analysed: 0, fromCache: 5 });
    expect(await readdir(join(out, 'documents'))).toHaveLength(5);
  });

  it('writes the same bytes incrementally as a cold build, through additions, edits, deletions and a damaged cache', async () => {
    // The warm build runs the corpus steps on their threads (started early, reading what the build appends to their
    // logs); the others run them in-process.
    const dir = await inputDir('splice-in', Infinity, { 'm-geneva.txt': ARTICLE });
    const out = join(tmp, 'splice-out');
    await buildCorpus({ inputDir: dir, outDir: out, workers: 0 });
    // Added, edited and deleted inputs; a cached analysis and a record file lost in between.
    await writeFile(join(dir, 'a-vienna.txt'), ARTICLE.replace(/Geneva/g, 'Vienna'));
    await writeFile(join(dir, 'm-geneva.txt'), ARTICLE.replace('Martin Griffiths', 'Rebeca Grynspan'));
    const [deleted] = (await readdir(dir)).filter((f) => f.startsWith('00')).sort();
    await rm(join(dir, deleted));
    const analyses = join(out, '.cache', 'analyses');
    const [shard] = (await readdir(analyses)).sort();
    for (const f of await readdir(join(analyses, shard))) await rm(join(analyses, shard, f));
    const [record] = (await readdir(join(out, 'documents'))).sort().slice(-1);
    await rm(join(out, 'documents', record));
    // A build killed mid-append leaves a torn last line in a log; the saved link state is cut short.
    for (const log of LOGS) await appendFile(join(out, '.cache', log), '0123456789abcdef\t{"torn":');
    const state = await readFile(join(out, '.cache', 'link-state.bin'));
    await writeFile(join(out, '.cache', 'link-state.bin'), state.subarray(0, state.length >> 1));
    const warm = await buildCorpus({ inputDir: dir, outDir: out, workers: 1 });
    expect(warm.fromCache).toBe(4);
    expect(warm.manifest.counts.errors).toBe(0);

    const cold = join(tmp, 'splice-cold');
    await buildCorpus({ inputDir: dir, outDir: cold, workers: 0, cacheDir: null });
    await expectSameOutput(out, cold);
    // The summary logs hold every document, so the next build reads them instead of the full analyses.
    for (const log of LOGS) {
      const lines = (await readFile(join(out, '.cache', log), 'utf8')).trim().split('\n');
      const keys = new Set(lines.filter((l) => l[64] === '\t').map((l) => l.slice(0, 64)));
      expect(keys.size, log).toBeGreaterThanOrEqual(warm.manifest.counts.documents);
      // The torn line did not swallow the line appended after it.
      expect(lines.filter((l) => l.includes('{"torn":')), log).toEqual(['0123456789abcdef\t{"torn":']);
    }
    const jsonl = (await readFile(join(out, 'documents.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as DocumentRecord);
    expect(jsonl.map((r) => r.source.path)).toEqual((await readdir(dir)).filter((f) => f.endsWith('.txt')).sort());
  });

  it('writes the same bytes as a cold build when a new document is a copy, and when the original goes', async () => {
    // Records are written with the last build's duplicates before this build's are known: both ways it goes wrong must
    // be caught and mended.
    const dir = await inputDir('copies-in', 2, { 'm-geneva.txt': ARTICLE });
    const out = join(tmp, 'copies-out');
    await buildCorpus({ inputDir: dir, outDir: out, workers: 1 });
    const sameAsCold = async (name: string) => {
      const cold = join(tmp, `copies-cold-${name}`);
      await buildCorpus({ inputDir: dir, outDir: cold, workers: 0, cacheDir: null });
      await expectSameOutput(out, cold, `${name}: `);
    };
    await writeFile(join(dir, 'z-copy.txt'), `${ARTICLE}\n`);
    const added = await buildCorpus({ inputDir: dir, outDir: out, workers: 1 });
    expect(added.manifest.counts.duplicates).toBe(1);
    const recordOf = async (path: string) => {
      const id = added.manifest.inputs.find((i) => i.path === path)!.documentId!;
      return JSON.parse(await readFile(join(out, 'documents', `${id}.json`), 'utf8')) as DocumentRecord;
    };
    expect((await recordOf('z-copy.txt')).duplicateOf).toBe((await recordOf('m-geneva.txt')).id);
    await sameAsCold('added');
    await rm(join(dir, 'm-geneva.txt'));
    const removed = await buildCorpus({ inputDir: dir, outDir: out, workers: 1 });
    expect(removed.manifest.counts.duplicates).toBe(0);
    await sameAsCold('removed');
  });

  it('splices the elements of entities.json one document at a time, with the bytes of a cold build', async () => {
    // Every element written a run at a time (the threshold is 1 document): new, edited and deleted documents change the
    // mentions of entities other documents keep.
    const dir = await inputDir('runs-in', Infinity, { 'm-geneva.txt': ARTICLE });
    const out = join(tmp, 'runs-out');
    const build = () => buildCorpus({ inputDir: dir, outDir: out, workers: 1, report: false, entityRunMinDocuments: 1 });
    await build();
    const sameAsCold = async (name: string) => {
      const cold = join(tmp, `runs-cold-${name}`);
      await buildCorpus({ inputDir: dir, outDir: cold, workers: 0, cacheDir: null, report: false });
      expect(await readFile(join(out, 'entities.json'), 'utf8'), name).toBe(await readFile(join(cold, 'entities.json'), 'utf8'));
    };
    await writeFile(join(dir, 'b-vienna.txt'), ARTICLE.replace(/Geneva/g, 'Vienna'));
    await build();
    await sameAsCold('added');
    // Griffiths leaves one document: his entity keeps the others' runs and loses that one.
    await writeFile(join(dir, 'm-geneva.txt'), ARTICLE.replace(/Martin Griffiths|Griffiths/g, 'Rebeca Grynspan'));
    const [deleted] = (await readdir(dir)).filter((f) => f.startsWith('00')).sort();
    await rm(join(dir, deleted));
    await build();
    await sameAsCold('edited');
    const before = await readFile(join(out, 'entities.json'), 'utf8');
    // A run the last build wrote is copied from its file: a run whose bytes are altered there (same length, and the
    // cache told the file's new time) comes back altered, which shows it was copied and not rendered again. Turkey's
    // element changes (a new document mentions it); the runs of the documents that already did are copied.
    const turkey = before.indexOf('"text":"Turkey"');
    expect(turkey).toBeGreaterThan(0);
    await writeFile(join(out, 'entities.json'), `${before.slice(0, turkey)}"text":"TURKEY"${before.slice(turkey + 15)}`);
    const { mtimeMs } = await stat(join(out, 'entities.json'));
    const layoutPath = join(out, '.cache', 'layout-entities-entities.json');
    await writeFile(layoutPath, JSON.stringify({ ...(await readJson<object>(layoutPath)), mtimeMs }));
    const runsPath = join(out, '.cache', 'entity-runs.bin');
    const runs = deserialize(await readFile(runsPath)) as { version: string; value: object };
    await writeFile(runsPath, serialize({ ...runs, value: { ...runs.value, mtimeMs } }));
    await writeFile(join(dir, 'c-bern.txt'), ARTICLE.replace(/Geneva/g, 'Bern'));
    await build();
    const after = await readFile(join(out, 'entities.json'), 'utf8');
    expect(after).toContain('"text":"TURKEY"');
    expect(after.match(/"text":"Turkey"/g)?.length).toBe(before.match(/"text":"Turkey"/g)!.length);
  });

  it("keeps reported passages' texts for the next build instead of reading their sources again", async () => {
    const dir = join(tmp, 'texts-in');
    const out = join(tmp, 'texts-out');
    await mkdir(dir, { recursive: true });
    const [first] = (await readdir(fixtures)).filter((f) => f.endsWith('.txt')).sort();
    const shared = ARTICLE.split('\n\n')[1];
    // Two articles that are not copies of each other share one body paragraph: a passage repeated across documents.
    await writeFile(join(dir, 'a-geneva.txt'), ARTICLE);
    await writeFile(join(dir, 'b-other.txt'), `${await readFile(join(fixtures, first), 'utf8')}\n\n${shared}\n`);
    const build = () => buildCorpus({ inputDir: dir, outDir: out, workers: 1, report: false });
    await build();
    const acrossTexts = async () =>
      (await readJson<{ passages: { acrossDocuments: { text: string }[] } }>(join(out, 'duplicates.json'))).passages.acrossDocuments.map((p) => p.text);
    expect(await acrossTexts()).toContain(shared);
    const textsPath = join(out, '.cache', 'passage-texts.bin');
    const saved = deserialize(await readFile(textsPath)) as { version: string; value: [string, string][] };
    const kept = saved.value.find(([, text]) => text === shared);
    expect(kept).toBeDefined();
    // The kept text, altered, is what the next build reports: it was not read from the source again.
    kept![1] = 'A PLANTED TEXT';
    await writeFile(textsPath, serialize(saved));
    await writeFile(join(dir, 'c-bern.txt'), ARTICLE.replace(/Geneva/g, 'Bern').replace(shared, 'The talks were adjourned until Friday.'));
    await build();
    expect(await acrossTexts()).toContain('A PLANTED TEXT');
    expect(await acrossTexts()).not.toContain(shared);
  });

  it('makes records on threads of their own when there are many, with the bytes of a build that makes them in-process', async () => {
    // More than a few dozen records to make: the record threads make them (their plans sent, their lines sent back).
    const dir = join(tmp, 'many-in');
    await mkdir(dir, { recursive: true });
    for (const { name, text } of syntheticCorpus(seedParagraphs(fixtures), 90, 7)) await writeFile(join(dir, name), text);
    const threaded = join(tmp, 'many-threads');
    const inProcess = join(tmp, 'many-in-process');
    const a = await buildCorpus({ inputDir: dir, outDir: threaded, workers: 2, report: false });
    const b = await buildCorpus({ inputDir: dir, outDir: inProcess, workers: 0, cacheDir: null, report: false });
    expect(a.written).toBe(90);
    expect(a.manifest.counts.errors).toBe(0);
    expect(b.manifest.counts.documents).toBe(90);
    await expectSameOutput(threaded, inProcess);
  });

  it('builds HTML and Markdown inputs beside text dumps (their profiles load the parsers they need)', async () => {
    const dir = join(tmp, 'media-in');
    const out = join(tmp, 'media-out');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'a.txt'), ARTICLE);
    await writeFile(
      join(dir, 'b.html'),
      `<html><head><title>Talks resume in Vienna | Example News</title><link rel="canonical" href="https://news.example.com/vienna"></head><body><nav><a href="/">Home</a></nav><article>${ARTICLE.split('\n\n').map((p) => `<p>${p}</p>`).join('')}</article></body></html>`,
    );
    await writeFile(join(dir, 'c.md'), `---\ntitle: Talks resume in Vienna\n---\n\n${ARTICLE}`);
    const { manifest } = await buildCorpus({ inputDir: dir, outDir: out, workers: 1, report: false });
    expect(manifest.inputs.map((i) => [i.path, i.status])).toEqual([['a.txt', 'ok'], ['b.html', 'ok'], ['c.md', 'ok']]);
    const html = manifest.inputs.find((i) => i.path === 'b.html')!;
    const record = await readJson<DocumentRecord>(join(out, 'documents', `${html.documentId}.json`));
    expect(record.source.url).toBe('https://news.example.com/vienna');
    expect(record.paragraphs.length).toBeGreaterThan(0);
  });

  it('re-analyses everything when the alias file changes, and nothing when it does not', async () => {
    const dir = join(tmp, 'alias-in');
    const out = join(tmp, 'alias-out');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'a.txt'), ARTICLE);
    await writeFile(join(dir, 'b.txt'), ARTICLE.replace('Geneva', 'Vienna'));
    expect((await buildCorpus({ inputDir: dir, outDir: out, workers: 0, report: false })).analysed).toBe(2);
    await writeFile(join(dir, 'corpus.aliases.json'), JSON.stringify([{ name: 'United Nations', type: 'organization', aliases: ['UN', 'U.N.'] }]));
    const changed = await buildCorpus({ inputDir: dir, outDir: out, workers: 0, report: false });
    expect(changed).toMatchObject({ analysed: 2, fromCache: 0 });
    expect(changed.manifest.inputs.map((i) => i.path)).toEqual(['a.txt', 'b.txt']);
    expect((await buildCorpus({ inputDir: dir, outDir: out, workers: 0, report: false })).analysed).toBe(0);
    await writeFile(join(dir, 'corpus.aliases.json'), JSON.stringify([{ name: 'United Nations', type: 'agency', aliases: ['UN'] }]));
    const bad = await buildCorpus({ inputDir: dir, outDir: out, workers: 0, report: false });
    expect(bad.manifest.errors).toEqual([expect.objectContaining({ path: 'corpus.aliases.json', stage: 'config' })]);
    expect(bad.manifest.counts.documents).toBe(2);
  });
});

describe('the CLI', () => {
  it('prints help and exits 0', async () => {
    const { stdout } = await run(process.execPath, [bin, '--help']);
    expect(stdout).toMatch(/corpus build <inputDir> --out <outputDir>/);
  });

  it('exits 2 on a usage error and 1 when the run itself fails', async () => {
    expect(await main(['build', fixtures])).toBe(2);
    expect(await main(['build', fixtures, '--out', join(tmp, 'x'), '--workers', 'many'])).toBe(2);
    expect(await main(['build', join(tmp, 'does-not-exist'), '--out', join(tmp, 'y'), '-q'])).toBe(1);
  });

  it('prints a one-line summary and exits 0 when some inputs are bad', async () => {
    const dir = join(tmp, 'cli-in');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'a.txt'), ARTICLE);
    await writeFile(join(dir, 'b.txt'), '');
    const { stdout } = await run(process.execPath, [bin, 'build', dir, '--out', join(tmp, 'cli-out'), '--no-report']);
    expect(stdout).toMatch(/^1 documents, \d+ entities, \d+ quotes, 0 duplicates, 1 errors, 0 skipped in [\d.]+s/);
  });
});
