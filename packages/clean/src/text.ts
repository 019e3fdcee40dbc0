import { data } from './data.js';

/** Normalised key of a line, shared by in-document and cross-document repetition. */
export const lineKey = (line: string): string => line.trim().toLowerCase().replace(/\s+/g, ' ');

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;
export const tokens = (s: string): string[] => s.match(WORD) ?? [];

export const BULLET = /^(?:[•·▪◦‣●○■□►▸›»✓✔➤\-–*+]|\d{1,2}[.)])\s+/;

/** Lower-cased, bullets/counters/edge punctuation stripped: the form cue phrases are matched against. */
export function cueForm(s: string): string {
  let x = s.trim().replace(BULLET, '').toLowerCase().replace(/[’‘]/g, "'").replace(/\s+/g, ' ');
  x = x.replace(/ ?\(\d+\)$/, '').replace(/^\d+ (?=\p{L})/u, '');
  return trimPunct(x);
}

const EDGE = /[\s\p{P}\p{S}]/u;
/** Strips punctuation, symbols and spaces from both ends; a loop, because `[…]+$` backtracks quadratically. */
export function trimPunct(x: string): string {
  let a = 0, b = x.length;
  while (a < b && EDGE.test(x[a])) a++;
  while (b > a && EDGE.test(x[b - 1])) b--;
  return x.slice(a, b);
}

/**
 * The stop list for a language; for a language without a shipped list, the document's own most frequent short
 * words stand in (function words dominate any prose), so prose still scores as prose.
 */
export function stopListFor(lang: string | null, sample: string[][]): Set<string> {
  const d = data();
  const shipped = lang ? d.stop.get(lang) : undefined;
  if (shipped) return shipped;
  if (lang === null && !sample.length) return d.stop.get('en')!;
  const freq = new Map<string, number>();
  for (const words of sample) for (const w of words) if (w.length <= 5) { const k = w.toLowerCase(); freq.set(k, (freq.get(k) ?? 0) + 1); }
  const top = [...freq].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 40).map(([k]) => k);
  return top.length >= 20 ? new Set(top) : d.stop.get('en')!;
}

/** The form stop lists are stored in. */
export const stopForm = (w: string): string => w.toLowerCase().replace(/’/g, "'");

export function stopDensity(words: string[], list: ReadonlySet<string>, normalised = false): number {
  if (!words.length) return 0;
  let n = 0;
  for (const w of words) if (list.has(normalised ? w : stopForm(w))) n++;
  return n / words.length;
}

const NAME_PARTICLE = /^(?:van|von|der|den|de|da|di|del|della|dos|das|du|le|la|al|el|bin|ibn|ben|ter|zu|y|e)$/;
const NAME_TOKEN = /^(?:\p{Lu}[\p{L}'’-]*\.?|\p{Lu}\.(?:\p{Lu}\.)*)$/u;

/** "Jane Doe", "Filippo Costa Buranelli", "J. R. Smith", "Anne-Marie de la Tour": 2–5 capitalised tokens. */
export function isPersonName(s: string): boolean {
  const t = s.trim().replace(/\s+/g, ' ');
  if (t.length < 4 || t.length > 60 || /\d|[@|/:;!?"“”()]/.test(t)) return false;
  const parts = t.split(' ');
  if (parts.length < 2 || parts.length > 5) return false;
  if (/^(?:by|von|di|par|por|door|written|posted|the|a|an|der|die|das|ein|eine|il|lo|gli|los|las|les|un|une|una|o|os|het|een)$/i.test(parts[0])) return false;
  let caps = 0;
  for (const p of parts) {
    if (NAME_PARTICLE.test(p)) continue;
    if (!NAME_TOKEN.test(p)) return false;
    caps++;
  }
  if (caps < 2) return false;
  const lower = t.toLowerCase();
  const d = data();
  if (d.cues.authorJunk.some((j) => lower === j || lower.startsWith(`${j} `) || lower.endsWith(` ${j}`))) return false;
  // a name is not made of stop words ("About The", "In Brief")
  const low = parts.map((p) => p.toLowerCase().replace(/\.$/, ''));
  if (low.filter((p) => d.allStop.has(p) && !NAME_PARTICLE.test(p)).length * 2 >= parts.length) return false;
  return true;
}

/** Title-case an ALL-CAPS name ("JOHN SMITH" → "John Smith"); leave mixed case alone. */
export function nameCase(s: string): string {
  if (s !== s.toUpperCase()) return s;
  return s.toLowerCase().replace(/(^|[\s'’-])(\p{L})/gu, (_m, a: string, b: string) => a + b.toUpperCase());
}

/** Undo a flattener's gluing of adjacent elements ("Jane DoeNovember 5") at a lower→upper case change. */
export const deglue = (s: string): string => s.replace(/(\p{Ll}{3})(\p{Lu}|\d)/gu, '$1 $2');

export const endsSentence = (s: string): boolean => /[.!?…]["”’»)\]]*$/.test(s);
