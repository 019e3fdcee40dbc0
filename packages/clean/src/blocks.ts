import type { Block } from './classify.js';
import { BULLET } from './text.js';

/** Text dumps: one block per non-empty line, offsets of the trimmed line. */
export function textBlocks(source: string): Block[] {
  const out: Block[] = [];
  let offset = 0;
  let blank = false;
  for (const line of source.split('\n')) {
    const start = offset;
    offset += line.length + 1;
    const trimmed = line.trim();
    if (!trimmed) { blank = true; continue; }
    const s = start + (line.length - line.trimStart().length);
    out.push({ text: trimmed, start: s, end: s + trimmed.length, bullet: BULLET.test(trimmed), blankBefore: blank && out.length > 0 });
    blank = false;
  }
  return out;
}

const FRONT_MATTER = /^---[ \t]*\n(?:[\s\S]*?\n)?---[ \t]*(?:\n|$)/;

export interface MarkdownSource {
  blocks: Block[];
  frontMatter: { start: number; end: number; raw: string } | null;
}

/** Strips Markdown syntax that is not prose, keeping the words of links and emphasis. */
export function mdInline(s: string): string {
  return s
    // bounded spans: an unclosed "[" must not make every later "[" rescan the line
    .replace(/!\[([^\]\n]{0,300})\]\([^)\n]{0,500}\)/g, '$1')
    .replace(/\[([^\]\n]{0,300})\]\([^)\n]{0,500}\)/g, '$1')
    .replace(/\[([^\]\n]{0,300})\]\[[^\]\n]{0,100}\]/g, '$1')
    .replace(/<\/?[a-zA-Z][^<>\n]{0,200}>/g, '')
    .replace(/(\*\*|__)(?=\S)([^*_\n]{1,500}?)\1/g, '$2')
    .replace(/(^|[\s(])[*_](?=\S)([^*_\n]{1,500}?)[*_](?=$|[\s).,;:!?])/g, '$1$2')
    .replace(/`([^`\n]{1,500})`/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Markdown: paragraphs are runs of non-blank lines; headings, list items, quotes, images and code fences become
 * their own blocks. Block text is the prose with the syntax removed; offsets point at the source lines.
 */
export function markdownBlocks(source: string): MarkdownSource {
  const fm = FRONT_MATTER.exec(source);
  const frontMatter = fm ? { start: 0, end: fm[0].replace(/\n$/, '').length, raw: fm[0] } : null;
  const lines: { text: string; start: number; end: number }[] = [];
  let offset = 0;
  for (const line of source.split('\n')) {
    lines.push({ text: line, start: offset, end: offset + line.length });
    offset += line.length + 1;
  }
  const out: Block[] = [];
  let i = 0;
  while (i < lines.length && frontMatter && lines[i].start < frontMatter.end) i++;
  let blank = false;
  let para: { text: string[]; start: number; end: number } | null = null;
  const flush = () => {
    if (!para) return;
    const text = mdInline(para.text.join(' '));
    if (text) out.push({ text, start: para.start, end: para.end, bullet: false, blankBefore: blank && out.length > 0 });
    para = null;
    blank = false;
  };
  const push = (b: Omit<Block, 'blankBefore'>) => { flush(); out.push({ ...b, blankBefore: blank && out.length > 0 }); blank = false; };
  for (; i < lines.length; i++) {
    const raw = lines[i].text;
    const t = raw.trim();
    const s = lines[i].start + (raw.length - raw.trimStart().length);
    const e = s + t.length;
    if (!t) { flush(); blank = true; continue; }
    const fence = /^(```|~~~)/.exec(t);
    if (fence) {
      let j = i + 1;
      while (j < lines.length && !lines[j].text.trim().startsWith(fence[1])) j++;
      const end = j < lines.length ? lines[j].end : lines[lines.length - 1].end;
      push({ text: lines.slice(i + 1, j).map((l) => l.text).join('\n').trim() || t, start: s, end, bullet: false, tag: 'code' });
      i = j;
      continue;
    }
    const h = /^(#{1,6})\s/.exec(t);
    if (h) { push({ text: mdInline(t.slice(h[0].length).replace(/#+$/, '').trim()), start: s, end: e, bullet: false, heading: h[1].length }); continue; }
    if (/^(?:[-*_]\s*){3,}$/.test(t) || /^\[[^\]]+\]:\s*\S+/.test(t) || /^<!--.*-->$/.test(t) || /^\|?\s*:?-{3,}/.test(t)) { flush(); continue; }
    if (/^!\[[^\]]*\]\([^)]*\)\s*$/.test(t)) { push({ text: mdInline(t) || 'image', start: s, end: e, bullet: false, tag: 'img' }); continue; }
    const li = /^(?:[-*+]|\d{1,3}[.)])\s+(.*)$/.exec(t);
    if (li) { push({ text: `• ${mdInline(li[1])}`, start: s, end: e, bullet: true }); continue; }
    const q = /^>\s?(.*)$/.exec(t);
    if (q) {
      if (para && (para as { tag?: string }).tag !== 'quote') flush();
      // consecutive quote lines form one paragraph
      if (!para) para = { text: [], start: s, end: e };
      para.text.push(q[1]);
      para.end = e;
      continue;
    }
    if (/^\|.*\|$/.test(t)) { push({ text: mdInline(t.replace(/\|/g, ' ')), start: s, end: e, bullet: false }); continue; }
    if (!para) para = { text: [], start: s, end: e };
    para.text.push(t);
    para.end = e;
  }
  flush();
  return { blocks: out.filter((b) => b.text.length > 0), frontMatter };
}
