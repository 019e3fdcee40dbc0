// The report's page script. `reportApp` is inlined into report.html as source text (Function.prototype.toString),
// so it must be self-contained: no imports used at runtime, no references to module scope, and it must never contain
// the character sequence that closes a script element. All data reaches the page as text nodes and attributes set
// through DOM APIs: nothing from the corpus is ever parsed as HTML.

import type { ClusterRow, DocPayload, DocRow, EntityRow, ReportSummary, SpeakerGroup } from './model.js';

export function reportApp(): void {
  type Child = Node | string | number | null | undefined | false | Child[];
  type Props = Record<string, unknown>;

  const PAGE = 50;
  const TYPES = ['person', 'organization', 'place', 'event', 'other'] as const;
  const KINDS = ['direct', 'partial', 'scare'] as const;

  const summary: ReportSummary = JSON.parse(document.getElementById('corpus-summary')!.textContent!);
  const docs = summary.docs;
  const docById = new Map(docs.map((d, i) => [d.id, i]));
  const entityById = new Map(summary.entities.map((e, i) => [e.id, i]));
  const app = document.getElementById('app')!;
  const fmt = (n: number) => n.toLocaleString('en-US');

  // ---------------------------------------------------------------------------------------------------- DOM helpers
  function h(tag: string, props?: Props | null, ...children: Child[]): HTMLElement {
    const el = document.createElement(tag);
    if (props) setProps(el, props);
    append(el, children);
    return el;
  }
  function setProps(el: Element, props: Props) {
    for (const [k, v] of Object.entries(props)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') el.setAttribute('class', String(v));
      else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v as EventListener);
      else if (k === 'href') el.setAttribute('href', String(v));
      else el.setAttribute(k, String(v));
    }
  }
  function append(el: Node, children: Child[]) {
    for (const c of children) {
      if (c === null || c === undefined || c === false) continue;
      if (Array.isArray(c)) append(el, c);
      else if (typeof c === 'string' || typeof c === 'number') el.appendChild(document.createTextNode(String(c)));
      else el.appendChild(c);
    }
  }
  const link = (hash: string, ...children: Child[]) => h('a', { href: hash }, ...children);
  const enc = encodeURIComponent;
  const docHash = (i: number, extra?: Record<string, string | number>) => {
    const q = extra ? new URLSearchParams(Object.entries(extra).map(([k, v]) => [k, String(v)])).toString() : '';
    return `#/doc/${enc(docs[i].id)}${q ? `?${q}` : ''}`;
  };
  const docTitle = (d: DocRow | DocPayload) => d.title || d.id;
  const docLink = (i: number, extra?: Record<string, string | number>) =>
    i >= 0 && i < docs.length ? link(docHash(i, extra), docTitle(docs[i])) : h('span', { class: 'muted' }, '(missing document)');
  const chip = (cls: string, text: Child, title?: string) => h('span', { class: `chip ${cls}`, title }, text);
  const entityLink = (id: string | undefined, name: string) => {
    const i = id === undefined ? undefined : entityById.get(id);
    return i === undefined ? h('span', null, name) : link(`#/entity/${enc(id!)}`, name);
  };

  const payloadCache = new Map<number, DocPayload>();
  function payload(i: number): DocPayload | null {
    let p = payloadCache.get(i);
    if (p) return p;
    const el = document.getElementById(`doc-${i}`);
    if (!el) return null;
    p = JSON.parse(el.textContent!) as DocPayload;
    // A handful of parsed documents is plenty for back-and-forth navigation; the rest stay as text in the page.
    if (payloadCache.size > 8) payloadCache.delete(payloadCache.keys().next().value!);
    payloadCache.set(i, p);
    return p;
  }

  // ------------------------------------------------------------------------------------------------- paged lists
  interface Column<T> {
    key: string;
    label: string;
    num?: boolean;
    sort?: (row: T) => string | number;
    cell: (row: T) => Child;
  }
  interface ListState {
    filter: string;
    sort: string;
    desc: boolean;
    page: number;
    extra: Record<string, string>;
  }
  const listStates = new Map<string, ListState>();
  function state(name: string, sort: string, desc: boolean): ListState {
    let s = listStates.get(name);
    if (!s) listStates.set(name, (s = { filter: '', sort, desc, page: 0, extra: {} }));
    return s;
  }

  interface ListOptions<T> {
    name: string;
    rows: T[];
    columns?: Column<T>[];
    defaultSort: string;
    defaultDesc?: boolean;
    placeholder: string;
    text: (row: T) => string;
    selects?: { key: string; label: string; options: [string, string][]; test: (row: T, value: string) => boolean }[];
    onRow?: (row: T) => void;
    render?: (rows: T[]) => Node;
    pageSize?: number;
    noun: string;
  }

  /** A filterable, sortable, paginated list: only one page of rows is ever in the DOM. */
  function pagedList<T>(o: ListOptions<T>): HTMLElement {
    const s = state(o.name, o.defaultSort, o.defaultDesc ?? false);
    const size = o.pageSize ?? PAGE;
    const info = h('span', { class: 'info' });
    const pager = h('span', { class: 'pager' });
    const body = h('div');
    const search = h('input', { type: 'search', placeholder: o.placeholder, 'aria-label': o.placeholder, 'data-testid': `${o.name}-filter` }) as HTMLInputElement;
    search.value = s.filter;
    let timer = 0;
    search.addEventListener('input', () => {
      clearTimeout(timer);
      timer = window.setTimeout(() => {
        s.filter = search.value;
        s.page = 0;
        refresh();
      }, 120);
    });
    const selects = (o.selects ?? []).map((sel) => {
      const el = h('select', { 'aria-label': sel.label, 'data-testid': `${o.name}-${sel.key}` }, ...sel.options.map(([v, label]) => h('option', { value: v }, label))) as HTMLSelectElement;
      el.value = s.extra[sel.key] ?? '';
      el.addEventListener('change', () => {
        s.extra[sel.key] = el.value;
        s.page = 0;
        refresh();
      });
      return el;
    });

    function filtered(): T[] {
      const needle = s.filter.trim().toLowerCase();
      let rows = o.rows.filter((r) => (!needle || o.text(r).toLowerCase().includes(needle)) && (o.selects ?? []).every((sel) => !s.extra[sel.key] || sel.test(r, s.extra[sel.key])));
      const col = o.columns?.find((c) => c.key === s.sort);
      if (col?.sort) {
        const key = col.sort;
        const dir = s.desc ? -1 : 1;
        rows = rows
          .map((r, i) => ({ r, i, k: key(r) }))
          .sort((a, b) => (a.k < b.k ? -dir : a.k > b.k ? dir : a.i - b.i))
          .map((x) => x.r);
      }
      return rows;
    }

    function refresh() {
      const rows = filtered();
      const pages = Math.max(1, Math.ceil(rows.length / size));
      s.page = Math.min(s.page, pages - 1);
      const slice = rows.slice(s.page * size, (s.page + 1) * size);
      info.textContent = rows.length === o.rows.length ? `${fmt(rows.length)} ${o.noun}` : `${fmt(rows.length)} of ${fmt(o.rows.length)} ${o.noun}`;
      pager.replaceChildren(
        h('button', { disabled: s.page === 0, onclick: () => go(s.page - 1), 'aria-label': 'previous page' }, '‹ Prev'),
        h('span', { class: 'muted', 'data-testid': `${o.name}-page` }, `page ${s.page + 1} / ${pages}`),
        h('button', { disabled: s.page >= pages - 1, onclick: () => go(s.page + 1), 'aria-label': 'next page' }, 'Next ›'),
      );
      body.replaceChildren(o.render ? o.render(slice) : table(slice));
    }
    function go(page: number) {
      s.page = page;
      refresh();
    }
    function table(rows: T[]): Node {
      const cols = o.columns!;
      const head = h(
        'tr',
        null,
        cols.map((c) => {
          const cls = [c.num ? 'num' : '', c.sort ? 'sortable' : '', s.sort === c.key ? (s.desc ? 'sorted-desc' : 'sorted-asc') : ''].join(' ').trim();
          return h(
            'th',
            {
              class: cls || undefined,
              'data-key': c.key,
              onclick: c.sort
                ? () => {
                    if (s.sort === c.key) s.desc = !s.desc;
                    else (s.sort = c.key), (s.desc = !!c.num);
                    refresh();
                  }
                : undefined,
            },
            c.label,
          );
        }),
      );
      const trs = rows.map((r) =>
        h(
          'tr',
          { class: o.onRow ? 'clickable' : undefined, onclick: o.onRow ? (e: Event) => (e.target as Element).closest('a') || o.onRow!(r) : undefined },
          cols.map((c) => h('td', { class: c.num ? 'num' : undefined }, c.cell(r))),
        ),
      );
      return h('table', { class: 'grid', 'data-testid': `${o.name}-table` }, h('thead', null, head), h('tbody', null, trs.length ? trs : h('tr', null, h('td', { colspan: cols.length, class: 'empty' }, `No ${o.noun} match.`))));
    }

    const el = h('div', { class: 'list' }, h('div', { class: 'toolbar' }, search, selects, info, pager), body);
    refresh();
    return el;
  }

  // -------------------------------------------------------------------------------------------------------- nav
  const NAV: [string, string][] = [
    ['overview', 'Overview'],
    ['entities', 'Entities'],
    ['quotes', 'Quotes'],
    ['duplicates', 'Duplicates'],
    ['problems', 'Errors & warnings'],
  ];
  const navLinks = NAV.map(([key, label]) => h('a', { href: `#/${key}`, 'data-nav': key }, label));
  document.body.insertBefore(
    h('header', { class: 'top' }, h('span', { class: 'brand' }, 'Corpus report'), h('nav', null, navLinks), h('span', { class: 'version' }, `pipeline ${summary.pipelineVersion} · schema ${summary.schemaVersion}`)),
    document.body.firstChild,
  );

  function route() {
    const raw = location.hash.replace(/^#\/?/, '');
    const [path, query] = raw.split('?');
    const parts = (path || 'overview').split('/').map((p) => decodeURIComponent(p));
    const params = new URLSearchParams(query ?? '');
    const section = parts[0] === 'doc' ? 'overview' : parts[0] === 'entity' ? 'entities' : parts[0];
    for (const a of navLinks) a.classList.toggle('active', a.dataset.nav === section);
    let view: Node;
    try {
      switch (parts[0]) {
        case 'doc':
          view = documentView(parts[1], params);
          break;
        case 'entities':
          view = entitiesView();
          break;
        case 'entity':
          view = entityView(parts[1]);
          break;
        case 'quotes':
          view = quotesView(params);
          break;
        case 'duplicates':
          view = duplicatesView();
          break;
        case 'problems':
          view = problemsView();
          break;
        default:
          view = overviewView();
      }
    } catch (error) {
      view = h('div', { class: 'card' }, h('h2', null, 'This view failed'), h('pre', null, String(error)));
    }
    app.replaceChildren(view);
    app.dataset.view = parts[0] || 'overview';
    if (parts[0] !== 'doc') window.scrollTo(0, 0);
  }
  window.addEventListener('hashchange', route);

  // -------------------------------------------------------------------------------------------------- overview
  function overviewView(): Node {
    const c = summary.counts;
    const stat = (key: string, label: string, bad = false) => h('div', { class: `stat${bad && c[key] ? ' bad' : ''}` }, h('div', { class: 'n', 'data-testid': `count-${key}` }, fmt(c[key] ?? 0)), h('div', { class: 'l' }, label));
    const languages = [...new Set(docs.map((d) => d.language ?? ''))].sort();
    const order = new Map(docs.map((d, i) => [d, i]));
    const columns: Column<DocRow>[] = [
      { key: 'title', label: 'Title', sort: (d) => docTitle(d).toLowerCase(), cell: (d) => [link(docHash(order.get(d)!), docTitle(d)), d.duplicateOf >= 0 ? [' ', chip('warn', 'duplicate', `duplicate of ${docs[d.duplicateOf].id}`)] : null, h('div', { class: 'muted small' }, d.path)] },
      { key: 'publisher', label: 'Publisher', sort: (d) => (d.publisher ?? '\uffff').toLowerCase(), cell: (d) => d.publisher ?? h('span', { class: 'muted' }, '—') },
      { key: 'published', label: 'Date', sort: (d) => d.published ?? '0', cell: (d) => h('span', { class: 'nowrap' }, d.published ?? '—') },
      { key: 'language', label: 'Lang', sort: (d) => d.language ?? '', cell: (d) => d.language ?? '—' },
      { key: 'words', label: 'Words', num: true, sort: (d) => d.words, cell: (d) => fmt(d.words) },
      { key: 'entities', label: 'Entities', num: true, sort: (d) => d.entities, cell: (d) => fmt(d.entities) },
      { key: 'mentions', label: 'Mentions', num: true, sort: (d) => d.mentions, cell: (d) => fmt(d.mentions) },
      { key: 'quotes', label: 'Quotes', num: true, sort: (d) => d.quotes, cell: (d) => fmt(d.quotes) },
      { key: 'removed', label: 'Removed', num: true, sort: (d) => d.removed, cell: (d) => fmt(d.removed) },
      { key: 'warnings', label: 'Warnings', num: true, sort: (d) => d.warnings, cell: (d) => fmt(d.warnings) },
    ];
    return h(
      'div',
      null,
      h('h2', null, 'Overview'),
      h(
        'div',
        { class: 'stats' },
        stat('documents', 'Documents'),
        stat('words', 'Words'),
        stat('paragraphs', 'Paragraphs'),
        stat('removed', 'Removed spans'),
        stat('entities', 'Entities'),
        stat('mentions', 'Mentions'),
        stat('quotes', 'Quotes'),
        stat('quoteClusters', 'Quote clusters'),
        stat('duplicateGroups', 'Duplicate groups'),
        stat('errors', 'Errors', true),
        stat('skipped', 'Skipped inputs'),
        stat('warnings', 'Warnings'),
      ),
      summary.counts.omittedDocuments
        ? h(
            'p',
            { class: 'card', 'data-testid': 'omitted-note' },
            `This report embeds the first ${fmt(docs.length)} of ${fmt(summary.counts.documents)} documents (in path order) to stay small enough to open; ` +
              `the other ${fmt(summary.counts.omittedDocuments)} are in documents.jsonl and documents/. Raise the limit with corpus build --report-documents.`,
          )
        : null,
      h(
        'div',
        { class: 'card' },
        pagedList<DocRow>({
          name: 'docs',
          noun: 'documents',
          rows: docs,
          columns,
          defaultSort: '',
          placeholder: 'Filter by title, publisher, date, path…',
          text: (d) => [d.title, d.publisher, d.published, d.language, d.path, d.id, d.authors.join(' ')].join(' '),
          selects: [
            { key: 'lang', label: 'Language', options: [['', 'All languages'], ...languages.map((l): [string, string] => [l || '-', l || '(unknown)'])], test: (d, v) => (d.language ?? '-') === v },
            {
              key: 'flag',
              label: 'Show',
              options: [['', 'All documents'], ['warnings', 'With warnings'], ['duplicates', 'Duplicates'], ['quotes', 'With quotes'], ['untitled', 'Without title']],
              test: (d, v) => (v === 'warnings' ? d.warnings > 0 : v === 'duplicates' ? d.duplicateOf >= 0 : v === 'quotes' ? d.quotes > 0 : !d.title),
            },
          ],
          onRow: (d) => (location.hash = docHash(order.get(d)!)),
        }),
      ),
    );
  }

  // --------------------------------------------------------------------------------------------- document view
  interface Mark {
    start: number;
    end: number;
  }
  interface EntMark extends Mark {
    type: string;
    id: string;
    name: string;
    title?: string;
  }
  interface QuoteMark extends Mark {
    kind: string;
    id: string;
    speaker: string | null;
    entityId?: string;
    cue: string | null;
    confidence: number;
  }

  /** Renders text[start, end) with entity mentions and quotes marked; overlapping spans are split at every boundary. */
  function renderSpan(text: string, start: number, end: number, ents: EntMark[], quotes: QuoteMark[]): Node[] {
    const es = ents.filter((m) => m.start < end && m.end > start);
    const qs = quotes.filter((q) => q.start < end && q.end > start);
    const cuts = new Set<number>([start, end]);
    for (const m of [...es, ...qs]) {
      if (m.start > start && m.start < end) cuts.add(m.start);
      if (m.end > start && m.end < end) cuts.add(m.end);
    }
    const points = [...cuts].sort((a, b) => a - b);
    const out: Node[] = [];
    let quoteEl: HTMLElement | null = null;
    let quoteOf: QuoteMark | null = null;
    for (let k = 0; k + 1 < points.length; k++) {
      const a = points[k];
      const b = points[k + 1];
      const piece = text.slice(a, b);
      // The innermost (shortest) mention wins where mentions overlap; the outermost quote carries the styling.
      const ent = es.filter((m) => m.start <= a && m.end >= b).sort((x, y) => x.end - x.start - (y.end - y.start))[0];
      const quote = qs.filter((q) => q.start <= a && q.end >= b).sort((x, y) => y.end - y.start - (x.end - x.start))[0];
      const node: Node = ent
        ? h('mark', { class: `ent t-${ent.type}`, 'data-entity': ent.id, 'data-start': ent.start === a ? a : undefined, title: `${ent.type}: ${ent.name}${ent.title ? ` (title: ${ent.title})` : ''}` }, piece)
        : document.createTextNode(piece);
      if (quote) {
        if (quote !== quoteOf) {
          quoteOf = quote;
          quoteEl = h('span', { class: `q k-${quote.kind}`, 'data-quote': quote.id, 'data-start': quote.start, title: `${quote.kind} quote${quote.speaker ? ` — ${quote.speaker}` : ''}${quote.cue ? ` (${quote.cue})` : ''}` });
          out.push(quoteEl);
        }
        quoteEl!.appendChild(node);
        if (b === quote.end) out.push(speakerBadge(quote));
      } else {
        quoteOf = null;
        out.push(node);
      }
    }
    return out;
  }
  function speakerBadge(q: QuoteMark): Node {
    if (q.kind === 'scare') return h('span', { class: 'speaker none', title: 'scare quote: no speaker' }, 'scare');
    if (!q.speaker) return h('span', { class: 'speaker none', 'data-testid': 'speaker' }, '— unattributed');
    const label = `— ${q.speaker}${q.cue ? ` · ${q.cue}` : ''}`;
    const i = q.entityId === undefined ? undefined : entityById.get(q.entityId);
    return i === undefined
      ? h('span', { class: 'speaker', 'data-testid': 'speaker', title: `confidence ${q.confidence}` }, label)
      : h('a', { class: 'speaker', 'data-testid': 'speaker', href: `#/entity/${enc(q.entityId!)}`, title: `confidence ${q.confidence}` }, label);
  }

  const hidden = new Set<string>();
  let showQuotes = true;

  function documentView(id: string, params: URLSearchParams): Node {
    const i = docById.get(id);
    const p = i === undefined ? null : payload(i);
    if (i === undefined || !p) return h('div', { class: 'card' }, h('h2', null, 'Document not found'), h('p', null, `No document with id “${id}” is in this report. `, link('#/overview', 'Back to the overview')));
    const mode = params.get('mode') === 'source' ? 'source' : 'clean';
    const focus = params.get('e');
    const at = params.get('at');

    const ents: EntMark[] = p.entities.flatMap((e) => e.mentions.map(([s, en, title]) => ({ start: s, end: en, type: e.type, id: e.id, name: e.name, title })));
    ents.sort((a, b) => a.start - b.start);
    const quotes: QuoteMark[] = p.quotes.map((q) => ({ start: q.start, end: q.end, kind: q.kind, id: q.id, speaker: q.speaker?.name ?? null, entityId: q.speaker?.entityId, cue: q.cue, confidence: q.confidence }));

    const paragraphNode = (pp: DocPayload['paragraphs'][number], extraClass?: string) =>
      h(pp[4] ? 'h3' : 'p', { class: extraClass, 'data-source': `${pp[2]}-${pp[3]}` }, renderSpan(p.text, pp[0], pp[1], ents, quotes));

    const article = h('article', { class: `text ${mode}`, 'data-testid': 'doc-text' });
    if (mode === 'clean') {
      if (p.paragraphs.length) for (const pp of p.paragraphs) article.appendChild(paragraphNode(pp));
      else article.appendChild(h('p', null, renderSpan(p.text, 0, p.text.length, ents, quotes)));
      if (!p.text) article.appendChild(h('p', { class: 'empty' }, 'Cleaning kept no text from this document.'));
    } else {
      // The source itself is not in the records; its order is rebuilt from where each kept paragraph and each removed
      // span sat in the decoded source. A removed span inside a kept paragraph's range follows that paragraph.
      const items: { s: number; e: number; node: () => Node }[] = [
        ...p.paragraphs.map((pp) => ({ s: pp[2], e: pp[3], node: () => paragraphNode(pp, 'kept') })),
        ...p.removed.map((r) => ({
          s: r.start,
          e: r.end,
          node: () =>
            h(
              'div',
              { class: 'removed', 'data-rule': r.ruleId },
              h('del', { title: `${r.ruleId}${r.role ? ` [${r.role}]` : ''}: ${r.reason}` }, r.text),
              h('span', { class: 'rule', title: r.reason }, r.ruleId),
            ),
        })),
      ].sort((a, b) => a.s - b.s || a.e - b.e);
      for (const it of items) article.appendChild(it.node());
      if (!items.length) article.appendChild(h('p', { class: 'empty' }, 'No source positions recorded.'));
    }

    const typeCounts = new Map<string, number>();
    for (const m of ents) typeCounts.set(m.type, (typeCounts.get(m.type) ?? 0) + 1);
    const wrap = h('div', { class: [...hidden].map((t) => `hide-${t}`).join(' ') + (showQuotes ? '' : ' hide-quotes') });
    const legend = h(
      'div',
      { class: 'legend' },
      TYPES.filter((t) => typeCounts.get(t)).map((t) => {
        const box = h('input', { type: 'checkbox' }) as HTMLInputElement;
        box.checked = !hidden.has(t);
        box.addEventListener('change', () => {
          if (box.checked) hidden.delete(t);
          else hidden.add(t);
          wrap.classList.toggle(`hide-${t}`, !box.checked);
        });
        return h('label', null, box, chip(`t-${t}`, `${t} ${typeCounts.get(t)}`));
      }),
      (() => {
        const box = h('input', { type: 'checkbox' }) as HTMLInputElement;
        box.checked = showQuotes;
        box.addEventListener('change', () => {
          showQuotes = box.checked;
          wrap.classList.toggle('hide-quotes', !box.checked);
        });
        return h('label', null, box, KINDS.map((k) => h('span', { class: `q k-${k}`, title: `${k} quote` }, ` ${k} `)), h('span', { class: 'muted' }, ` ${quotes.length} quotes`));
      })(),
    );
    const modeHash = (m: string) => docHash(i, { ...(m === 'source' ? { mode: 'source' } : {}), ...(focus ? { e: focus } : {}) });
    const toggle = h(
      'span',
      { class: 'seg' },
      h('button', { class: mode === 'clean' ? 'on' : undefined, onclick: () => (location.hash = modeHash('clean')), 'data-testid': 'mode-clean' }, 'Cleaned text'),
      h('button', { class: mode === 'source' ? 'on' : undefined, onclick: () => (location.hash = modeHash('source')), 'data-testid': 'mode-source' }, `Source view (${p.removed.length} removed)`),
    );

    const meta = h(
      'dl',
      { class: 'meta' },
      h('dt', null, 'Authors'),
      h('dd', null, p.authors.length ? p.authors.join(', ') : '—'),
      h('dt', null, 'Publisher'),
      h('dd', null, p.publisher ?? '—'),
      h('dt', null, 'Published'),
      h('dd', null, p.published ?? '—'),
      h('dt', null, 'Language'),
      h('dd', null, p.language ?? '—'),
      h('dt', null, 'Source'),
      h('dd', null, `${p.source.path} · ${p.source.mediaType} · ${fmt(p.source.bytes)} bytes`),
      p.source.url ? [h('dt', null, 'URL'), h('dd', null, /^https?:\/\//i.test(p.source.url) ? h('a', { href: p.source.url, rel: 'noopener noreferrer', target: '_blank' }, p.source.url) : p.source.url)] : null,
      p.duplicateOf ? [h('dt', null, 'Duplicate of'), h('dd', null, docById.has(p.duplicateOf) ? docLink(docById.get(p.duplicateOf)!) : p.duplicateOf)] : null,
      Object.keys(p.metadataMethods).length ? [h('dt', null, 'Found by'), h('dd', { class: 'small muted' }, Object.entries(p.metadataMethods).map(([k, v]) => `${k}: ${v}`).join(' · '))] : null,
    );

    const entityList = [...p.entities].sort((a, b) => b.mentions.length - a.mentions.length || a.name.localeCompare(b.name));
    const removedByRule = new Map<string, number>();
    for (const r of p.removed) removedByRule.set(r.ruleId, (removedByRule.get(r.ruleId) ?? 0) + 1);
    const side = h(
      'aside',
      { class: 'side card' },
      h('h3', null, `Entities (${p.entities.length})`),
      entityList.length
        ? h('ul', null, entityList.map((e) => h('li', null, chip(`t-${e.type}`, e.type[0].toUpperCase()), ' ', link(docHash(i, { e: e.id, ...(mode === 'source' ? { mode } : {}) }), e.name), ' ', link(`#/entity/${enc(e.id)}`, h('span', { class: 'small' }, '↗')), h('span', { class: 'count' }, e.mentions.length))))
        : h('p', { class: 'empty' }, 'none'),
      h('h3', null, `Quotes (${p.quotes.length})`),
      p.quotes.length
        ? h('ul', null, p.quotes.map((q) => h('li', { class: 'small' }, chip(`k-${q.kind}`, q.kind), ' ', link(docHash(i, { at: q.start, ...(mode === 'source' ? { mode } : {}) }), `“${clip(p.text.slice(q.start, q.end), 70)}”`), ' ', h('span', { class: 'muted' }, q.speaker ? `— ${q.speaker.name}` : ''))))
        : h('p', { class: 'empty' }, 'none'),
      h('h3', null, `Removed by cleaning (${p.removed.length})`),
      removedByRule.size ? h('ul', null, [...removedByRule].sort((a, b) => b[1] - a[1]).map(([rule, n]) => h('li', { class: 'small' }, h('code', null, rule), h('span', { class: 'count' }, n)))) : h('p', { class: 'empty' }, 'nothing'),
      h('h3', null, `Warnings (${p.diagnostics.length})`),
      p.diagnostics.length ? h('ul', { class: 'diag' }, p.diagnostics.map((d) => h('li', null, h('code', null, `${d.stage}${d.ruleId ? `/${d.ruleId}` : ''}`), ' ', d.message))) : h('p', { class: 'empty' }, 'none'),
    );

    append(wrap, [legend, article]);
    const view = h(
      'div',
      { 'data-doc': p.id },
      h('div', { class: 'crumbs' }, link('#/overview', '← Overview'), i > 0 ? link(docHash(i - 1), '‹ previous') : null, i + 1 < docs.length ? link(docHash(i + 1), 'next ›') : null, h('span', { class: 'muted small' }, `document ${i + 1} of ${docs.length}`)),
      h('div', { class: 'card doc-head' }, h('h2', { 'data-testid': 'doc-title' }, docTitle(p)), p.title ? null : chip('warn', 'no title found'), meta),
      h('div', { class: 'doc-layout' }, h('div', { class: 'card' }, h('div', { class: 'toolbar' }, toggle), wrap), side),
    );
    if (focus) for (const m of article.querySelectorAll('mark.ent')) if ((m as HTMLElement).dataset.entity === focus) m.classList.add('focus');
    article.addEventListener('click', (e) => {
      const m = (e.target as Element).closest('mark.ent') as HTMLElement | null;
      if (m?.dataset.entity) location.hash = `#/entity/${enc(m.dataset.entity)}`;
    });
    requestAnimationFrame(() => {
      const target = at !== null ? article.querySelector(`[data-start="${Number(at)}"]`) : focus ? article.querySelector('mark.focus') : null;
      if (target) {
        target.scrollIntoView({ block: 'center' });
        target.classList.add('flash');
      } else window.scrollTo(0, 0);
    });
    return view;
  }
  const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

  // ------------------------------------------------------------------------------------------------- entities
  let cooc: { type: string; n: number } = { type: 'all', n: 20 };
  function sharedDocs(a: EntityRow, b: EntityRow): number {
    let i = 0;
    let j = 0;
    let n = 0;
    while (i < a.docs.length && j < b.docs.length) {
      if (a.docs[i] === b.docs[j]) n++, i++, j++;
      else if (a.docs[i] < b.docs[j]) i++;
      else j++;
    }
    return n;
  }

  /** A co-occurrence matrix of the most widespread entities: cell shade = documents mentioning both. */
  function matrix(): Node {
    const NS = 'http://www.w3.org/2000/svg';
    const s = (tag: string, attrs: Record<string, string | number>, text?: string) => {
      const el = document.createElementNS(NS, tag);
      for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
      if (text !== undefined) el.textContent = text;
      return el;
    };
    const top = summary.entities
      .filter((e) => cooc.type === 'all' || e.type === cooc.type)
      .sort((a, b) => b.documentCount - a.documentCount || b.mentionCount - a.mentionCount || a.name.localeCompare(b.name))
      .slice(0, cooc.n);
    if (top.length < 2) return h('p', { class: 'empty' }, 'Too few entities for a co-occurrence chart.');
    const counts = top.map((a) => top.map((b) => (a === b ? a.docs.length : sharedDocs(a, b))));
    let max = 1;
    counts.forEach((row, r) => row.forEach((v, c) => r !== c && (max = Math.max(max, v))));
    const cell = 18;
    const label = 170;
    const size = label + top.length * cell + 10;
    // Column labels lean right, past the last column.
    const width = size + 110;
    const svg = s('svg', { class: 'matrix', width, height: size, viewBox: `0 0 ${width} ${size}`, role: 'img', 'aria-label': 'entity co-occurrence matrix', 'data-testid': 'cooccurrence' });
    top.forEach((e, r) => {
      const name = clip(e.name, 26);
      const left = s('text', { x: label - 6, y: label + r * cell + cell * 0.7, 'text-anchor': 'end' }, name);
      const topLabel = s('text', { x: 0, y: 0, transform: `translate(${label + r * cell + cell * 0.7},${label - 6}) rotate(-60)` }, name);
      svg.append(left, topLabel);
      top.forEach((f, c) => {
        const v = counts[r][c];
        const diag = r === c;
        const shade = diag ? '#e5e7eb' : v === 0 ? '#f8fafc' : `rgba(36,87,197,${(0.15 + (0.85 * v) / max).toFixed(3)})`;
        const rect = s('rect', { class: 'cell', x: label + c * cell, y: label + r * cell, width: cell - 1, height: cell - 1, fill: shade });
        rect.appendChild(s('title', {}, diag ? `${e.name}: ${v} documents` : `${e.name} + ${f.name}: ${v} shared documents`));
        rect.addEventListener('click', () => (location.hash = `#/entity/${enc(e.id)}`));
        svg.appendChild(rect);
      });
    });
    const pairs: { a: EntityRow; b: EntityRow; n: number; j: number }[] = [];
    for (let r = 0; r < top.length; r++)
      for (let c = r + 1; c < top.length; c++) {
        const n = counts[r][c];
        if (n) pairs.push({ a: top[r], b: top[c], n, j: n / (top[r].docs.length + top[c].docs.length - n) });
      }
    pairs.sort((x, y) => y.n - x.n || y.j - x.j);
    return h(
      'div',
      { class: 'matrix-row' },
      h('div', { class: 'matrix-wrap' }, svg as unknown as Node),
      h(
        'div',
        { class: 'pairs' },
        h('h3', null, 'Strongest pairs'),
        pairs.length
          ? h('table', { class: 'grid' }, h('thead', null, h('tr', null, h('th', null, 'Pair'), h('th', { class: 'num', title: 'documents mentioning both' }, 'Shared'), h('th', { class: 'num', title: 'shared / documents mentioning either' }, 'Jaccard'))), h('tbody', null, pairs.slice(0, 15).map((p) => h('tr', null, h('td', null, entityLink(p.a.id, p.a.name), ' + ', entityLink(p.b.id, p.b.name)), h('td', { class: 'num' }, p.n), h('td', { class: 'num' }, p.j.toFixed(2))))))
          : h('p', { class: 'empty' }, 'No two of these entities share a document.'),
      ),
    );
  }

  function entitiesView(): Node {
    const chart = h('div');
    const drawChart = () => chart.replaceChildren(matrix());
    const typeSel = h('select', { 'aria-label': 'entity type' }, h('option', { value: 'all' }, 'All types'), TYPES.map((t) => h('option', { value: t }, t))) as HTMLSelectElement;
    typeSel.value = cooc.type;
    typeSel.addEventListener('change', () => ((cooc = { ...cooc, type: typeSel.value }), drawChart()));
    const nSel = h('select', { 'aria-label': 'entities in chart' }, [10, 20, 30, 40].map((n) => h('option', { value: n }, `top ${n}`))) as HTMLSelectElement;
    nSel.value = String(cooc.n);
    nSel.addEventListener('change', () => ((cooc = { ...cooc, n: Number(nSel.value) }), drawChart()));
    drawChart();
    return h(
      'div',
      null,
      h('h2', null, `Entities (${fmt(summary.entities.length)})`),
      h('div', { class: 'card' }, h('h3', null, 'Co-occurrence across documents'), h('div', { class: 'toolbar' }, typeSel, nSel, h('span', { class: 'muted small' }, 'Darker = more documents mention both. Hover a cell for the count; click to open the entity.')), chart),
      h(
        'div',
        { class: 'card' },
        pagedList<EntityRow>({
          name: 'entities',
          noun: 'entities',
          rows: summary.entities,
          defaultSort: 'mentions',
          defaultDesc: true,
          placeholder: 'Filter by name or alias…',
          text: (e) => `${e.name} ${e.aliases.join(' ')}`,
          selects: [{ key: 'type', label: 'Type', options: [['', 'All types'], ...TYPES.map((t): [string, string] => [t, t])], test: (e, v) => e.type === v }],
          columns: [
            { key: 'name', label: 'Canonical name', sort: (e) => e.name.toLowerCase(), cell: (e) => link(`#/entity/${enc(e.id)}`, e.name) },
            { key: 'type', label: 'Type', sort: (e) => e.type, cell: (e) => chip(`t-${e.type}`, e.type) },
            { key: 'aliases', label: 'Aliases', sort: (e) => e.aliases.length, cell: (e) => h('span', { class: 'small' }, clip(e.aliases.filter((a) => a !== e.name).join(' · '), 140)) },
            { key: 'documents', label: 'Documents', num: true, sort: (e) => e.documentCount, cell: (e) => fmt(e.documentCount) },
            { key: 'mentions', label: 'Mentions', num: true, sort: (e) => e.mentionCount, cell: (e) => fmt(e.mentionCount) },
          ],
          onRow: (e) => (location.hash = `#/entity/${enc(e.id)}`),
        }),
      ),
    );
  }

  function entityView(id: string): Node {
    const idx = entityById.get(id);
    if (idx === undefined) return h('div', { class: 'card' }, h('h2', null, 'Entity not found'), link('#/entities', 'All entities'));
    const e = summary.entities[idx];
    const related = summary.entities
      .filter((f) => f !== e)
      .map((f) => ({ f, n: sharedDocs(e, f) }))
      .filter((x) => x.n > 0)
      .sort((a, b) => b.n - a.n || b.f.mentionCount - a.f.mentionCount)
      .slice(0, 30);
    const spoken = summary.speakers.filter((g) => g.speaker?.entityId === e.id);
    const rows = e.docs.map((d, k) => ({ d, n: e.docMentions[k] }));
    return h(
      'div',
      null,
      h('div', { class: 'crumbs' }, link('#/entities', '← Entities')),
      h(
        'div',
        { class: 'card' },
        h('h2', null, e.name, ' ', chip(`t-${e.type}`, e.type)),
        h('p', { class: 'muted' }, `${fmt(e.mentionCount)} mentions in ${fmt(e.documentCount)} documents · id ${e.id}`),
        h('h3', null, 'Aliases'),
        h('div', { class: 'kv' }, e.aliases.map((a) => h('span', { class: 'chip' }, a))),
      ),
      h(
        'div',
        { class: 'doc-layout' },
        h(
          'div',
          { class: 'card' },
          h('h3', null, 'Documents'),
          pagedList<{ d: number; n: number }>({
            name: `entity-docs-${e.id}`,
            noun: 'documents',
            rows,
            defaultSort: 'n',
            defaultDesc: true,
            placeholder: 'Filter documents…',
            text: (r) => `${docs[r.d]?.title ?? ''} ${docs[r.d]?.id ?? ''}`,
            columns: [
              { key: 'title', label: 'Document', sort: (r) => docTitle(docs[r.d]).toLowerCase(), cell: (r) => docLink(r.d, { e: e.id }) },
              { key: 'date', label: 'Date', sort: (r) => docs[r.d].published ?? '', cell: (r) => docs[r.d].published ?? '—' },
              { key: 'n', label: 'Mentions', num: true, sort: (r) => r.n, cell: (r) => r.n },
            ],
          }),
          spoken.length ? [h('h3', null, 'Quotes attributed to this entity'), spoken.map((g) => speakerGroup(g))] : null,
        ),
        h(
          'aside',
          { class: 'side card' },
          h('h3', null, 'Co-occurs with'),
          related.length ? h('ul', null, related.map(({ f, n }) => h('li', null, chip(`t-${f.type}`, f.type[0].toUpperCase()), ' ', link(`#/entity/${enc(f.id)}`, f.name), h('span', { class: 'count', title: 'shared documents' }, n)))) : h('p', { class: 'empty' }, 'No other entity shares a document.'),
        ),
      ),
    );
  }

  // ---------------------------------------------------------------------------------------------------- quotes
  function quoteRow(q: SpeakerGroup['quotes'][number]): Node {
    return h(
      'tr',
      null,
      h('td', null, chip(`k-${q.kind}`, q.kind)),
      h('td', null, h('blockquote', { class: 'qt' }, `“${q.text}”`)),
      h('td', { class: 'small' }, q.cue ?? '—', h('div', { class: 'muted' }, `conf. ${q.confidence.toFixed(2)}`)),
      h('td', { class: 'small' }, docLink(q.doc, { at: q.start }), q.clusterId ? h('div', null, link(`#/quotes?cluster=${enc(q.clusterId)}`, 'same utterance elsewhere ↗')) : null),
    );
  }
  function speakerGroup(g: SpeakerGroup): Node {
    const name = g.speaker ? g.speaker.name : 'Unattributed';
    return h(
      'div',
      { class: 'speaker-group' },
      h('h3', null, g.speaker ? entityLink(g.speaker.entityId, name) : h('span', { class: 'muted' }, name), h('span', { class: 'muted small' }, ` · ${g.quotes.length} quote${g.quotes.length === 1 ? '' : 's'}`)),
      quoteTable(g.quotes),
    );
  }
  /** A speaker can have thousands of quotes; rows are added a page at a time. */
  function quoteTable(quotes: SpeakerGroup['quotes']): Node {
    const body = h('tbody');
    const more = h('button');
    let shown = 0;
    const grow = (n: number) => {
      append(body, quotes.slice(shown, shown + n).map(quoteRow));
      shown = Math.min(quotes.length, shown + n);
      more.textContent = `show ${Math.min(100, quotes.length - shown)} more of ${quotes.length - shown}`;
      more.hidden = shown >= quotes.length;
    };
    more.addEventListener('click', () => grow(100));
    grow(10);
    return h('div', null, h('table', { class: 'grid' }, body), more);
  }

  /** Word-level diff (LCS over case- and punctuation-folded words), rendered as kept / inserted / deleted runs. */
  function wordDiff(base: string, other: string): Node[] {
    const tok = (s: string) => s.split(/(\s+)/).filter((t) => t && !/^\s+$/.test(t));
    const norm = (t: string) => t.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
    const a = tok(base).slice(0, 600);
    const b = tok(other).slice(0, 600);
    const na = a.map(norm);
    const nb = b.map(norm);
    const m = a.length;
    const n = b.length;
    const dp: Uint16Array[] = Array.from({ length: m + 1 }, () => new Uint16Array(n + 1));
    for (let i = m - 1; i >= 0; i--) for (let j = n - 1; j >= 0; j--) dp[i][j] = na[i] === nb[j] ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1]);
    const out: Node[] = [];
    const push = (kind: 'same' | 'ins' | 'del', t: string) => {
      const last = out[out.length - 1] as HTMLElement | Text | undefined;
      const lastKind = last ? (last.nodeType === 3 ? 'same' : (last as HTMLElement).tagName === 'INS' ? 'ins' : 'del') : null;
      if (last && lastKind === kind) last.textContent += ` ${t}`;
      else {
        if (out.length) out.push(document.createTextNode(' '));
        out.push(kind === 'same' ? document.createTextNode(t) : h(kind, { class: 'diff', title: kind === 'ins' ? 'not in the representative' : 'missing here' }, t));
      }
    };
    let i = 0;
    let j = 0;
    while (i < m || j < n) {
      if (i < m && j < n && na[i] === nb[j]) push('same', b[j]), i++, j++;
      else if (j < n && (i >= m || dp[i][j + 1] >= dp[i + 1][j])) push('ins', b[j++]);
      else push('del', a[i++]);
    }
    return out;
  }

  /** Docs as a short list of links; the rest behind a button, since one utterance can be quoted hundreds of times. */
  function docList(indexes: number[], shown = 3): Node {
    const el = h('span', { class: 'small' });
    const draw = (n: number) => {
      el.replaceChildren(...indexes.slice(0, n).flatMap((d, k) => [k ? ' · ' : '', docLink(d)]));
      if (indexes.length > n) el.appendChild(h('button', { class: 'small', style: 'margin-left:6px', onclick: () => draw(indexes.length) }, `+${indexes.length - n} more`));
    };
    draw(shown);
    return el;
  }

  function clusterCard(c: ClusterRow): Node {
    // Members with the same wording are one variant: the side-by-side view compares wordings, not every copy.
    const variants = new Map<string, { text: string; docs: number[]; quotes: number; similarity: number }>();
    for (const m of c.members) {
      const v = variants.get(m.text) ?? { text: m.text, docs: [], quotes: 0, similarity: m.similarity };
      v.quotes++;
      if (!v.docs.includes(m.doc)) v.docs.push(m.doc);
      variants.set(m.text, v);
    }
    const rep = variants.get(c.representative) ?? { text: c.representative, docs: [], quotes: 0, similarity: 1 };
    const others = [...variants.values()].filter((v) => v !== rep).sort((a, b) => b.quotes - a.quotes || b.similarity - a.similarity);
    const grid = h('div', { class: 'members' });
    const uses = (v: { quotes: number; docs: number[] }) => `${v.quotes} quote${v.quotes === 1 ? '' : 's'} in ${v.docs.length} document${v.docs.length === 1 ? '' : 's'}`;
    const draw = (n: number) => {
      grid.replaceChildren(
        h('div', { class: 'member rep' }, h('div', { class: 'small' }, h('strong', null, 'Representative'), h('span', { class: 'muted' }, ` · ${uses(rep)}`)), h('div', { class: 'body' }, `“${c.representative}”`), docList(rep.docs)),
        ...others.slice(0, n).map((v) =>
          h(
            'div',
            { class: 'member' },
            h('div', { class: 'small muted' }, `similarity ${v.similarity.toFixed(2)} · ${uses(v)}`),
            h('div', { class: 'body', 'data-testid': 'cluster-diff' }, '“', wordDiff(c.representative, v.text), '”'),
            docList(v.docs),
          ),
        ),
      );
      if (others.length > n) grid.appendChild(h('div', { class: 'member' }, h('button', { onclick: () => draw(others.length) }, `show ${others.length - n} more wordings`)));
    };
    draw(5);
    return h(
      'div',
      { class: 'cluster', id: `cluster-${c.id}`, 'data-cluster': c.id },
      h(
        'div',
        null,
        h('strong', null, c.speakers.length ? c.speakers.slice(0, 6).map((s, k) => [k ? ', ' : '', entityLink(s.entityId, s.name)]) : 'Unattributed', c.speakers.length > 6 ? ` +${c.speakers.length - 6}` : ''),
        h('span', { class: 'muted small' }, ` · ${c.members.length} quotes in ${c.documentCount} documents · ${variants.size} wording${variants.size === 1 ? '' : 's'} · ${c.id}`),
      ),
      grid,
    );
  }

  function quotesView(params: URLSearchParams): Node {
    const only = params.get('cluster');
    const clusters = only ? summary.clusters.filter((c) => c.id === only) : summary.clusters;
    const groups = [...summary.speakers].sort((a, b) => (a.speaker ? 0 : 1) - (b.speaker ? 0 : 1) || b.quotes.length - a.quotes.length);
    const total = groups.reduce((n, g) => n + g.quotes.length, 0);
    return h(
      'div',
      null,
      h('h2', null, `Quotes (${fmt(total)})`),
      h(
        'div',
        { class: 'card' },
        h('h3', null, `Same utterance in several places (${fmt(summary.clusters.length)} clusters)`, only ? [' ', link('#/quotes', 'show all')] : null),
        h('p', { class: 'muted small' }, 'Each cluster shows its members side by side; words differing from the representative are ', h('ins', { class: 'diff' }, 'added'), ' or ', h('del', { class: 'diff' }, 'missing'), '.'),
        clusters.length
          ? pagedList<ClusterRow>({ name: only ? `clusters-${only}` : 'clusters', noun: 'clusters', rows: clusters, defaultSort: '', placeholder: 'Filter clusters by text or speaker…', text: (c) => `${c.representative} ${c.speakers.map((s) => s.name).join(' ')}`, pageSize: 10, render: (rows) => h('div', null, rows.map(clusterCard)) })
          : h('p', { class: 'empty' }, 'No utterance is quoted more than once.'),
      ),
      h(
        'div',
        { class: 'card' },
        h('h3', null, `By speaker (${fmt(groups.length)} speakers)`),
        pagedList<SpeakerGroup>({
          name: 'speakers',
          noun: 'speakers',
          rows: groups,
          defaultSort: '',
          placeholder: 'Filter by speaker or quote text…',
          text: (g) => `${g.speaker?.name ?? 'unattributed'} ${g.quotes.map((q) => q.text).join(' ')}`,
          selects: [{ key: 'kind', label: 'Kind', options: [['', 'All kinds'], ...KINDS.map((k): [string, string] => [k, k])], test: (g, v) => g.quotes.some((q) => q.kind === v) }],
          pageSize: 15,
          render: (rows) => h('div', null, rows.map(speakerGroup)),
        }),
      ),
    );
  }

  // ------------------------------------------------------------------------------------------------ duplicates
  function duplicatesView(): Node {
    const ps = summary.passages;
    const passageList = (name: string, rows: typeof ps.acrossDocuments, total: number) =>
      pagedList({
        name,
        noun: total > rows.length ? `passages (most repeated ${rows.length} of ${fmt(total)})` : 'passages',
        rows,
        defaultSort: 'count',
        defaultDesc: true,
        placeholder: 'Filter passages…',
        text: (p) => p.text,
        columns: [
          { key: 'text', label: 'Passage', cell: (p) => h('span', { class: 'small' }, clip(p.text, 220)) },
          { key: 'count', label: 'Times', num: true, sort: (p) => p.count, cell: (p) => p.count },
          { key: 'kept', label: 'Kept in body', num: true, sort: (p) => p.inBody, cell: (p) => p.inBody },
          { key: 'docs', label: 'Documents', cell: (p) => h('span', { class: 'small' }, p.docs.slice(0, 5).map((d, k) => [k ? ' · ' : '', docLink(d)]), p.docs.length > 5 ? ` +${p.docs.length - 5}` : '') },
        ],
      });
    return h(
      'div',
      null,
      h('h2', null, `Duplicates (${fmt(summary.duplicates.length)} groups)`),
      h(
        'div',
        { class: 'card' },
        h('h3', null, 'Duplicate documents'),
        summary.duplicates.length
          ? pagedList({
              name: 'dupgroups',
              noun: 'groups',
              rows: summary.duplicates,
              defaultSort: '',
              placeholder: 'Filter groups…',
              text: (g) => g.members.map((m) => `${docs[m.doc]?.title ?? ''} ${docs[m.doc]?.id ?? ''}`).join(' '),
              columns: [
                { key: 'canonical', label: 'Canonical', cell: (g) => docLink(g.canonical) },
                { key: 'members', label: 'Duplicates', cell: (g) => h('ul', null, g.members.filter((m) => m.doc !== g.canonical).map((m) => h('li', null, docLink(m.doc), h('span', { class: 'muted small' }, ` · ${m.method} · ${m.similarity.toFixed(2)}`)))) },
              ],
            })
          : h('p', { class: 'empty' }, 'No duplicate documents.'),
      ),
      h('div', { class: 'card' }, h('h3', null, 'Passages shared by several documents'), passageList('across', ps.acrossDocuments, ps.acrossTotal)),
      h('div', { class: 'card' }, h('h3', null, 'Passages repeated within a document'), passageList('within', ps.withinDocument, ps.withinTotal)),
    );
  }

  // -------------------------------------------------------------------------------------------------- problems
  function problemsView(): Node {
    const kinds = summary.diagnosticKinds;
    const withWarnings = docs.map((d, i) => ({ d, i })).filter((x) => x.d.warnings > 0);
    return h(
      'div',
      null,
      h('h2', null, 'Errors & warnings'),
      h(
        'div',
        { class: 'card' },
        h('h3', null, `Errors (${fmt(summary.errors.length)})`),
        summary.errors.length
          ? pagedList({
              name: 'errors',
              noun: 'errors',
              rows: summary.errors,
              defaultSort: 'path',
              placeholder: 'Filter errors…',
              text: (e) => `${e.path} ${e.stage} ${e.message}`,
              columns: [
                { key: 'path', label: 'Input', sort: (e) => e.path, cell: (e) => h('code', null, e.path) },
                { key: 'stage', label: 'Stage', sort: (e) => e.stage, cell: (e) => chip('warn', e.stage) },
                { key: 'message', label: 'Message', cell: (e) => e.message },
              ],
            })
          : h('p', { class: 'empty', 'data-testid': 'no-errors' }, 'The build reported no errors.'),
        summary.failedInputs.length
          ? [
              h('h3', null, `Inputs not turned into documents (${summary.failedInputs.length})`),
              pagedList({
                name: 'failed',
                noun: 'inputs',
                rows: summary.failedInputs,
                defaultSort: 'path',
                placeholder: 'Filter inputs…',
                text: (x) => `${x.path} ${x.status} ${x.reason ?? ''}`,
                columns: [
                  { key: 'path', label: 'Input', sort: (x) => x.path, cell: (x) => h('code', null, x.path) },
                  { key: 'status', label: 'Status', sort: (x) => x.status, cell: (x) => chip('warn', x.status) },
                  { key: 'type', label: 'Type', cell: (x) => x.mediaType ?? '—' },
                  { key: 'bytes', label: 'Bytes', num: true, sort: (x) => x.bytes, cell: (x) => fmt(x.bytes) },
                  { key: 'why', label: 'Reason', cell: (x) => [x.reason ? h('div', { class: 'small' }, x.reason) : null, summary.errors.filter((e) => e.path === x.path).map((e) => h('div', { class: 'small' }, `${e.stage}: ${e.message}`))] },
                ],
              }),
            ]
          : null,
      ),
      h(
        'div',
        { class: 'card' },
        h('h3', null, `Warnings by rule (${fmt(summary.counts.warnings ?? 0)} in ${fmt(withWarnings.length)} documents)`),
        kinds.length
          ? h(
              'table',
              { class: 'grid' },
              h('thead', null, h('tr', null, h('th', null, 'Stage'), h('th', null, 'Rule'), h('th', { class: 'num' }, 'Warnings'), h('th', { class: 'num' }, 'Documents'))),
              h('tbody', null, [...kinds].sort((a, b) => b.count - a.count).map((k) => h('tr', null, h('td', null, k.stage), h('td', null, h('code', null, k.ruleId || '—')), h('td', { class: 'num' }, fmt(k.count)), h('td', { class: 'num' }, fmt(k.documents))))),
            )
          : h('p', { class: 'empty' }, 'No warnings.'),
        withWarnings.length
          ? [
              h('h3', null, 'Documents with warnings'),
              pagedList({
                name: 'warned',
                noun: 'documents',
                rows: withWarnings,
                defaultSort: 'n',
                defaultDesc: true,
                placeholder: 'Filter documents…',
                text: (x) => `${x.d.title ?? ''} ${x.d.id}`,
                selects: [
                  {
                    key: 'kind',
                    label: 'Rule',
                    options: [['', 'Any rule'], ...kinds.map((k, ki): [string, string] => [String(ki), `${k.stage}/${k.ruleId || '—'}`])],
                    test: (x, v) => x.d.diagnosticKinds.includes(Number(v)),
                  },
                ],
                columns: [
                  { key: 'doc', label: 'Document', sort: (x) => docTitle(x.d).toLowerCase(), cell: (x) => docLink(x.i) },
                  { key: 'rules', label: 'Rules', cell: (x) => h('span', { class: 'small' }, x.d.diagnosticKinds.map((k) => `${kinds[k].stage}/${kinds[k].ruleId || '—'}`).join(' · ')) },
                  { key: 'n', label: 'Warnings', num: true, sort: (x) => x.d.warnings, cell: (x) => fmt(x.d.warnings) },
                  {
                    key: 'show',
                    label: '',
                    cell: (x) => {
                      const holder = h('div', { class: 'diag' });
                      const btn = h('button', {
                        onclick: () => {
                          const p = payload(x.i);
                          btn.remove();
                          holder.replaceChildren(h('ul', null, (p?.diagnostics ?? []).map((d) => h('li', null, h('code', null, `${d.stage}${d.ruleId ? `/${d.ruleId}` : ''}`), ' ', d.message, d.start !== undefined ? h('span', { class: 'muted' }, ` @${d.start}`) : null))));
                        },
                      }, 'show');
                      return [btn, holder];
                    },
                  },
                ],
              }),
            ]
          : null,
      ),
    );
  }

  route();
}
