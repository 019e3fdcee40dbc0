/** Words for comparison: case, diacritics, typographic quotes and apostrophes folded away. */
const MARKS = /[\u0300-\u036f]/g;
const WORD = /[\p{L}\p{N}]+/gu;

const ASCII = /^[\x00-\x7f]*$/;

export function foldText(s: string): string {
  // Most text is ASCII: skip the Unicode decomposition there (it dominates the cost of a signature).
  if (ASCII.test(s)) return s.toLowerCase().replace(/[`']/g, '');
  return s
    .normalize('NFKD')
    .replace(MARKS, '')
    .toLowerCase()
    .replace(/[\u2018\u2019\u201a\u201b\u2032`´']/g, '');
}

const ASCII_WORD = /[a-z0-9]+/g;

export function words(s: string): string[] {
  const folded = foldText(s);
  return (ASCII.test(folded) ? folded.match(ASCII_WORD) : folded.match(WORD)) ?? [];
}

/**
 * Key of a line or paragraph for repeat detection: exact up to case, Unicode form, quote style and
 * whitespace. Bullets and punctuation are kept: `• Home` and `Home` are different lines.
 */
export function lineKey(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u201a\u201b\u2032`´]/g, "'")
    .replace(/[\u201c\u201d\u201e\u201f\u00ab\u00bb]/g, '"')
    .replace(/\s+/g, ' ')
    .trim();
}
