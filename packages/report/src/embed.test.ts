import { createHash } from 'node:crypto';
import fc from 'fast-check';
import rehypeParse from 'rehype-parse';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { countWords, embedJson, renderReport, renderReportStream, type DocPayload, type ReportSummary } from './index.js';
import { INJECTED_TEXT, INJECTED_TITLE, generateCorpus } from './test-helpers/corpus.js';

interface HastNode {
  type: string;
  tagName?: string;
  properties?: Record<string, unknown>;
  children?: HastNode[];
  value?: string;
}

/** Parses the page the way a browser does (HTML5 tokenizer) and lists its elements. */
function elements(html: string): HastNode[] {
  const out: HastNode[] = [];
  const walk = (n: HastNode) => {
    if (n.type === 'element') out.push(n);
    n.children?.forEach(walk);
  };
  walk(unified().use(rehypeParse).parse(html) as unknown as HastNode);
  return out;
}
const textOf = (n: HastNode): string => (n.children ?? []).map((c) => c.value ?? textOf(c)).join('');

describe('embedJson', () => {
  it('escapes every character that could end or alter a script element, and round-trips', () => {
    const value = { a: '</script><script>alert(1)</script>', b: '<!-- x --> & y', c: 'line\u2028sep\u2029para', d: ['<', '>', '&'] };
    const out = embedJson(value);
    expect(out).not.toMatch(/[<>&\u2028\u2029]/);
    expect(out).toContain('\\u003c/script\\u003e');
    expect(out).toContain('\\u2028');
    expect(JSON.parse(out)).toEqual(value);
  });

  it('round-trips any JSON value and never emits the dangerous characters (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string({ unit: 'binary' }), (value, s) => {
        const v = { value, s: `${s}</script>` };
        const out = embedJson(v);
        expect(/[<>&\u2028\u2029]/.test(out)).toBe(false);
        expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify(v)));
      }),
      { numRuns: 200 },
    );
  });
});

describe('countWords', () => {
  it('counts words, keeping contractions, hyphenations and accented words whole', () => {
    expect(countWords('Kassym-Zhomart Tokayev didn’t go to Kraków — he said “no”.')).toBe(9);
    expect(countWords('')).toBe(0);
    expect(countWords('  3.5 percent, 2024  ')).toBe(3);
  });
});

describe('renderReport', () => {
  const corpus = generateCorpus({ documents: 12, injected: true });
  const html = renderReport(corpus);
  const els = elements(html);
  const scripts = els.filter((e) => e.tagName === 'script');

  it('keeps every payload inside inert JSON: only the app script is executable', () => {
    // One block per document, the summary, and the page script: a `</script>` in the data would have split one.
    expect(scripts).toHaveLength(corpus.documents.length + 2);
    const executable = scripts.filter((s) => !String((s.properties?.type as string | undefined) ?? '').includes('json'));
    expect(executable).toHaveLength(1);
    expect(els.some((e) => e.tagName === 'img')).toBe(false);
    expect(els.filter((e) => e.tagName === 'b' || e.tagName === 'i')).toHaveLength(0);
    expect(html).not.toContain('<script>window');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('onerror="');
  });

  it('embeds the records so the page gets them back exactly', () => {
    const injected = corpus.documents.at(-1)!;
    const block = scripts.find((s) => s.properties?.id === `doc-${corpus.documents.length - 1}`)!;
    const payload = JSON.parse(textOf(block)) as DocPayload;
    expect(payload.title).toBe(INJECTED_TITLE);
    expect(payload.text).toBe(injected.text);
    expect(payload.text).toContain(INJECTED_TEXT);
    expect(payload.removed.map((r) => r.text)).toContain('<script>window.__pwned=5</script>');
    for (const e of payload.entities) {
      for (const [s, end] of e.mentions) expect(injected.entities.find((x) => x.id === e.id)!.mentions.some((m) => m.start === s && payload.text.slice(s, end) === m.text)).toBe(true);
    }

    const summary = JSON.parse(textOf(scripts.find((s) => s.properties?.id === 'corpus-summary')!)) as ReportSummary;
    expect(summary.counts.documents).toBe(corpus.manifest.counts.documents);
    expect(summary.counts.words).toBe(corpus.documents.reduce((n, d) => n + countWords(d.text), 0));
    expect(summary.docs.map((d) => d.id)).toEqual(corpus.documents.map((d) => d.id));
    expect(summary.docs[1].duplicateOf).toBe(0);
    expect(summary.docs[0].duplicateOf).toBe(-1);
    const keller = corpus.entities.entities[0];
    const row = summary.entities.find((e) => e.id === keller.id)!;
    expect(row.docMentions.reduce((a, b) => a + b, 0)).toBe(keller.mentionCount);
    expect(row.docs.map((i) => summary.docs[i].id)).toEqual([...new Set(keller.mentions.map((m) => m.documentId))].sort());
    expect(summary.errors).toEqual(corpus.manifest.errors);
    expect(summary.failedInputs.map((i) => i.status).sort()).toEqual(['error', 'skipped']);
  });

  it('pins its own script with a CSP hash and forbids network access', () => {
    const csp = els.find((e) => e.tagName === 'meta' && String(e.properties?.httpEquiv).toLowerCase() === 'content-security-policy')!;
    const policy = String(csp.properties!.content);
    expect(policy).toContain("default-src 'none'");
    const app = scripts.find((s) => !s.properties?.type)!;
    const hash = createHash('sha256').update(textOf(app)).digest('base64');
    expect(policy).toContain(`'sha256-${hash}'`);
    expect(html).not.toMatch(/\b(src|href)=["']?(https?:)?\/\//i);
  });

  it('streams the same page from an async iterable of documents', async () => {
    async function* lazily() {
      for (const d of corpus.documents) yield d;
    }
    let streamed = '';
    for await (const chunk of renderReportStream({ ...corpus, documents: lazily() })) streamed += chunk;
    expect(streamed).toBe(html);
  });

  it('drops references to documents that are not in the report instead of pointing at the wrong one', () => {
    const partial = renderReport({ ...corpus, documents: corpus.documents.slice(1) });
    const summary = JSON.parse(textOf(elements(partial).find((e) => e.properties?.id === 'corpus-summary')!)) as ReportSummary;
    expect(summary.docs).toHaveLength(corpus.documents.length - 1);
    expect(summary.docs[0].duplicateOf).toBe(-1);
    expect(summary.duplicates[0].canonical).toBe(-1);
    for (const e of summary.entities) for (const i of e.docs) expect(i).toBeLessThan(summary.docs.length);
  });
});
