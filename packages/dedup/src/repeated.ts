import type { RepeatedPassage } from '@corpus/schema';
import type { DocumentPassages, PassageEntry } from './passages.js';
import { resolveParameters, type DedupParameters } from './params.js';

/** Per-document passages, plus the record's paragraphs so body passages can be reported with their text. */
export interface PassageInput extends DocumentPassages {
  paragraphs?: readonly { text: string }[];
}

export interface RepeatedPassagesOptions {
  params?: Partial<DedupParameters>;
  /**
   * documentId → canonical id of duplicate documents. Passages shared only inside one duplicate
   * group are not reported across documents: the group already says the whole body is shared.
   */
  duplicateOf?: ReadonlyMap<string, string>;
  /**
   * Text of a reported body passage when neither the passage nor `paragraphs` carry it (e.g. read
   * from the document's cached record). Called only for passages that are reported.
   */
  textOf?: (documentId: string, passage: PassageEntry) => string | undefined;
}

export interface RepeatedPassages {
  withinDocument: RepeatedPassage[];
  acrossDocuments: RepeatedPassage[];
}

export function findRepeatedPassages(docs: readonly PassageInput[], options: RepeatedPassagesOptions = {}): RepeatedPassages {
  const p = resolveParameters(options.params);
  const textOf = (d: PassageInput, u: PassageEntry) =>
    u.text ?? (u.paragraph !== undefined ? d.paragraphs?.[u.paragraph]?.text : undefined) ?? options.textOf?.(d.documentId, u);
  const location = (d: PassageInput, u: PassageEntry) => ({ documentId: d.documentId, start: u.start, end: u.end, inBody: u.inBody });

  const withinDocument: RepeatedPassage[] = [];
  // Most passages occur in one document only: they are counted first, so only the shared ones get the bookkeeping
  // below (a large corpus has hundreds of thousands of distinct passages).
  const firstDocument = new Map<string, string | null>();
  for (const d of docs) {
    for (const u of d.passages) {
      if (u.words < p.minPassageWords) continue;
      const seen = firstDocument.get(u.hash);
      if (seen === undefined) firstDocument.set(u.hash, d.documentId);
      else if (seen !== null && seen !== d.documentId) firstDocument.set(u.hash, null);
    }
  }
  const across = new Map<
    string,
    { text?: string; first: [PassageInput, PassageEntry]; count: number; locations: RepeatedPassage['locations']; docs: Set<string>; families: Set<string> }
  >();
  for (const d of docs) {
    const local = new Map<string, PassageEntry[]>();
    for (const u of d.passages) {
      const list = local.get(u.hash);
      if (list) list.push(u);
      else local.set(u.hash, [u]);
      if (u.words < p.minPassageWords || firstDocument.get(u.hash) !== null) continue;
      let a = across.get(u.hash);
      if (!a) across.set(u.hash, (a = { first: [d, u], count: 0, locations: [], docs: new Set(), families: new Set() }));
      a.count++;
      a.locations.push(location(d, u));
      a.docs.add(d.documentId);
      a.families.add(options.duplicateOf?.get(d.documentId) ?? d.documentId);
      // Text from the record is free; the resolver (possibly a file read) waits until the passage is reported.
      a.text ??= u.text ?? (u.paragraph !== undefined ? d.paragraphs?.[u.paragraph]?.text : undefined);
    }
    for (const [hash, list] of local) {
      if (list.length < 2) continue;
      // The first unit that has a text gives it: the resolver may read a file, so it is not asked for the others.
      let text: string | undefined;
      for (const u of list) if ((text = textOf(d, u)) !== undefined) break;
      withinDocument.push({
        text: text ?? '',
        hash,
        count: list.length,
        documentCount: 1,
        locations: list.map((u) => location(d, u)),
      });
    }
  }
  const acrossDocuments: RepeatedPassage[] = [];
  for (const [hash, a] of across) {
    if (a.families.size < 2) continue;
    acrossDocuments.push({ text: a.text ?? textOf(...a.first) ?? '', hash, count: a.count, documentCount: a.docs.size, locations: a.locations });
  }
  acrossDocuments.sort((x, y) => (y.documentCount ?? 0) - (x.documentCount ?? 0) || (x.hash! < y.hash! ? -1 : 1));
  return { withinDocument, acrossDocuments };
}
