import { countWords } from './text.js';

const PAGE_TITLE_SEP = /\s(?:\||–|—|-|::|·|•)\s/g;

/** "Headline | Publisher", "Headline - BBC News": the page-title line of a text dump, split in two. */
export function splitPageTitle(t: string): { title: string; site: string } | null {
  if (t.length > 400) return null;
  const parts = t.split(PAGE_TITLE_SEP);
  if (parts.length < 2) return null;
  const site = parts[parts.length - 1].trim();
  const title = t.slice(0, t.length - site.length).replace(/\s*(?:\||–|—|-|::|·|•)\s*$/, '').trim();
  // "|" always separates a site name; a dash only when what follows looks like a name ("BBC News", "example.com")
  const pipe = /\s\|\s/.test(t);
  const named = (/^[\p{Lu}\d]/u.test(site) && site.split(/\s+/).every((w) => /^[\p{Lu}\d&]/u.test(w) || /^\p{Ll}{1,4}$/u.test(w))) || /\.\w{2,}$/.test(site);
  // "Headline | Section | Site": the first part is the headline; a row of short parts is a menu, not a title
  if (parts.length > 2 && countWords(parts[0]) < 3) return null;
  const head = parts.length > 2 ? parts[0].trim() : title;
  if (countWords(site) <= 5 && countWords(head) >= 2 && /^\p{Lu}|^\d/u.test(site) && (pipe || named)) return { title: head, site };
  return null;
}
