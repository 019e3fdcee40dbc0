// End to end: build a corpus (through the real pipeline when it is built), render report.html with this package, open
// it from disk in headless Chromium and use it like an analyst would. Also checks that markup and scripts planted in
// the sources stay inert text, that the page makes no network request, and that 1,200 documents stay usable.

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { DocumentRecord, DuplicateIndex, EntityIndex, Manifest, QuoteIndex } from '@corpus/schema';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport } from './index.js';
import { generateCorpus, type Corpus } from './test-helpers/corpus.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = join(ROOT, 'pipelines/build-corpus/bin/corpus.js');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const INJECTED_TXT = `<script>window.__pwned=1</script> Harbour plan approved after long debate
Home | News | Sport | Weather | Contact

The city council of Lisbon approved the harbour plan on Tuesday after a debate that lasted eleven hours. Mayor Carlos Moedas said the plan would create more than two thousand jobs over the next decade.

“This is a good day for the harbour and for everyone who works there <img src=x onerror="window.__pwned=2">,” Moedas told reporters outside the council chamber.

Opponents, including members of the Green Party, said the vote ignored residents of the old quarter. <script>window.__pwned=3</script> The European Commission must still approve the funding before work can begin in the spring.

Share this article
`;
const INJECTED_META = JSON.stringify({
  title: 'Harbour plan <img src=x onerror="window.__pwned=4"> approved <script>window.__pwned=5</script>',
  publisher: '<b>Harbour</b> Gazette',
  url: 'javascript:window.__pwned=6',
});
const INJECTED_HTML = `<!doctype html><html><head><title>Port strike ends &lt;script&gt;window.__pwned=7&lt;/script&gt;</title>
<script>window.__pwned=8</script></head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Port strike ends after union deal</h1>
<p>Dock workers in Rotterdam returned to work on Monday after the union reached a deal with the port authority, ending a strike that had lasted nine days.</p>
<p>“We got what we asked for &lt;img src=x onerror=window.__pwned=9&gt;,” said union leader Anna de Vries, adding that the deal still had to be approved by members.</p>
<p>The Port of Rotterdam Authority said shipping would return to normal by the end of the week.</p>
</article><footer>© Port News 2024</footer></body></html>
`;

interface Built extends Corpus {
  dir: string;
  via: 'pipeline' | 'generated';
}

async function buildCorpusFixtures(dir: string): Promise<Built> {
  const input = join(dir, 'input');
  const out = join(dir, 'out');
  await mkdir(input, { recursive: true });
  if (existsSync(join(ROOT, 'pipelines/build-corpus/dist/cli.js'))) {
    for (const f of await readdir(join(ROOT, 'fixtures'))) await copyFile(join(ROOT, 'fixtures', f), join(input, f));
    await writeFile(join(input, 'zz-injected.txt'), INJECTED_TXT);
    await writeFile(join(input, 'zz-injected.meta.json'), INJECTED_META);
    await writeFile(join(input, 'zz-port.html'), INJECTED_HTML);
    await writeFile(join(input, 'scan.pdf'), '%PDF-1.4 not an article');
    try {
      await promisify(execFile)(process.execPath, [CLI, 'build', input, '--out', out, '--no-cache', '--no-report', '-q', '-j', '1'], { timeout: 120_000 });
      const read = async <T>(f: string) => JSON.parse(await readFile(join(out, f), 'utf8')) as T;
      const manifest = await read<Manifest>('manifest.json');
      const documents: DocumentRecord[] = [];
      for (const i of manifest.inputs) if (i.status === 'ok') documents.push(await read<DocumentRecord>(`documents/${i.documentId}.json`));
      return { dir: out, via: 'pipeline', manifest, documents, entities: await read<EntityIndex>('entities.json'), quotes: await read<QuoteIndex>('quotes.json'), duplicates: await read<DuplicateIndex>('duplicates.json') };
    } catch (error) {
      // The pipeline is owned elsewhere and may be mid-change; the report is still tested on schema-valid records.
      console.warn(`pipeline build failed, using generated records: ${(error as Error).message.slice(0, 300)}`);
    }
  }
  const corpus = generateCorpus({ documents: 30, injected: true });
  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'manifest.json'), JSON.stringify(corpus.manifest));
  return { dir: out, via: 'generated', ...corpus };
}

let ctx: BrowserContext;
let work: string;
const consoleErrors: string[] = [];
const pageErrors: string[] = [];
const offline: string[] = [];

async function open(file: string, hash = ''): Promise<Page> {
  const page = await ctx.newPage();
  page.setDefaultTimeout(15_000);
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${pathToFileURL(file).href}${hash ? `#${hash}` : ''}`);
  await page.waitForSelector('#app[data-view]');
  return page;
}
const num = (s: string | null) => Number((s ?? '').replace(/[^\d]/g, ''));

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium package or set CHROMIUM_PATH`);
  work = await mkdtemp(join(tmpdir(), 'report-e2e-'));
  ctx = await chromium.launchPersistentContext(join(work, 'chromium-profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
    viewport: { width: 1280, height: 900 },
  });
  // The report must work offline: anything that is not the file itself is refused and recorded.
  await ctx.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:') || url.startsWith('data:')) return route.continue();
    offline.push(url);
    return route.abort();
  });
}, 90_000);

afterAll(async () => {
  try {
    await ctx?.close();
  } finally {
    if (work && !process.env.REPORT_KEEP_TMP) await rm(work, { recursive: true, force: true });
  }
});

describe('report.html in Chromium', () => {
  let built: Built;
  let file: string;
  let shots: string;

  beforeAll(async () => {
    built = await buildCorpusFixtures(join(work, 'corpus'));
    file = join(built.dir, 'report.html');
    await writeFile(file, renderReport(built));
    // Screenshots land in the project's output/ (git-ignored) unless REPORT_SCREENSHOT_DIR names another place.
    shots = process.env.REPORT_SCREENSHOT_DIR ?? new URL('../../../output/', import.meta.url).pathname;
    await mkdir(shots, { recursive: true });
  }, 180_000);

  it('shows overview counts equal to manifest.json and a sortable, filterable document table', async () => {
    const manifest = JSON.parse(await readFile(join(built.dir, 'manifest.json'), 'utf8')) as Manifest;
    const page = await open(file);
    try {
      for (const key of ['documents', 'entities', 'quotes', 'duplicateGroups', 'errors', 'paragraphs', 'removed', 'mentions', 'skipped', 'quoteClusters'] as const) {
        expect(num(await page.textContent(`[data-testid=count-${key}]`)), key).toBe(manifest.counts[key]);
      }
      expect(manifest.counts.documents).toBeGreaterThan(3);
      expect(num(await page.textContent('[data-testid=count-words]'))).toBeGreaterThan(1000);
      const rows = page.locator('[data-testid=docs-table] tbody tr');
      expect(await rows.count()).toBe(Math.min(50, manifest.counts.documents));

      await page.click('[data-testid=docs-table] th[data-key=words]');
      const words = await page.locator('[data-testid=docs-table] tbody tr td:nth-child(5)').allTextContents();
      const values = words.map(num);
      expect(values).toEqual([...values].sort((a, b) => b - a));

      await page.fill('[data-testid=docs-filter]', 'zz-injected');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid=docs-table] tbody tr').length === 1);
      await page.fill('[data-testid=docs-filter]', '');
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid=docs-table] tbody tr').length === n, Math.min(50, manifest.counts.documents));
      await page.screenshot({ path: join(shots, 'report-overview.png') });

      // Inputs that did not become documents are listed with why, beside the build's errors.
      await page.evaluate(() => (location.hash = '#/problems'));
      await page.waitForFunction(() => document.getElementById('app')!.dataset.view === 'problems');
      const problems = (await page.textContent('#app')) ?? '';
      for (const input of manifest.inputs.filter((i) => i.status !== 'ok')) {
        expect(problems).toContain(input.path);
        if (input.reason) expect(problems).toContain(input.reason);
      }
      for (const e of manifest.errors) expect(problems).toContain(e.message);
    } finally {
      await page.close();
    }
  });

  it('opens a document from the table and highlights its entities and quotes', async () => {
    const doc = [...built.documents].sort((a, b) => b.quotes.length - a.quotes.length || b.entities.length - a.entities.length)[0];
    expect(doc.entities.length).toBeGreaterThan(0);
    const page = await open(file);
    try {
      await page.click(`[data-testid=docs-table] a[href="#/doc/${doc.id}"]`);
      await page.waitForSelector('[data-testid=doc-text] mark.ent');
      const marks = await page.$$eval('[data-testid=doc-text] mark.ent', (ms) => ms.map((m) => ({ text: m.textContent, cls: m.className, id: (m as HTMLElement).dataset.entity, start: (m as HTMLElement).dataset.start })));
      const mentions = doc.entities.flatMap((e) => e.mentions.map((m) => ({ ...m, id: e.id, type: e.type })));
      // Every highlight starting a mention carries that mention's exact text and its entity's type.
      const starts = marks.filter((m) => m.start !== undefined);
      expect(starts.length).toBe(new Set(mentions.map((m) => m.start)).size);
      for (const m of starts) {
        const mention = mentions.find((x) => x.start === Number(m.start) && x.id === m.id)!;
        expect(mention, `mark at ${m.start}`).toBeDefined();
        expect(mention.text.startsWith(m.text!)).toBe(true);
        expect(m.cls).toContain(`t-${mention.type}`);
      }
      if (doc.quotes.length) {
        expect(await page.locator('[data-testid=doc-text] .q').count()).toBeGreaterThan(0);
        const attributed = doc.quotes.filter((q) => q.speaker && q.kind !== 'scare');
        if (attributed.length) expect(await page.locator('[data-testid=doc-text] [data-testid=speaker]').allTextContents()).toContainEqual(expect.stringContaining(attributed[0].speaker!.name));
      }
      await page.screenshot({ path: join(shots, 'report-document.png') });

      // The source view rebuilds the source order: removed text struck through, with its rule on hover.
      await page.click('[data-testid=mode-source]');
      await page.waitForSelector('[data-testid=doc-text].source');
      const removed = await page.$$eval('[data-testid=doc-text] .removed del', (ds) => ds.map((d) => ({ text: d.textContent, title: d.getAttribute('title') })));
      expect(removed.length).toBe(doc.removed.length);
      const bySource = [...doc.removed].sort((a, b) => a.start - b.start || a.end - b.end);
      expect(removed.map((r) => r.text)).toEqual(bySource.map((r) => r.text));
      if (bySource.length) expect(removed[0].title).toContain(bySource[0].ruleId);
      const kept = await page.locator('[data-testid=doc-text] .kept').count();
      expect(kept).toBe(doc.paragraphs.length);
    } finally {
      await page.close();
    }
  });

  it('keeps planted scripts and markup inert', async () => {
    const injected = built.documents.filter((d) => /pwned/.test(JSON.stringify(d)));
    expect(injected.length).toBeGreaterThan(0);
    const page = await open(file);
    try {
      const seen: string[] = [];
      for (const d of injected) {
        for (const mode of ['', '?mode=source']) {
          await page.evaluate((h) => (location.hash = h), `#/doc/${d.id}${mode}`);
          await page.waitForSelector(`[data-doc="${d.id}"] [data-testid=doc-text]${mode ? '.source' : '.clean'}`);
          seen.push((await page.textContent('#app')) ?? '');
          expect(await page.locator('#app img, #app b, #app script, #app iframe').count()).toBe(0);
          const hrefs = await page.$$eval('#app a', (as) => as.map((a) => a.getAttribute('href') ?? ''));
          expect(hrefs.filter((h) => /^javascript:/i.test(h))).toEqual([]);
        }
      }
      // The payloads reached the page as visible text, so the check above is not vacuous.
      expect(seen.join('\n')).toMatch(/<script>window\.__pwned=\d<\/script>|<img src=x onerror=/);
      for (const view of ['#/overview', '#/entities', '#/quotes', '#/problems', '#/duplicates']) {
        await page.evaluate((h) => (location.hash = h), view);
        await page.waitForFunction((v) => document.getElementById('app')!.dataset.view === v, view.slice(2));
      }
      expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
      expect(await page.locator('script:not([type="application/json"])').count()).toBe(1);
    } finally {
      await page.close();
    }
    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(offline).toEqual([]);
  });
});

describe('the Content-Security-Policy', () => {
  it('runs only the report script even if raw markup got into the page, and the report still works', async () => {
    const corpus = generateCorpus({ documents: 3 });
    const planted = '<script>window.__pwned=1</script><img src="x" onerror="window.__pwned=2"><iframe src="https://example.com/"></iframe>';
    const file = join(work, 'csp.html');
    await writeFile(file, renderReport(corpus).replace('<main id="app">', `${planted}<main id="app">`));
    const page = await open(file);
    try {
      expect(await page.locator('[data-testid=count-documents]').textContent()).toBe('3');
      expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    } finally {
      await page.close();
    }
    // The browser reports what it refused; those refusals are this test's point, not page errors.
    const refused = consoleErrors.splice(0).filter((e) => !/Content Security Policy/i.test(e));
    expect(refused).toEqual([]);
    // The planted iframe was refused by the policy itself: no request ever left the page.
    expect(offline).toEqual([]);
  });
});

describe('a 1,200-document report', () => {
  const corpus = generateCorpus({ documents: 1200, seed: 11 });
  let file: string;

  beforeAll(async () => {
    file = join(work, 'large', 'report.html');
    await mkdir(join(work, 'large'), { recursive: true });
    await writeFile(file, renderReport(corpus));
  });

  it('loads quickly, paginates, filters, and renders any document on demand', async () => {
    const started = Date.now();
    const page = await open(file);
    try {
      await page.waitForSelector('[data-testid=docs-table] tbody tr');
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(await page.locator('[data-testid=docs-table] tbody tr').count()).toBe(50);
      expect(await page.textContent('[data-testid=docs-page]')).toBe('page 1 / 24');
      // Only the open document is ever rendered; the others stay as JSON text.
      expect(await page.locator('mark.ent').count()).toBe(0);

      await page.fill('[data-testid=docs-filter]', 'article-1150');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid=docs-table] tbody tr').length === 1);
      await page.click('[data-testid=docs-table] a[href="#/doc/article-1150"]');
      await page.waitForSelector('[data-doc="article-1150"] mark.ent');
      const mentions = corpus.documents[1150].entities.reduce((n, e) => n + e.mentions.length, 0);
      expect(await page.locator('mark.ent[data-start]').count()).toBe(mentions);

      await page.evaluate(() => (location.hash = '#/entities'));
      await page.waitForSelector('[data-testid=cooccurrence]');
      expect(await page.locator('[data-testid=cooccurrence] rect.cell').count()).toBe(400);
      expect(await page.locator('[data-testid=entities-table] tbody tr').count()).toBe(Math.min(50, corpus.entities.entities.length));

      await page.evaluate(() => (location.hash = '#/quotes'));
      await page.waitForSelector('[data-cluster]');
      // Clusters hold two wordings of each utterance; the word diff marks the differing words.
      const diffs = await page.$$eval('[data-testid=cluster-diff] ins.diff, [data-testid=cluster-diff] del.diff', (xs) => xs.map((x) => x.textContent));
      expect(diffs.length).toBeGreaterThan(0);
      expect(diffs.join(' ')).toMatch(/\b(any|a|These|The|here|this|so|first|the)\b/);
      // A speaker quoted hundreds of times, or an utterance copied into hundreds of documents, stays a short list.
      expect(await page.locator('.speaker-group tbody tr').count()).toBeLessThanOrEqual(15 * 10);
      expect(await page.locator('[data-cluster] .member').count()).toBeLessThanOrEqual(4 * 7);
      expect(await page.locator('.cluster a[href^="#/doc/"]').count()).toBeLessThanOrEqual(4 * 7 * 3);
      expect(pageErrors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
