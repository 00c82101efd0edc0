/**
 * An averaged structured perceptron over BIO tags, with first-order transitions and Viterbi
 * decoding that never lets I-X follow anything but B-X or I-X. Weights are kept sparse: a feature
 * stores only the tags it has a weight for.
 */
export const TAGS = ['O', 'B-PERS', 'I-PERS', 'B-LOC', 'I-LOC', 'B-ORG', 'I-ORG', 'B-MISC', 'I-MISC'] as const;
export type Tag = (typeof TAGS)[number];
const N = TAGS.length;

/** The model as stored: features → { tag index → weight }, transitions[prev+1][tag] (row 0: sentence start). */
export interface ModelData {
  version: 1;
  tags: readonly string[];
  features: Record<string, Array<[number, number]>>;
  transitions: number[][];
}

const allowed = (prev: number, tag: number): boolean => {
  const t = TAGS[tag] as string;
  if (!t.startsWith('I-')) return true;
  if (prev < 0) return false;
  const p = TAGS[prev] as string;
  return p.slice(2) === t.slice(2) && p !== 'O';
};

export class Perceptron {
  readonly weights = new Map<string, Float64Array>();
  readonly trans: Float64Array[] = Array.from({ length: N + 1 }, () => new Float64Array(N));

  static fromData(d: ModelData): Perceptron {
    const m = new Perceptron();
    for (const [f, pairs] of Object.entries(d.features)) {
      const v = new Float64Array(N);
      for (const [t, w] of pairs) v[t] = w;
      m.weights.set(f, v);
    }
    for (const [r, row] of d.transitions.entries()) (m.trans[r] as Float64Array).set(row);
    return m;
  }

  scores(feats: string[]): Float64Array {
    const out = new Float64Array(N);
    for (const f of feats) {
      const v = this.weights.get(f);
      if (v) for (let t = 0; t < N; t++) out[t] = (out[t] as number) + (v[t] as number);
    }
    return out;
  }

  /** The best tag sequence for a sentence, given each token's features. */
  decode(featsPerToken: string[][]): number[] {
    const n = featsPerToken.length;
    if (!n) return [];
    const score: Float64Array[] = [];
    const back: Int8Array[] = [];
    for (let i = 0; i < n; i++) {
      const emit = this.scores(featsPerToken[i] as string[]);
      const cur = new Float64Array(N).fill(Number.NEGATIVE_INFINITY);
      const bp = new Int8Array(N).fill(-1);
      for (let t = 0; t < N; t++) {
        if (i === 0) {
          if (allowed(-1, t)) cur[t] = (emit[t] as number) + ((this.trans[0] as Float64Array)[t] as number);
          continue;
        }
        const prev = score[i - 1] as Float64Array;
        for (let p = 0; p < N; p++) {
          if (!allowed(p, t) || prev[p] === Number.NEGATIVE_INFINITY) continue;
          const s = (prev[p] as number) + ((this.trans[p + 1] as Float64Array)[t] as number) + (emit[t] as number);
          if (s > (cur[t] as number)) {
            cur[t] = s;
            bp[t] = p;
          }
        }
      }
      score.push(cur);
      back.push(bp);
    }
    let best = 0;
    const last = score[n - 1] as Float64Array;
    for (let t = 1; t < N; t++) if ((last[t] as number) > (last[best] as number)) best = t;
    const tags = new Array<number>(n);
    for (let i = n - 1; i >= 0; i--) {
      tags[i] = best;
      best = (back[i] as Int8Array)[best] as number;
    }
    return tags;
  }
}

/** Training with weight averaging (the lazy "last updated" trick keeps it linear in updates). */
export class Trainer {
  readonly model = new Perceptron();
  private readonly totals = new Map<string, Float64Array>();
  private readonly stamps = new Map<string, Float64Array>();
  private readonly transTotals: Float64Array[] = Array.from({ length: N + 1 }, () => new Float64Array(N));
  private readonly transStamps: Float64Array[] = Array.from({ length: N + 1 }, () => new Float64Array(N));
  private step = 1;

  private bump(f: string, t: number, delta: number): void {
    let w = this.model.weights.get(f);
    if (!w) {
      w = new Float64Array(N);
      this.model.weights.set(f, w);
      this.totals.set(f, new Float64Array(N));
      this.stamps.set(f, new Float64Array(N));
    }
    const tot = this.totals.get(f) as Float64Array;
    const st = this.stamps.get(f) as Float64Array;
    tot[t] = (tot[t] as number) + (this.step - (st[t] as number)) * (w[t] as number);
    st[t] = this.step;
    w[t] = (w[t] as number) + delta;
  }

  private bumpTrans(p: number, t: number, delta: number): void {
    const w = this.model.trans[p] as Float64Array;
    const tot = this.transTotals[p] as Float64Array;
    const st = this.transStamps[p] as Float64Array;
    tot[t] = (tot[t] as number) + (this.step - (st[t] as number)) * (w[t] as number);
    st[t] = this.step;
    w[t] = (w[t] as number) + delta;
  }

  /** One sentence: decode, and where the guess differs from the gold, move weights toward gold. */
  learn(feats: string[][], gold: number[]): void {
    const guess = this.model.decode(feats);
    for (let i = 0; i < gold.length; i++) {
      const g = gold[i] as number;
      const p = guess[i] as number;
      const gPrev = i ? (gold[i - 1] as number) + 1 : 0;
      const pPrev = i ? (guess[i - 1] as number) + 1 : 0;
      if (g !== p)
        for (const f of feats[i] as string[]) {
          this.bump(f, g, 1);
          this.bump(f, p, -1);
        }
      if (g !== p || gPrev !== pPrev) {
        this.bumpTrans(gPrev, g, 1);
        this.bumpTrans(pPrev, p, -1);
      }
    }
    this.step++;
  }

  /** The averaged model, rounded, keeping the `maxFeatures` features with the largest weights. */
  averaged(maxFeatures = Number.POSITIVE_INFINITY, scale = 100): ModelData {
    const ranked: Array<{ f: string; pairs: Array<[number, number]>; norm: number }> = [];
    for (const [f, w] of this.model.weights) {
      const tot = this.totals.get(f) as Float64Array;
      const st = this.stamps.get(f) as Float64Array;
      const pairs: Array<[number, number]> = [];
      let norm = 0;
      for (let t = 0; t < N; t++) {
        const avg = ((tot[t] as number) + (this.step - (st[t] as number)) * (w[t] as number)) / this.step;
        const q = Math.round(avg * scale);
        norm += Math.abs(avg);
        if (q !== 0) pairs.push([t, q]);
      }
      if (pairs.length) ranked.push({ f, pairs, norm });
    }
    ranked.sort((a, b) => b.norm - a.norm || (a.f < b.f ? -1 : 1));
    const features: ModelData['features'] = {};
    for (const r of ranked.slice(0, maxFeatures)) features[r.f] = r.pairs;
    const transitions = this.model.trans.map((w, r) =>
      Array.from(w, (x, t) =>
        Math.round(
          ((((this.transTotals[r] as Float64Array)[t] as number) + (this.step - ((this.transStamps[r] as Float64Array)[t] as number)) * x) / this.step) * scale,
        ),
      ),
    );
    return { version: 1, tags: TAGS, features, transitions };
  }
}
