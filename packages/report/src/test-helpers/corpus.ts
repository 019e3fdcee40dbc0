// Generates a realistic, schema-valid corpus (records as the pipeline writes them) for the report's tests: news-like
// paragraphs with exact entity and quote offsets, boilerplate removed from a reconstructed source, the same utterance
// quoted in several documents with small wording changes, a duplicate pair, diagnostics, and failed inputs.

import { createHash } from 'node:crypto';
import { mulberry32 } from '@corpus/dedup';
import {
  SCHEMA_VERSION,
  validateRecord,
  type DocumentEntity,
  type DocumentRecord,
  type DuplicateIndex,
  type EntityIndex,
  type Manifest,
  type Quote,
  type QuoteCluster,
  type QuoteIndex,
  type RemovedSpan,
} from '@corpus/schema';

export interface Corpus {
  manifest: Manifest;
  documents: DocumentRecord[];
  entities: EntityIndex;
  quotes: QuoteIndex;
  duplicates: DuplicateIndex;
}

type Ent = { id: string; name: string; type: 'person' | 'organization' | 'place' | 'event' | 'other' };
const E = (type: Ent['type'], name: string): Ent => ({ id: `${type.slice(0, 3)}-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`, name, type });
const PEOPLE = ['Maria Keller', 'Tomas Novak', 'Aiko Tanaka', 'Samuel Okafor', 'Lena Fischer', 'Rafael Ortega', 'Priya Raman', 'Jonas Berg'].map((n) => E('person', n));
const ORGS = ['World Health Organization', 'European Central Bank', 'Nordic Energy Council', 'Red Cross', 'Atlas Shipping'].map((n) => E('organization', n));
const PLACES = ['Nairobi', 'Lisbon', 'Kraków', 'Montreal', 'Osaka', 'Valparaíso'].map((n) => E('place', n));
const EVENTS = ['Winter Summit', 'Harbour Festival'].map((n) => E('event', n));
const UTTERANCES = [
  ['We will not accept a deal that leaves the poorest regions behind', 'We will not accept any deal that leaves the poorest regions behind'],
  ['The figures show a clear recovery in the second half of the year', 'These figures show a clear recovery in the second half of the year'],
  ['Nobody expected the talks to collapse so quickly', 'Nobody here expected the talks to collapse this quickly'],
  ['Our priority is to keep the ports open through the winter', 'Our first priority is to keep the ports open through winter'],
];

/** Builds a text while recording where each entity mention and quote lands, so every offset is exact by construction. */
class TextBuilder {
  text = '';
  mentions: { ent: Ent; start: number; end: number; title?: string }[] = [];
  quotes: { start: number; end: number; kind: Quote['kind']; speaker: Ent | null; cue: string | null; utterance: number }[] = [];
  put(s: string) {
    this.text += s;
  }
  ent(e: Ent, title?: string) {
    if (title) this.put(`${title} `);
    const start = this.text.length;
    this.put(e.name);
    this.mentions.push({ ent: e, start, end: this.text.length, ...(title ? { title } : {}) });
  }
  quote(body: string, kind: Quote['kind'], speaker: Ent | null, cue: string | null, utterance = -1) {
    const start = this.text.length;
    this.put(body);
    this.quotes.push({ start, end: this.text.length, kind, speaker, cue, utterance });
  }
}

export interface GenerateOptions {
  documents: number;
  seed?: number;
  /** Adds a document whose every text field carries markup and script payloads. */
  injected?: boolean;
}

export const INJECTED_TITLE = 'Markup in <script>window.__pwned=1</script> the <img src=x onerror="window.__pwned=2"> title';
export const INJECTED_TEXT = 'Readers sent <script>window.__pwned=3</script> and <img src=x onerror="window.__pwned=4"> in comments';

export function generateCorpus(options: GenerateOptions): Corpus {
  const rand = mulberry32(options.seed ?? 7);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const docs: DocumentRecord[] = [];
  const clusterMembers = new Map<number, { quoteId: string; documentId: string; text: string }[]>();

  const total = options.documents + (options.injected ? 1 : 0);
  for (let n = 0; n < total; n++) {
    const injected = options.injected && n === total - 1;
    const id = injected ? 'zz-injected-0000' : `article-${String(n).padStart(4, '0')}`;
    const b = new TextBuilder();
    const paragraphs: { start: number; end: number; kind: 'paragraph' | 'heading' }[] = [];
    const paraCount = 3 + Math.floor(rand() * 3);
    for (let p = 0; p < paraCount; p++) {
      if (p) b.put('\n\n');
      const start = b.text.length;
      const who = pick(PEOPLE);
      const org = pick(ORGS);
      const where = pick(PLACES);
      b.ent(who, p === 0 ? 'Minister' : undefined);
      b.put(' met officials from the ');
      b.ent(org);
      b.put(' in ');
      b.ent(where);
      b.put(` on ${pick(['Tuesday', 'Friday', 'Sunday'])}, ahead of the `);
      b.ent(pick(EVENTS));
      b.put('. ');
      if (injected && p === 1) b.put(`${INJECTED_TEXT}. `);
      if (rand() < 0.7) {
        const u = Math.floor(rand() * UTTERANCES.length);
        const variant = UTTERANCES[u][Math.floor(rand() * 2)];
        b.put('“');
        b.quote(`${variant},`, 'direct', who, 'said', u);
        b.put('” ');
        b.ent(who);
        b.put(' said. ');
      }
      if (rand() < 0.4) {
        b.put('Critics called the plan a so-called “');
        b.quote('reform', 'scare', null, null);
        b.put('” that changes little. ');
      }
      b.put(`The ${pick(['budget', 'agreement', 'report'])} runs to ${Math.floor(rand() * 900) + 100} pages and will be debated in ${pick(['spring', 'autumn'])}.`);
      paragraphs.push({ start, end: b.text.length, kind: 'paragraph' });
    }

    // The decoded source: navigation, a title line, the kept paragraphs with an advert and a share bar between them.
    let source = '';
    const removed: RemovedSpan[] = [];
    const drop = (text: string, ruleId: string, reason: string, role?: RemovedSpan['role']) => {
      const start = source.length;
      source += `${text}\n\n`;
      removed.push({ start, end: start + text.length, text, ruleId, reason, ...(role ? { role } : {}) });
    };
    drop('Home | World | Business | Sport | Culture', 'nav-run', 'line of 5 short menu items', 'nav');
    const title = injected ? INJECTED_TITLE : `${pick(PLACES).name} talks ${pick(['stall', 'resume', 'end'])} as ${pick(PEOPLE).name} weighs options`;
    drop(injected ? INJECTED_TITLE : title, 'title-line', 'first heading-like line, used as the title', 'title');
    const sourced = paragraphs.map((p, k) => {
      if (k === 1) drop('Advertisement', 'ad-label', 'advert label', 'boilerplate');
      if (k === 2 && injected) drop('<script>window.__pwned=5</script>', 'markup', 'script markup in a text file', 'other');
      const start = source.length;
      source += `${b.text.slice(p.start, p.end)}\n\n`;
      return { ...p, text: b.text.slice(p.start, p.end), source: { start, end: start + (p.end - p.start) } };
    });
    drop('Share on Facebook  Share on X  Copy link', 'share', 'share buttons', 'share');

    const byEntity = new Map<string, DocumentEntity>();
    for (const m of b.mentions) {
      const e = byEntity.get(m.ent.id) ?? { id: m.ent.id, name: m.ent.name, type: m.ent.type, mentions: [] };
      e.mentions.push({ text: b.text.slice(m.start, m.end), start: m.start, end: m.end, ...(m.title ? { title: m.title } : {}) });
      byEntity.set(m.ent.id, e);
    }
    const quotes: Quote[] = b.quotes.map((q, k) => {
      const qid = `${id}:q${k + 1}`;
      const text = b.text.slice(q.start, q.end);
      if (q.utterance >= 0) {
        const members = clusterMembers.get(q.utterance) ?? [];
        members.push({ quoteId: qid, documentId: id, text });
        clusterMembers.set(q.utterance, members);
      }
      return {
        id: qid,
        text,
        start: q.start,
        end: q.end,
        kind: q.kind,
        speaker: q.speaker ? { name: q.speaker.name, entityId: q.speaker.id } : null,
        cue: q.cue,
        confidence: q.speaker ? 0.9 : 0,
        clusterId: q.utterance >= 0 ? `cluster-${q.utterance}` : null,
      };
    });
    const bytes = Buffer.byteLength(source);
    docs.push(
      validateRecord('document', {
        id,
        source: { path: `${id}.txt`, sha256: createHash('sha256').update(source).digest('hex'), bytes, mediaType: 'text/plain' },
        title: injected || n % 9 !== 4 ? title : null,
        authors: n % 3 ? [pick(['A. Writer', 'B. Reporter', 'C. Correspondent'])] : [],
        publisher: injected ? 'The <b>Bold</b> & <i>Italic</i> Gazette' : pick(['Daily Courier', 'Harbour Times', 'Evening Ledger']),
        published: `2024-${String((n % 12) + 1).padStart(2, '0')}-${String((n % 27) + 1).padStart(2, '0')}`,
        language: n % 17 === 3 ? 'de' : 'en',
        metadataMethods: { title: 'title-line' },
        text: b.text,
        paragraphs: sourced,
        removed,
        entities: [...byEntity.values()],
        quotes,
        duplicateOf: n === 1 ? 'article-0000' : null,
        diagnostics: removed.map((r) => ({ stage: 'clean', ruleId: r.ruleId, message: `removed (${r.ruleId}): ${r.text.slice(0, 40)}` })),
      }),
    );
  }

  const entityIndex: EntityIndex = validateRecord('entities', {
    schemaVersion: SCHEMA_VERSION,
    entities: (() => {
      const all = new Map<string, { e: DocumentEntity; mentions: { documentId: string; text: string; start: number; end: number }[] }>();
      for (const d of docs)
        for (const e of d.entities) {
          const x = all.get(e.id) ?? { e, mentions: [] };
          x.mentions.push(...e.mentions.map((m) => ({ documentId: d.id, text: m.text, start: m.start, end: m.end })));
          all.set(e.id, x);
        }
      return [...all.values()].map(({ e, mentions }) => ({
        id: e.id,
        name: e.name,
        type: e.type,
        aliases: [e.name, e.name.split(' ').at(-1)!].filter((a, i, xs) => xs.indexOf(a) === i).sort(),
        documentCount: new Set(mentions.map((m) => m.documentId)).size,
        mentionCount: mentions.length,
        mentions,
      }));
    })(),
  });

  const bySpeaker = new Map<string, QuoteIndex['bySpeaker'][number]>();
  for (const d of docs)
    for (const q of d.quotes) {
      const key = q.speaker?.entityId ?? '';
      const g = bySpeaker.get(key) ?? { speaker: q.speaker, quotes: [] };
      g.quotes.push({ id: q.id, documentId: d.id, text: q.text, start: q.start, end: q.end, kind: q.kind, cue: q.cue, confidence: q.confidence, clusterId: q.clusterId });
      bySpeaker.set(key, g);
    }
  const clusters: QuoteCluster[] = [...clusterMembers].map(([u, members]) => {
    const representative = members.reduce((a, m) => (m.text.length > a.length ? m.text : a), '');
    const speakers = new Map<string, { name: string; entityId?: string }>();
    for (const m of members) {
      const q = docs.find((d) => d.id === m.documentId)!.quotes.find((x) => x.id === m.quoteId)!;
      if (q.speaker) speakers.set(q.speaker.entityId ?? q.speaker.name, q.speaker);
    }
    return {
      id: `cluster-${u}`,
      representative,
      speakers: [...speakers.values()],
      documentCount: new Set(members.map((m) => m.documentId)).size,
      members: members.map((m) => ({ ...m, similarity: m.text === representative ? 1 : 0.9 })),
    };
  });
  const quoteIndex: QuoteIndex = validateRecord('quotes', { schemaVersion: SCHEMA_VERSION, bySpeaker: [...bySpeaker.values()], clusters });

  const duplicates: DuplicateIndex = validateRecord('duplicates', {
    schemaVersion: SCHEMA_VERSION,
    parameters: { threshold: 0.9 },
    documents:
      docs.length > 1
        ? [{ id: 'dup-1', canonical: docs[0].id, members: [{ documentId: docs[0].id, similarity: 1, method: 'canonical' }, { documentId: docs[1].id, similarity: 0.97, method: 'near' }] }]
        : [],
    passages: {
      acrossDocuments: [{ text: 'Advertisement', count: docs.length, locations: docs.map((d) => ({ documentId: d.id, start: d.removed[2].start, end: d.removed[2].end, inBody: false })) }],
      withinDocument: [],
    },
  });

  const okInputs = docs.map((d) => ({ path: d.source.path, sha256: d.source.sha256, bytes: d.source.bytes, mediaType: 'text/plain', status: 'ok' as const, documentId: d.id }));
  const zero = '0'.repeat(64);
  const failed = [
    { path: 'broken.txt', sha256: zero, bytes: 12, mediaType: 'text/plain', status: 'error' as const, documentId: null },
    { path: 'scan.pdf', sha256: zero, bytes: 2048, mediaType: null, status: 'skipped' as const, documentId: null },
  ];
  const manifest: Manifest = validateRecord('manifest', {
    schemaVersion: SCHEMA_VERSION,
    pipelineVersion: 'test-0001',
    inputCount: okInputs.length + failed.length,
    inputs: [...okInputs, ...failed].sort((a, b) => (a.path < b.path ? -1 : 1)),
    counts: {
      documents: docs.length,
      paragraphs: docs.reduce((n, d) => n + d.paragraphs.length, 0),
      removed: docs.reduce((n, d) => n + d.removed.length, 0),
      entities: entityIndex.entities.length,
      mentions: entityIndex.entities.reduce((n, e) => n + e.mentionCount, 0),
      quotes: docs.reduce((n, d) => n + d.quotes.length, 0),
      quoteClusters: clusters.length,
      duplicateGroups: duplicates.documents.length,
      duplicates: duplicates.documents.reduce((n, g) => n + g.members.length - 1, 0),
      errors: 1,
      skipped: 1,
    },
    errors: [
      { path: 'broken.txt', stage: 'decode', message: 'not text: 3 NUL bytes <in> the first 1 KiB' },
      { path: 'scan.pdf', stage: 'discover', message: 'skipped: unknown file type ".pdf"' },
    ],
  });

  return { manifest, documents: docs, entities: entityIndex, quotes: quoteIndex, duplicates };
}
