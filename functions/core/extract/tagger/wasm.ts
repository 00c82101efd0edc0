/**
 * The tagger's inner loops as WebAssembly, encoded at first use by ../../wasm.ts (no toolchain,
 * nothing generated in the repository): a sentence's rows placed from its words' vocabulary ids,
 * the emission sum of each token, with 128-bit vector adds, and Viterbi over it. In JavaScript each of a token's weight reads was a bounds-checked load in a
 * loop V8 does not unroll, and its stem pairs and gazetteer readings were looked up in maps; here a
 * token's sum is 14 vectors of nine lanes (three 4-lane loads and adds each), the stem-pair table is
 * searched in the memory, and Viterbi keeps the nine path scores in locals. All run on one memory
 * per model (compiled.ts lays it out): what they read and write is at the fixed offsets of LAYOUT.
 *
 * Path scores are 64-bit: the first token's impossible tags are far below any real score, and a
 * sum with them must not wrap (JavaScript adds them as doubles). Ties go to the lower tag, as in
 * Perceptron.decode: a candidate replaces the best only when strictly greater.
 */

import { assembler, I32, I64, op, wasmModule } from '../../wasm';
import { MAX_VOCABULARY } from '../../words';

/** Tags (compiled.ts checks the tag set and its transitions against what this code assumes). */
const N = 9;
/** The tags any tag may precede: O and the B- tags; each I- tag (t + 1) follows its B- tag (t) or itself. */
const OPEN = [0, 1, 3, 5, 7];
const INSIDE = [2, 4, 6, 8];
/** Where each tag's predecessors start in the predecessor transitions (O and B- tags: all nine, in order; I- tags: their B- tag, then themselves). */
const PRED_FROM = [0];
for (let t = 0; t + 1 < N; t++) PRED_FROM.push((PRED_FROM[t] as number) + (INSIDE.includes(t) ? 2 : N));
/** Boundary words before and after a sentence's words (the furthest neighbour features). */
export const PAD = 3;
export const AFTER = 2;
/** Longest sentence the scratch areas hold. */
export const MAX_SENTENCE = 10_000;
const IMPOSSIBLE = -0x7fffffff;

/** Gazetteer readings a model can give weights to (code 0 is no reading); each code's vectors take READING_BYTES. */
export const MAX_READINGS = 64;
/** Per reading code: its vector on the token it is on, then one with each of the four token shapes, then as the previous token's and as the next token's reading. */
export const READING_BYTES = 256;
export const READING_PARTS = { own: 0, withShape: N * 4, ofPrevious: 5 * N * 4, ofNext: 6 * N * 4 };

/**
 * Byte offsets in the memory: the model's constants, the header (where the model-sized parts are),
 * then a sentence's scratch areas, each row of a sentence (its words with PAD boundary rows before
 * and AFTER after) or token one after another; model-sized parts follow from `end`.
 */
export const LAYOUT = (() => {
  const rows = MAX_SENTENCE + PAD + AFTER + 3;
  let at = 2048;
  const area = (bytes: number) => {
    const from = at;
    at = Math.ceil((at + bytes) / 64) * 64;
    return from;
  };
  const fixed = { trans0: 0, predTrans: 64, dominance: 320, zero: 704, header: 752, shapePairs: 768 };
  const readings = area(MAX_READINGS * READING_BYTES);
  const ids = area(rows * 4); // per row: its word's vectors (byte address)
  const stems = area(rows * 4); // per row: its stem id (-1: in no stem pair)
  const shapes = area(rows * 4); // per row: its shape (SHAPES index)
  const pairAt = area(rows * 4); // per row c: where the addresses of the pair (c, c + 1)'s vectors are
  const codes = area((MAX_SENTENCE + 2) * 4); // per token i at i + 1: its reading code (0 before and after)
  const vocabularyIds = area(MAX_SENTENCE * 4); // per token: its vocabulary id (words.ts)
  const missing = area(MAX_SENTENCE * 4); // the tokens whose words place() found not placed yet
  const byVocabularyId = area(MAX_VOCABULARY * 4); // per vocabulary id: its word's address in the arena (0: not placed yet)
  const emit = area(MAX_SENTENCE * N * 4 + 16);
  const back = area(MAX_SENTENCE * N);
  const tags = area(MAX_SENTENCE);
  return { ...fixed, readings, ids, stems, shapes, pairAt, codes, vocabularyIds, missing, byVocabularyId, emit, back, tags, end: at };
})();
/** The header: the stem-pair table's mask and where its first stems, second stems and vector addresses are. */
export const HEADER = { mask: 0, first: 4, second: 8, addresses: 12 };
/** The stem-pair table's hash of a pair of stem ids (compiled.ts builds the table with it). */
export const pairHash = (first: number, second: number) => Math.imul(first, PAIR_MUL_1) ^ Math.imul(second + 1, PAIR_MUL_2);
const PAIR_MUL_1 = 0x9e3779b1 | 0;
const PAIR_MUL_2 = 0x85ebca77 | 0;
/** Stem-pair templates: a slot of the pair table holds the address of each one's vector. */
export const EXTRA_PAIRS = 3;
/**
 * A word in the arena: its vectors (its own, then one per neighbour offset -3, -2, -1, +1, +2), N
 * int32 each, then its stem id and its shape.
 */
export const WORD_BYTES = 6 * N * 4 + 8;
const WORD_STEM = 6 * N * 4;
const WORD_SHAPE = WORD_STEM + 4;

/**
 * place(n): the rows of n tokens whose vocabulary ids are in the vocabularyIds area: each one's arena
 * address, stem id and shape, from row PAD on. Returns how many tokens' words are not in the arena
 * yet (their indexes are in the missing area): the caller places those words and calls it again.
 */
function placeFunction(): number[] {
  const [n, i, at, word, missing] = [0, 1, 2, 3, 4];
  const { code: c, push } = assembler();
  push(op.block, op.loop, op.get(i), op.get(n), op.i32GeS, op.brIf(1));
  push(op.get(i), op.i32(4), op.i32Mul, op.set(at));
  push(op.get(at), op.i32Load(LAYOUT.vocabularyIds), op.i32(4), op.i32Mul, op.i32Load(LAYOUT.byVocabularyId), op.set(word));
  push(op.get(word), op.i32Eqz, op.if, op.get(missing), op.i32(4), op.i32Mul, op.get(i), op.i32Store(LAYOUT.missing));
  push(op.get(missing), op.i32(1), op.i32Add, op.set(missing), op.end);
  push(op.get(at), op.get(word), op.i32Store(LAYOUT.ids + PAD * 4));
  push(op.get(at), op.get(word), op.i32Load(WORD_STEM), op.i32Store(LAYOUT.stems + PAD * 4));
  push(op.get(at), op.get(word), op.i32Load(WORD_SHAPE), op.i32Store(LAYOUT.shapes + PAD * 4));
  push(op.get(i), op.i32(1), op.i32Add, op.set(i), op.br(0), op.end, op.end);
  push(op.get(missing));
  return c;
}

/**
 * emit(n): first the stem pair of each two neighbouring rows, looked up in the model's table (its
 * slot, or the slot past the end, whose vectors are all the zero vector); then for each of the n
 * tokens the sum of 14 vectors: its word's own, what its neighbours at -3, -2, -1, +1, +2 give it,
 * the three stem pairs around it, the shapes before and after it, and the gazetteer's readings
 * of it and of the tokens before and after it. Nine int32 lanes, summed four at a time at lanes
 * 0, 4 and 5 (the last two overlap and store the same sums).
 */
function emitFunction(): number[] {
  // Locals: the parameter n, then i32s.
  const [n, i, c, a, b, h, f, mask, first, second, addresses, rowp, out, g0, shape] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14] as const;
  const words = [15, 16, 17, 18, 19, 20]; // the token's word, then its neighbours in NEIGHBOURS order
  const extras = [21, 22, 23, 24, 25, 26, 27, 28]; // three stem pairs, the shape pair, four readings
  const { code, push } = assembler();
  const header = (field: number, local: number) => push(op.i32(LAYOUT.header), op.i32Load(field), op.set(local));
  header(HEADER.mask, mask);
  header(HEADER.first, first);
  header(HEADER.second, second);
  header(HEADER.addresses, addresses);
  // Stem pairs of rows c and c + 1, for c up to n + PAD + AFTER - 2.
  push(op.block, op.loop);
  push(op.get(c), op.get(n), op.i32(PAD + AFTER - 1), op.i32Add, op.i32GeS, op.brIf(1));
  push(op.get(c), op.i32(4), op.i32Mul, op.set(rowp));
  push(op.get(rowp), op.i32Load(LAYOUT.stems), op.set(a), op.get(rowp), op.i32Load(LAYOUT.stems + 4), op.set(b));
  push(op.get(mask), op.i32(1), op.i32Add, op.set(f)); // the slot found: none yet (the one past the end)
  push(op.block, op.get(a), op.get(b), op.i32Or, op.i32(0), op.i32LtS, op.brIf(0)); // a stem in no pair
  push(op.get(a), op.i32(PAIR_MUL_1), op.i32Mul, op.get(b), op.i32(1), op.i32Add, op.i32(PAIR_MUL_2), op.i32Mul, op.i32Xor, op.get(mask), op.i32And, op.set(h));
  push(op.loop);
  // An empty slot ends the search; the pair's own slot is the answer.
  push(op.get(h), op.i32(4), op.i32Mul, op.get(first), op.i32Add, op.i32Load(0), op.i32(0), op.i32LtS, op.brIf(1));
  push(op.get(h), op.i32(4), op.i32Mul, op.get(first), op.i32Add, op.i32Load(0), op.get(a), op.i32Eq);
  push(op.get(h), op.i32(4), op.i32Mul, op.get(second), op.i32Add, op.i32Load(0), op.get(b), op.i32Eq, op.i32And);
  push(op.if, op.get(h), op.set(f), op.br(2), op.end);
  push(op.get(h), op.i32(1), op.i32Add, op.get(mask), op.i32And, op.set(h), op.br(0), op.end);
  push(op.end);
  push(op.get(rowp), op.get(f), op.i32(EXTRA_PAIRS * 4), op.i32Mul, op.get(addresses), op.i32Add, op.i32Store(LAYOUT.pairAt));
  push(op.get(c), op.i32(1), op.i32Add, op.set(c), op.br(0), op.end, op.end);
  // The tokens.
  push(op.block, op.loop);
  push(op.get(i), op.get(n), op.i32GeS, op.brIf(1));
  push(op.get(i), op.i32(4), op.i32Mul, op.set(rowp)); // row c = i + PAD is at rowp + 4 PAD
  push(op.get(i), op.i32(N * 4), op.i32Mul, op.i32(LAYOUT.emit), op.i32Add, op.set(out));
  for (const [slot, k] of [0, -3, -2, -1, 1, 2].entries())
    push(op.get(rowp), op.i32Load(LAYOUT.ids + (PAD + k) * 4), op.i32(slot * N * 4), op.i32Add, op.set(words[slot] as number));
  // The stem pairs (-1, 0), (0, +1), (-2, -1): the first, second and third address of their slots.
  for (const [j, k] of [-1, 0, -2].entries()) push(op.get(rowp), op.i32Load(LAYOUT.pairAt + (PAD + k) * 4), op.i32Load(j * 4), op.set(extras[j] as number));
  // The shapes before and after.
  push(op.get(rowp), op.i32Load(LAYOUT.shapes + (PAD - 1) * 4), op.i32(4), op.i32Mul, op.get(rowp), op.i32Load(LAYOUT.shapes + (PAD + 1) * 4), op.i32Add);
  push(op.i32(N * 4), op.i32Mul, op.i32(LAYOUT.shapePairs), op.i32Add, op.set(extras[3] as number));
  // The readings: the token's own (alone and with its shape), the previous token's and the next one's.
  const readingOf = (offset: number) => [
    ...op.get(rowp),
    ...op.i32Load(LAYOUT.codes + offset),
    ...op.i32(READING_BYTES),
    ...op.i32Mul,
    ...op.i32(LAYOUT.readings),
    ...op.i32Add,
  ];
  push(readingOf(4), op.set(g0));
  push(op.get(g0), op.i32(READING_PARTS.own), op.i32Add, op.set(extras[4] as number));
  push(op.get(rowp), op.i32Load(LAYOUT.shapes + PAD * 4), op.set(shape));
  push(op.get(g0), op.i32(READING_PARTS.withShape), op.i32Add, op.get(shape), op.i32(N * 4), op.i32Mul, op.i32Add, op.set(extras[5] as number));
  push(readingOf(0), op.i32(READING_PARTS.ofPrevious), op.i32Add, op.set(extras[6] as number));
  push(readingOf(8), op.i32(READING_PARTS.ofNext), op.i32Add, op.set(extras[7] as number));
  for (const lane of [0, 4, 5]) {
    push(op.get(out));
    for (const [k, x] of [...words, ...extras].entries()) {
      push(op.get(x), op.v128Load(lane * 4));
      if (k) push(op.i32x4Add);
    }
    push(op.v128Store(lane * 4));
  }
  push(op.get(i), op.i32(1), op.i32Add, op.set(i), op.br(0), op.end, op.end);
  return code;
}

/**
 * viterbi(n): the best path through the n tokens' emission scores (emit area), written to the tags
 * area one byte a token; back pointers go to the back area. From the second token on, when the best
 * previous tag q leads every other tag p by dominance[q][p], every O and B- tag takes q (compiled.ts
 * explains the bound); otherwise each tries its predecessors in ascending order.
 */
function viterbiFunction(): number[] {
  const n = 0;
  const s = Array.from({ length: N }, (_, t) => 1 + t); // previous scores (i64)
  const ns = Array.from({ length: N }, (_, t) => 1 + N + t); // new scores (i64)
  const [sq, best, v] = [1 + 2 * N, 2 + 2 * N, 3 + 2 * N]; // i64
  const [i, q, bp, cond, eo, bo] = [4 + 2 * N, 5 + 2 * N, 6 + 2 * N, 7 + 2 * N, 8 + 2 * N, 9 + 2 * N]; // i32
  const { code: c, push } = assembler();
  const emitOf = (t: number) => [...op.get(eo), ...op.i64Load32(LAYOUT.emit + t * 4)];
  const transOf = (k: number) => [...op.i32(0), ...op.i64Load32(LAYOUT.predTrans + k * 4)];
  const storeBack = (t: number, value: number[]) => push(op.get(bo), value, op.i32Store8(LAYOUT.back + t));
  // The first token: the I- tags cannot start a sentence.
  push(op.i32(0), op.set(eo), op.i32(0), op.set(bo));
  for (let t = 0; t < N; t++) {
    if (INSIDE.includes(t)) push(op.i64(IMPOSSIBLE), op.set(s[t] as number));
    else push(emitOf(t), op.i32(0), op.i64Load32(LAYOUT.trans0 + t * 4), op.i64Add, op.set(s[t] as number));
  }
  push(op.i32(1), op.set(i));
  push(op.block, op.loop);
  push(op.get(i), op.get(n), op.i32GeS, op.brIf(1));
  push(op.get(i), op.i32(N * 4), op.i32Mul, op.set(eo));
  push(op.get(i), op.i32(N), op.i32Mul, op.set(bo));
  // The usual case first: O's path leads every other by dominance[0][p] (i > 1), so every O and B-
  // tag takes O, whichever tag's path is highest (the margin makes O at least as good for each of
  // them, and O wins a tie).
  push(op.get(i), op.i32(1), op.i32GtS);
  for (let p = 1; p < N; p++)
    push(op.get(s[0] as number), op.get(s[p] as number), op.i64Sub, op.i32(0), op.i64Load32(LAYOUT.dominance + p * 4), op.i64GeS, op.i32And);
  push(op.tee(cond), op.if, op.i32(0), op.set(q), op.get(s[0] as number), op.set(sq), op.else);
  // Else the best previous tag q, lowest first on ties, and whether it dominates: i > 1 and sq − s[p] ≥ dominance[q][p] for every p.
  push(op.i32(0), op.set(q), op.get(s[0] as number), op.set(sq));
  for (let t = 1; t < N; t++) {
    push(op.get(s[t] as number), op.get(sq), op.i64GtS, op.set(cond));
    push(op.i32(t), op.get(q), op.get(cond), op.select, op.set(q));
    push(op.get(s[t] as number), op.get(sq), op.get(cond), op.select, op.set(sq));
  }
  push(op.get(i), op.i32(1), op.i32GtS);
  for (let p = 0; p < N; p++) {
    push(op.get(sq), op.get(s[p] as number), op.i64Sub);
    push(op.get(q), op.i32(N * 4), op.i32Mul, op.i64Load32(LAYOUT.dominance + p * 4), op.i64GeS, op.i32And);
  }
  push(op.set(cond), op.end);
  push(op.get(cond), op.if);
  for (const t of OPEN) {
    // sq + predTrans[PRED_FROM[t] + q] + emit[t]
    push(op.get(sq), op.get(q), op.i32(4), op.i32Mul, op.i64Load32(LAYOUT.predTrans + (PRED_FROM[t] as number) * 4), op.i64Add);
    push(emitOf(t), op.i64Add, op.set(ns[t] as number));
    storeBack(t, op.get(q));
  }
  push(op.else);
  for (const t of OPEN) {
    const k = PRED_FROM[t] as number;
    push(op.get(s[0] as number), transOf(k), op.i64Add, op.set(best), op.i32(0), op.set(bp));
    for (let p = 1; p < N; p++) {
      push(op.get(s[p] as number), transOf(k + p), op.i64Add, op.set(v));
      push(op.get(v), op.get(best), op.i64GtS, op.set(cond));
      push(op.i32(p), op.get(bp), op.get(cond), op.select, op.set(bp));
      push(op.get(v), op.get(best), op.get(cond), op.select, op.set(best));
    }
    push(op.get(best), emitOf(t), op.i64Add, op.set(ns[t] as number));
    storeBack(t, op.get(bp));
  }
  push(op.end);
  // The I- tags: from their B- tag (kept on a tie) or themselves.
  for (const t of INSIDE) {
    const k = PRED_FROM[t] as number;
    push(op.get(s[t] as number), transOf(k + 1), op.i64Add, op.set(v)); // from itself
    push(op.get(s[t - 1] as number), transOf(k), op.i64Add, op.set(best)); // from its B-
    push(op.get(v), op.get(best), op.i64GtS, op.set(cond));
    push(op.get(v), op.get(best), op.get(cond), op.select, emitOf(t), op.i64Add, op.set(ns[t] as number));
    storeBack(t, [...op.i32(t), ...op.i32(t - 1), ...op.get(cond), ...op.select]);
  }
  for (let t = 0; t < N; t++) push(op.get(ns[t] as number), op.set(s[t] as number));
  push(op.get(i), op.i32(1), op.i32Add, op.set(i), op.br(0), op.end, op.end);
  // The best last tag (lowest on ties), then back along the pointers.
  push(op.i32(0), op.set(q), op.get(s[0] as number), op.set(sq));
  for (let t = 1; t < N; t++) {
    push(op.get(s[t] as number), op.get(sq), op.i64GtS, op.set(cond));
    push(op.i32(t), op.get(q), op.get(cond), op.select, op.set(q));
    push(op.get(s[t] as number), op.get(sq), op.get(cond), op.select, op.set(sq));
  }
  push(op.get(n), op.set(i));
  push(op.block, op.loop);
  push(op.get(i), op.i32Eqz, op.brIf(1));
  push(op.get(i), op.i32(1), op.i32Sub, op.set(i));
  push(op.get(i), op.get(q), op.i32Store8(LAYOUT.tags));
  push(op.get(i), op.i32(N), op.i32Mul, op.get(q), op.i32Add, op.i32Load8s(LAYOUT.back), op.set(q));
  push(op.br(0), op.end, op.end);
  return c;
}

let compiled: WebAssembly.Module | undefined;
/** The module (compiled once per process; each model instantiates it on its own memory). */
function kernelModule(): WebAssembly.Module {
  compiled ??= wasmModule(
    [],
    [
      { export: 'place', params: [I32], results: [I32], locals: [[4, I32]], code: placeFunction() },
      { export: 'emit', params: [I32], results: [], locals: [[28, I32]], code: emitFunction() },
      {
        export: 'viterbi',
        params: [I32],
        results: [],
        locals: [
          [2 * N + 3, I64],
          [6, I32],
        ],
        code: viterbiFunction(),
      },
    ],
  );
  return compiled;
}

export interface Kernel {
  /** Fills the rows of n tokens from their vocabulary ids (LAYOUT.vocabularyIds), from row PAD on; how many words were not placed (LAYOUT.missing lists them). */
  place(n: number): number;
  /** Sums the emission scores of n tokens (LAYOUT's ids, stems, shapes and codes filled) into LAYOUT.emit. */
  emit(n: number): void;
  /** Viterbi over the n tokens' emission scores; the tags are at LAYOUT.tags, a byte each. */
  viterbi(n: number): void;
}

/** The two functions on a memory laid out as LAYOUT says. */
export function kernel(memory: WebAssembly.Memory): Kernel {
  return new WebAssembly.Instance(kernelModule(), { env: { memory } }).exports as unknown as Kernel;
}
