import cleanSource, { type CleanOptions } from '@corpus/clean';
import { documentPassages, documentSignature, type DocumentPassages, type DocumentSignature } from '@corpus/dedup';
import extractEntities, { type AliasTable } from '@corpus/entities';
import extractQuotes from '@corpus/quotes';
import type { Diagnostic, MetadataOverrides } from '@corpus/schema';
import { unified } from 'unified';
import { VFile, type DataMap } from 'vfile';

export interface AnalysisOptions {
  clean?: CleanOptions;
  aliases?: AliasTable;
}

/** Everything the per-document stages produce (their `file.data` results, plus dedup's per-document parts); cached. */
export type DocumentAnalysis = Pick<DataMap, 'text' | 'paragraphs' | 'removed' | 'metadata' | 'entities' | 'quotes'> & {
  diagnostics: Diagnostic[];
  signature: DocumentSignature;
  passages: DocumentPassages['passages'];
};

export interface AnalysisInput {
  path: string;
  text: string;
  mediaType: string;
  overrides: MetadataOverrides;
  siteChrome: readonly string[];
}

/** The per-document pipeline: each stage is a unified plugin that leaves its results on `file.data`. */
export function createDocumentProcessor(options: AnalysisOptions = {}) {
  return unified()
    .use(cleanSource, options.clean)
    .use(extractEntities, { aliases: options.aliases })
    .use(extractQuotes)
    .freeze();
}

export type DocumentProcessor = ReturnType<typeof createDocumentProcessor>;

/** Which stage a failure belongs to: the first whose results are missing from `file.data`. */
export function failedStage(file: VFile): string {
  if (file.data.text === undefined) return 'clean';
  if (file.data.entities === undefined) return 'entities';
  if (file.data.quotes === undefined) return 'quotes';
  return 'dedup';
}

export class StageError extends Error {
  constructor(
    readonly stage: string,
    message: string,
  ) {
    super(message);
  }
}

const MAX_DIAGNOSTICS = 1000;

export function analyseDocument(processor: DocumentProcessor, input: AnalysisInput): DocumentAnalysis {
  const file = new VFile({ path: input.path, value: input.text });
  file.data.mediaType = input.mediaType;
  file.data.metadataOverrides = input.overrides;
  file.data.siteChrome = new Set(input.siteChrome);
  let signature: DocumentSignature;
  let passages: DocumentPassages['passages'];
  try {
    processor.runSync(processor.parse(file) as { type: "root" }, file);
    signature = documentSignature(file.data.text!);
    passages = documentPassages('', input.text, file.data.paragraphs!, { mediaType: input.mediaType }).passages;
  } catch (error) {
    throw new StageError(failedStage(file), error instanceof Error ? error.message : String(error));
  }
  const diagnostics: Diagnostic[] = file.messages.slice(0, MAX_DIAGNOSTICS).map((m) => ({
    stage: String(m.source ?? 'pipeline').replace(/^corpus-/, ''),
    ...(m.ruleId ? { ruleId: m.ruleId } : {}),
    message: m.reason,
  }));
  if (file.messages.length > MAX_DIAGNOSTICS) {
    diagnostics.push({ stage: 'pipeline', message: `${file.messages.length - MAX_DIAGNOSTICS} more diagnostics not kept` });
  }
  return {
    text: file.data.text!,
    paragraphs: file.data.paragraphs!,
    removed: file.data.removed!,
    metadata: file.data.metadata!,
    entities: file.data.entities!,
    quotes: file.data.quotes!,
    diagnostics,
    signature,
    passages,
  };
}
