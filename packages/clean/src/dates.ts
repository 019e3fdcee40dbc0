// English only: chrono's own `parse` is its English parser, and its entry point loads every locale (some 260 modules).
import * as chrono from 'chrono-node/en';
import { data } from './data.js';

export interface DateHit {
  iso: string;
  /** Characters of the input the date expression covers (to tell a dateline from a sentence mentioning a date). */
  length: number;
  /** Where the date expression starts. */
  index: number;
}

let monthRe: RegExp | null = null;
function monthPattern(): RegExp {
  if (monthRe) return monthRe;
  // Longest alias first so "sept" wins over "sep"; alternation of literals is linear.
  const names = [...data().months.keys()].sort((a, b) => b.length - a.length).map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const M = `(${names.join('|')})\\.?`;
  const D = '(\\d{1,2})(?:st|nd|rd|th|er|º|°)?\\.?';
  const Y = '(\\d{4})';
  // day-month-year ("09 settembre 2022", "9. September 2022", "9 de septiembre de 2022", "le 9 septembre 2022")
  // or month-day-year ("September 9, 2022", "Sept. 9th 2022").
  monthRe = new RegExp(`(?<![\\p{L}\\d])(?:${D}\\s*(?:de\\s+)?${M},?\\s*(?:de\\s+|del\\s+)?${Y}|${M}\\s+${D},?\\s+${Y})(?![\\p{L}\\d])`, 'iu');
  return monthRe;
}

const pad = (n: number) => String(n).padStart(2, '0');
function iso(y: number, m: number, d: number): string | null {
  if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1 || d > 31) return null;
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCMonth() !== m - 1) return null;
  return `${y}-${pad(m)}-${pad(d)}`;
}

// Lines with a year recur across the documents of a site (addresses, copyright lines) and are asked about several
// times per document; chrono costs tens of microseconds a call. findDate is pure, so answers are kept (bounded).
const memo = new Map<string | null, Map<string, DateHit | null>>();
let memoSize = 0;
const MEMO_MAX = 4096;

/** Finds the first explicit calendar date (with a year) in a short string, in any language of data/months.json. */
export function findDate(s: string, lang: string | null = null): DateHit | null {
  if (s.length > 400) s = s.slice(0, 400);
  // every pattern below, chrono's included, needs a four-digit year: most lines have none
  if (!/\d{4}/.test(s)) return null;
  const known = memo.get(lang)?.get(s);
  if (known !== undefined) return known === null ? null : { ...known };
  const hit = findDateUncached(s, lang);
  if (memoSize >= MEMO_MAX) { memo.clear(); memoSize = 0; }
  let forLang = memo.get(lang);
  if (!forLang) memo.set(lang, (forLang = new Map()));
  forLang.set(s, hit);
  memoSize++;
  return hit === null ? null : { ...hit };
}

function findDateUncached(s: string, lang: string | null): DateHit | null {
  const isoM = /(?<!\d)(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.+\-Z]*)?/.exec(s);
  if (isoM) {
    const v = iso(+isoM[1], +isoM[2], +isoM[3]);
    if (v) return { iso: v, length: isoM[0].length, index: isoM.index };
  }
  const m = monthPattern().exec(s);
  if (m) {
    const months = data().months;
    const v = m[1]
      ? iso(+m[3], months.get(m[2].toLowerCase()) ?? 0, +m[1])
      : iso(+m[6], months.get(m[4].toLowerCase()) ?? 0, +m[5]);
    if (v) return { iso: v, length: m[0].length, index: m.index };
  }
  const num = /(?<!\d)(\d{1,2})([./])(\d{1,2})\2(\d{4})(?!\d)/.exec(s);
  if (num) {
    const a = +num[1], b = +num[3], y = +num[4];
    // Dotted dates are day-first everywhere; slashed ones are month-first only in US-English usage.
    const monthFirst = num[2] === '/' && (lang === 'en' || lang === null) && a <= 12 && b > 12;
    const v = monthFirst ? iso(y, a, b) : iso(y, b, a);
    if (v) return { iso: v, length: num[0].length, index: num.index };
  }
  {
    try {
      const r = chrono.parse(s, new Date(Date.UTC(2000, 0, 1)))[0];
      if (r && r.start.isCertain('year') && r.start.isCertain('month') && r.start.isCertain('day')) {
        const v = iso(r.start.get('year') ?? 0, r.start.get('month') ?? 0, r.start.get('day') ?? 0);
        if (v) return { iso: v, length: r.text.length, index: r.index };
      }
    } catch {
      // chrono never should throw, but junk input must not crash the stage
    }
  }
  return null;
}

const DATE_WORDS = /^(?:published|updated|posted|last updated|modified|date|on|am|le|el|il|del|pubblicato|aggiornato|veröffentlicht|aktualisiert|stand|publié|mis à jour|publicado|actualizado|at|um|alle|à|a las|gmt|utc|bst|cet|cest|est|edt|pst|pdt|et|pt|ist|am|pm|a\.m\.|p\.m\.|uhr|h|ore|mon|tue|wed|thu|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday|lunedì|martedì|mercoledì|giovedì|venerdì|sabato|domenica|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lunes|martes|miércoles|jueves|viernes|sábado|domingo)$/i;

/** A line that is essentially a date (a dateline), possibly with "Published"/"Updated", weekday, time. */
export function datelineDate(line: string, lang: string | null): string | null {
  if (line.length > 120) return null;
  const hit = findDate(line, lang);
  if (!hit) return null;
  // a short line that opens with the date ("05/04/2024 09h12 Atualizado há 2 horas") is a dateline whatever follows
  if (hit.index === 0 && line.length <= 60) return hit.iso;
  // "New Delhi, Updated: May 30, 2024", "MADRID, 4 de marzo de 2024": a place may lead the dateline
  const rest = line.replace(/^\p{Lu}[\p{L}.' -]{1,30},\s*/u, '').replace(/\d{1,2}[:.]\d{2}(?::\d{2})?/g, ' ').split(/[\s,|·•\-–—:()]+/).filter(Boolean);
  let other = 0;
  const months = data().months;
  for (const t of rest) {
    const k = t.toLowerCase().replace(/\.$/, '');
    if (/^\d+(?:st|nd|rd|th|er)?\.?$/.test(k) || months.has(k) || DATE_WORDS.test(k) || /^\d{4}-\d{2}-\d{2}/.test(k) || k === 'de') continue;
    other++;
  }
  return other <= 1 ? hit.iso : null;
}
