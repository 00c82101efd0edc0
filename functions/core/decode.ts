import { gunzipSync } from 'node:zlib';
import { CONTROL_CHARS, piecesOfUnits, stringOfUnits, textKernel } from './normalize';
import { InputRejected } from './rejection';

/**
 * Turns the bytes of an upload into text, or rejects them with a reason.
 * Precedence: BOM > valid UTF-8 > charset declared in the HTML > legacy Arabic code pages by
 * plausibility. A guess that does not look like Arabic text is refused, never returned as mojibake.
 */

export interface Decoded {
  text: string;
  /**
   * The same text in pieces that each stay an ordinary heap string (normalize.ts PIECE_UNITS):
   * what the HTML parser reads, so that a long page is never made into one string. `text` is
   * joined from them when it is first read.
   */
  pieces: readonly string[];
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1256' | 'iso-8859-6';
  format: 'text' | 'html';
  /** Share of U+FFFD in the decoded text (only non-zero for UTF-16 with lone surrogates). */
  replacementRatio: number;
  /** How many control characters (CONTROL_CHARS) the text holds. */
  controls: number;
}

export interface DecodeOptions {
  maxBytes: number;
}

const MAGIC: Array<[string, number[]]> = [
  ['PNG', [0x89, 0x50, 0x4e, 0x47]],
  ['PDF', [0x25, 0x50, 0x44, 0x46]],
  ['ZIP', [0x50, 0x4b, 0x03, 0x04]],
  ['GIF', [0x47, 0x49, 0x46, 0x38]],
  ['JPEG', [0xff, 0xd8, 0xff]],
  ['WEBP/RIFF', [0x52, 0x49, 0x46, 0x46]],
  ['7Z', [0x37, 0x7a, 0xbc, 0xaf]],
];

const startsWith = (b: Uint8Array, sig: number[]) => sig.every((x, i) => b[i] === x);

function sniffHtml(text: string): boolean {
  const head = text.slice(0, 2048);
  if (!head.includes('<')) return false; // every sign of HTML below starts with a tag
  return looksLikeHtml(head.trimStart().toLowerCase());
}
function looksLikeHtml(head: string): boolean {
  return head.startsWith('<!doctype html') || head.startsWith('<html') || /<(head|body|meta|div|p|article)[\s>]/.test(head);
}

function declaredCharset(bytes: Uint8Array): string | undefined {
  // The declaration is ASCII, so a latin1 view of the head is enough to read it.
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('latin1').toLowerCase();
  const m = /<meta[^>]{0,200}charset\s*=\s*["']?\s*([a-z0-9_-]{3,20})/.exec(head);
  return m?.[1];
}

/**
 * Strict UTF-8 (as `new TextDecoder('utf-8', { fatal: true })` reads bytes without a BOM): the text,
 * or undefined at the first malformed, overlong, surrogate or out-of-range sequence. Decoded by the
 * text kernel (text-kernel.ts) into code units and made a string in one copy: faster than V8's own
 * UTF-8 decoding for Arabic text (test/core/decode.test.ts compares the two on random bytes).
 */
export function strictUtf8(bytes: Uint8Array): string | undefined {
  return decodeStrictUtf8(bytes)?.text;
}

/** strictUtf8, counting on the way what decodeBytes checks: control characters (CONTROL_CHARS) and U+FFFD (decodeBytes reads through the same readUtf8, into pieces). */
export function decodeStrictUtf8(bytes: Uint8Array): { text: string; controls: number; replacements: number } | undefined {
  const read = readUtf8(bytes);
  return read && { text: stringOfUnits(read.units, read.n), controls: read.controls, replacements: read.replacements };
}

/** Strict UTF-8 into code units (a view valid until the text kernel's next call): how many, control and replacement characters; undefined for invalid UTF-8. */
function readUtf8(bytes: Uint8Array): { units: Uint16Array; n: number; controls: number; replacements: number } | undefined {
  return textKernel().utf8(bytes);
}

function tryDecode(label: string, bytes: Uint8Array, fatal: boolean): string | undefined {
  try {
    return new TextDecoder(label, { fatal, ignoreBOM: false }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Reads as Arabic: mostly Arabic letters, and many different ones (junk bytes repeat a few). */
function plausibleArabic(text: string): boolean {
  let letters = 0;
  let arabic = 0;
  const distinct = new Set<number>();
  for (const c of text) {
    const code = c.codePointAt(0) as number;
    if (code >= 0x0621 && code <= 0x064a) {
      arabic++;
      letters++;
      distinct.add(code);
    } else if (/\p{L}/u.test(c)) letters++;
  }
  return letters > 0 && arabic / letters >= 0.5 && distinct.size >= Math.min(10, Math.ceil(arabic / 4));
}

export function decodeBytes(input: Uint8Array, options: DecodeOptions): Decoded {
  let bytes = input;
  if (bytes.length === 0) throw new InputRejected('EMPTY', 'the object has no bytes');
  if (bytes.length > options.maxBytes) throw new InputRejected('TOO_LARGE', `${bytes.length} bytes > ${options.maxBytes}`);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: options.maxBytes });
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'ERR_BUFFER_TOO_LARGE') throw new InputRejected('TOO_LARGE', `gzip expands past ${options.maxBytes} bytes`);
      throw new InputRejected('UNSUPPORTED_TYPE', 'corrupt gzip stream');
    }
    if (bytes.length === 0) throw new InputRejected('EMPTY', 'the gzip stream is empty');
  }
  for (const [name, sig] of MAGIC) if (startsWith(bytes, sig)) throw new InputRejected('UNSUPPORTED_TYPE', `${name} file`);

  let text: string | undefined;
  let encoding: Decoded['encoding'] | undefined;
  let counted: ReturnType<typeof readUtf8>;
  let pieces: string[] | undefined; // the strict UTF-8 reading, in pieces
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) {
    text = tryDecode('utf-8', bytes, false);
    encoding = 'utf-8';
  } else if (startsWith(bytes, [0xff, 0xfe])) {
    text = tryDecode('utf-16le', bytes, false);
    encoding = 'utf-16le';
  } else if (startsWith(bytes, [0xfe, 0xff])) {
    text = tryDecode('utf-16be', bytes, false);
    encoding = 'utf-16be';
  } else {
    if (bytes.includes(0)) throw new InputRejected('UNSUPPORTED_TYPE', 'NUL bytes: binary content');
    counted = readUtf8(bytes);
    if (counted) {
      pieces = piecesOfUnits(counted.units, counted.n);
      encoding = 'utf-8';
    } else {
      const declared = declaredCharset(bytes);
      const legacy = declared === 'windows-1256' || declared === 'cp1256' || declared === 'iso-8859-6';
      // Mostly valid UTF-8 with a few broken sequences (a truncated upload) is UTF-8, kept and flagged;
      // tried before the code pages, whose decoding of UTF-8 Arabic bytes also looks Arabic (mojibake).
      const lossy = tryDecode('utf-8', bytes, false) ?? '';
      const bad = (lossy.match(/\uFFFD/g) ?? []).length;
      const high = bytes.filter((b) => b >= 0x80).length;
      if (!legacy && bad / Math.max(1, lossy.length) <= 0.01 && bad * 8 < high) {
        text = lossy;
        encoding = 'utf-8';
      } else {
        const candidates: Array<Decoded['encoding']> = declared === 'iso-8859-6' ? ['iso-8859-6', 'windows-1256'] : ['windows-1256', 'iso-8859-6'];
        for (const label of candidates) {
          const t = tryDecode(label, bytes, true);
          // A legacy code page decodes any bytes; accept it only when the result reads as Arabic.
          if (t !== undefined && plausibleArabic(t.replace(/<[^<>]*>/g, ' '))) {
            text = t;
            encoding = label;
            break;
          }
        }
      }
      if (text === undefined) {
        if (declared === 'utf-8') throw new InputRejected('ENCODING_INVALID', `${bad} invalid UTF-8 sequences in a page declared UTF-8`);
        throw new InputRejected('ENCODING_UNKNOWN', 'not UTF-8/16 and not plausible windows-1256 or ISO-8859-6');
      }
    }
  }
  const parts = pieces ?? (text === undefined ? undefined : [text]);
  if (parts === undefined || encoding === undefined) throw new InputRejected('ENCODING_INVALID', 'undecodable');
  // TextDecoder drops a leading BOM already; drop a stray one left by double encoding too.
  if ((parts[0] as string).charCodeAt(0) === 0xfeff) parts[0] = (parts[0] as string).slice(1);
  const length = parts.reduce((n, p) => n + p.length, 0);
  // Counted while decoding when the strict UTF-8 reader decoded it (a leading U+FEFF is neither).
  const replacements = counted ? counted.replacements : (parts[0]?.match(/\uFFFD/g) ?? []).length;
  const replacementRatio = length ? replacements / length : 0;
  if (replacementRatio > 0.01 && !encoding.startsWith('utf-8')) throw new InputRejected('ENCODING_INVALID', `${replacements} replacement characters`);
  // Many control characters mean binary content that got past the magic bytes; a stray few are removed by clean.
  const controls = counted ? counted.controls : (parts[0]?.match(CONTROL_CHARS) ?? []).length;
  if (controls > 2 && controls / length > 0.01) throw new InputRejected('UNSUPPORTED_TYPE', 'control characters: binary content');
  if (parts.every((p) => !p.trim())) throw new InputRejected('EMPTY', 'only whitespace');
  return new DecodedPieces(parts, encoding, sniffHtml(parts[0] as string) ? 'html' : 'text', replacementRatio, controls);
}

/**
 * A decoded text kept in its pieces; the whole text is made only if it is read (an HTML page is
 * parsed from its pieces). A class, not an object literal with a getter: V8 gives such a literal a
 * hidden class of its own that holds the getter, and so the pieces, alive until a full collection.
 */
class DecodedPieces implements Decoded {
  private whole: string | undefined;

  constructor(
    readonly pieces: readonly string[],
    readonly encoding: Decoded['encoding'],
    readonly format: Decoded['format'],
    readonly replacementRatio: number,
    readonly controls: number,
  ) {
    this.whole = pieces.length === 1 ? pieces[0] : undefined;
  }

  get text(): string {
    this.whole ??= this.pieces.join('');
    return this.whole;
  }
}
