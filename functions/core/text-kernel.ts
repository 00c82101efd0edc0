/**
 * The loops over every code unit of a text, as WebAssembly (encoded by wasm.ts), on one memory
 * holding the tables they read: the character classes (normalize.ts's CLASS, filled on first
 * sight), the search key table (normalize.ts's KEY: each unit's folded form, whether it is
 * whitespace or dropped) and the lower-case table (normalize.ts's lowerOf, filled on first sight).
 * The same definitions as the JavaScript they stand for, without a bounds check per read:
 * - the line scan of a text dump: each line's bounds without the whitespace around it, its word,
 *   letter and number counts, the page's scripts and the line's search key, in one pass. A line
 *   with a surrogate or a compatibility character (ligatures, presentation forms) is marked
 *   instead: its counts and key need Unicode properties and NFKC, and normalize.ts works them out;
 * - each line's lexicon key (clean/lexicon.ts's lexiconKeyOf, as far as a limit), from the keys the
 *   scan has just written;
 * - the content words of clean's title lookup (clean/textdump.ts): each word's form without its
 *   proclitic, as a hash and a span;
 * - the search form of a text with each unit's offset in the original (compatibility characters
 *   folded by normalize.ts, called back for each);
 * - the tokens of a search form (words.ts): word runs and single marks, each with its id in the
 *   vocabulary, a hash table of every token text seen, kept in this memory (the texts' code units
 *   side by side in an arena);
 * - strict UTF-8 (decode.ts), counting control and replacement characters on the way.
 */
import { assembler, I32, I64, op, wasmModule } from './wasm';

/** Code units from here up are compatibility characters (presentation forms, ligatures, full-width), folded with NFKC (normalize.ts). */
export const COMPAT = 0xfb50;

/** Per line: first and last code unit that is not whitespace (first -1: a blank line), words, letters, numbers, where its key ends, marked. */
export const RECORD = 7;
/** A text shorter than this gets room for a record per code unit (under half a MB) instead of its lines counted first. */
const SHORT_TEXT = 16_384;

/**
 * The memory: the character classes (a byte per code unit, 0 until classified), the key table
 * (normalize.ts's KEY), what a class adds to a line's counts (COUNTS: letters and numbers; SCRIPTS:
 * letters and Arabic-block characters, Persian and ASCII letters; two 32-bit halves of an i64
 * each, so one add counts two), the scripts' totals, then the text's units, keys and line records.
 */
const CLASS_AT = 0;
const KEY_AT = 0x10000;
const COUNTS_AT = KEY_AT + COMPAT * 4;
const SCRIPTS_AT = COUNTS_AT + 256 * 8;
const SCRIPT_AT = SCRIPTS_AT + 256 * 8;
/** Per ASCII code: 1 for a control character (normalize.ts's CONTROL_CHARS); then what utf8() counted: control and replacement characters. */
const CONTROL_AT = SCRIPT_AT + 32;
const UTF8_COUNTS_AT = CONTROL_AT + 128;
/** Per code unit, its lower case (normalize.ts's lowerOf; 0 until asked, NOT_SIMPLE when it does not lower on its own). */
const LOWER_AT = Math.ceil((UTF8_COUNTS_AT + 8) / 64) * 64;
/** What the lower-case table holds for a unit that does not lower on its own (normalize.ts's lowerOf). */
export const NOT_SIMPLE = 0xffff;
/** The vocabulary's counters: how many ids, where the arena ends (code units), its table's mask, start-overs in the last call and the token of the last. */
const VOCABULARY_AT = LOWER_AT + 0x10000 * 2;
const V = { count: 0, arenaEnd: 4, mask: 8, clears: 12, lastClear: 16 };
/** Distinct token texts the vocabulary holds; it starts over (words.ts's generation) when it would hold more. */
export const MAX_VOCABULARY = 200_000;
/** The table's slots at most (kept at most half full), 16 bytes each: hash, id + 1 (0: empty), where the text is in the arena, its length. */
const MAX_SLOTS = 1 << 19;
if (MAX_SLOTS < 2 * MAX_VOCABULARY) throw new Error('text kernel: MAX_SLOTS too small for MAX_VOCABULARY');
const SLOT_BYTES = 16;
/** The smallest table: it doubles as the vocabulary grows (from JavaScript, between calls). */
const FIRST_SLOTS = 4096;
const TABLE_AT = VOCABULARY_AT + 64;
/** The arena: the code units of every token text, one after another; the space for it grows (the texts' region starts after it). */
const ARENA_AT = TABLE_AT + MAX_SLOTS * SLOT_BYTES;
/** Code units the arena holds before the vocabulary starts over (a text longer than this still gets room for its own). */
const ARENA_UNITS = 4 << 20;
const PAGE = 65536;

/** Bits of a class byte (normalize.ts's CLASS, which says what each means). */
export const CLASS_BITS = { known: 1, space: 2, letter: 4, number: 8, arabicLetter: 16, arabicBlock: 32, latin: 64, persian: 128 };
/** A key entry (normalize.ts's KEY): the folded code unit in the low 16 bits, then whether it is whitespace and whether it is dropped. */
export const KEY_BITS = { space: 1 << 16, drop: 2 << 16 };
/** The kind of a key entry (its bits from 16 on): KEY_SPACE for whitespace (2 for dropped, 0 for kept). */
const KEY_SPACE = KEY_BITS.space >>> 16;
/** Where the dropped bit is in a key entry. */
const KEY_DROP_SHIFT = 31 - Math.clz32(KEY_BITS.drop);

/** Instructions: the class of the unit in local `ch` into local `k`, classified by normalize.ts (import 0) on first sight. */
const classInto = (ch: number, k: number): number[] => [
  ...op.get(ch),
  ...op.i32Load8u(CLASS_AT),
  ...op.tee(k),
  ...op.i32Eqz,
  ...op.if,
  ...op.get(ch),
  ...op.get(ch),
  ...op.call(0),
  ...op.tee(k),
  ...op.i32Store8(CLASS_AT),
  ...op.end,
];

/** Instructions: the code unit at `index` (instructions that leave it on the stack) of the units whose address is in local `base`. */
const unitAt = (base: number, index: number[]): number[] => [...op.get(base), ...index, ...op.i32(1), ...op.i32Shl, ...op.i32Add, ...op.i32Load16u(0)];

/**
 * A function (units, len) → how many of the units pass `test` (instructions that take the unit on
 * the stack and leave 1 or 0), plus `from`.
 */
function countFunction(test: number[][], from: number): number[] {
  const [u, len, i, count] = [0, 1, 2, 3];
  const { code: c, push } = assembler();
  push(op.i32(from), op.set(count));
  push(op.block, op.loop, op.get(i), op.get(len), op.i32GeS, op.brIf(1));
  push(op.get(count), unitAt(u, op.get(i)), ...test, op.i32Add, op.set(count));
  push(op.get(i), op.i32(1), op.i32Add, op.set(i), op.br(0), op.end, op.end);
  push(op.get(count));
  return c;
}

/** lines(units, len): how many lines (the text's line breaks, plus one). */
const linesFunction = () => countFunction([op.i32(0x0a), op.i32Eq], 1);

/** The script counts a line adds are kept in 21-bit lanes: scriptEnd must leave room (a line counted whole ends before it). */
const MAX_SCRIPT_END = (1 << 21) - 1;
const LANE = 21;

/**
 * scan(units, len, keys, records, scriptEnd): the records and keys of every line; returns where the
 * keys end (code units). Per unit: its class, the line's counts (letters and numbers in two 32-bit
 * halves, and the scripts in three 21-bit lanes: one add each), whether it marks the line, and its
 * key unit. A line's bounds without the whitespace around it are found when it ends, and its
 * scripts added to the text's when it ends before scriptEnd (a line across scriptEnd is counted
 * again up to it, unit by unit).
 */
function scanFunction(): number[] {
  const [u, len, keys, rec, scriptEnd] = [0, 1, 2, 3, 4];
  const [i, ch, k, first, last, words, letters, numbers, counted, marked, n, pending, keyStart] = [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17];
  const [entry, keep, kind, word, space, lineStart, j, totalLetters] = [18, 19, 20, 21, 22, 23, 24, 25];
  // i64s: the line's counts and scripts, the text's scripts.
  const [counts, scripts, totalScripts] = [26, 27, 28];
  const { code: c, push } = assembler();
  const addTo = (local: number, ...value: number[][]) => push(op.get(local), ...value, op.i32Add, op.set(local));
  const classAt = (index: number) => [...op.get(u), ...op.get(index), ...op.i32(1), ...op.i32Shl, ...op.i32Add, ...op.i32Load16u(0), ...op.i32Load8u(CLASS_AT)];
  const startLine = () => {
    for (const x of [words, counted, marked, pending]) push(op.i32(0), op.set(x));
    for (const x of [counts, scripts]) push(op.i64(0), op.set(x));
    push(op.get(n), op.set(keyStart), op.get(i), op.set(lineStart));
  };
  const endLine = () => {
    // The line's bounds without whitespace: first -1 for a blank line.
    push(op.get(lineStart), op.set(first));
    push(op.block, op.loop, op.get(first), op.get(i), op.i32GeS, op.brIf(1));
    push(classAt(first), op.i32(CLASS_BITS.space), op.i32And, op.i32Eqz, op.brIf(1));
    push(op.get(first), op.i32(1), op.i32Add, op.set(first), op.br(0), op.end, op.end);
    push(op.get(first), op.get(i), op.i32Eq, op.if, op.i32(-1), op.set(first), op.i32(-1), op.set(last), op.else);
    push(op.get(i), op.i32(1), op.i32Sub, op.set(last));
    push(op.block, op.loop, classAt(last), op.i32(CLASS_BITS.space), op.i32And, op.i32Eqz, op.brIf(1));
    push(op.get(last), op.i32(1), op.i32Sub, op.set(last), op.br(0), op.end, op.end);
    push(op.end);
    push(op.get(counts), op.i32FromI64, op.set(letters), op.get(counts), op.i64(32), op.i64ShrU, op.i32FromI64, op.set(numbers));
    // A marked line's key is dropped (normalize.ts makes it) and its scripts are not counted here.
    push(op.get(marked), op.if, op.get(keyStart), op.set(n), op.else);
    push(op.get(i), op.get(scriptEnd), op.i32LeS, op.if);
    addTo(totalLetters, op.get(letters));
    push(op.get(totalScripts), op.get(scripts), op.i64Add, op.set(totalScripts));
    push(op.else, op.get(lineStart), op.get(scriptEnd), op.i32LtS, op.if);
    // Across scriptEnd: its units before it, one by one.
    push(op.get(lineStart), op.set(j), op.block, op.loop, op.get(j), op.get(scriptEnd), op.i32GeS, op.brIf(1));
    push(classAt(j), op.set(k));
    addTo(totalLetters, op.get(k), op.i32(2), op.i32ShrU, op.i32(1), op.i32And);
    push(op.get(totalScripts), op.get(k), op.i32(3), op.i32Shl, op.i64Load(SCRIPTS_AT), op.i64Add, op.set(totalScripts));
    push(op.get(j), op.i32(1), op.i32Add, op.set(j), op.br(0), op.end, op.end);
    push(op.end, op.end, op.end);
    for (const [field, x] of [first, last, words, letters, numbers, n, marked].entries()) push(op.get(rec), op.get(x), op.i32Store(field * 4));
    push(op.get(rec), op.i32(RECORD * 4), op.i32Add, op.set(rec));
  };
  startLine();
  push(op.block, op.loop);
  push(op.get(i), op.get(len), op.i32GeS, op.brIf(1));
  push(unitAt(u, op.get(i)), op.set(ch));
  // A line break ends the line.
  push(op.get(ch), op.i32(0x0a), op.i32Eq, op.if);
  endLine();
  push(op.get(i), op.i32(1), op.i32Add, op.set(i));
  startLine();
  push(op.br(1), op.end);
  // The class, classified by normalize.ts on first sight.
  push(classInto(ch, k));
  // A surrogate or a compatibility character marks the line: the rest is read by normalize.ts.
  push(op.get(ch), op.i32(0xd800), op.i32Sub, op.i32(0x800), op.i32LtU, op.get(ch), op.i32(COMPAT), op.i32GeU, op.i32Or, op.if);
  push(op.i32(1), op.set(marked), op.get(i), op.i32(1), op.i32Add, op.set(i), op.br(1), op.end);
  push(op.get(k), op.i32(1), op.i32ShrU, op.i32(1), op.i32And, op.set(space));
  // Counts, as normalize.ts's loop keeps them: a word is counted at its first letter or number after whitespace.
  push(op.get(k), op.i32(2), op.i32ShrU, op.get(k), op.i32(3), op.i32ShrU, op.i32Or, op.i32(1), op.i32And, op.set(word));
  addTo(words, op.get(word), op.get(counted), op.i32(1), op.i32Xor, op.i32And);
  push(op.get(counted), op.get(word), op.i32Or, op.get(space), op.i32(1), op.i32Xor, op.i32And, op.set(counted));
  push(op.get(counts), op.get(k), op.i32(3), op.i32Shl, op.i64Load(COUNTS_AT), op.i64Add, op.set(counts));
  push(op.get(scripts), op.get(k), op.i32(3), op.i32Shl, op.i64Load(SCRIPTS_AT), op.i64Add, op.set(scripts));
  // The key: the folded unit, whitespace runs as one space between kept units, dropped units left out.
  push(op.get(ch), op.i32(2), op.i32Shl, op.i32Load(KEY_AT), op.set(entry));
  push(op.get(entry), op.i32(16), op.i32ShrU, op.set(kind));
  push(op.get(kind), op.i32(1), op.i32Sub, op.i32(31), op.i32ShrU, op.set(keep));
  push(op.get(keys), op.get(n), op.i32(1), op.i32Shl, op.i32Add, op.i32(0x20), op.i32Store16(0));
  addTo(n, op.get(pending), op.get(keep), op.i32And);
  push(op.get(keys), op.get(n), op.i32(1), op.i32Shl, op.i32Add, op.get(entry), op.i32Store16(0));
  addTo(n, op.get(keep));
  push(op.get(pending), op.get(kind), op.i32(KEY_SPACE), op.i32And, op.get(keyStart), op.get(n), op.i32Sub, op.i32(31), op.i32ShrU, op.i32And, op.i32Or);
  push(op.get(keep), op.i32(1), op.i32Xor, op.i32And, op.set(pending));
  push(op.get(i), op.i32(1), op.i32Add, op.set(i));
  // After a kept letter (nothing pending, the word counted), the letters that follow it take the short way: key unit and counts only.
  push(op.get(k), op.i32(Math.log2(CLASS_BITS.letter)), op.i32ShrU, op.get(keep), op.i32And, op.if);
  push(op.block, op.loop, op.get(i), op.get(len), op.i32GeS, op.brIf(1));
  push(unitAt(u, op.get(i)), op.tee(ch), op.i32(COMPAT), op.i32GeU, op.brIf(1));
  push(op.get(ch), op.i32Load8u(CLASS_AT), op.tee(k), op.i32(CLASS_BITS.letter), op.i32And, op.i32Eqz, op.brIf(1));
  push(op.get(ch), op.i32(2), op.i32Shl, op.i32Load(KEY_AT), op.tee(entry), op.i32(16), op.i32ShrU, op.brIf(1));
  push(op.get(keys), op.get(n), op.i32(1), op.i32Shl, op.i32Add, op.get(entry), op.i32Store16(0));
  addTo(n, op.i32(1));
  push(op.get(counts), op.get(k), op.i32(3), op.i32Shl, op.i64Load(COUNTS_AT), op.i64Add, op.set(counts));
  push(op.get(scripts), op.get(k), op.i32(3), op.i32Shl, op.i64Load(SCRIPTS_AT), op.i64Add, op.set(scripts));
  push(op.get(i), op.i32(1), op.i32Add, op.set(i), op.br(0), op.end, op.end);
  push(op.end);
  push(op.br(0), op.end, op.end);
  endLine();
  // The text's scripts: letters, Arabic-block characters, Persian letters, ASCII letters.
  const laneOf = (shift: number) => [...op.get(totalScripts), ...op.i64(shift), ...op.i64ShrU, ...op.i32FromI64, ...op.i32((1 << LANE) - 1), ...op.i32And];
  push(op.i32(SCRIPT_AT), op.get(totalLetters), op.i32Store(0));
  push(op.i32(SCRIPT_AT), laneOf(0), op.i32Store(4), op.i32(SCRIPT_AT), laneOf(LANE), op.i32Store(8), op.i32(SCRIPT_AT), laneOf(2 * LANE), op.i32Store(12));
  // Where the records end (how many lines there were).
  push(op.i32(SCRIPT_AT), op.get(rec), op.i32Store(16));
  push(op.get(n));
  return c;
}

/** Per line of lexiconFunction: where its lexicon key ends in the output (code units), and 1 when the lexicon must make it itself. */
export const LEXICON_RECORD = 2;

/**
 * lexicon(keys, records, count, out, limit, lex): each line's lexicon key (clean/lexicon.ts's
 * lexiconKeyOf of its search key, as far as `limit`), from the keys and records scan() wrote: a
 * counter "( 12 )" left out, letters, numbers, + and - kept (each lowered, the `lower` import
 * filling the table), anything else one space between them, stopping at a gap once the key is
 * longer than the limit. The keys one after another at `out`; per line a LEXICON_RECORD. A marked
 * line, or one with a letter that does not lower on its own, is left to the lexicon (redo).
 */
function lexiconFunction(): number[] {
  const [keys, rec, count, out, limit, lex] = [0, 1, 2, 3, 4, 5];
  const [l, i, end, n, lineStart, c, inRun, counter, j, digits, k, low, redo, from] = [6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19];
  const { code: co, push } = assembler();
  const keyAt = (at: number) => unitAt(keys, op.get(at));
  const isSpaceAt = (at: number) => [...keyAt(at), ...op.i32Load8u(CLASS_AT), ...op.i32(CLASS_BITS.space), ...op.i32And];
  const skipSpaces = () => {
    push(op.block, op.loop, op.get(j), op.get(end), op.i32GeS, op.brIf(1), isSpaceAt(j), op.i32Eqz, op.brIf(1));
    push(op.get(j), op.i32(1), op.i32Add, op.set(j), op.br(0), op.end, op.end);
  };
  push(op.block, op.loop, op.get(l), op.get(count), op.i32GeS, op.brIf(1));
  push(op.get(n), op.set(lineStart), op.i32(0), op.set(redo), op.i32(0), op.set(inRun));
  // The line's key: from where the line before's ends to its own end (RECORD fields 5 and 6: key end, marked).
  push(op.get(rec), op.get(l), op.i32(RECORD * 4), op.i32Mul, op.i32Add, op.i32Load(5 * 4), op.set(end));
  push(op.get(rec), op.get(l), op.i32(RECORD * 4), op.i32Mul, op.i32Add, op.i32Load(6 * 4), op.set(redo));
  push(op.get(from), op.set(i));
  push(op.block, op.get(redo), op.brIf(0));
  push(op.loop, op.get(i), op.get(end), op.i32GeS, op.brIf(1));
  push(keyAt(i), op.set(c), op.i32(-1), op.set(counter));
  // "(", whitespace, digits, whitespace, ")": a counter, passed over (the key is read whole: one that runs off its end is none).
  push(op.get(c), op.i32(0x28), op.i32Eq, op.if);
  push(op.get(i), op.i32(1), op.i32Add, op.set(j));
  skipSpaces();
  push(op.get(j), op.set(digits));
  push(op.block, op.loop, op.get(j), op.get(end), op.i32GeS, op.brIf(1), keyAt(j), op.i32(0x30), op.i32Sub, op.i32(10), op.i32GeU, op.brIf(1));
  push(op.get(j), op.i32(1), op.i32Add, op.set(j), op.br(0), op.end, op.end);
  push(op.get(j), op.get(digits), op.i32Ne, op.if);
  skipSpaces();
  push(op.get(j), op.get(end), op.i32LtS, op.if, keyAt(j), op.i32(0x29), op.i32Eq, op.if, op.get(j), op.set(counter), op.end, op.end);
  push(op.end, op.end);
  // A letter, a number, + or -: kept, lowered.
  push(op.get(counter), op.i32(0), op.i32LtS, op.if);
  push(op.get(c), op.set(k));
  push(classInto(k, low));
  push(
    op.get(low),
    op.i32(CLASS_BITS.letter | CLASS_BITS.number),
    op.i32And,
    op.get(c),
    op.i32(0x2b),
    op.i32Eq,
    op.i32Or,
    op.get(c),
    op.i32(0x2d),
    op.i32Eq,
    op.i32Or,
    op.if,
  );
  push(op.get(inRun), op.i32Eqz, op.get(n), op.get(lineStart), op.i32GtS, op.i32And, op.if);
  push(op.get(out), op.get(n), op.i32(1), op.i32Shl, op.i32Add, op.i32(0x20), op.i32Store16(0), op.get(n), op.i32(1), op.i32Add, op.set(n));
  push(op.end);
  push(op.i32(1), op.set(inRun));
  push(op.get(c), op.i32(1), op.i32Shl, op.i32Load16u(LOWER_AT), op.tee(low), op.i32Eqz, op.if);
  push(op.get(c), op.i32(1), op.i32Shl, op.get(c), op.call(3), op.tee(low), op.i32Store16(LOWER_AT), op.end);
  push(op.get(low), op.i32(NOT_SIMPLE), op.i32Eq, op.if, op.i32(1), op.set(redo), op.br(4), op.end);
  push(op.get(out), op.get(n), op.i32(1), op.i32Shl, op.i32Add, op.get(low), op.i32Store16(0), op.get(n), op.i32(1), op.i32Add, op.set(n));
  push(op.get(i), op.i32(1), op.i32Add, op.set(i), op.br(2), op.end, op.end);
  // Anything else ends a run: the key is done once it is longer than the limit.
  push(op.get(n), op.get(lineStart), op.i32Sub, op.get(limit), op.i32GtS, op.brIf(1));
  push(op.i32(0), op.set(inRun));
  push(op.get(counter), op.i32(0), op.i32GtS, op.if, op.get(counter), op.set(i), op.end);
  push(op.get(i), op.i32(1), op.i32Add, op.set(i), op.br(0), op.end);
  push(op.end);
  push(op.get(redo), op.if, op.get(lineStart), op.set(n), op.end);
  push(op.get(lex), op.get(l), op.i32(LEXICON_RECORD * 4), op.i32Mul, op.i32Add, op.get(n), op.i32Store(0));
  push(op.get(lex), op.get(l), op.i32(LEXICON_RECORD * 4), op.i32Mul, op.i32Add, op.get(redo), op.i32Store(4));
  push(op.get(end), op.set(from));
  push(op.get(l), op.i32(1), op.i32Add, op.set(l), op.br(0), op.end, op.end);
  return co;
}

/** wide(units, len): how many units are compatibility characters (each may fold to up to 18 units, normalize.ts). */
const wideFunction = () => countFunction([op.i32(COMPAT), op.i32GeU], 0);

/**
 * fold(units, len, out, offsets): the search form of the units, each output unit with the offset of
 * the unit it came from; returns its length. A dropped unit writes nothing; a compatibility
 * character is folded by the `compat` import (imported function 1), which writes its units itself.
 */
function foldFunction(): number[] {
  const [u, len, out, offsets, i, n, ch, entry] = [0, 1, 2, 3, 4, 5, 6, 7];
  const { code: c, push } = assembler();
  push(op.block, op.loop, op.get(i), op.get(len), op.i32GeS, op.brIf(1));
  push(unitAt(u, op.get(i)), op.set(ch));
  push(op.get(ch), op.i32(COMPAT), op.i32GeU, op.if);
  push(op.get(n), op.get(ch), op.get(out), op.get(n), op.i32(1), op.i32Shl, op.i32Add, op.get(offsets), op.get(n), op.i32(2), op.i32Shl, op.i32Add, op.get(i));
  push(op.call(1), op.i32Add, op.set(n));
  push(op.else);
  push(op.get(ch), op.i32(2), op.i32Shl, op.i32Load(KEY_AT), op.set(entry));
  push(op.get(out), op.get(n), op.i32(1), op.i32Shl, op.i32Add, op.get(entry), op.i32Store16(0));
  push(op.get(offsets), op.get(n), op.i32(2), op.i32Shl, op.i32Add, op.get(i), op.i32Store(0));
  // Kept unless dropped (whitespace is kept in the search form).
  push(op.get(n), op.i32(1), op.get(entry), op.i32(KEY_DROP_SHIFT), op.i32ShrU, op.i32Sub, op.i32Add, op.set(n));
  push(op.end);
  push(op.get(i), op.i32(1), op.i32Add, op.set(i), op.br(0), op.end, op.end);
  push(op.get(n));
  return c;
}

/** Per token of a search form: start, end, its kind (TOKEN_WORD, TOKEN_STOP bits), its hash (FNV-1a of its units), which intern() replaces by its vocabulary id. */
export const TOKEN = 4;
/** A token's kind: a word run; a sentence end (a mark of one unit: . ! ? ؟). Neither: another mark. */
export const TOKEN_WORD = 1;
export const TOKEN_STOP = 2;

/**
 * tokens(s, len, out): the tokens of the search form's units: maximal runs of letters and numbers
 * (a surrogate pair is one when the `astralWord` import, function 2, says so), and each other unit
 * that is not whitespace on its own (a surrogate pair as one); returns how many.
 */
function tokensFunction(): number[] {
  const [s, len, out, i, n, ch, k, from, h, next, pair] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const { code: c, push } = assembler();
  const hashIn = (unit: number[]) => push(op.get(h), unit, op.i32Xor, op.i32(0x01000193), op.i32Mul, op.set(h));
  const emit = (start: number[], end: number[], kind: number[]) => {
    push(op.get(out), op.get(n), op.i32(TOKEN * 4), op.i32Mul, op.i32Add, start, op.i32Store(0));
    push(op.get(out), op.get(n), op.i32(TOKEN * 4), op.i32Mul, op.i32Add, end, op.i32Store(4));
    push(op.get(out), op.get(n), op.i32(TOKEN * 4), op.i32Mul, op.i32Add, kind, op.i32Store(8));
    push(op.get(out), op.get(n), op.i32(TOKEN * 4), op.i32Mul, op.i32Add, op.get(h), op.i32Store(12));
    push(op.get(n), op.i32(1), op.i32Add, op.set(n));
  };
  const FNV = 0x811c9dc5 | 0;
  push(op.i32(-1), op.set(from));
  push(op.block, op.loop, op.get(i), op.get(len), op.i32GeS, op.brIf(1));
  push(unitAt(s, op.get(i)), op.set(ch));
  push(classInto(ch, k));
  // A letter or a number: the word goes on (or starts).
  push(op.get(k), op.i32(CLASS_BITS.letter | CLASS_BITS.number), op.i32And, op.if);
  push(op.get(from), op.i32(0), op.i32LtS, op.if, op.get(i), op.set(from), op.i32(FNV), op.set(h), op.end);
  hashIn(op.get(ch));
  push(op.get(i), op.i32(1), op.i32Add, op.set(i));
  // The letters and numbers that follow (their classes known) take the short way: hashed only.
  push(op.block, op.loop, op.get(i), op.get(len), op.i32GeS, op.brIf(1));
  push(unitAt(s, op.get(i)), op.tee(ch), op.i32Load8u(CLASS_AT), op.i32(CLASS_BITS.letter | CLASS_BITS.number), op.i32And, op.i32Eqz, op.brIf(1));
  hashIn(op.get(ch));
  push(op.get(i), op.i32(1), op.i32Add, op.set(i), op.br(0), op.end, op.end);
  push(op.br(1), op.end);
  // A surrogate pair: a letter or a number goes on with the word.
  push(op.i32(0), op.set(pair));
  push(op.get(ch), op.i32(0xfc00), op.i32And, op.i32(0xd800), op.i32Eq, op.get(i), op.i32(1), op.i32Add, op.get(len), op.i32LtS, op.i32And, op.if);
  push(unitAt(s, [...op.get(i), ...op.i32(1), ...op.i32Add]), op.tee(next), op.i32(0xfc00), op.i32And, op.i32(0xdc00), op.i32Eq, op.set(pair));
  push(op.end);
  push(op.get(pair), op.if, op.get(i), op.call(2), op.if);
  push(op.get(from), op.i32(0), op.i32LtS, op.if, op.get(i), op.set(from), op.i32(FNV), op.set(h), op.end);
  hashIn(op.get(ch));
  hashIn(op.get(next));
  push(op.get(i), op.i32(2), op.i32Add, op.set(i), op.br(2), op.end, op.end);
  // Anything else ends the word being read.
  push(op.get(from), op.i32(0), op.i32GeS, op.if);
  emit(op.get(from), op.get(i), op.i32(TOKEN_WORD));
  push(op.i32(-1), op.set(from), op.end);
  push(op.get(pair), op.if);
  push(op.i32(FNV), op.set(h));
  hashIn(op.get(ch));
  hashIn(op.get(next));
  emit(op.get(i), [...op.get(i), ...op.i32(2), ...op.i32Add], op.i32(0));
  push(op.get(i), op.i32(2), op.i32Add, op.set(i), op.br(1), op.end);
  push(op.get(k), op.i32(CLASS_BITS.space), op.i32And, op.i32Eqz, op.if);
  push(op.i32(FNV), op.set(h));
  hashIn(op.get(ch));
  // A mark of one unit: a sentence end if it is . ! ? or ؟
  const is = (unit: number) => [...op.get(ch), ...op.i32(unit), ...op.i32Eq];
  emit(
    op.get(i),
    [...op.get(i), ...op.i32(1), ...op.i32Add],
    [...is(0x2e), ...is(0x21), ...op.i32Or, ...is(0x3f), ...op.i32Or, ...is(0x061f), ...op.i32Or, ...op.i32(TOKEN_STOP), ...op.i32Mul],
  );
  push(op.end);
  push(op.get(i), op.i32(1), op.i32Add, op.set(i), op.br(0), op.end, op.end);
  push(op.get(from), op.i32(0), op.i32GeS, op.if);
  emit(op.get(from), op.get(len), op.i32(TOKEN_WORD));
  push(op.end);
  push(op.get(n));
  return c;
}

/** Per word of contentFunction: the hash of its content form, where that form starts and ends, where the word starts. */
export const CONTENT = 4;
const [WAW, FA, BA, LAM, ALEF] = ['و', 'ف', 'ب', 'ل', 'ا'].map((ch) => ch.charCodeAt(0)) as [number, number, number, number, number];

/**
 * The hash of a word's content form from its length and its first two and last two code units
 * (clean's title words are looked for by it; a match is confirmed on the text).
 */
export function contentFormHash(length: number, first: number, second: number, last: number, beforeLast: number): number {
  const h = Math.imul(length ^ (first << 20) ^ (second << 10) ^ (last << 5) ^ beforeLast, 0x9e3779b1);
  return h ^ (h >>> 15);
}

/**
 * contentWords(units, len, out): for each word run of three units or more (letters and numbers, a
 * surrogate pair as one when the astralWord import says so), a CONTENT record: its content form's
 * hash (contentFormHash), the form's start and end, the word's start; returns how many. The content
 * form is the word without the first of وال بال فال لل ال و ف ب ل that it starts with and that
 * three letters follow (clean/textdump.ts's contentForm, short and stop words aside).
 */
function contentFunction(): number[] {
  const [u, len, out, i, n, ch, k, s, e, from, p, c0, c1, c2, h, pair] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
  const { code: c, push } = assembler();
  const plus = (local: number, d: number) => [...op.get(local), ...op.i32(d), ...op.i32Add];
  const isLetter = (at: number[]) => [...unitAt(u, at), ...op.i32Load8u(CLASS_AT), ...op.i32(2), ...op.i32ShrU, ...op.i32(1), ...op.i32And];
  // Three letters from s + d on, inside the word (1 or 0).
  const threeLetters = (d: number) => [
    ...op.get(e),
    ...op.get(s),
    ...op.i32Sub,
    ...op.i32(d + 3),
    ...op.i32GeS,
    ...isLetter(plus(s, d)),
    ...op.i32And,
    ...isLetter(plus(s, d + 1)),
    ...op.i32And,
    ...isLetter(plus(s, d + 2)),
    ...op.i32And,
  ];
  const is = (local: number, unit: number) => [...op.get(local), ...op.i32(unit), ...op.i32Eq];
  const endWord = () => {
    push(op.get(s), op.i32(0), op.i32GeS, op.if);
    push(op.get(i), op.set(e));
    push(op.get(e), op.get(s), op.i32Sub, op.i32(3), op.i32GeS, op.if);
    // The proclitic peeled: p units.
    push(unitAt(u, op.get(s)), op.set(c0), unitAt(u, plus(s, 1)), op.set(c1), unitAt(u, plus(s, 2)), op.set(c2), op.i32(0), op.set(p));
    push(is(c0, WAW), is(c0, BA), op.i32Or, is(c0, FA), op.i32Or, op.if);
    push(is(c1, ALEF), is(c2, LAM), op.i32And, threeLetters(3), op.i32And, op.if, op.i32(3), op.set(p), op.else, threeLetters(1), op.set(p), op.end);
    push(op.else, is(c0, LAM), op.if);
    push(is(c1, LAM), threeLetters(2), op.i32And, op.if, op.i32(2), op.set(p), op.else, threeLetters(1), op.set(p), op.end);
    push(op.else, is(c0, ALEF), is(c1, LAM), op.i32And, threeLetters(2), op.i32And, op.if, op.i32(2), op.set(p), op.end);
    push(op.end, op.end);
    push(op.get(s), op.get(p), op.i32Add, op.set(from));
    // contentFormHash(e - from, u[from], u[from + 1], u[e - 1], u[e - 2])
    push(
      op.get(e),
      op.get(from),
      op.i32Sub,
      unitAt(u, op.get(from)),
      op.i32(20),
      op.i32Shl,
      op.i32Xor,
      unitAt(u, plus(from, 1)),
      op.i32(10),
      op.i32Shl,
      op.i32Xor,
    );
    push(unitAt(u, plus(e, -1)), op.i32(5), op.i32Shl, op.i32Xor, unitAt(u, plus(e, -2)), op.i32Xor, op.i32(0x9e3779b1 | 0), op.i32Mul, op.set(h));
    push(op.get(h), op.get(h), op.i32(15), op.i32ShrU, op.i32Xor, op.set(h));
    for (const [field, x] of [h, from, e, s].entries())
      push(op.get(out), op.get(n), op.i32(CONTENT * 4), op.i32Mul, op.i32Add, op.get(x), op.i32Store(field * 4));
    push(op.get(n), op.i32(1), op.i32Add, op.set(n));
    push(op.end);
    push(op.i32(-1), op.set(s), op.end);
  };
  push(op.i32(-1), op.set(s));
  push(op.block, op.loop, op.get(i), op.get(len), op.i32GeS, op.brIf(1));
  push(unitAt(u, op.get(i)), op.set(ch));
  push(classInto(ch, k));
  // A letter or a number: the word goes on (or starts).
  push(op.get(k), op.i32(CLASS_BITS.letter | CLASS_BITS.number), op.i32And, op.if);
  push(op.get(s), op.i32(0), op.i32LtS, op.if, op.get(i), op.set(s), op.end);
  push(op.get(i), op.i32(1), op.i32Add, op.set(i));
  // The letters and numbers that follow (their classes known) are passed over in a short loop.
  push(op.block, op.loop, op.get(i), op.get(len), op.i32GeS, op.brIf(1));
  push(unitAt(u, op.get(i)), op.i32Load8u(CLASS_AT), op.i32(CLASS_BITS.letter | CLASS_BITS.number), op.i32And, op.i32Eqz, op.brIf(1));
  push(op.get(i), op.i32(1), op.i32Add, op.set(i), op.br(0), op.end, op.end);
  push(op.br(1), op.end);
  // A high surrogate the astralWord import calls a letter or a number: the pair goes on with the word.
  push(op.i32(0), op.set(pair));
  push(op.get(ch), op.i32(0xfc00), op.i32And, op.i32(0xd800), op.i32Eq, op.if, op.get(i), op.call(2), op.set(pair), op.end);
  push(op.get(pair), op.if);
  push(op.get(s), op.i32(0), op.i32LtS, op.if, op.get(i), op.set(s), op.end);
  push(op.get(i), op.i32(2), op.i32Add, op.set(i), op.br(1), op.end);
  endWord();
  push(op.get(i), op.i32(1), op.i32Add, op.set(i), op.br(0), op.end, op.end);
  endWord();
  push(op.get(n));
  return c;
}

/**
 * intern(units, records, n): each token's hash (records' fourth field) replaced by its vocabulary id:
 * the id of the same text in the table, or the next id, its text copied to the arena. When the
 * vocabulary holds MAX_VOCABULARY texts it starts over (table emptied, ids from 0 again), counted in
 * the header with the token it happened at. The caller has made room: the table at most half full
 * after n more texts, the arena's space past its end as long as the units.
 */
function internFunction(): number[] {
  const [u, rec, n, k, at, a, h, len, slot, e, id, i, same, count, arenaEnd, mask] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
  const { code: c, push } = assembler();
  const header = (field: number) => [...op.i32(VOCABULARY_AT), ...op.i32Load(field)];
  const setHeader = (field: number, value: number[]) => push(op.i32(VOCABULARY_AT), value, op.i32Store(field));
  const slotAddress = () => push(op.get(slot), op.i32(4), op.i32Shl, op.i32(TABLE_AT), op.i32Add, op.set(e));
  push(header(V.count), op.set(count), header(V.arenaEnd), op.set(arenaEnd), header(V.mask), op.set(mask));
  push(op.block, op.loop, op.get(k), op.get(n), op.i32GeS, op.brIf(1));
  push(op.get(rec), op.get(k), op.i32(4), op.i32Shl, op.i32Add, op.set(at));
  push(op.get(at), op.i32Load(0), op.set(a), op.get(at), op.i32Load(4), op.get(a), op.i32Sub, op.set(len), op.get(at), op.i32Load(12), op.set(h));
  push(op.get(h), op.get(mask), op.i32And, op.set(slot));
  push(op.block, op.loop);
  slotAddress();
  push(op.get(e), op.i32Load(4), op.tee(id), op.i32Eqz, op.if);
  // A text not seen: the next id (after starting over when the vocabulary is full).
  push(op.get(count), op.i32(MAX_VOCABULARY), op.i32GeS, op.if);
  push(op.i32(TABLE_AT), op.i32(0), op.get(mask), op.i32(1), op.i32Add, op.i32(4), op.i32Shl, op.memoryFill);
  push(op.i32(0), op.set(count), op.i32(0), op.set(arenaEnd));
  setHeader(V.clears, [...header(V.clears), ...op.i32(1), ...op.i32Add]);
  setHeader(V.lastClear, op.get(k));
  push(op.get(h), op.get(mask), op.i32And, op.set(slot));
  slotAddress();
  push(op.end);
  push(op.get(e), op.get(h), op.i32Store(0), op.get(e), op.get(count), op.i32(1), op.i32Add, op.i32Store(4));
  push(op.get(e), op.get(arenaEnd), op.i32Store(8), op.get(e), op.get(len), op.i32Store(12));
  push(op.i32(0), op.set(i), op.block, op.loop, op.get(i), op.get(len), op.i32GeS, op.brIf(1));
  push(op.get(arenaEnd), op.get(i), op.i32Add, op.i32(1), op.i32Shl, unitAt(u, [...op.get(a), ...op.get(i), ...op.i32Add]), op.i32Store16(ARENA_AT));
  push(op.get(i), op.i32(1), op.i32Add, op.set(i), op.br(0), op.end, op.end);
  push(op.get(arenaEnd), op.get(len), op.i32Add, op.set(arenaEnd));
  push(op.get(count), op.set(id), op.get(count), op.i32(1), op.i32Add, op.set(count), op.br(2));
  push(op.end);
  // The same hash and length: the same text if every unit is.
  push(op.get(e), op.i32Load(0), op.get(h), op.i32Eq, op.get(e), op.i32Load(12), op.get(len), op.i32Eq, op.i32And, op.if);
  push(op.i32(1), op.set(same), op.i32(0), op.set(i), op.block, op.loop, op.get(i), op.get(len), op.i32GeS, op.brIf(1));
  push(op.get(e), op.i32Load(8), op.get(i), op.i32Add, op.i32(1), op.i32Shl, op.i32Load16u(ARENA_AT));
  push(unitAt(u, [...op.get(a), ...op.get(i), ...op.i32Add]), op.i32Ne, op.if, op.i32(0), op.set(same), op.br(2), op.end);
  push(op.get(i), op.i32(1), op.i32Add, op.set(i), op.br(0), op.end, op.end);
  push(op.get(same), op.if, op.get(id), op.i32(1), op.i32Sub, op.set(id), op.br(3), op.end);
  push(op.end);
  push(op.get(slot), op.i32(1), op.i32Add, op.get(mask), op.i32And, op.set(slot), op.br(0));
  push(op.end, op.end);
  push(op.get(at), op.get(id), op.i32Store(12));
  push(op.get(k), op.i32(1), op.i32Add, op.set(k), op.br(0), op.end, op.end);
  setHeader(V.count, op.get(count));
  setHeader(V.arenaEnd, op.get(arenaEnd));
  return c;
}

/**
 * utf8(bytes, len, out): strict UTF-8 (as TextDecoder with fatal set reads bytes without a BOM) into
 * code units at out; returns how many, or -1 at the first malformed, overlong, surrogate or
 * out-of-range sequence. Counts control characters (ASCII ones) and U+FFFD on the way.
 */
function utf8Function(): number[] {
  const [src, len, out, i, n, c, b, need, cp, lo, hi, k, controls, replacements] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
  const { code, push } = assembler();
  const byteAt = (offset: number[]) => [...op.get(src), ...op.get(i), ...op.i32Add, ...offset, ...op.i32Add, ...op.i32Load8u(0)];
  const put = (unit: number[]) =>
    push(op.get(out), op.get(n), op.i32(1), op.i32Shl, op.i32Add, unit, op.i32Store16(0), op.get(n), op.i32(1), op.i32Add, op.set(n));
  const fail = () => push(op.i32(-1), op.return_);
  push(op.block, op.loop, op.get(i), op.get(len), op.i32GeS, op.brIf(1));
  push(op.get(src), op.get(i), op.i32Add, op.i32Load8u(0), op.set(c));
  // ASCII.
  push(op.get(c), op.i32(0x80), op.i32LtU, op.if);
  put(op.get(c));
  push(op.get(controls), op.get(c), op.i32Load8u(CONTROL_AT), op.i32Add, op.set(controls));
  push(op.get(i), op.i32(1), op.i32Add, op.set(i), op.br(1), op.end);
  // Two bytes (all of Arabic).
  push(op.get(c), op.i32(0xc2), op.i32Sub, op.i32(0xdf - 0xc2 + 1), op.i32LtU, op.if);
  push(op.get(i), op.i32(1), op.i32Add, op.get(len), op.i32GeS, op.if);
  fail();
  push(op.end);
  push(byteAt(op.i32(1)), op.tee(b), op.i32(0xc0), op.i32And, op.i32(0x80), op.i32Ne, op.if);
  fail();
  push(op.end);
  put([...op.get(c), ...op.i32(0x1f), ...op.i32And, ...op.i32(6), ...op.i32Shl, ...op.get(b), ...op.i32(0x3f), ...op.i32And, ...op.i32Or]);
  push(op.get(i), op.i32(2), op.i32Add, op.set(i), op.br(1), op.end);
  // Three and four bytes: how many continuation bytes follow, and the allowed range of the first.
  push(op.i32(0x80), op.set(lo), op.i32(0xbf), op.set(hi));
  push(op.get(c), op.i32(0xe0), op.i32Sub, op.i32(16), op.i32LtU, op.if);
  push(op.i32(2), op.set(need), op.get(c), op.i32(0x0f), op.i32And, op.set(cp));
  push(op.get(c), op.i32(0xe0), op.i32Eq, op.if, op.i32(0xa0), op.set(lo), op.end);
  push(op.get(c), op.i32(0xed), op.i32Eq, op.if, op.i32(0x9f), op.set(hi), op.end);
  push(op.else);
  push(op.get(c), op.i32(0xf0), op.i32Sub, op.i32(5), op.i32LtU, op.i32Eqz, op.if);
  fail();
  push(op.end);
  push(op.i32(3), op.set(need), op.get(c), op.i32(0x07), op.i32And, op.set(cp));
  push(op.get(c), op.i32(0xf0), op.i32Eq, op.if, op.i32(0x90), op.set(lo), op.end);
  push(op.get(c), op.i32(0xf4), op.i32Eq, op.if, op.i32(0x8f), op.set(hi), op.end);
  push(op.end);
  push(op.get(i), op.get(need), op.i32Add, op.get(len), op.i32GeS, op.if);
  fail();
  push(op.end);
  push(op.i32(1), op.set(k));
  push(op.block, op.loop, op.get(k), op.get(need), op.i32GtS, op.brIf(1));
  push(byteAt(op.get(k)), op.set(b));
  push(op.get(b), op.get(lo), op.i32LtU, op.get(b), op.get(hi), op.i32GtU, op.i32Or, op.if);
  fail();
  push(op.end);
  push(op.get(cp), op.i32(6), op.i32Shl, op.get(b), op.i32(0x3f), op.i32And, op.i32Or, op.set(cp));
  push(op.i32(0x80), op.set(lo), op.i32(0xbf), op.set(hi));
  push(op.get(k), op.i32(1), op.i32Add, op.set(k), op.br(0), op.end, op.end);
  push(op.get(i), op.get(need), op.i32Add, op.i32(1), op.i32Add, op.set(i));
  push(op.get(replacements), op.get(cp), op.i32(0xfffd), op.i32Eq, op.i32Add, op.set(replacements));
  push(op.get(cp), op.i32(0x10000), op.i32LtU, op.if);
  put(op.get(cp));
  push(op.else);
  push(op.get(cp), op.i32(0x10000), op.i32Sub, op.set(cp));
  put([...op.get(cp), ...op.i32(10), ...op.i32ShrU, ...op.i32(0xd800), ...op.i32Add]);
  put([...op.get(cp), ...op.i32(0x3ff), ...op.i32And, ...op.i32(0xdc00), ...op.i32Add]);
  push(op.end);
  push(op.br(0), op.end, op.end);
  push(op.i32(UTF8_COUNTS_AT), op.get(controls), op.i32Store(0), op.i32(UTF8_COUNTS_AT), op.get(replacements), op.i32Store(4));
  push(op.get(n));
  return code;
}

interface Exports {
  lines(units: number, len: number): number;
  wide(units: number, len: number): number;
  fold(units: number, len: number, out: number, offsets: number): number;
  tokens(s: number, len: number, out: number): number;
  intern(units: number, records: number, n: number): void;
  contentWords(units: number, len: number, out: number): number;
  utf8(bytes: number, len: number, out: number): number;
  scan(units: number, len: number, keys: number, records: number, scriptEnd: number): number;
  lexicon(keys: number, records: number, count: number, out: number, limit: number, lex: number): void;
}

export interface ScannedLines {
  /** RECORD numbers per line. */
  records: Int32Array;
  count: number;
  /** The keys of the lines that are not marked, one after another (a record says where each ends). */
  keys: string;
  /** Letters, Arabic-block characters, Persian letters and ASCII letters among the first scriptEnd units, marked lines left out. */
  script: [number, number, number, number];
  /**
   * With a lexicon limit: the lines' lexicon keys one after another, and LEXICON_RECORD numbers per
   * line (where its key ends; 1 for a line left to the lexicon: marked, or a letter that does not
   * lower alone), a view of the memory valid until the next call.
   */
  lexicon?: { keys: string; records: Int32Array };
}

/**
 * The kernel on its memory. `key` is normalize.ts's key table, `classify` its class of a code unit,
 * `compat` the search form of a compatibility character, `astralWord` whether the surrogate pair at
 * a position of the text being tokenized is a letter or a number.
 */
export class TextKernel {
  private readonly memory: WebAssembly.Memory;
  private readonly exports: Exports;
  private bytes: Buffer;
  /** The search form being tokenized (for astralWord). */
  private tokenizing = '';
  /** The vocabulary's table size (slots) and the arena's space (code units); each call's texts and results go after the arena's space. */
  private slots = FIRST_SLOTS;
  private arenaUnits = 32 * 1024;
  private dynamicAt = 0;

  constructor(
    key: Uint32Array,
    classify: (c: number) => number,
    compat: (c: number) => number[],
    astralWord: (s: string, i: number) => boolean,
    controls: RegExp,
    lower: (c: number) => number,
  ) {
    this.dynamicAt = ARENA_AT + this.arenaUnits * 2;
    // The table's space is reserved up front; a page of it is touched (and takes memory) only once the table has grown over it.
    this.memory = new WebAssembly.Memory({ initial: Math.ceil((this.dynamicAt + 64 * 1024) / PAGE) });
    const twoParams = { params: [I32, I32], results: [I32], locals: [[2, I32]] as Array<[number, number]> };
    const module = wasmModule(
      [
        { name: 'classify', params: [I32], results: [I32] },
        { name: 'compat', params: [I32, I32, I32, I32], results: [I32] },
        { name: 'astralWord', params: [I32], results: [I32] },
        { name: 'lower', params: [I32], results: [I32] },
      ],
      [
        { export: 'lines', ...twoParams, code: linesFunction() },
        {
          export: 'scan',
          params: [I32, I32, I32, I32, I32],
          results: [I32],
          locals: [
            [21, I32],
            [3, I64],
          ],
          code: scanFunction(),
        },
        { export: 'wide', ...twoParams, code: wideFunction() },
        {
          export: 'lexicon',
          params: [I32, I32, I32, I32, I32, I32],
          results: [],
          locals: [[14, I32]],
          code: lexiconFunction(),
        },
        { export: 'fold', params: [I32, I32, I32, I32], results: [I32], locals: [[4, I32]], code: foldFunction() },
        { export: 'tokens', params: [I32, I32, I32], results: [I32], locals: [[8, I32]], code: tokensFunction() },
        { export: 'intern', params: [I32, I32, I32], results: [], locals: [[13, I32]], code: internFunction() },
        { export: 'contentWords', params: [I32, I32, I32], results: [I32], locals: [[13, I32]], code: contentFunction() },
        { export: 'utf8', params: [I32, I32, I32], results: [I32], locals: [[11, I32]], code: utf8Function() },
      ],
    );
    const imports = {
      classify,
      // The units a compatibility character folds to, written at out (and their offset, i, at offsets); how many.
      compat: (c: number, out: number, offsets: number, i: number) => {
        const units = compat(c);
        const buffer = this.memory.buffer;
        new Uint16Array(buffer, out, units.length).set(units);
        new Int32Array(buffer, offsets, units.length).fill(i);
        return units.length;
      },
      astralWord: (i: number) => (astralWord(this.tokenizing, i) ? 1 : 0),
      lower,
    };
    this.exports = new WebAssembly.Instance(module, { env: { memory: this.memory, ...imports } }).exports as unknown as Exports;
    this.bytes = Buffer.from(this.memory.buffer);
    new Uint32Array(this.memory.buffer, KEY_AT, COMPAT).set(key);
    const control = new RegExp(controls.source);
    for (let c = 0; c < 0x80; c++) this.bytes[CONTROL_AT + c] = +control.test(String.fromCharCode(c));
    new Int32Array(this.memory.buffer, VOCABULARY_AT)[V.mask / 4] = FIRST_SLOTS - 1;
    // Per class byte, what it adds to a line's counts: [letters, numbers] (two 32-bit halves), and its
    // scripts: Arabic block, Persian letters, ASCII letters (21-bit lanes of one 64-bit number).
    const counts = new Uint32Array(this.memory.buffer, COUNTS_AT, 256 * 2);
    const scripts = new BigUint64Array(this.memory.buffer, SCRIPTS_AT, 256);
    for (let k = 0; k < 256; k++) {
      const has = (b: number) => (k & b ? 1 : 0);
      counts.set([has(CLASS_BITS.letter), has(CLASS_BITS.number)], 2 * k);
      scripts[k] =
        BigInt(has(CLASS_BITS.arabicBlock)) | (BigInt(has(CLASS_BITS.persian)) << BigInt(LANE)) | (BigInt(has(CLASS_BITS.latin)) << BigInt(2 * LANE));
    }
  }

  /** Room for `bytes` from the dynamic region's start on (what is in the memory stays). */
  private room(bytes: number): void {
    const missing = this.dynamicAt + bytes - this.memory.buffer.byteLength;
    if (missing > 0) {
      this.memory.grow(Math.ceil(missing / PAGE));
      this.bytes = Buffer.from(this.memory.buffer);
    }
  }

  /** Copies the units of text to the dynamic region's start, with room for `after` more bytes past them (from the returned offset on). */
  private load(text: string, after: number): number {
    const next = this.dynamicAt + Math.ceil((text.length * 2) / 64) * 64;
    this.room(next - this.dynamicAt + after);
    this.bytes.write(text, this.dynamicAt, text.length * 2, 'utf16le');
    return next;
  }

  /**
   * The lines of text, scripts counted among its first scriptEnd code units, and with a lexicon limit
   * each line's lexicon key (lexiconFunction). The records are valid until the next call.
   */
  scan(text: string, scriptEnd: number, lexiconLimit?: number): ScannedLines {
    if (scriptEnd > MAX_SCRIPT_END) throw new RangeError(`scan: scripts counted over at most ${MAX_SCRIPT_END} code units`);
    const len = text.length;
    const keys = this.load(text, len * 2 + 2);
    const records = keys + Math.ceil((len * 2 + 2) / 64) * 64;
    // Room for a record per line: as many as the text could have when it is short, counted first when it is long.
    const most = len < SHORT_TEXT ? len + 1 : this.exports.lines(this.dynamicAt, len);
    this.room(records - this.dynamicAt + most * RECORD * 4);
    const keyEnd = this.exports.scan(this.dynamicAt, len, keys, records, scriptEnd);
    const script = new Int32Array(this.memory.buffer, SCRIPT_AT, 5);
    const count = ((script[4] as number) - records) / (RECORD * 4);
    const scanned: ScannedLines = {
      records: new Int32Array(this.memory.buffer, records, count * RECORD),
      count,
      keys: this.bytes.toString('utf16le', keys, keys + keyEnd * 2),
      script: [script[0] as number, script[1] as number, script[2] as number, script[3] as number],
    };
    if (lexiconLimit === undefined) return scanned;
    // The lexicon keys (never longer than the keys they are made from), then a record per line.
    const out = records + Math.ceil((count * RECORD * 4) / 64) * 64;
    const lex = out + Math.ceil((keyEnd * 2 + 2) / 64) * 64;
    this.room(lex - this.dynamicAt + count * LEXICON_RECORD * 4);
    this.exports.lexicon(keys, records, count, out, lexiconLimit, lex);
    const made = new Int32Array(this.memory.buffer, lex, count * LEXICON_RECORD);
    scanned.records = new Int32Array(this.memory.buffer, records, count * RECORD); // the memory may have grown
    const end = count ? (made[(count - 1) * LEXICON_RECORD] as number) : 0;
    scanned.lexicon = { keys: this.bytes.toString('utf16le', out, out + end * 2), records: made };
    return scanned;
  }

  /** The search form of `original` and, for each of its units, the offset in `original` of the unit it came from. */
  searchForm(original: string): { text: string; offsets: Int32Array } {
    const len = original.length;
    const out = this.load(original, 0);
    const cap = len + 32 * this.exports.wide(this.dynamicAt, len);
    this.room(out - this.dynamicAt + cap * 2 + cap * 4 + 64); // the units stay where they are (a grown memory keeps its contents)
    const offsets = out + Math.ceil((cap * 2) / 64) * 64;
    const n = this.exports.fold(this.dynamicAt, len, out, offsets);
    return { text: this.bytes.toString('utf16le', out, out + n * 2), offsets: new Int32Array(this.memory.buffer.slice(offsets, offsets + n * 4)) };
  }

  /**
   * Strict UTF-8 (utf8Function): the code units (a view of the memory, valid until the next call)
   * with the control and replacement characters counted, or undefined for bytes that are not UTF-8.
   */
  utf8(bytes: Uint8Array): { units: Uint16Array; n: number; controls: number; replacements: number } | undefined {
    const len = bytes.length;
    const out = this.dynamicAt + Math.ceil(len / 64) * 64;
    this.room(out - this.dynamicAt + len * 2);
    this.bytes.set(bytes, this.dynamicAt);
    const n = this.exports.utf8(this.dynamicAt, len, out);
    if (n < 0) return undefined;
    const counts = new Int32Array(this.memory.buffer, UTF8_COUNTS_AT, 2);
    return { units: new Uint16Array(this.memory.buffer, out, n), n, controls: counts[0] as number, replacements: counts[1] as number };
  }

  /**
   * The tokens of a search form: TOKEN numbers each (tokensFunction; the fourth is the token's
   * vocabulary id), and the form's units, both views of the memory, valid until the next call. Also
   * how many times the vocabulary started over on the way and the token it last did at (0 when it
   * did before the first): ids of tokens before that one are of an earlier start.
   */
  tokens(s: string): { records: Int32Array; count: number; units: Uint16Array; clears: number; lastClear: number } {
    const len = s.length;
    const header = new Int32Array(this.memory.buffer, VOCABULARY_AT, 5);
    header[V.clears / 4] = 0;
    header[V.lastClear / 4] = 0;
    // Room in the arena for every unit of the text (each new text is copied there once).
    if ((header[V.arenaEnd / 4] as number) + len > this.arenaUnits) {
      if ((header[V.arenaEnd / 4] as number) + len > ARENA_UNITS) this.startOver();
      while ((header[V.arenaEnd / 4] as number) + len > this.arenaUnits) this.arenaUnits *= 2;
      this.dynamicAt = ARENA_AT + this.arenaUnits * 2;
    }
    const out = this.load(s, len * TOKEN * 4 + 64);
    this.tokenizing = s;
    const count = this.exports.tokens(this.dynamicAt, len, out);
    this.tokenizing = '';
    // The table at most half full after `count` more texts (it never holds more than MAX_VOCABULARY).
    const view = new Int32Array(this.memory.buffer, VOCABULARY_AT, 5);
    while (this.slots < MAX_SLOTS && this.slots < 2 * Math.min(MAX_VOCABULARY, (view[V.count / 4] as number) + count)) this.growTable();
    this.exports.intern(this.dynamicAt, out, count);
    return {
      records: new Int32Array(this.memory.buffer, out, count * TOKEN),
      count,
      units: new Uint16Array(this.memory.buffer, this.dynamicAt, len),
      clears: view[V.clears / 4] as number,
      lastClear: view[V.lastClear / 4] as number,
    };
  }

  /** Empties the vocabulary (ids start from 0 again), counted as a start-over before the next call's first token. */
  private startOver(): void {
    const header = new Int32Array(this.memory.buffer, VOCABULARY_AT, 5);
    new Int32Array(this.memory.buffer, TABLE_AT, this.slots * 4).fill(0);
    header[V.count / 4] = 0;
    header[V.arenaEnd / 4] = 0;
    header[V.clears / 4] = (header[V.clears / 4] as number) + 1;
    header[V.lastClear / 4] = 0;
  }

  /** The table twice the size, every entry placed again by its hash. */
  private growTable(): void {
    const old = new Int32Array(this.memory.buffer, TABLE_AT, this.slots * 4).slice();
    this.slots *= 2;
    const mask = this.slots - 1;
    const table = new Int32Array(this.memory.buffer, TABLE_AT, this.slots * 4);
    table.fill(0);
    for (let e = 0; e < old.length; e += 4) {
      if (old[e + 1] === 0) continue;
      let slot = (old[e] as number) & mask;
      while (table[slot * 4 + 1] !== 0) slot = (slot + 1) & mask;
      table.set(old.subarray(e, e + 4), slot * 4);
    }
    new Int32Array(this.memory.buffer, VOCABULARY_AT, 5)[V.mask / 4] = mask;
  }

  /**
   * The content words of a text (contentFunction): CONTENT numbers each, a view of the memory valid
   * until the next call. The text's units are read where they lie in it (no copy is handed back).
   */
  contentWords(text: string): { records: Int32Array; count: number } {
    const len = text.length;
    const out = this.load(text, len * CONTENT * 4 + 64);
    this.tokenizing = text;
    const count = this.exports.contentWords(this.dynamicAt, len, out);
    this.tokenizing = '';
    return { records: new Int32Array(this.memory.buffer, out, count * CONTENT), count };
  }
}
