/** Turns a source file's bytes into text the stages can trust, or says plainly why it can't. */

export class InputError extends Error {
  constructor(
    readonly stage: 'read' | 'decode' | 'limit',
    message: string,
  ) {
    super(message);
  }
}

export interface DecodedSource {
  text: string;
  /** What was done to the bytes on the way, for the document's diagnostics. */
  notes: string[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Share of C0 control characters (other than tab, LF, CR, FF) that marks a file as binary. */
const BINARY_CONTROL_RATIO = 0.01;

export function decodeSource(bytes: Uint8Array, maxBytes: number): DecodedSource {
  if (bytes.length > maxBytes) {
    throw new InputError('limit', `file is ${bytes.length} bytes, above the ${maxBytes}-byte limit (raise it with --max-bytes)`);
  }
  const notes: string[] = [];
  let text: string;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    text = new TextDecoder('utf-16le', { fatal: true }).decode(bytes.subarray(2));
    notes.push('decoded as UTF-16LE (byte-order mark)');
  } else if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    text = new TextDecoder('utf-16be', { fatal: true }).decode(bytes.subarray(2));
    notes.push('decoded as UTF-16BE (byte-order mark)');
  } else {
    const hasBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    if (looksBinary(bytes)) throw new InputError('decode', 'binary file (NUL or control bytes), not text');
    try {
      text = utf8.decode(hasBom ? bytes.subarray(3) : bytes);
    } catch {
      throw new InputError('decode', `invalid UTF-8 at byte ${firstInvalidUtf8(bytes)}`);
    }
    if (hasBom) notes.push('UTF-8 byte-order mark removed');
  }
  if (text.includes('\r')) {
    text = text.replace(/\r\n?/g, '\n');
    notes.push('CRLF/CR line ends normalised to LF');
  }
  if (!text.trim()) throw new InputError('decode', 'empty file (no text after decoding)');
  return { text, notes };
}

function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 65536);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0) return true;
    if (b < 0x20 && b !== 9 && b !== 10 && b !== 13 && b !== 12) control++;
  }
  return n > 0 && control / n > BINARY_CONTROL_RATIO;
}

/** Offset of the first byte that starts an ill-formed UTF-8 sequence, so the error names a byte a user can find. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    const lo = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    const hi = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return i;
    }
    i += need + 1;
  }
  return bytes.length;
}
