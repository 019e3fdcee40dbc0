import { data } from './data.js';

/** Normalised key of a line, shared by in-document and cross-document repetition. */
export const lineKey = (line: string): string => line.trim().toLowerCase().replace(/\s+/g, ' ');

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;
export const tokens = (s: string): string[] => s.match(WORD) ?? [];

export const BULLET = /^(?:[•·▪◦‣●○■□►▸›»✓✔➤\-–*+]|\d{1,2}[.)])\s+/;

/** Lower-cased, bullets/counters/edge punctuation stripped: the form cue phrases are matched against. */
export function cueForm(s: string): string {
  return s
    .trim()
    .replace(BULLET, '')
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/\s*\(\d+\)\s*$/, '')
    .replace(/^\d+\s+(?=\p{L})/u, '')
    .replace(/^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu, '')
    .replace(/\s+/g, ' ');
}

export function stopDensity(words: string[], lang: string | null): number {
  if (!words.length) return 0;
  const d = data();
  const list = (lang && d.stop.get(lang)) || d.stop.get('en')!;
  let n = 0;
  for (const w of words) if (list.has(w.toLowerCase().replace(/’/g, "'"))) n++;
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
  // a name is not made of stop words or month names ("About The", "June Issue")
  const low = parts.map((p) => p.toLowerCase().replace(/\.$/, ''));
  if (low.some((p) => d.months.has(p) && p.length > 3)) return false;
  if (low.filter((p) => d.allStop.has(p) && !NAME_PARTICLE.test(p)).length * 2 >= parts.length) return false;
  return true;
}

/** Title-case an ALL-CAPS name ("JOHN SMITH" → "John Smith"); leave mixed case alone. */
export function nameCase(s: string): string {
  if (s !== s.toUpperCase()) return s;
  return s.toLowerCase().replace(/(^|[\s'’-])(\p{L})/gu, (_m, a: string, b: string) => a + b.toUpperCase());
}

export const endsSentence = (s: string): boolean => /[.!?…]["”’»)\]]*$/.test(s);
