import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../../../../fixtures/', import.meta.url));

/** The seed articles as raw dumps (menus, bylines and all), keyed by file stem. */
export const fixtures: Map<string, string> = new Map(
  fs.readdirSync(dir).filter((f) => f.endsWith('.txt')).sort().map((f) => [f.replace(/\.txt$/, ''), fs.readFileSync(dir + f, 'utf8')]),
);

export interface SeedQuote {
  documentId: string;
  id: string;
  text: string;
  kind: string;
  speaker: { name: string } | null;
}

/** The 29 quotes of the five seeds, as annotated by hand (text between the marks, kind, speaker). */
export const seedQuotes: SeedQuote[] = JSON.parse(fs.readFileSync(new URL('./seed-quotes.json', import.meta.url), 'utf8'));
