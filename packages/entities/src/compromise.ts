import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type nlpType from 'compromise';

/**
 * compromise, from the single-file build its package ships beside the CommonJS one (`builds/three/`), not from its
 * ES entry point. Both are the same code of the pinned version; the entry point is some 300 modules, which Node
 * resolves, reads, compiles and links one by one: half of the load time of every analysis worker, paid again by
 * each incremental build before its first document is analysed. The package's exports map names only the CommonJS
 * file, so the ES build beside it is reached by path.
 */
const commonJs = createRequire(import.meta.url).resolve('compromise');
const bundle = new URL('compromise-three.mjs', pathToFileURL(commonJs));
const nlp = ((await import(bundle.href)) as { default: typeof nlpType }).default;

export default nlp;
/** The package's own source folder (its match internals are imported from it by the tagger). */
export const compromiseSrc = new URL('../../src/', pathToFileURL(commonJs));
