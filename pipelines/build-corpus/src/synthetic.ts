import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32 } from '@corpus/dedup';

/** The same seed gives the same corpus on every machine (dedup's mulberry32). */
export function prng(seed: number) {
  const next = mulberry32(seed);
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
  };
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ran', 'te', 'vo', 'sha', 'dun', 'bel', 'or', 'ix', 'na', 'pe', 'gor', 'li', 'zar', 'en', 'mo'];
const MENU_WORDS: Record<string, string[]> = {
  en: ['Home', 'World', 'Politics', 'Business', 'Markets', 'Opinion', 'Sport', 'Culture', 'Science', 'Podcasts', 'Newsletters', 'About us', 'Contact', 'Subscribe', 'Sign in'],
  de: ['Startseite', 'Politik', 'Wirtschaft', 'Meinung', 'Kultur', 'Wissen', 'Sport', 'Abo', 'Anmelden', 'Impressum', 'Datenschutz', 'Kontakt'],
  it: ['Home', 'Ricerca', 'Pubblicazioni', 'Eventi', 'Analisti', 'Chi siamo', 'Contatti', 'Privacy', 'Iscriviti alla newsletter'],
  fr: ['Accueil', 'International', 'Politique', 'Économie', 'Idées', 'Culture', 'Se connecter', "S'abonner", 'Mentions légales'],
};
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const makeName = (r: ReturnType<typeof prng>, parts = 2) => {
  const cap = (s: string) => s[0].toUpperCase() + s.slice(1);
  return Array.from({ length: parts }, () => cap(Array.from({ length: 2 + r.int(2) }, () => r.pick(SYLLABLES)).join(''))).join(' ');
};

interface Site {
  name: string;
  host: string;
  menu: string[];
  footer: string[];
  bulleted: boolean;
}

/** Body paragraphs of the seed articles: lines long enough to be prose. */
export function seedParagraphs(fixturesDir: string): string[] {
  const out: string[] = [];
  for (const f of readdirSync(fixturesDir).filter((f) => f.endsWith('.txt')).sort()) {
    for (const line of readFileSync(join(fixturesDir, f), 'utf8').split('\n')) {
      const t = line.trim();
      if (t.split(/\s+/).length >= 25 && /[.”"]$/.test(t)) out.push(t);
    }
  }
  return out;
}

/**
 * Generates `count` realistic text dumps: seed paragraphs re-ordered, with their proper names swapped for generated
 * ones, wrapped in the chrome of one of twenty synthetic sites (menus in four languages, bylines, datelines, footers).
 * Every 40th document re-publishes an earlier one under another site's chrome, so dedup has work to do.
 */
export function* syntheticCorpus(paragraphs: readonly string[], count: number, seed = 1): Generator<{ name: string; text: string }> {
  const r = prng(seed);
  const langs = Object.keys(MENU_WORDS);
  const sites: Site[] = Array.from({ length: 20 }, (_, i) => {
    const lang = langs[i % langs.length];
    const name = makeName(r, 1) + (i % 3 === 0 ? ' Review' : i % 3 === 1 ? ' Times' : ' Institute');
    const words = MENU_WORDS[lang];
    return {
      name,
      host: `${name.toLowerCase().replace(/\s+/g, '-')}.example`,
      menu: Array.from({ length: 8 + r.int(20) }, () => r.pick(words)),
      footer: [`© 2024 ${name}. All rights reserved.`, `${name}, ${10 + r.int(80)} ${makeName(r, 1)} Street, ${makeName(r, 1)} · VAT ${100000000 + r.int(899999999)}`],
      bulleted: r.next() < 0.5,
    };
  });
  // Proper names in the seeds (capitalised words not at a sentence start) get swapped per document.
  const names = [...new Set(paragraphs.flatMap((p) => p.match(/(?<=[a-z,] )[A-Z][a-z]{3,}/g) ?? []))].sort();
  const bodies: string[][] = [];
  for (let i = 0; i < count; i++) {
    const site = sites[r.int(sites.length)];
    let body: string[];
    if (i % 40 === 39 && bodies.length) {
      body = bodies[r.int(bodies.length)];
    } else {
      const swap = new Map(names.filter(() => r.next() < 0.3).map((n) => [n, makeName(r, 1)]));
      body = Array.from({ length: 6 + r.int(6) }, () =>
        r.pick(paragraphs).replace(/\b[A-Z][a-z]{3,}\b/g, (w) => swap.get(w) ?? w),
      );
      bodies.push(body);
    }
    const title = body[0].split(/[,.;]/)[0].slice(0, 90);
    const lines = [
      `${title} | ${site.name}`,
      ...site.menu.map((m) => (site.bulleted ? `  • ${m}` : m)),
      '',
      title,
      '',
      `By ${makeName(r)}`,
      `${1 + r.int(28)} ${MONTHS[r.int(12)]} ${2015 + r.int(10)}`,
      '',
      ...body.flatMap((p) => [p, '']),
      'Related articles',
      ...Array.from({ length: 3 }, () => `${makeName(r, 1)} ${r.pick(['warns', 'says', 'plans', 'rejects'])} ${makeName(r, 1).toLowerCase()} deal`),
      '',
      ...site.footer,
    ];
    yield { name: `doc-${String(i).padStart(6, '0')}.txt`, text: lines.join('\n') };
  }
}
