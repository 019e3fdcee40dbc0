import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cleanDocument } from './index.js';

// Hand-written pages in the style of real sites (test-pages/*.expect.json says what a reader would call the article).
const dir = new URL('../test-pages/', import.meta.url);
const pages = readdirSync(dir).filter((f) => /\.(txt|html|md)$/.test(f));
const norm = (x: string) => x.replace(/^• /, '');
const mediaTypeOf = (f: string) => (f.endsWith('.md') ? 'text/markdown' : f.endsWith('.html') ? 'text/html' : 'text/plain');

describe('realistic pages', () => {
  it('has pages of every media type', () => {
    expect(pages.some((f) => f.endsWith('.html'))).toBe(true);
    expect(pages.some((f) => f.endsWith('.md'))).toBe(true);
    expect(pages.filter((f) => f.endsWith('.txt')).length).toBeGreaterThanOrEqual(5);
  });
  for (const f of pages) {
    it(f, () => {
      const exp = JSON.parse(readFileSync(new URL(f.replace(/\.[^.]+$/, '.expect.json'), dir), 'utf8')) as {
        body: string[]; boilerplate: string[]; headings?: string[]; meta: Record<string, unknown>;
      };
      const source = readFileSync(new URL(f, dir), 'utf8');
      const r = cleanDocument(source, { mediaType: mediaTypeOf(f) });
      const paras = r.paragraphs.map((p) => norm(p.text));
      const has = (s: string) => paras.some((p) => p === norm(s) || p.startsWith(norm(s) + (norm(s).length > 25 ? '' : ' ')));
      expect(exp.body.filter((b) => !has(b)), 'body lost').toEqual([]);
      expect(exp.boilerplate.filter((b) => has(b)), 'boilerplate kept').toEqual([]);
      for (const h of exp.headings ?? []) expect(r.paragraphs.find((p) => p.text.startsWith(h))?.kind).toBe('heading');
      for (const [k, v] of Object.entries(exp.meta)) expect((r.metadata as unknown as Record<string, unknown>)[k], k).toEqual(v);
      for (const k of Object.keys(exp.meta)) expect(r.metadata.methods[k], `method for ${k}`).toBeTruthy();
      // every removal explains itself
      for (const x of r.removed) {
        expect(x.ruleId).toMatch(/^[a-z][a-z0-9-]*$/);
        expect(x.reason.length).toBeGreaterThan(3);
        expect(x.role).toBeTruthy();
      }
      for (const p of r.paragraphs) expect(r.text.slice(p.start, p.end)).toBe(p.text);
    });
  }
});
