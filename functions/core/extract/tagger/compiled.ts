/**
 * The tagger model compiled for speed. Scoring a token the plain way builds about forty feature
 * strings and looks each up in a map; most of them depend on one word alone (the token's own
 * features, and what a word gives the tokens around it). Those are summed once per distinct word
 * into small score vectors and kept in a bounded cache, so a token costs a handful of vector adds,
 * three stem-pair lookups and the Viterbi step. The weights are integers, so the sums, and the tags,
 * are exactly those of `Perceptron.decode` over `featuresAt` (test/core/tagger.test.ts checks it).
 */
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
  /** Id of its stem as the second of a stem pair (-1: in none). */
  stemId: number;
  /** Per pair template, when its stem is the first of a pair: second stem id → weights. */
  pairFirst: Array<Map<number, Int32Array> | undefined>;
  /** Index of its shape in SHAPES. */
  shapeIndex: number;
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

/** Work buffers reused across sentences (decode is synchronous): emission scores, path scores, back pointers. */
const buffers = [new Int32Array(256 * N), new Int32Array(256 * N)];
let backs = new Int8Array(256 * N);
function scratch(k: number, size: number): Int32Array {
  if ((buffers[k] as Int32Array).length < size) buffers[k] = new Int32Array(Math.max(size, (buffers[k] as Int32Array).length * 2));
  return buffers[k] as Int32Array;
}

export class CompiledTagger {
  private readonly rows = new Map<string, Int32Array>();
  private readonly trans: Int32Array;
  /** trans[p][t] for each allowed predecessor p of t, in PRED order. */
  private readonly predTrans: Int32Array;
  /** Ids of the stems that occur in stem-pair features. */
  private readonly stemIds = new Map<string, number>();
  /** Per pair template: first stem → second stem's id → weights. */
  private readonly pairs: Array<Map<string, Map<number, Int32Array>>> = PAIRS.map(() => new Map());
  private readonly words = new Map<string, WordInfo>();
  /** SLOTS × N summed weights per word, words one after another. */
  private arena = new Int32Array(1024 * WORD_STRIDE);
  /** Weights of each (shape before, shape after) pair, by SHAPES index. */
  private readonly shapePairs: Array<Int32Array | undefined>;

  constructor(
    d: ModelData,
    private readonly maxWords = MAX_WORDS,
  ) {
    for (const [f, list] of Object.entries(d.features)) {
      const v = new Int32Array(N);
      for (const [t, w] of list) v[t] = w;
      this.rows.set(f, v);
      PAIRS.forEach((p, i) => {
        if (!f.startsWith(p.prefix)) return;
        const [a, b] = splitPair(f.slice(p.prefix.length));
        const byFirst = this.pairs[i] as Map<string, Map<number, Int32Array>>;
        const m = byFirst.get(a) ?? new Map<number, Int32Array>();
        byFirst.set(a, m);
        if (!this.stemIds.has(b)) this.stemIds.set(b, this.stemIds.size);
        m.set(this.stemIds.get(b) as number, v);
      });
    }
    this.shapePairs = SHAPES.flatMap((a) => SHAPES.map((b) => this.rows.get(shapePairFeature(a, b))));
    this.trans = new Int32Array((N + 1) * N);
    for (const [r, row] of d.transitions.entries()) this.trans.set(row, r * N);
    this.predTrans = new Int32Array(PRED.length);
    for (let t = 0; t < N; t++)
      for (let k = PRED_FROM[t] as number; k < (PRED_FROM[t + 1] as number); k++) this.predTrans[k] = this.trans[((PRED[k] as number) + 1) * N + t] as number;
  }

  private add(out: Int32Array, at: number, feats: string[]): void {
    for (const f of feats) {
      const v = this.rows.get(f);
      if (v) for (let t = 0; t < N; t++) out[at + t] = (out[at + t] as number) + (v[t] as number);
    }
  }

  /** The word's stem, shape and summed vectors, from the cache or built now. */
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
    const st = stem(w);
    info = { id, stemId: this.stemIds.get(st) ?? -1, pairFirst: this.pairs.map((m) => m.get(st)), shapeIndex: SHAPES.indexOf(shape(w)) };
    this.words.set(w, info);
    return info;
  }

  /**
   * The best tag sequence for one sentence of search-form tokens, with the gazetteer's reading of
   * each ('' for none). Same result as `Perceptron.decode(toks.map((_, i) => featuresAt(toks, gaz, i)))`.
   */
  decode(toks: readonly string[], gaz: readonly string[]): number[] {
    const n = toks.length;
    if (!n) return [];
    if (n > MAX_SENTENCE) throw new RangeError(`decode: ${n} tokens in one sentence, at most ${MAX_SENTENCE}`);
    // A full cache starts over, before any word of this sentence has taken an id from it.
    if (this.words.size + n + 2 > this.maxWords) this.words.clear();
    // The sentence's words, padded with the boundary words so that word i + k is always there.
    const start = this.word(START);
    const end = this.word(END);
    const words: WordInfo[] = new Array(PAD).fill(start);
    for (let i = 0; i < n; i++) words.push(this.word(toks[i] as string));
    for (let k = 0; k < AFTER; k++) words.push(end);
    const emit = scratch(0, n * N);
    const a = this.arena;
    const at = (c: number, slot: number) => (words[c] as WordInfo).id * WORD_STRIDE + slot * N;
    for (let i = 0; i < n; i++) {
      const o = i * N;
      const c = i + PAD;
      // The token's own vector and what its neighbours at -3, -2, -1, +1, +2 give it (NEIGHBOURS order: slots 1 to 5).
      const b0 = at(c, 0);
      const b1 = at(c - 3, 1);
      const b2 = at(c - 2, 2);
      const b3 = at(c - 1, 3);
      const b4 = at(c + 1, 4);
      const b5 = at(c + 2, 5);
      for (let t = 0; t < N; t++)
        emit[o + t] =
          (a[b0 + t] as number) + (a[b1 + t] as number) + (a[b2 + t] as number) + (a[b3 + t] as number) + (a[b4 + t] as number) + (a[b5 + t] as number);
      for (let j = 0; j < PAIRS.length; j++) {
        const at = (PAIRS[j] as (typeof PAIRS)[number]).at;
        const first = (words[c + at[0]] as WordInfo).pairFirst[j];
        const v = first?.get((words[c + at[1]] as WordInfo).stemId);
        if (v) for (let t = 0; t < N; t++) emit[o + t] = (emit[o + t] as number) + (v[t] as number);
      }
      const sp = this.shapePairs[(words[c - 1] as WordInfo).shapeIndex * SHAPES.length + (words[c + 1] as WordInfo).shapeIndex];
      if (sp) for (let t = 0; t < N; t++) emit[o + t] = (emit[o + t] as number) + (sp[t] as number);
      const g0 = gaz[i] ?? '';
      const gp = gaz[i - 1] ?? '';
      const gn = gaz[i + 1] ?? '';
      if (g0 || gp || gn) this.add(emit, o, gazetteerFeatures(toks[i] as string, g0, gp, gn));
    }
    return this.viterbi(emit, n);
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
    // IMPOSSIBLE test; the emission is the same for every predecessor, so it is added once.
    const predTrans = this.predTrans;
    for (let i = 1; i < n; i++) {
      const o = i * N;
      const prev = o - N;
      for (let t = 0; t < N; t++) {
        let best = IMPOSSIBLE;
        let bp = -1;
        for (let k = PRED_FROM[t] as number, to = PRED_FROM[t + 1] as number; k < to; k++) {
          const p = PRED[k] as number;
          const s = (score[prev + p] as number) + (predTrans[k] as number);
          if (s > best) {
            best = s;
            bp = p;
          }
        }
        score[o + t] = best + (emit[o + t] as number);
        back[o + t] = bp;
      }
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
