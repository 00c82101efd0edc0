/**
 * The line scan's inner loop as WebAssembly (encoded by wasm.ts): every code unit of a text dump
 * is read once, for its line's bounds without the whitespace around it, its word, letter and
 * number counts, the page's scripts and the line's search key, by two table lookups and bit
 * arithmetic (the same as normalize.ts's JavaScript, without a bounds check per read). A line
 * with a surrogate or a compatibility character (ligatures, presentation forms) is marked instead:
 * its counts and key need Unicode properties and NFKC, and normalize.ts works them out.
 */
import { I32, I64, op, wasmModule } from './wasm';

/** Code units from here up are compatibility characters (presentation forms, ligatures, full-width), folded with NFKC (normalize.ts). */
export const COMPAT = 0xfb50;

/** Per line: first and last code unit that is not whitespace (first -1: a blank line), words, letters, numbers, where its key ends, marked. */
export const RECORD = 7;

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
const SCRIPT_AT = SCRIPTS_AT + 2 * 256 * 8;
const DYNAMIC_AT = Math.ceil((SCRIPT_AT + 16) / 64) * 64;
const PAGE = 65536;

/** Bits of a class byte (normalize.ts's CLASS). */
export const CLASS_BITS = { space: 2, letter: 4, number: 8, arabicBlock: 32, latin: 64, persian: 128 };
/** Bits of a key entry above the folded code unit (normalize.ts's KEY): whitespace, dropped. */
const KEY_SPACE = 1;

/** lines(units, len): how many lines (the text's line breaks, plus one). */
function linesFunction(): number[] {
  const [u, len, i, count] = [0, 1, 2, 3];
  const c: number[] = [];
  const push = (...parts: number[][]) => {
    for (const p of parts) c.push(...p);
  };
  push(op.i32(1), op.set(count));
  push(op.block, op.loop, op.get(i), op.get(len), op.i32GeS, op.brIf(1));
  push(op.get(count), op.get(u), op.get(i), op.i32(1), op.i32Shl, op.i32Add, op.i32Load16u(0), op.i32(0x0a), op.i32Eq, op.i32Add, op.set(count));
  push(op.get(i), op.i32(1), op.i32Add, op.set(i), op.br(0), op.end, op.end);
  push(op.get(count));
  return c;
}

/** scan(units, len, keys, records, scriptEnd): the records and keys of every line; returns where the keys end (code units). */
function scanFunction(): number[] {
  const [u, len, keys, rec, scriptEnd] = [0, 1, 2, 3, 4];
  const [i, ch, k, first, last, words, letters, numbers, counted, marked, n, pending, keyStart] = [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17];
  const [entry, keep, kind, word, space] = [18, 19, 20, 21, 22];
  // i64s: the line's counts, its scripts (two halves each), the scripts' totals, the mask of units before scriptEnd.
  const [counts, scriptsA, scriptsB, totalA, totalB, inMask] = [23, 24, 25, 26, 27, 28];
  const c: number[] = [];
  const push = (...parts: number[][]) => {
    for (const p of parts) c.push(...p);
  };
  const bit = (local: number, shift: number) => [...op.get(local), ...op.i32(shift), ...op.i32ShrU, ...op.i32(1), ...op.i32And];
  const addTo = (local: number, ...value: number[][]) => push(op.get(local), ...value, op.i32Add, op.set(local));
  const startLine = () => {
    push(op.i32(-1), op.set(first), op.i32(-1), op.set(last));
    for (const x of [words, counted, marked, pending]) push(op.i32(0), op.set(x));
    for (const x of [counts, scriptsA, scriptsB]) push(op.i64(0), op.set(x));
    push(op.get(n), op.set(keyStart));
  };
  const endLine = () => {
    // A marked line's key is dropped (normalize.ts makes it) and its scripts are not counted here.
    push(op.get(marked), op.if, op.get(keyStart), op.set(n), op.else);
    push(op.get(totalA), op.get(scriptsA), op.i64Add, op.set(totalA), op.get(totalB), op.get(scriptsB), op.i64Add, op.set(totalB));
    push(op.end);
    push(op.get(counts), op.i32FromI64, op.set(letters), op.get(counts), op.i64(32), op.i64ShrU, op.i32FromI64, op.set(numbers));
    for (const [field, x] of [first, last, words, letters, numbers, n, marked].entries()) push(op.get(rec), op.get(x), op.i32Store(field * 4));
    push(op.get(rec), op.i32(RECORD * 4), op.i32Add, op.set(rec));
  };
  startLine();
  push(op.block, op.loop);
  push(op.get(i), op.get(len), op.i32GeS, op.brIf(1));
  push(op.get(u), op.get(i), op.i32(1), op.i32Shl, op.i32Add, op.i32Load16u(0), op.set(ch));
  // A line break ends the line.
  push(op.get(ch), op.i32(0x0a), op.i32Eq, op.if);
  endLine();
  startLine();
  push(op.get(i), op.i32(1), op.i32Add, op.set(i), op.br(1), op.end);
  // The class, classified by normalize.ts on first sight.
  push(op.get(ch), op.i32Load8u(CLASS_AT), op.set(k));
  push(op.get(k), op.i32Eqz, op.if, op.get(ch), op.get(ch), op.call(0), op.tee(k), op.i32Store8(CLASS_AT), op.end);
  push(bit(k, 1), op.set(space));
  // first: the first unit that is not whitespace; last: the last so far.
  push(op.get(first), op.get(i), op.get(first), op.i32(0), op.i32GeS, op.get(space), op.i32Or, op.select, op.set(first));
  push(op.get(last), op.get(i), op.get(space), op.select, op.set(last));
  // A surrogate or a compatibility character marks the line: the rest is read by normalize.ts.
  push(op.get(ch), op.i32(0xd800), op.i32Sub, op.i32(0x800), op.i32LtU, op.get(ch), op.i32(COMPAT), op.i32GeU, op.i32Or, op.if);
  push(op.i32(1), op.set(marked), op.get(i), op.i32(1), op.i32Add, op.set(i), op.br(1), op.end);
  // Counts, as normalize.ts's loop keeps them: a word is counted at its first letter or number after whitespace.
  push(op.get(k), op.i32(2), op.i32ShrU, op.get(k), op.i32(3), op.i32ShrU, op.i32Or, op.i32(1), op.i32And, op.set(word));
  addTo(words, op.get(word), op.get(counted), op.i32(1), op.i32Xor, op.i32And);
  push(op.get(counted), op.get(word), op.i32Or, op.get(space), op.i32(1), op.i32Xor, op.i32And, op.set(counted));
  push(op.get(counts), op.get(k), op.i32(3), op.i32Shl, op.i64Load(COUNTS_AT), op.i64Add, op.set(counts));
  // The scripts, before scriptEnd only.
  push(op.i32(0), op.get(i), op.get(scriptEnd), op.i32Sub, op.i32(31), op.i32ShrU, op.i32Sub, op.i64FromI32, op.set(inMask));
  push(op.get(scriptsA), op.get(k), op.i32(3), op.i32Shl, op.i64Load(SCRIPTS_AT), op.get(inMask), op.i64And, op.i64Add, op.set(scriptsA));
  push(op.get(scriptsB), op.get(k), op.i32(3), op.i32Shl, op.i64Load(SCRIPTS_AT + 256 * 8), op.get(inMask), op.i64And, op.i64Add, op.set(scriptsB));
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
  push(op.get(i), op.i32(1), op.i32Add, op.set(i), op.br(0), op.end, op.end);
  endLine();
  push(op.i32(SCRIPT_AT), op.get(totalA), op.i64Store(0), op.i32(SCRIPT_AT), op.get(totalB), op.i64Store(8));
  push(op.get(n));
  return c;
}

interface Exports {
  lines(units: number, len: number): number;
  scan(units: number, len: number, keys: number, records: number, scriptEnd: number): number;
}

export interface ScannedLines {
  /** RECORD numbers per line. */
  records: Int32Array;
  count: number;
  /** The keys of the lines that are not marked, one after another (a record says where each ends). */
  keys: string;
  /** Letters, Arabic-block characters, Persian letters and ASCII letters among the first scriptEnd units, marked lines left out. */
  script: [number, number, number, number];
}

/** The kernel on its memory, made on first use. `key` is normalize.ts's key table, `classify` its class of a code unit. */
export class LineScanner {
  private readonly memory: WebAssembly.Memory;
  private readonly exports: Exports;
  private bytes: Buffer;

  constructor(key: Uint32Array, classify: (c: number) => number) {
    this.memory = new WebAssembly.Memory({ initial: Math.ceil((DYNAMIC_AT + 64 * 1024) / PAGE) });
    const module = wasmModule(
      [{ name: 'classify', params: [I32], results: [I32] }],
      [
        { export: 'lines', params: [I32, I32], results: [I32], locals: [[2, I32]], code: linesFunction() },
        {
          export: 'scan',
          params: [I32, I32, I32, I32, I32],
          results: [I32],
          locals: [
            [18, I32],
            [6, I64],
          ],
          code: scanFunction(),
        },
      ],
    );
    this.exports = new WebAssembly.Instance(module, { env: { memory: this.memory, classify } }).exports as unknown as Exports;
    this.bytes = Buffer.from(this.memory.buffer);
    new Uint32Array(this.memory.buffer, KEY_AT, COMPAT).set(key);
    // Per class byte, what it adds: [letters, numbers] and [letters, Arabic block], [Persian, ASCII letters].
    const add = new Uint32Array(this.memory.buffer, COUNTS_AT, 3 * 256 * 2);
    for (let k = 0; k < 256; k++) {
      const has = (b: number) => (k & b ? 1 : 0);
      add.set([has(CLASS_BITS.letter), has(CLASS_BITS.number)], 2 * k);
      add.set([has(CLASS_BITS.letter), has(CLASS_BITS.arabicBlock)], 512 + 2 * k);
      add.set([has(CLASS_BITS.persian), has(CLASS_BITS.latin)], 1024 + 2 * k);
    }
  }

  /** Room for `bytes` from DYNAMIC_AT on (what is in the memory stays). */
  private room(bytes: number): void {
    const missing = DYNAMIC_AT + bytes - this.memory.buffer.byteLength;
    if (missing > 0) {
      this.memory.grow(Math.ceil(missing / PAGE));
      this.bytes = Buffer.from(this.memory.buffer);
    }
  }

  /** The lines of text, scripts counted among its first scriptEnd code units. The records are valid until the next call. */
  scan(text: string, scriptEnd: number): ScannedLines {
    const len = text.length;
    const units = DYNAMIC_AT;
    const keys = units + Math.ceil((len * 2) / 64) * 64;
    const records = keys + Math.ceil((len * 2 + 2) / 64) * 64;
    this.room(records - DYNAMIC_AT);
    this.bytes.write(text, units, len * 2, 'utf16le');
    const count = this.exports.lines(units, len);
    this.room(records - DYNAMIC_AT + count * RECORD * 4);
    const keyEnd = this.exports.scan(units, len, keys, records, scriptEnd);
    const script = new Int32Array(this.memory.buffer, SCRIPT_AT, 4);
    return {
      records: new Int32Array(this.memory.buffer, records, count * RECORD),
      count,
      keys: this.bytes.toString('utf16le', keys, keys + keyEnd * 2),
      script: [script[0] as number, script[1] as number, script[2] as number, script[3] as number],
    };
  }
}
