/**
 * The tagger model compiled for speed. Scoring a token the plain way builds about forty feature
 * strings and looks each up in a map; most of them depend on one word alone (the token's own
 * features, and what a word gives the tokens around it). Those are summed once per distinct word
 * into small score vectors and kept in a bounded cache, so a token costs a handful of vector adds,
 * one stem-pair lookup (shared by the three pair templates) and the Viterbi step. The weights are
 * integers, so the sums, and the tags, are exactly those of `Perceptron.decode` over `featuresAt`
 * (test/core/tagger.test.ts checks it).
 */

import { type TextTokens, vocabulary } from '../../words';
import { END, gazetteerFeatures, NEIGHBOURS, neighbourFeatures, ownFeatures, PAIRS, START, shape, shapePairFeature, stem } from './features';
import { type ModelData, TAGS } from './model';

const N = TAGS.length;
/**
 * Scores are integers (the stored weights are rounded), so they live in Int32Arrays; a path score
 * stays far inside 32 bits (a token moves it by at most tens of thousands, a sentence has at most
 * MAX_SENTENCE tokens). IMPOSSIBLE marks a tag no allowed path reaches.
 */
const IMPOSSIBLE = -0x7fffffff;
/** Boundary words before the first token: as far back as the furthest neighbour feature looks. */
const PAD = -Math.min(...NEIGHBOURS);
const AFTER = Math.max(...NEIGHBOURS);
/** What `shape` returns. */
const SHAPES = ['D', 'L', 'A', 'P'];
/** Vectors per word: its own features, then one per neighbour offset (NEIGHBOURS order). */
const SLOTS = 1 + NEIGHBOURS.length;
const SLOT: Record<number, number> = Object.fromEntries(NEIGHBOURS.map((k, i) => [k, 1 + i]));
const WORD_STRIDE = SLOTS * N;
// decode() adds the neighbour vectors unrolled, for offsets -3, -2, -1, +1, +2 in this order.
if (NEIGHBOURS.join() !== '-3,-2,-1,1,2') throw new Error('compiled tagger: NEIGHBOURS changed, update decode()');
/** Distinct words kept (about 22 MB of vectors); the cache is emptied when it fills. */
const MAX_WORDS = 100_000;
/** Longest sentence decode() takes: keeps every path score far inside 32 bits (tagText cuts sentences at 250 tokens). */
const MAX_SENTENCE = 10_000;

/** What is kept per distinct word; its score vectors are in the arena at id × WORD_STRIDE. */
export interface WordInfo {
  id: number;
  /** Id of its stem among the stems of stem-pair features (-1: in none). */
  stemId: number;
  /** Index of its shape in SHAPES. */
  shapeIndex: number;
}

/** The weights a gazetteer reading gives: the token it is on (alone, and with the token's shape by SHAPES index), and, as its previous or next token's reading, the token beside it. */
interface Reading {
  own: Int32Array | undefined;
  withShape: Array<Int32Array | undefined>;
  ofPrevious: Int32Array | undefined;
  ofNext: Int32Array | undefined;
}

/**
 * The stem-pair weights. Every template reads the stems of two neighbouring words (at -1 and 0,
 * 0 and +1, -2 and -1), so one lookup of (first stem id, second stem id) gives the weights of all
 * templates for that pair of words: an offset into `weights` per template, or -1. An
 * open-addressing hash table of integers (a Map of Maps costs a string or number hash per probe).
 */
class PairTable {
  private readonly first: Int32Array;
  private readonly second: Int32Array;
  /** Per slot, PAIRS.length offsets into weights (-1: that template has no weights for the pair). */
  private readonly rows: Int32Array;
  readonly weights: Int32Array;
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
      let h = this.slot(e.first, e.second);
      while ((this.first[h] as number) >= 0 && (this.first[h] !== e.first || this.second[h] !== e.second)) h = (h + 1) & this.mask;
      this.first[h] = e.first;
      this.second[h] = e.second;
      this.rows[h * PAIRS.length + e.template] = r * N;
      this.weights.set(e.weights, r * N);
    });
  }

  private slot(first: number, second: number): number {
    return (Math.imul(first, 0x9e3779b1) ^ Math.imul(second + 1, 0x85ebca77)) & this.mask;
  }

  /** Where the pair's offsets are in `rows` (PAIRS.length of them), or -1 when no template has the pair. */
  find(first: number, second: number): number {
    if (first < 0 || second < 0) return -1;
    for (let h = this.slot(first, second); ; h = (h + 1) & this.mask) {
      const f = this.first[h] as number;
      if (f < 0) return -1;
      if (f === first && this.second[h] === second) return h * PAIRS.length;
    }
  }

  /** The weights offset of template j at a slot find() returned (-1: none). */
  row(at: number, j: number): number {
    return at < 0 ? -1 : (this.rows[at + j] as number);
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

// viterbi() is written out for this tag set: O, then B- and I- of each type.
if (TAGS.join() !== 'O,B-PERS,I-PERS,B-LOC,I-LOC,B-ORG,I-ORG,B-MISC,I-MISC') throw new Error('compiled tagger: TAGS changed, update viterbi()');
if (PREDECESSORS.some((l, t) => l.join() !== (t === 0 || t % 2 ? '0,1,2,3,4,5,6,7,8' : `${t - 1},${t}`)))
  throw new Error('compiled tagger: transitions changed, update viterbi()');

/** O and the B- tags: the tags any tag may precede. */
const OPEN_TAGS = TAGS.flatMap((tag, t) => (tag.startsWith('I-') ? [] : [t]));

/** A sentence's words, one row each (boundary words around them): arena offset, shape index, stem id. */
interface Rows {
  ids: Int32Array;
  shapes: Uint8Array;
  stems: Int32Array;
}

/** Work buffers reused across sentences (decode is synchronous): emission scores, path scores, back pointers. */
const buffers = [new Int32Array(256 * N), new Int32Array(256 * N)];
let backs = new Int8Array(256 * N);
let idBuffer = new Int32Array(256);
let shapeBuffer = new Uint8Array(256);
let stemBuffer = new Int32Array(256);
function scratchIds(size: number): Int32Array {
  if (idBuffer.length < size) idBuffer = new Int32Array(Math.max(size, idBuffer.length * 2));
  return idBuffer;
}
function scratchShapes(size: number): Uint8Array {
  if (shapeBuffer.length < size) shapeBuffer = new Uint8Array(Math.max(size, shapeBuffer.length * 2));
  return shapeBuffer;
}
let pairBuffer = new Int32Array(256);
function scratchPairs(size: number): Int32Array {
  if (pairBuffer.length < size) pairBuffer = new Int32Array(Math.max(size, pairBuffer.length * 2));
  return pairBuffer;
}
/** Each pair template's first offset; its second is the next word (checked at load). */
const PAIR_FIRST = PAIRS.map((p) => p.at[0]);
if (PAIRS.some((p) => p.at[1] !== p.at[0] + 1)) throw new Error('compiled tagger: a stem pair of words that are not neighbours, update PairTable');
function scratchStems(size: number): Int32Array {
  if (stemBuffer.length < size) stemBuffer = new Int32Array(Math.max(size, stemBuffer.length * 2));
  return stemBuffer;
}
function scratch(k: number, size: number): Int32Array {
  if ((buffers[k] as Int32Array).length < size) buffers[k] = new Int32Array(Math.max(size, (buffers[k] as Int32Array).length * 2));
  return buffers[k] as Int32Array;
}

export class CompiledTagger {
  private readonly rows = new Map<string, Int32Array>();
  private readonly trans: Int32Array;
  /** trans[p][t] for each allowed predecessor p of t, in PRED order. */
  private readonly predTrans: Int32Array;
  /**
   * dominance[q × N + p]: how much more than tag p's path score tag q's must have, for every O and B-
   * tag to take q as its best predecessor over p (ties go to the lower tag, as in Perceptron.decode).
   */
  private readonly dominance: Int32Array;
  /** Ids of the stems that occur in stem-pair features. */
  private readonly stemIds = new Map<string, number>();
  private readonly pairs: PairTable;
  private readonly words = new Map<string, WordInfo>();
  /** The same infos by vocabulary id (words.ts), for the vocabulary generation byIdGeneration; kept dense. */
  private byId: Array<WordInfo | undefined> = [];
  private byIdGeneration = -1;
  private readonly readings = new Map<string, Reading>();
  /** SLOTS × N summed weights per word, words one after another. */
  private arena = new Int32Array(1024 * WORD_STRIDE);
  /** Weights of each (shape before, shape after) pair, by SHAPES index. */
  private readonly shapePairs: Array<Int32Array | undefined>;
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
    this.shapePairs = SHAPES.flatMap((a) => SHAPES.map((b) => this.rows.get(shapePairFeature(a, b))));
    this.trans = new Int32Array((N + 1) * N);
    for (const [r, row] of d.transitions.entries()) this.trans.set(row, r * N);
    this.predTrans = new Int32Array(PRED.length);
    for (let t = 0; t < N; t++)
      for (let k = PRED_FROM[t] as number; k < (PRED_FROM[t + 1] as number); k++) this.predTrans[k] = this.trans[((PRED[k] as number) + 1) * N + t] as number;
    this.dominance = new Int32Array(N * N);
    for (let q = 0; q < N; q++)
      for (let p = 0; p < N; p++) {
        let most = -Infinity;
        for (const t of OPEN_TAGS) most = Math.max(most, (this.trans[(p + 1) * N + t] as number) - (this.trans[(q + 1) * N + t] as number));
        this.dominance[q * N + p] = most + (p < q ? 1 : 0);
      }
    this.start = this.word(START);
    this.end = this.word(END);
  }

  /** The weights of the features a gazetteer reading gives (gazetteerFeatures), found once per distinct reading. */
  private reading(g: string): Reading {
    let r = this.readings.get(g);
    if (!r) {
      const first = SHAPES[0] as string;
      r = {
        own: this.rows.get(gazetteerFeatures(first, g, '', '')[0] as string),
        withShape: SHAPES.map((sh) => this.rows.get(gazetteerFeatures(sh, g, '', '')[1] as string)),
        ofPrevious: this.rows.get(gazetteerFeatures(first, '', g, '')[0] as string),
        ofNext: this.rows.get(gazetteerFeatures(first, '', '', g)[0] as string),
      };
      this.readings.set(g, r);
    }
    return r;
  }

  private addRow(out: Int32Array, at: number, v: Int32Array | undefined): void {
    if (v) for (let t = 0; t < N; t++) out[at + t] = (out[at + t] as number) + (v[t] as number);
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
      const grown = new Int32Array(this.arena.length * 2);
      grown.set(this.arena);
      this.arena = grown;
    }
    const base = id * WORD_STRIDE;
    this.arena.fill(0, base, base + WORD_STRIDE);
    this.add(this.arena, base, ownFeatures(w));
    for (const k of NEIGHBOURS) this.add(this.arena, base + (SLOT[k] as number) * N, neighbourFeatures(w, k));
    info = { id, stemId: this.stemIds.get(stem(w)) ?? -1, shapeIndex: SHAPES.indexOf(shape(w)) };
    this.words.set(w, info);
    return info;
  }

  /** word() for token k of a text's shared tokens (words.ts), found by the token's vocabulary id. */
  wordAt(t: TextTokens, k: number): WordInfo {
    // Ids from before the vocabulary started over name other words now: looked up by text.
    if (t.generation !== vocabulary.generation) return this.word(t.texts[k] as string);
    if (this.byIdGeneration !== vocabulary.generation) {
      this.byId = [];
      this.byIdGeneration = vocabulary.generation;
    }
    const id = t.id[k] as number;
    let info = this.byId[id];
    if (!info) {
      info = this.word(t.texts[k] as string);
      while (this.byId.length <= id) this.byId.push(undefined);
      this.byId[id] = info;
    }
    return info;
  }

  /** Makes room for n more words: a full cache starts over (keeping the boundary words), so n words looked up now stay valid together. */
  reserve(n: number): void {
    if (n > MAX_SENTENCE) throw new RangeError(`decode: ${n} tokens in one sentence, at most ${MAX_SENTENCE}`);
    if (this.words.size + n > this.maxWords) {
      this.byId = [];
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
    const n = toks.length;
    const rows = this.padded(n);
    for (let i = 0; i < n; i++) this.place(rows, i + PAD, this.word(toks[i] as string));
    return this.decodePlaced(rows, n, gaz, 0);
  }

  /**
   * decode() for tokens [from, from + n) of a text's shared tokens (words.ts), with the gazetteer's
   * reading of every token of the text (`gaz`, indexed like the tokens).
   */
  decodeTokens(t: TextTokens, from: number, n: number, gaz: readonly string[]): number[] {
    this.reserve(n);
    const rows = this.padded(n);
    for (let i = 0; i < n; i++) this.place(rows, i + PAD, this.wordAt(t, from + i));
    return this.decodePlaced(rows, n, gaz, from);
  }

  /** The scratch rows of a sentence of n words, with the boundary words placed before and after it. */
  private padded(n: number): Rows {
    if (n > MAX_SENTENCE) throw new RangeError(`decode: ${n} tokens in one sentence, at most ${MAX_SENTENCE}`);
    const size = n + PAD + AFTER;
    const rows = { ids: scratchIds(size), shapes: scratchShapes(size), stems: scratchStems(size) };
    for (let c = 0; c < PAD; c++) this.place(rows, c, this.start);
    for (let c = n + PAD; c < size; c++) this.place(rows, c, this.end);
    return rows;
  }

  /** Word w at row c: its arena offset, shape and stem. */
  private place(rows: Rows, c: number, w: WordInfo): void {
    rows.ids[c] = w.id * WORD_STRIDE;
    rows.shapes[c] = w.shapeIndex;
    rows.stems[c] = w.stemId;
  }

  /** The tags of the n words placed in the scratch rows (padded), with their gazetteer readings at gaz[at + i]. */
  private decodePlaced({ ids, shapes, stems }: Rows, n: number, gaz: readonly string[], at: number): number[] {
    if (!n) return [];
    // The stem pair of the words at c and c + 1, looked up once for the three templates that read it.
    const pairAt = scratchPairs(n + PAD + AFTER);
    for (let c = 0; c + 1 < n + PAD + AFTER; c++) pairAt[c] = this.pairs.find(stems[c] as number, stems[c + 1] as number);
    const emit = scratch(0, n * N);
    const a = this.arena;
    const pairs = this.pairs;
    const pw = pairs.weights;
    for (let i = 0; i < n; i++) {
      const o = i * N;
      const c = i + PAD;
      // The token's own vector and what its neighbours at -3, -2, -1, +1, +2 give it (NEIGHBOURS order: slots 1 to 5).
      const b0 = ids[c] as number;
      const b1 = (ids[c - 3] as number) + N;
      const b2 = (ids[c - 2] as number) + 2 * N;
      const b3 = (ids[c - 1] as number) + 3 * N;
      const b4 = (ids[c + 1] as number) + 4 * N;
      const b5 = (ids[c + 2] as number) + 5 * N;
      for (let t = 0; t < N; t++)
        emit[o + t] =
          (a[b0 + t] as number) + (a[b1 + t] as number) + (a[b2 + t] as number) + (a[b3 + t] as number) + (a[b4 + t] as number) + (a[b5 + t] as number);
      for (let j = 0; j < PAIRS.length; j++) {
        const r = pairs.row(pairAt[c + (PAIR_FIRST[j] as number)] as number, j);
        if (r >= 0) for (let t = 0; t < N; t++) emit[o + t] = (emit[o + t] as number) + (pw[r + t] as number);
      }
      const sp = this.shapePairs[(shapes[c - 1] as number) * SHAPES.length + (shapes[c + 1] as number)];
      if (sp) for (let t = 0; t < N; t++) emit[o + t] = (emit[o + t] as number) + (sp[t] as number);
      const g0 = gaz[at + i] ?? '';
      const gp = i > 0 ? (gaz[at + i - 1] ?? '') : '';
      const gn = i + 1 < n ? (gaz[at + i + 1] ?? '') : '';
      if (g0) {
        const r = this.reading(g0);
        this.addRow(emit, o, r.own);
        this.addRow(emit, o, r.withShape[shapes[c] as number]);
      }
      if (gp) this.addRow(emit, o, this.reading(gp).ofPrevious);
      if (gn) this.addRow(emit, o, this.reading(gn).ofNext);
    }
    return this.viterbi(emit, n);
  }

  /** Viterbi's step into I- tag t, whose predecessors are t − 1 (its B-, with previous score sb) and t (score si). */
  private inside(score: Int32Array, back: Int8Array, emit: Int32Array, o: number, t: number, sb: number, si: number): void {
    const k = PRED_FROM[t] as number;
    const fromB = sb + (this.predTrans[k] as number);
    const fromI = si + (this.predTrans[k + 1] as number);
    const stay = fromI > fromB;
    score[o + t] = (stay ? fromI : fromB) + (emit[o + t] as number);
    back[o + t] = stay ? t : t - 1;
  }

  /** The best path through the emission scores, in the same order and with the same ties as Perceptron.decode. */
  private viterbi(emit: Int32Array, n: number): number[] {
    const score = scratch(1, n * N);
    if (backs.length < n * N) backs = new Int8Array(Math.max(n * N, backs.length * 2));
    const back = backs;
    const trans = this.trans;
    for (let t = 0; t < N; t++) {
      score[t] = ALLOWED[t] ? (emit[t] as number) + (trans[t] as number) : IMPOSSIBLE;
      back[t] = -1;
    }
    // From the second token on every tag is reachable (I-X through B-X), so no candidate needs the
    // IMPOSSIBLE test; the emission is the same for every predecessor, so it is added once. Written
    // out for this tag set (checked at load): the previous scores sit in locals, O and each B-X try
    // all nine predecessors in ascending order, each I-X its B-X then itself; ties keep the first.
    const pt = this.predTrans;
    const dom = this.dominance;
    for (let i = 1; i < n; i++) {
      const o = i * N;
      const prev = o - N;
      const s0 = score[prev] as number;
      const s1 = score[prev + 1] as number;
      const s2 = score[prev + 2] as number;
      const s3 = score[prev + 3] as number;
      const s4 = score[prev + 4] as number;
      const s5 = score[prev + 5] as number;
      const s6 = score[prev + 6] as number;
      const s7 = score[prev + 7] as number;
      const s8 = score[prev + 8] as number;
      // The best previous tag q, lowest first: when it leads every other tag p by dominance[q][p], every
      // O and B- tag takes q as its predecessor (the usual case: q is O, far ahead), and the nine
      // comparisons of each are skipped. Not at the second token: the first may have impossible tags.
      let q = 0;
      let sq = s0;
      if (s1 > sq) {
        q = 1;
        sq = s1;
      }
      if (s2 > sq) {
        q = 2;
        sq = s2;
      }
      if (s3 > sq) {
        q = 3;
        sq = s3;
      }
      if (s4 > sq) {
        q = 4;
        sq = s4;
      }
      if (s5 > sq) {
        q = 5;
        sq = s5;
      }
      if (s6 > sq) {
        q = 6;
        sq = s6;
      }
      if (s7 > sq) {
        q = 7;
        sq = s7;
      }
      if (s8 > sq) {
        q = 8;
        sq = s8;
      }
      const d = q * N;
      if (
        i > 1 &&
        sq - s0 >= (dom[d] as number) &&
        sq - s1 >= (dom[d + 1] as number) &&
        sq - s2 >= (dom[d + 2] as number) &&
        sq - s3 >= (dom[d + 3] as number) &&
        sq - s4 >= (dom[d + 4] as number) &&
        sq - s5 >= (dom[d + 5] as number) &&
        sq - s6 >= (dom[d + 6] as number) &&
        sq - s7 >= (dom[d + 7] as number) &&
        sq - s8 >= (dom[d + 8] as number)
      ) {
        for (let t = 0; t < N; t += t === 0 ? 1 : 2) {
          score[o + t] = sq + (pt[(PRED_FROM[t] as number) + q] as number) + (emit[o + t] as number);
          back[o + t] = q;
        }
      } else
        for (let t = 0; t < N; t += t === 0 ? 1 : 2) {
          // t = 0, 1, 3, 5, 7: O and the B- tags.
          const k = PRED_FROM[t] as number;
          let best = s0 + (pt[k] as number);
          let bp = 0;
          let v = s1 + (pt[k + 1] as number);
          if (v > best) {
            best = v;
            bp = 1;
          }
          v = s2 + (pt[k + 2] as number);
          if (v > best) {
            best = v;
            bp = 2;
          }
          v = s3 + (pt[k + 3] as number);
          if (v > best) {
            best = v;
            bp = 3;
          }
          v = s4 + (pt[k + 4] as number);
          if (v > best) {
            best = v;
            bp = 4;
          }
          v = s5 + (pt[k + 5] as number);
          if (v > best) {
            best = v;
            bp = 5;
          }
          v = s6 + (pt[k + 6] as number);
          if (v > best) {
            best = v;
            bp = 6;
          }
          v = s7 + (pt[k + 7] as number);
          if (v > best) {
            best = v;
            bp = 7;
          }
          v = s8 + (pt[k + 8] as number);
          if (v > best) {
            best = v;
            bp = 8;
          }
          score[o + t] = best + (emit[o + t] as number);
          back[o + t] = bp;
        }
      // The I- tags: from their B- tag (first) or themselves.
      this.inside(score, back, emit, o, 2, s1, s2);
      this.inside(score, back, emit, o, 4, s3, s4);
      this.inside(score, back, emit, o, 6, s5, s6);
      this.inside(score, back, emit, o, 8, s7, s8);
    }
    let best = 0;
    const last = (n - 1) * N;
    for (let t = 1; t < N; t++) if ((score[last + t] as number) > (score[last + best] as number)) best = t;
    const tags = new Array<number>(n);
    for (let i = n - 1; i >= 0; i--) {
      tags[i] = best;
      best = back[i * N + best] as number;
    }
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
