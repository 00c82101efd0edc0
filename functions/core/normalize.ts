/**
 * Arabic search form. `body` keeps the original spelling for display; matching and indexing use
 * this form: no diacritics or tatweel, one alef, one yaa, taa marbuta as haa, Western digits,
 * no bidi or zero-width controls, presentation forms folded (NFKC). `toSearchForm` also returns,
 * for each character of the search form, the offset of the original character it came from, so a
 * match found in the search form can be reported with offsets into the original text.
 *
 * Everything here runs on every character of every article several times over, so the folding is
 * one table lookup per UTF-16 code unit (built once), and strings are built from code-unit buffers.
 */

import { memoized } from './memo';
import { CLASS_BITS, COMPAT, KEY_BITS, LEXICON_RECORD, NOT_SIMPLE, RECORD, TextKernel } from './text-kernel';

export { NOT_SIMPLE };

const DROP = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/;

function foldChar(c: string): string {
  switch (c) {
    case '\u0623':
    case '\u0625':
    case '\u0622':
    case '\u0671':
      return '\u0627';
    case '\u0649':
      return '\u064A';
    case '\u0629':
      return '\u0647';
    case '\u06A9':
      return '\u0643'; // Persian kaf
    case '\u06CC':
      return '\u064A'; // Persian yeh
    default: {
      const code = c.charCodeAt(0);
      if (code >= 0x0660 && code <= 0x0669) return String(code - 0x0660);
      if (code >= 0x06f0 && code <= 0x06f9) return String(code - 0x06f0);
      return c;
    }
  }
}

const DROPPED = 0xffff;
/** Below COMPAT: the folded code unit of each code unit, or DROPPED. */
const FOLD = new Uint16Array(COMPAT);
for (let c = 0; c < COMPAT; c++) FOLD[c] = c;
// Only Arabic letters, digits and marks and a few format controls change; everything else stays itself.
for (const [from, to] of [
  [0x0600, 0x06ff],
  [0x200b, 0x206f],
]) {
  for (let c = from as number; c <= (to as number); c++) {
    const ch = String.fromCharCode(c);
    FOLD[c] = DROP.test(ch) ? DROPPED : foldChar(ch).charCodeAt(0);
  }
}
/** From COMPAT up: what each code unit folds to (NFKC, then the same drop and fold), filled on first sight. */
const compat = new Map<number, number[]>();
function compatFold(code: number): number[] {
  let out = compat.get(code);
  if (!out) {
    out = [];
    for (const c of String.fromCharCode(code).normalize('NFKC')) {
      if (DROP.test(c)) continue;
      const f = foldChar(c);
      for (let k = 0; k < f.length; k++) out.push(f.charCodeAt(k));
    }
    compat.set(code, out);
  }
  return out;
}

/**
 * What each BMP code unit is, filled on first sight: KNOWN, and SPACE (JavaScript's `\s`, what
 * `/\s+/` collapses), LETTER_BIT (`\p{L}`), NUMBER_BIT (`\p{N}`), ARABIC_LETTER_BIT (the Arabic letters of
 * isArabicCode), ARABIC_BLOCK (U+0600–06FF), LATIN (ASCII letters), PERSIAN (پ چ ژ گ ک ی).
 * Surrogates are none of these. One table lookup per character, in functions small enough to be
 * inlined, and read with bit arithmetic rather than branches where a loop counts: which branch a
 * character takes is as good as random in running text, and a mispredicted branch costs more than
 * the rest of the work on the character.
 */
const CLASS = new Uint8Array(0x10000);
const {
  known: KNOWN,
  space: SPACE,
  letter: LETTER_BIT,
  number: NUMBER_BIT,
  arabicLetter: ARABIC_LETTER_BIT,
  arabicBlock: ARABIC_BLOCK,
  latin: LATIN,
  persian: PERSIAN,
} = CLASS_BITS;
const LETTER = /\p{L}/u;
const NUMBER = /\p{N}/u;
const SPACE_RE = /\s/;

function classify(c: number): number {
  let k = KNOWN;
  if (c < 0xd800 || c > 0xdfff) {
    const ch = String.fromCharCode(c);
    if (SPACE_RE.test(ch)) k |= SPACE;
    if (LETTER.test(ch)) k |= LETTER_BIT;
    if (NUMBER.test(ch)) k |= NUMBER_BIT;
    if (isArabicCode(c)) k |= ARABIC_LETTER_BIT;
    if (c >= 0x0600 && c <= 0x06ff) k |= ARABIC_BLOCK;
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) k |= LATIN;
    if ('پچژگکی'.includes(ch)) k |= PERSIAN;
  }
  CLASS[c] = k;
  return k;
}
/**
 * Lower case of each BMP code unit, filled on first sight (0: not yet), where lowering is one unit
 * for one unit whatever surrounds it; NOT_SIMPLE for the rest (İ becomes two units, Σ depends on the
 * letter after it) and for surrogates. (The lexicon's keys, clean/lexicon.ts, and the text kernel's.)
 */
const LOWER = new Uint16Array(0x10000);
export function lowerOf(c: number): number {
  const known = LOWER[c] as number;
  if (known !== 0) return known;
  const lower = String.fromCharCode(c).toLowerCase();
  const l = lower.length !== 1 || c === 0x03a3 || (c & 0xf800) === 0xd800 ? NOT_SIMPLE : lower.charCodeAt(0);
  LOWER[c] = l;
  return l;
}

const classOf = (c: number): number => {
  const k = CLASS[c] as number;
  return k !== 0 ? k : classify(c);
};
const isHighSurrogate = (c: number) => (c & 0xfc00) === 0xd800;

/** JavaScript's `\s`, as code units (what `/\s+/` would collapse); false for NaN (past a string's end). */
export const isSpaceCode = (c: number): boolean => (classOf(c) & SPACE) !== 0;
/** Whether a BMP code unit is a letter (`\p{L}`). */
export const isLetterCode = (c: number): boolean => (classOf(c) & LETTER_BIT) !== 0;
/** A letter or a number (`[\p{L}\p{N}]`), for a BMP code unit; surrogates count as neither. */
export const isWordCode = (c: number): boolean => (classOf(c) & (LETTER_BIT | NUMBER_BIT)) !== 0;

/** A reusable code-unit buffer, grown as needed, with a Buffer over the same memory. */
let buf = new Uint16Array(4096);
let bytesOfBuf = Buffer.from(buf.buffer);
/** The buffer with room for n code units (what it held is not kept when it grows). */
function room(n: number): Uint16Array {
  if (buf.length < n) {
    buf = new Uint16Array(Math.max(n, buf.length * 2));
    bytesOfBuf = Buffer.from(buf.buffer);
  }
  return buf;
}
/**
 * The string of the buffer's first n code units, copied as they are (lone surrogates too). Node's
 * UTF-16 slice is a copy into a new string: faster than TextDecoder or String.fromCharCode at any length.
 */
function stringOf(n: number): string {
  return bytesOfBuf.toString('utf16le', 0, n * 2);
}

/** The string of a run of UTF-16 code units (a scratch buffer filled by the caller). */
export function stringOfUnits(units: Uint16Array, n: number): string {
  return Buffer.from(units.buffer, units.byteOffset, n * 2).toString('utf16le');
}

/**
 * Code units a string piece holds at most: 32 KB, well under V8's 128 KB limit for an ordinary heap
 * object. A longer string goes to V8's large-object space, which maps fresh memory for each one: 13 µs
 * for a 117 KB string here, 720 µs for a 129 KB one (a page fault costs about 20 µs on this virtual
 * machine); and a small piece is cheap to copy if a collection finds it still in use.
 */
export const PIECE_UNITS = 16 * 1024;

/** The string of u[0, n) as pieces of at most PIECE_UNITS code units each, a surrogate pair never cut. */
export function piecesOfUnits(u: Uint16Array, n: number): string[] {
  const pieces: string[] = [];
  for (let from = 0; from < n || !pieces.length; ) {
    let to = Math.min(n, from + PIECE_UNITS);
    if (to < n && ((u[to - 1] as number) & 0xfc00) === 0xd800) to--; // keep a pair together
    pieces.push(Buffer.from(u.buffer, u.byteOffset + from * 2, (to - from) * 2).toString('utf16le'));
    from = to;
  }
  return pieces;
}

/**
 * A string's UTF-16 code units, copied into a reusable buffer by one native write. Loops over
 * code units read the buffer: V8 keeps a string in one of several forms (one byte a character
 * when it can, a view into another string, a tree of concatenated parts), and a loop that reads
 * charCodeAt from strings of more than one form runs about half as fast for all of them. The
 * units past the string's length are stale.
 */
export class UnitReader {
  private units = new Uint16Array(1024);
  private bytes = Buffer.from(this.units.buffer);

  /** The units of s, or of its first `max` units only. */
  read(s: string, max = s.length): Uint16Array {
    if (this.units.length < max) {
      this.units = new Uint16Array(Math.max(max, this.units.length * 2));
      this.bytes = Buffer.from(this.units.buffer);
    }
    this.bytes.write(s, 0, max * 2, 'utf16le');
    return this.units;
  }
}
const inputUnits = new UnitReader();

export interface SearchForm {
  text: string;
  /** offsets[i] is the index in the original string of the character that produced text[i]. */
  offsets: Int32Array;
}

/**
 * The last few search forms made, long texts apart from short ones: the body's is asked for by its
 * tokens (words.ts) and its tagged names, with the title's and many short names asked for in between.
 */
const recent = { long: [] as Array<{ original: string; form: SearchForm }>, short: [] as Array<{ original: string; form: SearchForm }> };
/** How many are kept, long and short: one body is read at a time; a long text's form can take tens of MB. */
const RECENT = { long: 2, short: 4 };
const LONG = 200;

export function toSearchForm(original: string): SearchForm {
  const list = original.length >= LONG ? recent.long : recent.short;
  for (const r of list) if (r.original === original) return r.form;
  const form = makeSearchForm(original);
  if (list.length >= (list === recent.long ? RECENT.long : RECENT.short)) list.pop();
  list.unshift({ original, form });
  return form;
}

/** The search form by the text kernel's loop (test/core/normalize.test.ts checks it against the per-character definition). */
function makeSearchForm(original: string): SearchForm {
  return textKernel().searchForm(original);
}

/** Code units the folded form of u[0, len) may need: its length, more when a compatibility character (ﷺ is 18 letters) is there. */
function capacityFor(u: Uint16Array, len: number): number {
  let cap = len;
  for (let i = 0; i < len; i++) cap += ((COMPAT - 1 - (u[i] as number)) >>> 31) << 5; // 32 more from COMPAT up
  return cap;
}

/**
 * Below COMPAT, what the search key needs from a code unit in one load: its folded code unit in the
 * low 16 bits, KEY_SPACE if it is whitespace, KEY_DROP if it is dropped.
 */
const KEY = new Uint32Array(COMPAT);
const { space: KEY_SPACE, drop: KEY_DROP } = KEY_BITS;
const SPACES = [
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029,
  0x202f, 0x205f, 0x3000,
];
for (let c = 0; c < COMPAT; c++) KEY[c] = FOLD[c] === DROPPED ? KEY_DROP : (FOLD[c] as number);
for (const c of SPACES) KEY[c] = (KEY[c] as number) | KEY_SPACE;

/**
 * Appends the search key of s to the buffer from n on and returns where it ends: folded, whitespace
 * runs as one space, none at either end. The buffer has room (capacityFor, plus one). Without
 * branches on the character (see CLASS): each one is written, and counted only if it is kept.
 */
function appendKey(u: Uint16Array, len: number, b: Uint16Array, n: number): number {
  const start = n;
  let state = n << 1; // see appendUnit
  for (let i = 0; i < len; i++) state = appendUnit(u[i] as number, b, state, start);
  return state >>> 1;
}

/**
 * One code unit of a search key (appendKey): `state` is where the key ends in the buffer, times two,
 * plus 1 when whitespace that follows something kept is pending (a space is due before the next kept
 * unit); the new state is returned. `start` is where the key began.
 */
function appendUnit(c: number, b: Uint16Array, state: number, start: number): number {
  let n = state >>> 1;
  let pending = state & 1;
  if (c >= COMPAT) {
    for (const f of compatFold(c)) {
      if (isSpaceCode(f)) pending = n > start ? 1 : 0;
      else {
        if (pending) b[n++] = 0x20;
        pending = 0;
        b[n++] = f;
      }
    }
    return (n << 1) | pending;
  }
  const k = KEY[c] as number;
  const kind = k >>> 16; // 0 kept, 1 whitespace, 2 dropped
  const keep = (kind - 1) >>> 31;
  b[n] = 0x20;
  n += pending & keep;
  b[n] = k & 0xffff;
  n += keep;
  return (n << 1) | ((pending | (kind & 1 & ((start - n) >>> 31))) & (keep ^ 1));
}

/** The search form alone, for keys and comparisons. Whitespace runs fold to one space; no space at either end. */
export function searchKey(s: string): string {
  const u = inputUnits.read(s);
  return stringOf(appendKey(u, s.length, room(capacityFor(u, s.length) + 1), 0));
}

/** The lines of a text in one pass (what a text dump's cleaning reads first). */
export interface Lines {
  /** Each line (the text split at \n), trimmed. */
  texts: string[];
  /** Each line's search key (searchKey). */
  keys: string[];
  /** Each line's word count: whitespace-separated words that hold a letter or a number (astral ones too). */
  words: number[];
  /** Each line's letters (astral ones too), as letterCounts counts them. */
  letters: number[];
  /** Each line's numbers (`\p{N}`) among its BMP code units: a line without one holds no digit of a date. */
  numbers: number[];
  /**
   * Each line's lexicon key as far as `lexiconLimit` reaches (clean/lexicon.ts's lexiconKeyOf of its
   * key with that limit), made by the text kernel; undefined for a line the lexicon reads itself (a
   * marked line, or a letter that does not lower on its own), and for every line without a limit.
   */
  lexicon: Array<string | undefined>;
  /** Among the text's first `scriptMax` code units: letters (astral ones too), Arabic-block characters (U+0600–06FF), Persian letters (پ چ ژ گ ک ی), ASCII letters. */
  script: { letters: number; arabicScript: number; persian: number; latin: number };
}

/**
 * `text.split('\n')` with each line trimmed, its search key and its word count, and the scripts of
 * the text's beginning (test/core/normalize.test.ts checks it against the plain definitions). The
 * loop over the code units runs as WebAssembly (text-kernel.ts); a line it marks (a surrogate or a
 * compatibility character in it) is read here.
 */
export function scanLines(text: string, scriptMax: number, lexiconLimit?: number): Lines {
  const scriptEnd = Math.min(text.length, scriptMax);
  const scanned = textKernel().scan(text, scriptEnd, lexiconLimit);
  const { records: r, count } = scanned;
  const texts = new Array<string>(count);
  const keys = new Array<string>(count);
  const words = new Array<number>(count);
  const letters = new Array<number>(count);
  const numbers = new Array<number>(count);
  const lexicon = new Array<string | undefined>(count);
  const script = { letters: scanned.script[0], arabicScript: scanned.script[1], persian: scanned.script[2], latin: scanned.script[3] };
  let u: Uint16Array | undefined; // the text's units, read when a line is marked
  for (let l = 0, at = 0, keyFrom = 0; l < count; l++, at += RECORD) {
    const first = r[at] as number;
    const last = r[at + 1] as number;
    const keyEnd = r[at + 5] as number;
    const line = first < 0 ? '' : text.slice(first, last + 1);
    texts[l] = line;
    if (r[at + 6]) {
      u ??= markedUnits.read(text);
      const counts = countLine(text, u, first, last, scriptEnd, script);
      words[l] = counts.words;
      letters[l] = counts.letters;
      numbers[l] = counts.numbers;
      keys[l] = searchKey(line);
    } else {
      words[l] = r[at + 2] as number;
      letters[l] = r[at + 3] as number;
      numbers[l] = r[at + 4] as number;
      keys[l] = scanned.keys.slice(keyFrom, keyEnd);
      const lex = scanned.lexicon;
      if (lex && !lex.records[l * LEXICON_RECORD + 1])
        lexicon[l] = lex.keys.slice(l ? (lex.records[(l - 1) * LEXICON_RECORD] as number) : 0, lex.records[l * LEXICON_RECORD] as number);
    }
    keyFrom = keyEnd;
  }
  return { texts, keys, words, letters, numbers, lexicon, script };
}

const markedUnits = new UnitReader();

let kernel: TextKernel | undefined;
/** The WebAssembly loops over a text's code units (text-kernel.ts), made on first use; its vocabulary is words.ts's. */
export function textKernel(): TextKernel {
  kernel ??= newTextKernel();
  return kernel;
}

/** A kernel with a memory and a vocabulary of its own (for tests: everything else shares textKernel()). */
export function newTextKernel(): TextKernel {
  return new TextKernel(KEY, classOf, compatFold, astralWordChar, CONTROL_CHARS, lowerOf);
}

/**
 * The counts of the line u[first, last] (whitespace-separated words that hold a letter or a number,
 * letters, BMP numbers), its scripts added to `script` where it lies before scriptEnd: what the
 * line scan leaves to JavaScript, for lines with surrogates or compatibility characters.
 */
function countLine(
  text: string,
  u: Uint16Array,
  first: number,
  last: number,
  scriptEnd: number,
  script: Lines['script'],
): { words: number; letters: number; numbers: number } {
  let words = 0;
  let letters = 0;
  let numbers = 0;
  let counted = 0; // the current chunk has been counted
  for (let i = first; i <= last; i++) {
    const c = u[i] as number;
    if (isHighSurrogate(c)) {
      const word = +astralWordChar(text, i);
      letters += +/^\p{L}/u.test(text.slice(i, i + 2));
      if (i < scriptEnd) script.letters += +/^\p{L}/u.test(text.slice(i, Math.min(i + 2, scriptEnd)));
      words += word & (counted ^ 1);
      counted |= word;
      continue;
    }
    const k = classOf(c);
    const word = ((k >> 2) | (k >> 3)) & 1;
    const space = (k >> 1) & 1;
    const letter = (k >> 2) & 1;
    letters += letter;
    numbers += (k >> 3) & 1;
    words += word & (counted ^ 1);
    counted = (counted | word) & (space ^ 1);
    if (i < scriptEnd) {
      script.letters += letter;
      script.arabicScript += (k >> 5) & 1;
      script.latin += (k >> 6) & 1;
      script.persian += k >> 7;
    }
  }
  return { words, letters, numbers };
}

const isArabicCode = (c: number) => (c >= 0x0621 && c <= 0x064a) || (c >= 0x0671 && c <= 0x06d3) || (c >= 0x06fa && c <= 0x06ff);

/** A letter or a number that takes two code units (a surrogate pair starting at i), or false. */
export function astralWordChar(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c < 0xd800 || c > 0xdbff) return false;
  const next = s.charCodeAt(i + 1);
  return next >= 0xdc00 && next <= 0xdfff && /^[\p{L}\p{N}]/u.test(s.slice(i, i + 2));
}

/**
 * Each maximal run of word characters in s, in order: letters and numbers (`[\p{L}\p{N}]`, astral
 * ones too), and the code units `alsoIn` accepts (Arabic marks, tatweel). The same runs as matching
 * `/[\p{L}\p{N}…]+/gu`, without a match object per word.
 */
export function wordRuns(s: string, alsoIn: (c: number) => boolean = () => false): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let from = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const pair = astralWordChar(s, i);
    if (pair || isWordCode(c) || alsoIn(c)) {
      if (from < 0) from = i;
      if (pair) i++;
    } else if (from >= 0) {
      out.push([from, i]);
      from = -1;
    }
  }
  if (from >= 0) out.push([from, s.length]);
  return out;
}

/** Whether s has at least n word runs (wordRuns), counted without making them. */
export function hasWordRuns(s: string, alsoIn: (c: number) => boolean, n: number): boolean {
  let runs = 0;
  let inRun = false;
  for (let i = 0; i < s.length; i++) {
    const pair = astralWordChar(s, i);
    if (pair || isWordCode(s.charCodeAt(i)) || alsoIn(s.charCodeAt(i))) {
      if (!inRun && ++runs >= n) return true;
      inRun = true;
      if (pair) i++;
    } else inRun = false;
  }
  return runs >= n;
}

/** Arabic harakat (U+064B–065F) and tatweel, which written words carry inside them. */
export const isArabicMark = (c: number) => (c >= 0x064b && c <= 0x065f) || c === 0x0640;

/** Search keys of single words, cached across articles (bounded): a news vocabulary repeats. */
export const wordKey = memoized(searchKey);

/** Letters (`\p{L}`, astral ones included) in s, and how many of them are Arabic letters. */
export function letterCounts(s: string): { letters: number; arabic: number } {
  let letters = 0;
  let arabic = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isHighSurrogate(c)) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        if (LETTER.test(s.slice(i, i + 2))) letters++; // an astral letter (never Arabic)
        i++;
      }
      continue;
    }
    const k = classOf(c);
    letters += (k >> 2) & 1;
    arabic += (k >> 4) & 1;
  }
  return { letters, arabic };
}

/** Share of letters that are Arabic script, over all letters (0 when there are none). */
export function arabicShare(s: string): number {
  const { letters, arabic } = letterCounts(s);
  return letters ? arabic / letters : 0;
}

/**
 * Whether ranges of a text hold a line break, for ranges asked in text order (each `from` at or
 * after the last one asked): the text's line breaks are found one by one with indexOf, so a text
 * costs one search per line break rather than a read of every range.
 */
export class LineBreaks {
  private next: number;

  constructor(private readonly text: string) {
    this.next = text.indexOf('\n');
  }

  /** Whether a line break is in text[from, to). */
  within(from: number, to: number): boolean {
    if (this.next >= 0 && this.next < from) this.next = this.text.indexOf('\n', from);
    return this.next >= 0 && this.next < to;
  }
}

/** Arabic-Indic and Persian digits to ASCII, nothing else changed (same length). */
export function westernDigits(s: string): string {
  return s.replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (d) => {
    const code = d.charCodeAt(0);
    return String(code >= 0x06f0 ? code - 0x06f0 : code - 0x0660);
  });
}

/** C0 control characters other than tab, newline and carriage return, and DEL: never article text. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
export const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
