import type {} from 'vfile';
import type { DocumentEntity, Paragraph, Quote, RemovedSpan } from './document.js';

/** Document metadata as the clean stage infers it (a sidecar `<name>.meta.json` overrides any field). */
export interface DocumentMetadata {
  title: string | null;
  authors: string[];
  publisher: string | null;
  published: string | null;
  language: string | null;
  url?: string | null;
  /** How each field was found, e.g. { title: 'title-line', published: 'dateline' }. */
  methods: Record<string, string>;
}

/** The sidecar file's shape: every field optional, each one wins over inference. */
export type MetadataOverrides = Partial<Omit<DocumentMetadata, 'methods'>>;

// Each per-document stage is a unified plugin that leaves its results on `file.data`.
// These are the keys, so every package agrees on their types.
declare module 'vfile' {
  interface DataMap {
    /** Set by the pipeline before the stages run. */
    mediaType: string;
    metadataOverrides: MetadataOverrides;
    /** Normalised line keys that the corpus marks as chrome of this document's site (learned across documents). */
    siteChrome: ReadonlySet<string>;
    /** clean */
    text: string;
    paragraphs: Paragraph[];
    removed: RemovedSpan[];
    metadata: DocumentMetadata;
    /** entities: ids are document-local until the corpus step makes them canonical */
    entities: DocumentEntity[];
    /** quotes: speaker.entityId refers to `entities` ids */
    quotes: Quote[];
  }
}
