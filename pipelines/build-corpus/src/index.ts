export { buildCorpus, parseSidecar, DEFAULT_MAX_BYTES, type BuildOptions, type BuildResult } from './build.js';
export { analyseDocument, createDocumentProcessor, type AnalysisOptions, type DocumentAnalysis } from './analyse.js';
export { decodeSource, InputError } from './decode.js';
export { discoverInputs, documentId, MEDIA_TYPES, ALIAS_FILE } from './inputs.js';
export { main } from './cli.js';
