import type { Root as NlcstRoot } from 'nlcst';
import type { Plugin } from 'unified';
import type { VFile } from 'vfile';
import { type AliasTable, buildAliasIndex } from './aliases.js';
import { extractDocumentEntities } from './extract.js';

export { AliasEntry, AliasTable, buildAliasIndex, defaultAliases, type AliasHit, type AliasIndex } from './aliases.js';
export { canonicalizeCorpus, toLinkEntity, type CanonicalizeOptions, type CanonicalRef, type CorpusEntities, type CorpusEntityInput, type LinkEntity } from './corpus.js';
export { extractDocumentEntities, type ExtractStats } from './extract.js';
export { foldName, initialisms } from './fold.js';

export const ENTITIES_VERSION = 'entities-0.6.4';

export interface EntityOptions {
  /** The user's alias table, merged over the shipped defaults (`data/aliases.json`). */
  aliases?: AliasTable;
  /** Set to false to ignore the shipped default alias table. */
  defaultAliases?: boolean;
}

/** unified plugin: named entities of `file.data.text` (or the file's own text), with exact offsets. */
const extractEntities: Plugin<[EntityOptions?], NlcstRoot> = function (options = {}) {
  const aliases = buildAliasIndex(options.aliases, options.defaultAliases !== false);
  return (_tree: NlcstRoot, file: VFile) => {
    const text = file.data.text ?? String(file.value);
    const { entities } = extractDocumentEntities(text, aliases);
    file.data.entities = entities;
  };
};
export default extractEntities;
