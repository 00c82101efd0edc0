/**
 * The tagger model compiled for speed. Scoring a token the plain way builds about forty feature
 * strings and looks each up in a map; most of them depend on one word alone (the token's own
 * features, and what a word gives the tokens around it). Those are summed once per distinct word
 * into small score vectors and kept in a bounded cache, so a token costs a handful of vector adds,
 * one stem-pair lookup (shared by the three pair templates) and the Viterbi step; the vector sums and
 * Viterbi run as WebAssembly (wasm.ts) on one memory per model, laid out here. The weights are
 * integers, so the sums, and the tags, are exactly those of `Perceptron.decode` over `featuresAt`
 * (test/core/tagger.test.ts checks it).
 */

import { MAX_VOCABULARY, type TextTokens, tokenText, vocabulary } from '../../words';
import { END, gazetteerFeatures, NEIGHBOURS, neighbourFeatures, ownFeatures, PAIRS, START, shape, shapePairFeature, stem } from './features';
import { type ModelData, TAGS } from './model';
import {
  AFTER,
  EXTRA_PAIRS,
  HEADER,
  type Kernel,
  kernel,
  LAYOUT,
  MAX_READINGS,
  MAX_SENTENCE,
  PAD,
  pairHash,
  READING_BYTES,
  READING_PARTS,
  WORD_BYTES,
} from './wasm';

const N = TAGS.length;
/**
 * Weights and emission scores are integers (the stored weights are rounded) in int32 lanes: a
 * token's emission sums a few dozen weights of at most tens of thousands each.
 */
// The kernel's boundary rows: as far back and ahead as the furthest neighbour feature looks.
if (PAD !== -Math.min(...NEIGHBOURS) || AFTER !== Math.max(...NEIGHBOURS)) throw new Error('compiled tagger: NEIGHBOURS changed, update wasm.ts');
/** What `shape` returns. */
const SHAPES = ['D', 'L', 'A', 'P'];
/** Vectors per word: its own features, then one per neighbour offset (NEIGHBOURS order). */
const SLOTS = 1 + NEIGHBOURS.length;
const SLOT: Record<number, number> = Object.fromEntries(NEIGHBOURS.map((k, i) => [k, 1 + i]));
/** Int32s per word in the arena: its vectors, its stem id, its shape (wasm.ts's WORD_BYTES). */
const WORD_STRIDE = SLOTS * N + 2;
// The kernel's emission adds the neighbour vectors for offsets -3, -2, -1, +1, +2 in this order.
if (NEIGHBOURS.join() !== '-3,-2,-1,1,2' || WORD_STRIDE * 4 !== WORD_BYTES) throw new Error('compiled tagger: NEIGHBOURS changed, update wasm.ts');
if (PAIRS.length !== EXTRA_PAIRS || PAIRS.map((p) => p.at.join()).join(' ') !== '-1,0 0,1 -2,-1')
  throw new Error('compiled tagger: PAIRS changed, update wasm.ts');
/** Distinct words kept (about 22 MB of vectors); the cache is emptied when it fills. */
const MAX_WORDS = 100_000;
/** A WebAssembly memory page. */
const PAGE = 65536;

/** What is kept per distinct word; its score vectors are in the arena at id × WORD_STRIDE (int32s). */
export interface WordInfo {
  id: number;
  /** Id of its stem among the stems of stem-pair features (-1: in none). */
  stemId: number;
  /** Index of its shape in SHAPES. */
  shapeIndex: number;
}

/**
 * The stem-pair weights. Every template reads the stems of two neighbouring words (at -1 and 0,
 * 0 and +1, -2 and -1), so one lookup of (first stem id, second stem id) gives the weights of all
 * templates for that pair of words. An open-addressing hash table of integers, built here and
 * searched by the kernel (wasm.ts) in the memory it is copied to.
 */
class PairTable {
  /** Per slot: the pair's stem ids (-1: an empty slot). */
  private readonly first: Int32Array;
  private readonly second: Int32Array;
  /** Per slot, PAIRS.length offsets into weights (-1: that template has no weights for the pair). */
  private readonly rows: Int32Array;
  private readonly weights: Int32Array;
  private readonly mask: number;

  constructor(entries: Array<{ template: number; first: number; second: number; weights: Int32Array }>) {
    const keys = new Map<string, number>();
    for (const e of entries) if (!keys.has(`${e.first},${e.second}`)) keys.set(`${e.first},${e.second}`, keys.size);
    let size = 16;
    while (size < keys.size * 2) size *= 2;
    this.mask = size - 1;
    this.first = new Int32Array(size).fill(-1);
    this.second = new Int32Array(size);
    this.rows = new Int32Array(size * PAIRS.length).fill(-1);
    this.weights = new Int32Array(entries.length * N);
    entries.forEach((e, r) => {
      let h = pairHash(e.first, e.second) & this.mask;
      while ((this.first[h] as number) >= 0 && (this.first[h] !== e.first || this.second[h] !== e.second)) h = (h + 1) & this.mask;
      this.first[h] = e.first;
      this.second[h] = e.second;
      this.rows[h * PAIRS.length + e.template] = r * N;
      this.weights.set(e.weights, r * N);
    });
  }

  /** Bytes the table takes in the memory (place()): stems, vector addresses (one slot more: the pairs it lacks), weights. */
  get bytes(): number {
    return (2 * (this.mask + 2) + (this.mask + 2) * PAIRS.length + this.weights.length) * 4;
  }

  /** Copies the table into the memory from byte `base` and fills in the header; the weights missing a slot point at `zero`. */
  place(heap: Int32Array, base: number, zero: number): void {
    const slots = this.mask + 2;
    const first = base;
    const second = first + slots * 4;
    const addresses = second + slots * 4;
    const weights = addresses + slots * PAIRS.length * 4;
    heap.set(this.first, first / 4);
    heap[first / 4 + slots - 1] = -1;
    heap.set(this.second, second / 4);
    for (let k = 0; k < slots * PAIRS.length; k++) {
      const r = k < this.rows.length ? (this.rows[k] as number) : -1;
      heap[addresses / 4 + k] = r < 0 ? zero : weights + r * 4;
    }
    heap.set(this.weights, weights / 4);
    heap.set([this.mask, first, second, addresses], (LAYOUT.header + HEADER.mask) / 4);
  }
}

/** Whether tag t may follow tag p (p = -1: sentence start): I-X only after B-X or I-X. */
const ALLOWED = new Uint8Array((N + 1) * N);
for (let p = -1; p < N; p++)
  for (let t = 0; t < N; t++) {
    const tag = TAGS[t] as string;
    const prev = p < 0 ? '' : (TAGS[p] as string);
    ALLOWED[(p + 1) * N + t] = !tag.startsWith('I-') || (p >= 0 && prev !== 'O' && prev.slice(2) === tag.slice(2)) ? 1 : 0;
  }

/** The tags each tag may follow, in ascending order (the order Perceptron.decode tries them). */
const PREDECESSORS = TAGS.map((_, t) => TAGS.map((_, p) => p).filter((p) => ALLOWED[(p + 1) * N + t]));
/** The same, flat: PRED[PRED_FROM[t] .. PRED_FROM[t + 1]). */
const PRED = Int8Array.from(PREDECESSORS.flat());
const PRED_FROM = new Int16Array(N + 1);
PREDECESSORS.forEach((l, t) => {
  PRED_FROM[t + 1] = (PRED_FROM[t] as number) + l.length;
});

// The kernel's Viterbi is written for this tag set: O, then B- and I- of each type.
if (TAGS.join() !== 'O,B-PERS,I-PERS,B-LOC,I-LOC,B-ORG,I-ORG,B-MISC,I-MISC') throw new Error('compiled tagger: TAGS changed, update wasm.ts');
if (PREDECESSORS.some((l, t) => l.join() !== (t === 0 || t % 2 ? '0,1,2,3,4,5,6,7,8' : `${t - 1},${t}`)))
  throw new Error('compiled tagger: transitions changed, update wasm.ts');

/** O and the B- tags: the tags any tag may precede. */
const OPEN_TAGS = TAGS.flatMap((tag, t) => (tag.startsWith('I-') ? [] : [t]));

/**
 * What the kernel's Viterbi reads of the transitions: trans[p + 1][t] (p = -1: the sentence start);
 * predTrans, trans[p][t] for each allowed predecessor p of t, in PRED order; and dominance[q × N + p],
 * how much more than tag p's path score tag q's must have for every O and B- tag to take q as its
 * best predecessor over p (ties go to the lower tag, as in Perceptron.decode).
 */
function transitionTables(transitions: ModelData['transitions']): { trans: Int32Array; predTrans: Int32Array; dominance: Int32Array } {
  const trans = new Int32Array((N + 1) * N);
  for (const [r, row] of transitions.entries()) trans.set(row, r * N);
  const predTrans = new Int32Array(PRED.length);
  for (let t = 0; t < N; t++)
    for (let k = PRED_FROM[t] as number; k < (PRED_FROM[t + 1] as number); k++) predTrans[k] = trans[((PRED[k] as number) + 1) * N + t] as number;
  const dominance = new Int32Array(N * N);
  for (let q = 0; q < N; q++)
    for (let p = 0; p < N; p++) {
      let most = -Infinity;
      for (const t of OPEN_TAGS) most = Math.max(most, (trans[(p + 1) * N + t] as number) - (trans[(q + 1) * N + t] as number));
      dominance[q * N + p] = most + (p < q ? 1 : 0);
    }
  return { trans, predTrans, dominance };
}

export class CompiledTagger {
  private readonly rows = new Map<string, Int32Array>();
  /** Ids of the stems that occur in stem-pair features. */
  private readonly stemIds = new Map<string, number>();
  private readonly pairs: PairTable;
  private readonly words = new Map<string, WordInfo>();
  /** The vocabulary generation (words.ts) the memory's table of words by vocabulary id is for. */
  private byIdGeneration = -1;
  /** Each gazetteer reading's code (its vectors are in the memory at LAYOUT.readings + code × READING_BYTES); a reading without weights has none. */
  private readonly readingCodes = new Map<string, number>();
  private readingsWithWeights = 0;
  /**
   * The kernel's memory (wasm.ts): constants and scratch at LAYOUT's offsets, then the stem-pair
   * table from LAYOUT.end, then the arena from arenaBase to the end (it grows with the memory).
   */
  private readonly memory: WebAssembly.Memory;
  private readonly kernel: Kernel;
  private readonly arenaBase: number;
  /** Views of the memory, made again when it grows (a grown memory has a new buffer). */
  private heap: Int32Array;
  private heapBytes: Uint8Array;
  /** SLOTS × N summed weights per word, words one after another (a view of the memory). */
  private arena: Int32Array;
  /** The boundary words, which are never evicted: they hold ids 0 and 1. */
  private readonly start: WordInfo;
  private readonly end: WordInfo;

  constructor(
    d: ModelData,
    private readonly maxWords = MAX_WORDS,
  ) {
    const pairs: Array<{ template: number; first: number; second: number; weights: Int32Array }> = [];
    const stemId = (st: string) => {
      let id = this.stemIds.get(st);
      if (id === undefined) {
        id = this.stemIds.size;
        this.stemIds.set(st, id);
      }
      return id;
    };
    for (const [f, list] of Object.entries(d.features)) {
      const v = new Int32Array(N);
      for (const [t, w] of list) v[t] = w;
      this.rows.set(f, v);
      PAIRS.forEach((p, template) => {
        if (!f.startsWith(p.prefix)) return;
        const [a, b] = splitPair(f.slice(p.prefix.length));
        pairs.push({ template, first: stemId(a), second: stemId(b), weights: v });
      });
    }
    this.pairs = new PairTable(pairs);
    this.arenaBase = Math.ceil((LAYOUT.end + this.pairs.bytes) / 64) * 64;
    this.memory = new WebAssembly.Memory({ initial: Math.ceil((this.arenaBase + 1024 * WORD_BYTES) / PAGE) });
    this.kernel = kernel(this.memory);
    this.heap = new Int32Array(this.memory.buffer);
    this.heapBytes = new Uint8Array(this.memory.buffer);
    this.arena = this.arenaView();
    this.pairs.place(this.heap, LAYOUT.end, LAYOUT.zero);
    // Each (shape before, shape after) pair's weights; a pair without any stays zero.
    for (const [i, a] of SHAPES.entries())
      for (const [j, b] of SHAPES.entries()) {
        const v = this.rows.get(shapePairFeature(a, b));
        if (v) this.heap.set(v, (LAYOUT.shapePairs + (i * SHAPES.length + j) * N * 4) / 4);
      }
    const { trans, predTrans, dominance } = transitionTables(d.transitions);
    this.heap.set(trans.subarray(0, N), LAYOUT.trans0 / 4);
    this.heap.set(predTrans, LAYOUT.predTrans / 4);
    this.heap.set(dominance, LAYOUT.dominance / 4);
    this.start = this.word(START);
    this.end = this.word(END);
  }

  /**
   * The code of a gazetteer reading, its vectors written to the memory on first sight: the weights
   * of the features it gives (gazetteerFeatures) on its token, alone and with the token's shape, and
   * as the previous or next token's reading. 0 for a reading the model has no weights for.
   */
  readingCode(g: string): number {
    let code = this.readingCodes.get(g);
    if (code !== undefined) return code;
    const first = SHAPES[0] as string;
    const parts: Array<[number, Int32Array | undefined]> = [
      [READING_PARTS.own, this.rows.get(gazetteerFeatures(first, g, '', '')[0] as string)],
      ...SHAPES.map((sh, k): [number, Int32Array | undefined] => [
        READING_PARTS.withShape + k * N * 4,
        this.rows.get(gazetteerFeatures(sh, g, '', '')[1] as string),
      ]),
      [READING_PARTS.ofPrevious, this.rows.get(gazetteerFeatures(first, '', g, '')[0] as string)],
      [READING_PARTS.ofNext, this.rows.get(gazetteerFeatures(first, '', '', g)[0] as string)],
    ];
    code = 0;
    if (parts.some(([, v]) => v)) {
      code = ++this.readingsWithWeights;
      if (code >= MAX_READINGS) throw new RangeError(`compiled tagger: more than ${MAX_READINGS - 1} gazetteer readings with weights`);
      for (const [at, v] of parts) if (v) this.heap.set(v, (LAYOUT.readings + code * READING_BYTES + at) / 4);
    }
    this.readingCodes.set(g, code);
    return code;
  }

  private add(out: Int32Array, at: number, feats: string[]): void {
    for (const f of feats) {
      const v = this.rows.get(f);
      if (v) for (let t = 0; t < N; t++) out[at + t] = (out[at + t] as number) + (v[t] as number);
    }
  }

  /**
   * The word's stem, shape and summed vectors, from the cache or built now. Infos stay valid until
   * `reserve` empties the cache; a sentence's words are looked up after reserving room for them.
   */
  word(w: string): WordInfo {
    let info = this.words.get(w);
    if (info) return info;
    const id = this.words.size;
    if ((id + 1) * WORD_STRIDE > this.arena.length) {
      this.memory.grow(Math.ceil(this.arena.length / (PAGE / 4))); // the arena's size again
      this.heap = new Int32Array(this.memory.buffer);
      this.heapBytes = new Uint8Array(this.memory.buffer);
      this.arena = this.arenaView();
    }
    const base = id * WORD_STRIDE;
    this.arena.fill(0, base, base + WORD_STRIDE);
    this.add(this.arena, base, ownFeatures(w));
    for (const k of NEIGHBOURS) this.add(this.arena, base + (SLOT[k] as number) * N, neighbourFeatures(w, k));
    info = { id, stemId: this.stemIds.get(stem(w)) ?? -1, shapeIndex: SHAPES.indexOf(shape(w)) };
    this.arena[base + SLOTS * N] = info.stemId;
    this.arena[base + SLOTS * N + 1] = info.shapeIndex;
    this.words.set(w, info);
    return info;
  }

  /** Makes room for n more words: a full cache starts over (keeping the boundary words), so n words looked up now stay valid together. */
  reserve(n: number): void {
    if (n > MAX_SENTENCE) throw new RangeError(`decode: ${n} tokens in one sentence, at most ${MAX_SENTENCE}`);
    if (this.words.size + n > this.maxWords) {
      this.forgetByVocabularyId();
      this.words.clear();
      this.words.set(START, this.start);
      this.words.set(END, this.end);
    }
  }

  /**
   * The best tag sequence for one sentence of search-form tokens, with the gazetteer's reading of
   * each ('' for none). Same result as `Perceptron.decode(toks.map((_, i) => featuresAt(toks, gaz, i)))`.
   */
  decode(toks: readonly string[], gaz: readonly string[]): number[] {
    this.reserve(toks.length);
    return this.decodeWords(toks.length, (i) => this.word(toks[i] as string), this.codesOf(gaz), 0);
  }

  /**
   * decode() for tokens [from, from + n) of a text's shared tokens (words.ts), with the code of the
   * gazetteer's reading of every token of the text (`codes`, indexed like the tokens: codesOf).
   */
  decodeTokens(t: TextTokens, from: number, n: number, codes: Int32Array): number[] {
    this.reserve(n);
    // Ids from before the vocabulary started over name other words now: looked up by text.
    if (t.generation !== vocabulary.generation) return this.decodeWords(n, (i) => this.word(tokenText(t, from + i)), codes, from);
    if (this.byIdGeneration !== vocabulary.generation) this.forgetByVocabularyId();
    // The kernel fills the rows from the ids, through the table of words by vocabulary id; a word not in it yet is placed here, then the rows again.
    this.heap.set(t.id.subarray(from, from + n), LAYOUT.vocabularyIds / 4);
    let missing = this.kernel.place(n);
    if (missing) {
      const table = LAYOUT.byVocabularyId / 4;
      const list = this.heap.slice(LAYOUT.missing / 4, LAYOUT.missing / 4 + missing);
      for (const i of list) {
        const id = t.id[from + i] as number;
        if (this.heap[table + id] !== 0) continue; // the same word twice in the sentence
        // word() may grow the memory, and with it make this.heap a new view: the address is written after.
        const at = this.arenaBase + this.word(tokenText(t, from + i)).id * WORD_BYTES;
        this.heap[table + id] = at;
      }
      missing = this.kernel.place(n);
      if (missing) throw new Error('compiled tagger: a word was not placed');
    }
    this.placeBoundaries(n);
    return this.decodeRows(n, codes, from);
  }

  /** Each token's gazetteer reading as its code (readingCode; 0 for none). */
  codesOf(gaz: readonly string[]): Int32Array {
    const codes = new Int32Array(gaz.length);
    for (let i = 0; i < gaz.length; i++) {
      const g = gaz[i] as string;
      if (g) codes[i] = this.readingCode(g);
    }
    return codes;
  }

  /** The tags of n words given one by one (their rows written here), with their gazetteer readings' codes at codes[at + i]. */
  private decodeWords(n: number, wordOf: (i: number) => WordInfo, codes: Int32Array, at: number): number[] {
    for (let i = 0; i < n; i++) this.placeRow(i + PAD, wordOf(i)); // wordOf may grow the memory: placeRow reads this.heap after it
    this.placeBoundaries(n);
    return this.decodeRows(n, codes, at);
  }

  /** Empties the table of words by vocabulary id (the vocabulary or the cache started over). */
  private forgetByVocabularyId(): void {
    this.heap.fill(0, LAYOUT.byVocabularyId / 4, LAYOUT.byVocabularyId / 4 + MAX_VOCABULARY);
    this.byIdGeneration = vocabulary.generation;
  }

  /** Word w at row c of the memory's rows: its vectors' address, its stem and its shape. */
  private placeRow(c: number, w: WordInfo): void {
    this.heap[LAYOUT.ids / 4 + c] = this.arenaBase + w.id * WORD_BYTES;
    this.heap[LAYOUT.stems / 4 + c] = w.stemId;
    this.heap[LAYOUT.shapes / 4 + c] = w.shapeIndex;
  }

  /** The boundary words in the rows before and after a sentence of n words. */
  private placeBoundaries(n: number): void {
    for (let c = 0; c < PAD; c++) this.placeRow(c, this.start);
    for (let c = n + PAD; c < n + PAD + AFTER; c++) this.placeRow(c, this.end);
  }

  /** The arena: from arenaBase to the memory's end. */
  private arenaView(): Int32Array {
    return new Int32Array(this.memory.buffer, this.arenaBase, Math.floor((this.memory.buffer.byteLength - this.arenaBase) / WORD_BYTES) * WORD_STRIDE);
  }

  /** The tags of the n words whose rows are in the memory, with their gazetteer readings' codes at codes[at + i]. */
  private decodeRows(n: number, codes: Int32Array, at: number): number[] {
    if (!n) return [];
    const heap = this.heap;
    // Each token's reading code at i + 1, none before the first and after the last.
    const row = LAYOUT.codes / 4;
    heap[row] = 0;
    heap.set(codes.subarray(at, at + n), row + 1);
    heap[row + n + 1] = 0;
    this.kernel.emit(n);
    this.kernel.viterbi(n);
    const tags = new Array<number>(n);
    const bytes = this.heapBytes;
    for (let i = 0; i < n; i++) tags[i] = bytes[LAYOUT.tags + i] as number;
    return tags;
  }
}

/** The two stems of a stored pair feature ("a|b"); a stem is a word or one punctuation mark, which may be "|". */
function splitPair(rest: string): [string, string] {
  if (rest === '|||') return ['|', '|'];
  if (rest.startsWith('||')) return ['|', rest.slice(2)];
  if (rest.endsWith('||')) return [rest.slice(0, -2), '|'];
  const i = rest.indexOf('|');
  return [rest.slice(0, i), rest.slice(i + 1)];
}
