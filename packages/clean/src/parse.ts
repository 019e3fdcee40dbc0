import type { SentenceContent } from 'nlcst';
import { ParseEnglish } from 'parse-english';

type TokenType = SentenceContent['type'];

const baseTokenize = ParseEnglish.prototype.tokenize;
/**
 * The node type parse-latin gives each UTF-16 unit. Its tokenizer tests every character against three large
 * Unicode regexes; the answer depends on the character alone, so it is learnt once per character, from that
 * tokenizer itself (a one-character text is one node of the character's type): the two cannot disagree.
 */
const TYPES: TokenType[] = ['WhiteSpaceNode', 'PunctuationNode', 'WordNode', 'SymbolNode'];
const typeCodes = new Uint8Array(65536); // 1 + index into TYPES; 0 while not yet learnt
function typeOf(parser: ParseEnglish, ch: string, code: number): TokenType {
  let k = typeCodes[code];
  if (!k) k = typeCodes[code] = 1 + TYPES.indexOf(baseTokenize.call(parser, ch)[0].type);
  return TYPES[k - 1];
}

/**
 * parse-english with parse-latin's `tokenize` (version 7) restated over the learnt character types; everything
 * else, the plugins included, is the library's. Same tree, node for node (the stage's tests and the corpus
 * comparison check it); the regex tests were about a third of the parse.
 */
export class EnglishParser extends ParseEnglish {
  override tokenize(value?: string | null): SentenceContent[] {
    const children: SentenceContent[] = [];
    if (!value) return children;
    const currentPoint = { line: 1, column: 1, offset: 0 };
    let from = 0;
    let index = 0;
    let start = { ...currentPoint };
    let previousType: TokenType | undefined;
    let previous = -1; // (as a UTF-16 code: comparing codes compares the one-unit strings the library compares)
    const createNode = (type: TokenType, value: string): SentenceContent =>
      type === 'WordNode'
        ? { type: 'WordNode', children: [{ type: 'TextNode', value, position: { start, end: { ...currentPoint } } }], position: { start, end: { ...currentPoint } } }
        : ({ type, value, position: { start, end: { ...currentPoint } } } as SentenceContent);

    while (index < value.length) {
      const code = value.charCodeAt(index);
      const k = typeCodes[code];
      const currentType = k ? TYPES[k - 1] : typeOf(this, value.charAt(index), code);
      if (
        from < index &&
        previousType &&
        !(
          previousType === currentType &&
          // words and white space continue; so does a run of one punctuation or symbol character, or of surrogates
          (previousType === 'WordNode' || previousType === 'WhiteSpaceNode' || code === previous || (code >= 0xd800 && code <= 0xdfff))
        )
      ) {
        children.push(createNode(previousType, value.slice(from, index)));
        from = index;
        start = { ...currentPoint };
      }
      if (code === 13 || (code === 10 && previous !== 13)) {
        currentPoint.line++;
        currentPoint.column = 1;
      } else if (code !== 10) {
        currentPoint.column++;
      }
      currentPoint.offset++;
      previousType = currentType;
      previous = code;
      index++;
    }
    if (previousType && from < index) children.push(createNode(previousType, value.slice(from, index)));
    return children;
  }
}
