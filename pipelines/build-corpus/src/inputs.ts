import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { extname, join, posix, relative, sep } from 'node:path';

/** Media types the stages accept, by file extension. */
export const MEDIA_TYPES: Readonly<Record<string, string>> = {
  '.txt': 'text/plain',
  '.text': 'text/plain',
  '.html': 'text/html',
  '.htm': 'text/html',
  '.xhtml': 'text/html',
  '.md': 'text/markdown',
  '.markdown': 'text/markdown',
};

/** The user's alias file, read from the input directory when present (never treated as a document). */
export const ALIAS_FILE = 'corpus.aliases.json';
export const SIDECAR_SUFFIX = '.meta.json';

export interface DiscoveredInput {
  /** Relative to the input directory, `/`-separated. */
  path: string;
  absolutePath: string;
  mediaType: string | null;
  /** Why a file is not processed as a document, when it is not. */
  skipReason: string | null;
  /** Absolute path of `<name>.meta.json` beside it, when there is one. */
  sidecarPath: string | null;
}

const isDocumentation = (name: string) => /^(readme|license|licence|changelog)(\.|$)/i.test(name);

/** Lists every file under `inputDir` in a stable order (code-unit order of the relative path). */
export async function discoverInputs(inputDir: string): Promise<DiscoveredInput[]> {
  const entries = await readdir(inputDir, { recursive: true, withFileTypes: true });
  const files = new Set<string>();
  for (const e of entries) {
    if (!e.isFile()) continue;
    const abs = join(e.parentPath, e.name);
    files.add(relative(inputDir, abs).split(sep).join(posix.sep));
  }
  const out: DiscoveredInput[] = [];
  for (const path of [...files].sort()) {
    const name = posix.basename(path);
    if (path.split('/').some((part) => part.startsWith('.'))) continue; // hidden files and folders (.git, .DS_Store)
    if (name.endsWith(SIDECAR_SUFFIX) || name === ALIAS_FILE) continue; // configuration, read with its document
    const ext = extname(name).toLowerCase();
    const mediaType = MEDIA_TYPES[ext] ?? null;
    const stem = path.slice(0, path.length - ext.length);
    const sidecar = `${stem}${SIDECAR_SUFFIX}`;
    out.push({
      path,
      absolutePath: join(inputDir, ...path.split('/')),
      mediaType,
      skipReason: isDocumentation(name)
        ? 'documentation file (README, LICENSE, CHANGELOG), not an article'
        : mediaType
          ? null
          : `unknown file type "${ext || '(no extension)'}": expected one of ${Object.keys(MEDIA_TYPES).join(' ')}`,
      sidecarPath: files.has(sidecar) ? join(inputDir, ...sidecar.split('/')) : null,
    });
  }
  return out;
}

/**
 * A document id that is stable across runs and machines and readable: the path's stem as a slug, plus a short hash
 * of the whole relative path so `a.txt` and `a.html` (or `a b.txt` and `a-b.txt`) never collide.
 */
export function documentId(path: string): string {
  const stem = path.replace(/\.[^./]+$/, '');
  const slug = stem
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  const hash = createHash('sha256').update(path).digest('hex').slice(0, 8);
  return `${slug || 'doc'}-${hash}`;
}
