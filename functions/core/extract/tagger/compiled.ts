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
/** Boundary words before the first token: as far back as the furthest neighbour feature looks. */
const PAD = -Math.min(...NEIGHBOURS);
const AFTER = Math.max(...NEIGHBOURS);
/** What `shape` returns. */
const SHAPES = ['D', 'L', 'A', 'P'];
/** Vectors per word: its own features, then one per neighbour offset (NEIGHBOURS order). */
const SLOTS = 1 + NEIGHBOURS.length;
const SLOT: Record<number, number> = Object.fromEntries(NEIGHBOURS.map((k, i) => [k, 1 + i]));
/** Distinct words kept; the cache is emptied when it fills (news vocabulary is mostly far below this). */
const MAX_WORDS = 200_000;

export interface WordInfo {
  /** Id of its stem as the second of a stem pair (-1: in none). */
  stemId: number;
  /** Per pair template, when its stem is the first of a pair: second stem id → weights. */
  pairFirst: Array<Map<number, Float64Array> | undefined>;
  /** Index of its shape in SHAPES. */
  shapeIndex: number;
  /** SLOTS × N summed weights. */
  vec: Float64Array;
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
const buffers = [new Float64Array(256 * N), new Float64Array(256 * N)];
let backs = new Int8Array(256 * N);
function scratch(k: number, size: number): Float64Array {
  if ((buffers[k] as Float64Array).length < size) buffers[k] = new Float64Array(Math.max(size, (buffers[k] as Float64Array).length * 2));
  return buffers[k] as Float64Array;
}

export class CompiledTagger {
  private readonly rows = new Map<string, Float64Array>();
  private readonly trans: Float64Array;
  /** Ids of the stems that occur in stem-pair features. */
  private readonly stemIds = new Map<string, number>();
  /** Per pair template: first stem → second stem's id → weights. */
  private readonly pairs: Array<Map<string, Map<number, Float64Array>>> = PAIRS.map(() => new Map());
  private readonly words = new Map<string, WordInfo>();
  /** Weights of each (shape before, shape after) pair, by SHAPES index. */
  private readonly shapePairs: Array<Float64Array | undefined>;

  constructor(d: ModelData) {
    for (const [f, list] of Object.entries(d.features)) {
      const v = new Float64Array(N);
      for (const [t, w] of list) v[t] = w;
      this.rows.set(f, v);
      PAIRS.forEach((p, i) => {
        if (!f.startsWith(p.prefix)) return;
        const [a, b] = splitPair(f.slice(p.prefix.length));
        const byFirst = this.pairs[i] as Map<string, Map<number, Float64Array>>;
        const m = byFirst.get(a) ?? new Map<number, Float64Array>();
        byFirst.set(a, m);
        if (!this.stemIds.has(b)) this.stemIds.set(b, this.stemIds.size);
        m.set(this.stemIds.get(b) as number, v);
      });
    }
    this.shapePairs = SHAPES.flatMap((a) => SHAPES.map((b) => this.rows.get(shapePairFeature(a, b))));
    this.trans = new Float64Array((N + 1) * N);
    for (const [r, row] of d.transitions.entries()) this.trans.set(row, r * N);
  }

  private add(out: Float64Array, at: number, feats: string[]): void {
    for (const f of feats) {
      const v = this.rows.get(f);
      if (v) for (let t = 0; t < N; t++) out[at + t] = (out[at + t] as number) + (v[t] as number);
    }
  }

  /** The word's stem, shape and summed vectors, from the cache or built now. */
  word(w: string): WordInfo {
    let info = this.words.get(w);
    if (info) return info;
    const vec = new Float64Array(SLOTS * N);
    this.add(vec, 0, ownFeatures(w));
    for (const k of NEIGHBOURS) this.add(vec, (SLOT[k] as number) * N, neighbourFeatures(w, k));
    const st = stem(w);
    info = { stemId: this.stemIds.get(st) ?? -1, pairFirst: this.pairs.map((m) => m.get(st)), shapeIndex: SHAPES.indexOf(shape(w)), vec };
    if (this.words.size >= MAX_WORDS) this.words.clear();
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
    // The sentence's words, padded with the boundary words so that word i + k is always there.
    const start = this.word(START);
    const end = this.word(END);
    const words: WordInfo[] = new Array(PAD).fill(start);
    for (let i = 0; i < n; i++) words.push(this.word(toks[i] as string));
    for (let k = 0; k < AFTER; k++) words.push(end);
    const emit = scratch(0, n * N);
    for (let i = 0; i < n; i++) {
      const o = i * N;
      const c = i + PAD;
      const own = (words[c] as WordInfo).vec;
      for (let t = 0; t < N; t++) emit[o + t] = own[t] as number;
      for (let j = 0; j < NEIGHBOURS.length; j++) {
        const v = (words[c + (NEIGHBOURS[j] as number)] as WordInfo).vec;
        const vo = (1 + j) * N;
        for (let t = 0; t < N; t++) emit[o + t] = (emit[o + t] as number) + (v[vo + t] as number);
      }
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
  private viterbi(emit: Float64Array, n: number): number[] {
    const score = scratch(1, n * N);
    if (backs.length < n * N) backs = new Int8Array(Math.max(n * N, backs.length * 2));
    const back = backs;
    const trans = this.trans;
    for (let t = 0; t < N; t++) {
      score[t] = ALLOWED[t] ? (emit[t] as number) + (trans[t] as number) : Number.NEGATIVE_INFINITY;
      back[t] = -1;
    }
    for (let i = 1; i < n; i++) {
      const o = i * N;
      const prev = o - N;
      for (let t = 0; t < N; t++) {
        let best = Number.NEGATIVE_INFINITY;
        let bp = -1;
        const e = emit[o + t] as number;
        for (let k = PRED_FROM[t] as number, to = PRED_FROM[t + 1] as number; k < to; k++) {
          const p = PRED[k] as number;
          const ps = score[prev + p] as number;
          if (ps === Number.NEGATIVE_INFINITY) continue;
          const s = ps + (trans[(p + 1) * N + t] as number) + e;
          if (s > best) {
            best = s;
            bp = p;
          }
        }
        score[o + t] = best;
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
