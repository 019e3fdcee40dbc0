import type { Element, Nodes, Root } from 'hast';
import rehypeParse from 'rehype-parse';
import { unified } from 'unified';
import type { Block, Role } from './classify.js';
import { findDate } from './dates.js';
import { BULLET, isPersonName, nameCase } from './text.js';

export interface HtmlMeta {
  title: string | null;
  titleMethod: string;
  pageTitle: string | null;
  authors: string[];
  authorsMethod: string;
  published: string | null;
  publishedMethod: string;
  publisher: string | null;
  publisherMethod: string;
  lang: string | null;
  url: string | null;
}

const SKIP = new Set(['script', 'style', 'noscript', 'template', 'svg', 'math', 'iframe', 'button', 'select', 'option', 'input', 'textarea', 'canvas', 'video', 'audio', 'object', 'embed', 'map', 'head', 'link', 'meta', 'source', 'picture', 'img', 'dialog']);
const BLOCK = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'blockquote', 'pre', 'figcaption', 'dt', 'dd', 'td', 'th', 'caption', 'address', 'summary', 'div', 'section', 'article', 'main', 'header', 'footer', 'nav', 'aside', 'ul', 'ol', 'dl', 'table', 'tbody', 'thead', 'tfoot', 'tr', 'form', 'figure', 'body', 'html', 'details', 'fieldset', 'hr', 'br', 'menu', 'center', 'legend']);
const TAG_ROLE: Record<string, [Role, string]> = {
  nav: ['nav', 'dom-nav'], menu: ['nav', 'dom-nav'], form: ['nav', 'dom-form'], footer: ['footer', 'dom-footer'],
  aside: ['related', 'dom-aside'], figure: ['caption', 'dom-figure'], figcaption: ['caption', 'dom-figure'],
};
// class/id words that name page chrome, checked as whole tokens of the attribute ("site-nav" → site, nav)
const CLASS_ROLE: [RegExp, Role, string][] = [
  [/^(?:nav|navbar|navigation|menu|megamenu|breadcrumbs?|masthead|skip|topbar|toolbar|pagination|pager)$/, 'nav', 'class-nav'],
  [/^(?:footer|colophon|copyright)$/, 'footer', 'class-footer'],
  [/^(?:sidebar|widget|widgets|rail)$/, 'related', 'class-sidebar'],
  [/^(?:share|sharing|social|sharebar|sharetools)$/, 'share', 'class-share'],
  [/^(?:related|recommended|recirculation|outbrain|taboola|teaser|teasers|trending|popular|promo)$/, 'related', 'class-related'],
  [/^(?:comments?|disqus|respond|replies)$/, 'other', 'class-comments'],
  [/^(?:cookie|cookies|consent|gdpr|cmp)$/, 'other', 'class-cookie'],
  [/^(?:newsletter|subscribe|signup|paywall|subscription)$/, 'share', 'class-newsletter'],
  [/^(?:ad|ads|advert|advertisement|sponsor|sponsored|dfp|banner)$/, 'other', 'class-advert'],
  [/^(?:tags|taglist|keywords|topics)$/, 'other', 'class-tags'],
  [/^(?:caption|credit|credits)$/, 'caption', 'class-caption'],
  [/^(?:tweet|instagram|tiktok|embedly)$/, 'other', 'class-embed'],
];
const ARTICLE_CLASS = /(?:^|\s)(?:article|story|post|entry|content|news|blog)[-_]*(?:body|content|text|inner|main)|(?:^|\s)(?:articlebody|article__body|main-content|rich-text)/i;
const ARTICLE_TYPES = /^(?:NewsArticle|Article|BlogPosting|ReportageNewsArticle|AnalysisNewsArticle|OpinionNewsArticle|BackgroundNewsArticle|ReviewNewsArticle|Report|ScholarlyArticle|TechArticle|LiveBlogPosting|SocialMediaPosting)$/;

const attr = (e: Element, k: string): string => {
  const v = e.properties?.[k];
  return Array.isArray(v) ? v.join(' ') : v === undefined || v === null ? '' : String(v);
};
const textOf = (n: Nodes): string => {
  if (n.type === 'text') return n.value;
  if (n.type === 'element' && SKIP.has(n.tagName)) return '';
  if ('children' in n) return (n.children as Nodes[]).map(textOf).join(n.type === 'element' && BLOCK.has(n.tagName) ? ' ' : '');
  return '';
};

interface Ctx {
  dom: Block['dom'];
  inArticle: boolean;
  /** inside any <article>/<main>: a <header> there is the story's, not the site's */
  inStory: boolean;
  heading?: number;
  tag: string;
  link: boolean;
}

export function parseHtml(source: string): { blocks: Block[]; meta: HtmlMeta } {
  const tree = unified().use(rehypeParse).parse(source) as Root;
  const meta: HtmlMeta = { title: null, titleMethod: '', pageTitle: null, authors: [], authorsMethod: '', published: null, publishedMethod: '', publisher: null, publisherMethod: '', lang: null, url: null };

  // pre-pass: sizes, the article container, head metadata
  const size = new Map<Element, number>();
  const parent = new Map<Element, Element>();
  const pChars = new Map<Element, number>();
  const ld: unknown[] = [];
  const metas: Record<string, string> = {};
  let firstTime: string | null = null;
  const measure = (n: Nodes): [number, number] => {
    if (n.type === 'text') return [n.value.trim().length, 0];
    if (n.type !== 'element' && n.type !== 'root') return [0, 0];
    if (n.type === 'element') {
      const tag = n.tagName;
      if (tag === 'script' && /ld\+json/i.test(attr(n, 'type'))) {
        try { ld.push(JSON.parse(textOf({ type: 'root', children: n.children } as Root))); } catch { /* malformed JSON-LD is common */ }
      }
      if (tag === 'meta') {
        const k = (attr(n, 'property') || attr(n, 'name') || attr(n, 'itemProp')).toLowerCase();
        const v = attr(n, 'content');
        if (k && v && !(k in metas)) metas[k] = v;
      }
      if (tag === 'title' && !meta.pageTitle) meta.pageTitle = textOf(n).replace(/\s+/g, ' ').trim() || null;
      if (tag === 'html') meta.lang = attr(n, 'lang').slice(0, 2).toLowerCase() || null;
      if (tag === 'link' && /canonical/i.test(attr(n, 'rel')) && !meta.url) meta.url = attr(n, 'href') || null;
      if (tag === 'time' && !firstTime) firstTime = attr(n, 'dateTime') || textOf(n);
      if (SKIP.has(tag) && tag !== 'head') return [0, 0];
    }
    let s = 0, p = 0;
    for (const c of n.children as Nodes[]) {
      if (c.type === 'element' && n.type === 'element') parent.set(c, n);
      const [a, b] = measure(c); s += a; p += b;
    }
    if (n.type === 'element') {
      if (n.tagName === 'p') p += s;
      size.set(n, s);
      pChars.set(n, p);
    }
    return [s, p];
  };
  const [total] = measure(tree);
  let container: Element | null = null;
  for (const [e, p] of pChars) {
    const isCandidate = e.tagName === 'article' || e.tagName === 'main' || /articleBody/i.test(attr(e, 'itemProp')) || attr(e, 'role') === 'main' || ARTICLE_CLASS.test(attr(e, 'className'));
    if (isCandidate && p > 0 && (!container || p > (pChars.get(container) ?? 0))) container = e;
  }

  // elements that enclose the article container must not be treated as chrome by their class names
  const holdsContainer = new Set<Element>();
  for (let e = container; e; e = parent.get(e) ?? null) holdsContainer.add(e);
  const containsContainer = (e: Element) => holdsContainer.has(e);
  const blocks: Block[] = [];
  let buf: { parts: string[]; link: number; start: number; end: number; ctx: Ctx } | null = null;
  const flush = () => {
    if (!buf) return;
    const text = buf.parts.join('').replace(/\s+/g, ' ').trim();
    if (text) {
      const { ctx } = buf;
      blocks.push({
        text: ctx.tag === 'li' && !BULLET.test(text) ? `• ${text}` : text,
        start: buf.start, end: Math.max(buf.start, buf.end), bullet: ctx.tag === 'li', blankBefore: true,
        heading: ctx.heading, tag: ctx.tag, linkDensity: text.length ? Math.min(1, buf.link / text.length) : 0,
        dom: ctx.dom, inArticle: container ? ctx.inArticle : undefined,
      });
    }
    buf = null;
  };
  let boundary = false;
  const walk = (n: Nodes, ctx: Ctx) => {
    if (n.type === 'text') {
      if (!n.value) return;
      const s = n.position?.start.offset, e = n.position?.end.offset;
      if (!buf) {
        if (!n.value.trim()) return;
        buf = { parts: [], link: 0, start: s ?? 0, end: e ?? s ?? 0, ctx };
      }
      // inline elements laid out as blocks by CSS ("<span>Jane Doe</span><span>Reporter</span>") would glue words
      const prev = buf.parts.length ? buf.parts[buf.parts.length - 1] : '';
      if (boundary && /[\p{Ll}\p{N}.,:;!?)]$/u.test(prev) && /^[\p{Lu}\p{N}(]/u.test(n.value)) buf.parts.push(' ');
      boundary = false;
      buf.parts.push(n.value);
      if (ctx.link) buf.link += n.value.trim().length;
      if (e !== undefined) buf.end = e;
      return;
    }
    if (n.type !== 'element' && n.type !== 'root') return;
    if (n.type === 'root') { for (const c of n.children) walk(c as Nodes, ctx); flush(); return; }
    const tag = n.tagName;
    if (SKIP.has(tag)) return;
    // invisible to readers, so not part of what they would call the page
    if (n.properties?.hidden || /display\s*:\s*none|visibility\s*:\s*hidden/i.test(attr(n, 'style')) || attr(n, 'ariaHidden') === 'true') return;
    const block = BLOCK.has(tag);
    let next = ctx;
    if (block || tag === 'a') {
      next = { ...ctx };
      if (tag === 'a') next.link = true;
      if (n === container) next.inArticle = true;
      if (tag === 'article' || tag === 'main') next.inStory = true;
      if (block) next.tag = tag;
      const h = /^h([1-6])$/.exec(tag);
      if (h) next.heading = +h[1];
      if (!next.dom) {
        const tr = TAG_ROLE[tag];
        const big = (size.get(n) ?? 0) > 0.4 * total && total > 200;
        // a <form> or <nav> wrapping the whole page (ASP.NET sites do this) says nothing about its content
        const wraps = n === container || containsContainer(n) || (big && tag !== 'figure' && tag !== 'figcaption');
        if (tr && !wraps) next.dom = { role: tr[0], ruleId: tr[1], reason: `inside <${tag}>` };
        else if (tr) { /* wrapper: judge its children on their own */ }
        else if (tag === 'header' && !ctx.inArticle && !ctx.inStory && n !== container && !containsContainer(n)) next.dom = { role: 'nav', ruleId: 'dom-header', reason: 'inside the page <header>' };
        else if (!big && n !== container && !containsContainer(n)) {
          const words = `${attr(n, 'className')} ${attr(n, 'id')} ${attr(n, 'role')}`.toLowerCase().split(/[\s_-]+/).filter(Boolean);
          // a wrapper holding much of the article's paragraphs is not chrome whatever its class says
          // ("article-body paywall", "content ads-enabled"); comment threads are the exception
          const pc = pChars.get(n) ?? 0;
          const proseHeavy = container !== null && pc > 300 && pc >= 0.5 * (pChars.get(container) ?? 0);
          for (const [re, role, ruleId] of CLASS_ROLE) {
            const w = words.find((x) => re.test(x));
            if (w && (!proseHeavy || ruleId === 'class-comments')) { next.dom = { role, ruleId, reason: `element marked "${w}"` }; break; }
          }
          if (!next.dom && /^(?:navigation|banner|contentinfo|complementary|search)$/.test(attr(n, 'role'))) next.dom = { role: 'nav', ruleId: 'dom-role', reason: `role=${attr(n, 'role')}` };
        }
      }
    }
    if (block) flush();
    if (tag === 'br' || tag === 'hr') { if (buf) buf.parts.push(' '); return; }
    boundary = true;
    for (const c of n.children) walk(c as Nodes, next);
    boundary = true;
    if (block) flush();
  };
  // the headline and byline usually sit in a <header> next to the article, not in the site header
  walk(tree, { dom: null, inArticle: false, inStory: false, tag: 'body', link: false });
  for (const b of blocks) if (b.heading === 1 && b.dom?.ruleId === 'dom-header') b.dom = null;

  readStructuredMeta(ld, metas, meta, firstTime);
  return { blocks, meta };
}

const names = (v: unknown): string[] => {
  const list = Array.isArray(v) ? v : [v];
  const out: string[] = [];
  for (const a of list) {
    if (typeof a === 'string') out.push(...a.split(/\s*(?:,|\band\b|&)\s*/).map((x) => x.replace(/^by\s+/i, '').trim()));
    else if (a && typeof a === 'object') {
      const o = a as Record<string, unknown>;
      if (o['@type'] === 'Organization') continue;
      if (typeof o.name === 'string') out.push(o.name.trim());
    }
  }
  return out.map(nameCase).filter((n) => isPersonName(n));
};

function readStructuredMeta(ld: unknown[], metas: Record<string, string>, meta: HtmlMeta, firstTime: string | null) {
  const articles: Record<string, unknown>[] = [];
  const visit = (x: unknown, depth: number) => {
    if (!x || typeof x !== 'object' || depth > 6) return;
    if (Array.isArray(x)) { for (const y of x) visit(y, depth + 1); return; }
    const o = x as Record<string, unknown>;
    const t = o['@type'];
    if ((Array.isArray(t) ? t : [t]).some((y) => typeof y === 'string' && ARTICLE_TYPES.test(y))) articles.push(o);
    if (o['@graph']) visit(o['@graph'], depth + 1);
    if (o.mainEntity) visit(o.mainEntity, depth + 1);
  };
  visit(ld, 0);
  const a = articles[0];
  if (a) {
    const h = typeof a.headline === 'string' ? a.headline : typeof a.name === 'string' ? a.name : null;
    if (h) { meta.title = h.trim(); meta.titleMethod = 'json-ld'; }
    const au = names(a.author);
    if (au.length) { meta.authors = au; meta.authorsMethod = 'json-ld'; }
    if (typeof a.datePublished === 'string') { const d = findDate(a.datePublished, null); if (d) { meta.published = d.iso; meta.publishedMethod = 'json-ld'; } }
    const pub = a.publisher as Record<string, unknown> | undefined;
    if (pub && typeof pub === 'object' && typeof pub.name === 'string') { meta.publisher = pub.name.trim(); meta.publisherMethod = 'json-ld'; }
    if (typeof a.inLanguage === 'string' && !meta.lang) meta.lang = a.inLanguage.slice(0, 2).toLowerCase();
    if (typeof a.url === 'string' && !meta.url) meta.url = a.url;
  }
  if (!meta.title && metas['og:title']) { meta.title = metas['og:title'].trim(); meta.titleMethod = 'meta-og:title'; }
  if (!meta.authors.length) {
    for (const k of ['author', 'article:author', 'byl', 'parsely-author', 'sailthru.author', 'dc.creator']) {
      const v = metas[k];
      if (v && !/^https?:/.test(v)) { const au = names(v); if (au.length) { meta.authors = au; meta.authorsMethod = `meta-${k}`; break; } }
    }
  }
  if (!meta.published) {
    for (const k of ['article:published_time', 'datepublished', 'date', 'pubdate', 'publish-date', 'dc.date', 'dc.date.issued', 'sailthru.date', 'parsely-pub-date', 'og:updated_time']) {
      const v = metas[k];
      const d = v ? findDate(v, null) : null;
      if (d) { meta.published = d.iso; meta.publishedMethod = `meta-${k}`; break; }
    }
  }
  if (!meta.published && firstTime) { const d = findDate(firstTime, null); if (d) { meta.published = d.iso; meta.publishedMethod = 'time-element'; } }
  if (!meta.publisher && metas['og:site_name']) { meta.publisher = metas['og:site_name'].trim(); meta.publisherMethod = 'meta-og:site_name'; }
  if (!meta.url && metas['og:url']) meta.url = metas['og:url'];
}
