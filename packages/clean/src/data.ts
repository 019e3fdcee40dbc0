import { readFileSync, readdirSync } from 'node:fs';

// src/ (tests) and dist/ (build) both sit one level below the package root, so data/ resolves from either.
const dataDir = new URL('../data/', import.meta.url);
const readJson = <T>(name: string): T => JSON.parse(readFileSync(new URL(name, dataDir), 'utf8')) as T;

export interface Cue {
  ruleId: string;
  role: string;
  match: 'line' | 'start' | 'contains';
  maxWords?: number;
  phrases: string[];
}
export interface Marker {
  zone: string;
  phrases: string[];
}
interface CueFile {
  cues: Cue[];
  markers: Marker[];
  photoCredit: string[];
  authorJunk: string[];
  wireAgencies: string[];
  socialNames: string[];
  captionLabels: string[];
}

let cache: {
  stop: Map<string, Set<string>>;
  allStop: Set<string>;
  months: Map<string, number>;
  cues: CueFile;
} | null = null;

export function data() {
  if (cache) return cache;
  const stop = new Map<string, Set<string>>();
  const allStop = new Set<string>();
  for (const f of readdirSync(new URL('stopwords/', dataDir))) {
    if (!f.endsWith('.json')) continue;
    const words = readJson<string[]>(`stopwords/${f}`).map((w) => w.toLowerCase().replace(/’/g, "'"));
    stop.set(f.replace(/\.json$/, ''), new Set(words));
    for (const w of words) allStop.add(w);
  }
  const months = new Map<string, number>();
  const m = readJson<{ months: Record<string, string[][]> }>('months.json').months;
  for (const names of Object.values(m)) names.forEach((aliases, i) => aliases.forEach((a) => months.set(a.toLowerCase(), i + 1)));
  cache = { stop, allStop, months, cues: readJson<CueFile>('cues.json') };
  return cache;
}
