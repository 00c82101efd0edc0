/**
 * The tagger's two inner loops as WebAssembly, written by a few lines of code here (no toolchain,
 * nothing generated in the repository): the emission sum of each token, with 128-bit vector adds,
 * and Viterbi over it. In JavaScript every one of a token's ~90 weight reads is a bounds-checked
 * load in a loop V8 does not unroll; here a token's sum is 30 vector loads and adds, and Viterbi
 * keeps the nine path scores in locals. Both run on one memory per model (compiled.ts lays it out):
 * what they read and write is at the fixed offsets of LAYOUT.
 *
 * Path scores are 64-bit: the first token's impossible tags are far below any real score, and a
 * sum with them must not wrap (JavaScript adds them as doubles). Ties go to the lower tag, as in
 * Perceptron.decode: a candidate replaces the best only when strictly greater.
 */

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

/** Byte offsets in the memory: the model's constants, then a sentence's scratch areas; model-sized parts follow from `end`. */
export const LAYOUT = (() => {
  const at = { trans0: 0, predTrans: 64, dominance: 320, zero: 704, shapePairs: 768 };
  const ids = 2048;
  const extra = ids + (MAX_SENTENCE + PAD + AFTER + 3) * 4;
  const emit = extra + MAX_SENTENCE * 16;
  const back = emit + MAX_SENTENCE * N * 4 + 16;
  const tags = back + MAX_SENTENCE * N;
  const end = Math.ceil((tags + MAX_SENTENCE) / 64) * 64;
  return { ...at, ids, extra, emit, back, tags, end };
})();
/** Per token, what the emission adds besides the words' vectors: three stem-pair vectors and the shape-pair vector (byte addresses). */
export const EXTRAS = 4;
/** Vectors per word in the arena (its own, then one per neighbour offset -3, -2, -1, +1, +2), N int32 each. */
export const WORD_BYTES = 6 * N * 4;

// --- A small WebAssembly encoder: just what the two functions need. ---
const I32 = 0x7f;
const I64 = 0x7e;
const uleb = (v: number): number[] => {
  const out: number[] = [];
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return out;
};
const sleb = (v: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && !(b & 0x40)) || (v === -1 && b & 0x40)) return [...out, b];
    out.push(b | 0x80);
  }
};
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const name = (s: string): number[] => vec([...Buffer.from(s, 'utf8')].map((b) => [b]));
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

/** Instructions (names as in the text format). */
const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  else: [0x05],
  end: [0x0b],
  br: (l: number) => [0x0c, ...uleb(l)],
  brIf: (l: number) => [0x0d, ...uleb(l)],
  select: [0x1b],
  get: (x: number) => [0x20, ...uleb(x)],
  set: (x: number) => [0x21, ...uleb(x)],
  i32Load: (offset: number) => [0x28, 2, ...uleb(offset)],
  i64Load32: (offset: number) => [0x34, 2, ...uleb(offset)],
  i32Load8: (offset: number) => [0x2c, 0, ...uleb(offset)],
  i32Store8: (offset: number) => [0x3a, 0, ...uleb(offset)],
  i32: (v: number) => [0x41, ...sleb(v)],
  i64: (v: number) => [0x42, ...sleb(v)],
  i32Eqz: [0x45],
  i32GeS: [0x4e],
  i32GtS: [0x4a],
  i64GtS: [0x55],
  i64GeS: [0x59],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32Mul: [0x6c],
  i32And: [0x71],
  i64Add: [0x7c],
  i64Sub: [0x7d],
  i64FromI32: [0xac],
  v128Load: (offset: number) => [0xfd, ...uleb(0), 0, ...uleb(offset)],
  v128Store: (offset: number) => [0xfd, ...uleb(11), 0, ...uleb(offset)],
  i32x4Add: [0xfd, ...uleb(174)],
};

/** A function body from its extra locals (after the parameters) and its code. */
const body = (locals: Array<[number, number]>, code: number[]): number[] => {
  const b = [...vec(locals.map(([count, type]) => [...uleb(count), type])), ...code, ...op.end];
  return [...uleb(b.length), ...b];
};

/**
 * emit(n): for each of the n tokens, the sum of its word's own vector, what its neighbours at -3,
 * -2, -1, +1, +2 give it (the ids area holds each row's arena address, PAD rows before the first
 * token), and its EXTRAS vectors; nine int32 lanes, summed four at a time at lanes 0, 4 and 5
 * (the last two overlap and store the same sums).
 */
function emitFunction(): number[] {
  const [n, i, idp, ep, out] = [0, 1, 2, 3, 4];
  const words = [5, 6, 7, 8, 9, 10]; // the token's word, then its neighbours in NEIGHBOURS order
  const extras = [11, 12, 13, 14];
  const c: number[] = [];
  c.push(...op.block, ...op.loop);
  c.push(...op.get(i), ...op.get(n), ...op.i32GeS, ...op.brIf(1));
  // idp = ids + 4i (row c = i + PAD is at idp + 4 PAD), ep = extra + 16i, out = emit + 36i.
  c.push(...op.get(i), ...op.i32(4), ...op.i32Mul, ...op.i32(LAYOUT.ids), ...op.i32Add, ...op.set(idp));
  c.push(...op.get(i), ...op.i32(16), ...op.i32Mul, ...op.i32(LAYOUT.extra), ...op.i32Add, ...op.set(ep));
  c.push(...op.get(i), ...op.i32(N * 4), ...op.i32Mul, ...op.i32(LAYOUT.emit), ...op.i32Add, ...op.set(out));
  [0, -3, -2, -1, 1, 2].forEach((k, slot) => {
    c.push(...op.get(idp), ...op.i32Load((PAD + k) * 4), ...op.i32(slot * N * 4), ...op.i32Add, ...op.set(words[slot] as number));
  });
  for (const [j, x] of extras.entries()) c.push(...op.get(ep), ...op.i32Load(j * 4), ...op.set(x));
  for (const lane of [0, 4, 5]) {
    c.push(...op.get(out));
    [...words, ...extras].forEach((x, k) => {
      c.push(...op.get(x), ...op.v128Load(lane * 4));
      if (k) c.push(...op.i32x4Add);
    });
    c.push(...op.v128Store(lane * 4));
  }
  c.push(...op.get(i), ...op.i32(1), ...op.i32Add, ...op.set(i), ...op.br(0), ...op.end, ...op.end);
  return body(
    [
      [1, I32 /* i */],
      [3, I32],
      [10, I32],
    ],
    c,
  );
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
  const c: number[] = [];
  const emitOf = (t: number) => [...op.get(eo), ...op.i64Load32(LAYOUT.emit + t * 4)];
  const transOf = (k: number) => [...op.i32(0), ...op.i64Load32(LAYOUT.predTrans + k * 4)];
  const storeBack = (t: number, value: number[]) => c.push(...op.get(bo), ...value, ...op.i32Store8(LAYOUT.back + t));
  // The first token: the I- tags cannot start a sentence.
  c.push(...op.i32(0), ...op.set(eo), ...op.i32(0), ...op.set(bo));
  for (let t = 0; t < N; t++) {
    if (INSIDE.includes(t)) c.push(...op.i64(IMPOSSIBLE), ...op.set(s[t] as number));
    else c.push(...emitOf(t), ...op.i32(0), ...op.i64Load32(LAYOUT.trans0 + t * 4), ...op.i64Add, ...op.set(s[t] as number));
  }
  c.push(...op.i32(1), ...op.set(i));
  c.push(...op.block, ...op.loop);
  c.push(...op.get(i), ...op.get(n), ...op.i32GeS, ...op.brIf(1));
  c.push(...op.get(i), ...op.i32(N * 4), ...op.i32Mul, ...op.set(eo));
  c.push(...op.get(i), ...op.i32(N), ...op.i32Mul, ...op.set(bo));
  // The best previous tag, lowest first on ties.
  c.push(...op.i32(0), ...op.set(q), ...op.get(s[0] as number), ...op.set(sq));
  for (let t = 1; t < N; t++) {
    c.push(...op.get(s[t] as number), ...op.get(sq), ...op.i64GtS, ...op.set(cond));
    c.push(...op.i32(t), ...op.get(q), ...op.get(cond), ...op.select, ...op.set(q));
    c.push(...op.get(s[t] as number), ...op.get(sq), ...op.get(cond), ...op.select, ...op.set(sq));
  }
  // Whether q dominates: i > 1 and sq − s[p] ≥ dominance[q][p] for every p.
  c.push(...op.get(i), ...op.i32(1), ...op.i32GtS);
  for (let p = 0; p < N; p++) {
    c.push(...op.get(sq), ...op.get(s[p] as number), ...op.i64Sub);
    c.push(...op.get(q), ...op.i32(N * 4), ...op.i32Mul, ...op.i64Load32(LAYOUT.dominance + p * 4), ...op.i64GeS, ...op.i32And);
  }
  c.push(...op.if);
  for (const t of OPEN) {
    // sq + predTrans[PRED_FROM[t] + q] + emit[t]
    c.push(...op.get(sq), ...op.get(q), ...op.i32(4), ...op.i32Mul, ...op.i64Load32(LAYOUT.predTrans + (PRED_FROM[t] as number) * 4), ...op.i64Add);
    c.push(...emitOf(t), ...op.i64Add, ...op.set(ns[t] as number));
    storeBack(t, op.get(q));
  }
  c.push(...op.else);
  for (const t of OPEN) {
    const k = PRED_FROM[t] as number;
    c.push(...op.get(s[0] as number), ...transOf(k), ...op.i64Add, ...op.set(best), ...op.i32(0), ...op.set(bp));
    for (let p = 1; p < N; p++) {
      c.push(...op.get(s[p] as number), ...transOf(k + p), ...op.i64Add, ...op.set(v));
      c.push(...op.get(v), ...op.get(best), ...op.i64GtS, ...op.set(cond));
      c.push(...op.i32(p), ...op.get(bp), ...op.get(cond), ...op.select, ...op.set(bp));
      c.push(...op.get(v), ...op.get(best), ...op.get(cond), ...op.select, ...op.set(best));
    }
    c.push(...op.get(best), ...emitOf(t), ...op.i64Add, ...op.set(ns[t] as number));
    storeBack(t, op.get(bp));
  }
  c.push(...op.end);
  // The I- tags: from their B- tag (kept on a tie) or themselves.
  for (const t of INSIDE) {
    const k = PRED_FROM[t] as number;
    c.push(...op.get(s[t] as number), ...transOf(k + 1), ...op.i64Add, ...op.set(v)); // from itself
    c.push(...op.get(s[t - 1] as number), ...transOf(k), ...op.i64Add, ...op.set(best)); // from its B-
    c.push(...op.get(v), ...op.get(best), ...op.i64GtS, ...op.set(cond));
    c.push(...op.get(v), ...op.get(best), ...op.get(cond), ...op.select, ...emitOf(t), ...op.i64Add, ...op.set(ns[t] as number));
    storeBack(t, [...op.i32(t), ...op.i32(t - 1), ...op.get(cond), ...op.select]);
  }
  for (let t = 0; t < N; t++) c.push(...op.get(ns[t] as number), ...op.set(s[t] as number));
  c.push(...op.get(i), ...op.i32(1), ...op.i32Add, ...op.set(i), ...op.br(0), ...op.end, ...op.end);
  // The best last tag (lowest on ties), then back along the pointers.
  c.push(...op.i32(0), ...op.set(q), ...op.get(s[0] as number), ...op.set(sq));
  for (let t = 1; t < N; t++) {
    c.push(...op.get(s[t] as number), ...op.get(sq), ...op.i64GtS, ...op.set(cond));
    c.push(...op.i32(t), ...op.get(q), ...op.get(cond), ...op.select, ...op.set(q));
    c.push(...op.get(s[t] as number), ...op.get(sq), ...op.get(cond), ...op.select, ...op.set(sq));
  }
  c.push(...op.get(n), ...op.set(i));
  c.push(...op.block, ...op.loop);
  c.push(...op.get(i), ...op.i32Eqz, ...op.brIf(1));
  c.push(...op.get(i), ...op.i32(1), ...op.i32Sub, ...op.set(i));
  c.push(...op.get(i), ...op.get(q), ...op.i32Store8(LAYOUT.tags));
  c.push(...op.get(i), ...op.i32(N), ...op.i32Mul, ...op.get(q), ...op.i32Add, ...op.i32Load8(LAYOUT.back), ...op.set(q));
  c.push(...op.br(0), ...op.end, ...op.end);
  return body(
    [
      [2 * N + 3, I64],
      [6, I32],
    ],
    c,
  );
}

let compiled: WebAssembly.Module | undefined;
/** The module (compiled once per process; each model instantiates it on its own memory). */
function kernelModule(): WebAssembly.Module {
  if (!compiled) {
    const bytes = [
      ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
      ...section(1, vec([[0x60, ...vec([[I32]]), ...vec([])]])), // type 0: (i32) → ()
      ...section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(1)]])),
      ...section(3, vec([[0], [0]])),
      ...section(
        7,
        vec([
          [...name('emit'), 0x00, 0],
          [...name('viterbi'), 0x00, 1],
        ]),
      ),
      ...section(10, vec([emitFunction(), viterbiFunction()])),
    ];
    compiled = new WebAssembly.Module(new Uint8Array(bytes));
  }
  return compiled;
}

export interface Kernel {
  /** Sums the emission scores of n tokens (LAYOUT.ids and LAYOUT.extra filled) into LAYOUT.emit. */
  emit(n: number): void;
  /** Viterbi over the n tokens' emission scores; the tags are at LAYOUT.tags, a byte each. */
  viterbi(n: number): void;
}

/** The two functions on a memory laid out as LAYOUT says. */
export function kernel(memory: WebAssembly.Memory): Kernel {
  return new WebAssembly.Instance(kernelModule(), { env: { memory } }).exports as unknown as Kernel;
}
