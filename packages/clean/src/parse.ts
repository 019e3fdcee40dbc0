import type { Paragraph, Root, Sentence, SentenceContent } from 'nlcst';
import { ParseEnglish } from 'parse-english';

type TokenType = SentenceContent['type'];
type Position = NonNullable<SentenceContent['position']>;
type Point = Position['start'];

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

// No plugin of parse-latin or parse-english, nor any later stage, changes a point in place (they replace a
// position's `start` or `end` with another node's point): so a token's end point is also the next token's start
// point, and a word's end point also its text's, one object where the library copies three.
const tokenNode = (type: TokenType, value: string, start: Point, end: Point): SentenceContent =>
  type === 'WordNode'
    ? { type: 'WordNode', children: [{ type: 'TextNode', value, position: { start, end } }], position: { start, end } }
    : ({ type, value, position: { start, end } } as SentenceContent);

/** Line breaks in a text, counted as `text.split(/\r\n|\r|\n/).length - 1` counts them. */
function lineBreaks(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) n++;
    else if (c === 13) { n++; if (text.charCodeAt(i + 1) === 10) i++; }
  }
  return n;
}

/**
 * parse-latin's `breakImplicitSentences` (version 7): a sentence breaks at white space holding a blank line. The
 * library splits the text of every white-space node into lines to count them, an array per space of the text;
 * this counts without building one. Same iteration (a sentence split off is examined next), same tree.
 */
function breakImplicitSentences(parent: Paragraph): undefined {
  const siblings = parent.children;
  for (let index = 0; index < siblings.length; index++) {
    const child = siblings[index];
    if (child.type !== 'SentenceNode') continue;
    const children = child.children;
    for (let position = 1; position < children.length - 1; position++) {
      const node = children[position];
      if (node.type !== 'WhiteSpaceNode' || node.value.length < 2 || lineBreaks(node.value) < 2) continue;
      child.children = children.slice(0, position);
      const insertion: Sentence = { type: 'SentenceNode', children: children.slice(position + 1) };
      const tail = children[position - 1];
      const head = children[position + 1];
      siblings.splice(index + 1, 0, node, insertion);
      if (child.position && tail.position && head.position) {
        const end = child.position.end;
        child.position.end = tail.position.end;
        insertion.position = { start: head.position.start, end };
      }
      break;
    }
  }
}

/** parse-latin's `patchPosition` (version 7): a parent without a position takes its first and last child's. */
function patchPosition(node: Root | Paragraph | Sentence): undefined {
  // (the library visits every child to act on the first and the last)
  const children = node.children;
  if (!children.length) return;
  const first = children[0], last = children[children.length - 1];
  if (first.position && (!node.position || !node.position.start)) {
    if (!node.position) node.position = {} as Position;
    node.position.start = first.position.start;
  }
  if (last.position && (!node.position || !node.position.end)) {
    if (!node.position) node.position = {} as Position;
    node.position.end = last.position.end;
  }
}

// The library's plugin lists: parse-english's own plugin first, then parse-latin's (same functions). Plugins are
// found by position in the pinned versions and checked against parse-latin's lists; should those ever differ,
// the library's plugins are used as they are.
type Plugin<N> = (node: N) => undefined | void;
interface PluginLists { tokenizeRootPlugins: Plugin<Root>[]; tokenizeParagraphPlugins: Plugin<Paragraph>[]; tokenizeSentencePlugins: Plugin<Sentence>[] }
const latin = Object.getPrototypeOf(ParseEnglish.prototype) as PluginLists;
const english = ParseEnglish.prototype as unknown as PluginLists;
const knownLists =
  latin.tokenizeRootPlugins.length === 4 && latin.tokenizeParagraphPlugins.length === 12 && latin.tokenizeSentencePlugins.length === 6 &&
  english.tokenizeParagraphPlugins.length === 13 && english.tokenizeSentencePlugins.length === 7 &&
  latin.tokenizeParagraphPlugins.every((p, i) => english.tokenizeParagraphPlugins[i + 1] === p) &&
  latin.tokenizeSentencePlugins.every((p, i) => english.tokenizeSentencePlugins[i + 1] === p) &&
  [latin.tokenizeRootPlugins[3], latin.tokenizeParagraphPlugins[11]].every((p) => (p as unknown) === latin.tokenizeSentencePlugins[5]);
const libraryPatchPosition = latin.tokenizeSentencePlugins[5] as unknown;
const restated = <N>(list: Plugin<N>[], at: number, by: Plugin<N>) => list.map((p, i) => (i === at ? by : p));
const ownPatch = <N extends Root | Paragraph | Sentence>(list: Plugin<N>[]) => list.map((p) => ((p as unknown) === libraryPatchPosition ? (patchPosition as Plugin<N>) : p));
const rootPlugins = knownLists ? ownPatch(english.tokenizeRootPlugins) : english.tokenizeRootPlugins;
const paragraphPlugins = knownLists ? ownPatch(restated(english.tokenizeParagraphPlugins, 10, breakImplicitSentences)) : english.tokenizeParagraphPlugins;
const sentencePlugins = knownLists ? ownPatch(english.tokenizeSentencePlugins) : english.tokenizeSentencePlugins;

// Sentence plugins run over a whole document's tokens (parse-latin tokenises the text as one sentence before
// splitting it). Five act only at a node whose text is one given character, in a given neighbourhood: elisions at
// "/" after a word or at an apostrophe before a word or between white space, mergeInitialWordSymbol at "&",
// mergeFinalWordSymbol at "-" after a word and not before one, mergeInnerWordSlash at "/", mergeInitialisms at "."
// after a word of several parts. Where nothing in the tokens, as they are when the plugin's turn comes, fits, the
// plugin would change nothing, and its pass is skipped.
type Tokens = Sentence['children'];
const isMark = (n: Tokens[number]) => n.type === 'PunctuationNode' || n.type === 'SymbolNode';
const markValue = (n: Tokens[number]) => (isMark(n) ? (n as { value: string }).value : '');
const mayAct = new Map<Plugin<Sentence>, (children: Tokens, text: string) => boolean>();
if (knownLists) {
  mayAct.set(english.tokenizeSentencePlugins[0], (c, text) => /[/'’]/.test(text) && c.some((n, i) => {
    const v = markValue(n);
    if (v === '/') return i > 0 && c[i - 1].type === 'WordNode';
    if (v !== "'" && v !== '’') return false;
    return (i > 2 && i < c.length - 1 && c[i - 1].type === 'WordNode' && c[i - 2].type === 'WhiteSpaceNode' && c[i + 1].type === 'WhiteSpaceNode') ||
      (i !== c.length - 1 && c[i + 1].type === 'WordNode' && (i === 0 || c[i - 1].type !== 'WordNode'));
  }));
  mayAct.set(latin.tokenizeSentencePlugins[0], (_, text) => text.includes('&'));
  mayAct.set(latin.tokenizeSentencePlugins[1], (c, text) => text.includes('-') &&
    c.some((n, i) => i > 0 && markValue(n) === '-' && c[i - 1].type === 'WordNode' && c[i + 1]?.type !== 'WordNode'));
  mayAct.set(latin.tokenizeSentencePlugins[3], (_, text) => text.includes('/'));
  // mergeInitialisms: at "." after a word made of several parts ("U.S", from mergeInnerWordSymbol)
  mayAct.set(latin.tokenizeSentencePlugins[4], (c) => c.some((n, i) => {
    if (i === 0 || n.type !== 'PunctuationNode' || n.value !== '.') return false;
    const w = c[i - 1];
    return w.type === 'WordNode' && w.children.length !== 1 && w.children.length % 2 !== 0;
  }));
}

/**
 * parse-english with parse-latin's `tokenize` (version 7) restated over the learnt character types, two of its
 * plugins restated without their allocations (`breakImplicitSentences`, `patchPosition`), and sentence plugins
 * that have nothing to do skipped (`mayAct`); everything else is the library's. Same tree, node for node (the
 * stage's tests compare it with parse-english's on random text, and the corpus comparison checks it).
 */
export class EnglishParser extends ParseEnglish {
  /** parse-latin's `tokenizeSentence`, skipping the plugins that have nothing to do (see `mayAct`). */
  override tokenizeSentence(value?: string | null): Sentence {
    const result: Sentence = { type: 'SentenceNode', children: this.tokenize(value) };
    for (const plugin of this.tokenizeSentencePlugins) {
      const may = mayAct.get(plugin);
      if (!may || may(result.children, value ?? '')) plugin(result);
    }
    return result;
  }

  override tokenize(value?: string | null): SentenceContent[] {
    const children: SentenceContent[] = [];
    if (!value) return children;
    let line = 1, column = 1, offset = 0;
    let from = 0;
    let index = 0;
    let start: Point = { line, column, offset };
    let previousType: TokenType | undefined;
    let previous = -1; // (as a UTF-16 code: comparing codes compares the one-unit strings the library compares)
    for (; index < value.length; index++) {
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
        const end: Point = { line, column, offset };
        children.push(tokenNode(previousType, value.slice(from, index), start, end));
        from = index;
        start = end;
      }
      if (code === 13 || (code === 10 && previous !== 13)) {
        line++;
        column = 1;
      } else if (code !== 10) {
        column++;
      }
      offset++;
      previousType = currentType;
      previous = code;
    }
    if (previousType && from < index) children.push(tokenNode(previousType, value.slice(from, index), start, { line, column, offset }));
    return children;
  }
}
// (the constructor copies the prototype's lists into the instance)
EnglishParser.prototype.tokenizeRootPlugins = rootPlugins;
EnglishParser.prototype.tokenizeParagraphPlugins = paragraphPlugins;
EnglishParser.prototype.tokenizeSentencePlugins = sentencePlugins;
