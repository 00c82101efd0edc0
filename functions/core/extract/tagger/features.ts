/**
 * Features of a token in context, for the entity tagger. Shared by training (scripts/train-tagger.ts)
 * and inference (compiled.ts), so the two cannot drift. Tokens are in the search form (normalize.ts).
 *
 * The features come in groups by what they depend on: the token itself, one neighbour at a fixed
 * offset, a pair of neighbouring stems, and the shapes and gazetteer readings around the token.
 * Inference sums the weights of the first two groups once per distinct word (they are a function
 * of the word alone) and looks up only the rest per token.
 */

/** The token without its proclitics: و/ف, then ب/ك/ل, then the article ال (والرئيس → رئيس). */
export function stem(tok: string): string {
  let t = tok;
  if (t.length > 3 && /^[وف]/u.test(t)) t = t.slice(1);
  if (t.length > 4 && t.startsWith('لل')) return t.slice(2);
  if (t.length > 3 && /^[بكل]/u.test(t) && !t.startsWith('ال')) t = t.slice(1);
  if (t.length > 4 && t.startsWith('ال')) t = t.slice(2);
  return t;
}

export const shape = (t: string) => (/^\d+$/.test(t) ? 'D' : /[a-z]/i.test(t) ? 'L' : /^[\p{L}]+$/u.test(t) ? 'A' : 'P');
const definite = (t: string) => (/^([وفبكل]?ال|لل)/u.test(t) ? 1 : 0);

/** What stands before the first token and after the last. */
export const START = '<s>';
export const END = '</s>';

/** Features of the token itself (and the bias). */
export function ownFeatures(w0: string): string[] {
  const s0 = stem(w0);
  return [
    'b',
    `w=${w0}`,
    `s=${s0}`,
    `p2=${s0.slice(0, 2)}`,
    `p3=${s0.slice(0, 3)}`,
    `x2=${w0.slice(-2)}`,
    `x3=${w0.slice(-3)}`,
    `sh=${shape(w0)}`,
    `len=${Math.min(s0.length, 8)}`,
    `al=${definite(w0)}`,
    `p1=${s0.slice(0, 1)}`,
    `x1=${s0.slice(-1)}`,
    `p4=${s0.slice(0, 4)}`,
    `xs3=${s0.slice(-3)}`,
    `cl=${w0.length - s0.length}|${w0.slice(0, w0.length - s0.length)}`,
  ];
}

/** The offsets at which a neighbouring word is a feature of the token. */
export const NEIGHBOURS = [-3, -2, -1, 1, 2] as const;
export type NeighbourOffset = (typeof NEIGHBOURS)[number];

/** Features the word `w` gives the token `k` places after it (k < 0: before). */
export function neighbourFeatures(w: string, k: NeighbourOffset): string[] {
  switch (k) {
    case -3:
      return [`w-3=${w}`];
    case -2:
      return [`w-2=${w}`, `s-2=${stem(w)}`];
    case -1:
      return [`w-1=${w}`, `s-1=${stem(w)}`, `x2-1=${w.slice(-2)}`];
    case 1:
      return [`w+1=${w}`, `s+1=${stem(w)}`, `x2+1=${w.slice(-2)}`, `al+1=${definite(w)}`];
    case 2:
      return [`w+2=${w}`, `s+2=${stem(w)}`];
  }
}

/** The stem-pair templates: the pair of stems at offsets [a, b], and its prefix. */
export const PAIRS = [
  { prefix: 's-1s0=', at: [-1, 0] },
  { prefix: 's0s+1=', at: [0, 1] },
  { prefix: 's-2s-1=', at: [-2, -1] },
] as const;

export const pairFeature = (prefix: string, a: string, b: string) => `${prefix}${a}|${b}`;
/** The shapes of the words before and after the token. */
export const shapePairFeature = (before: string, after: string) => `sh-1sh+1=${before}${after}`;

/** The gazetteer's readings of the token and its neighbours ('' for none), with the token's shape. */
export function gazetteerFeatures(shape0: string, g0: string, gp: string, gn: string): string[] {
  const f: string[] = [];
  if (g0) f.push(`g=${g0}`, `gs=${g0}|${shape0}`);
  if (gp) f.push(`g-1=${gp}`);
  if (gn) f.push(`g+1=${gn}`);
  return f;
}

/**
 * All features of token i, as training sees them. `gaz` holds, per token, the gazetteer's reading
 * of it (e.g. "PER-B", "LOC-I") or '' when none.
 */
export function featuresAt(toks: string[], gaz: string[], i: number): string[] {
  const w = (k: number) => toks[i + k] ?? (k < 0 ? START : END);
  const f = ownFeatures(w(0));
  for (const k of NEIGHBOURS) f.push(...neighbourFeatures(w(k), k));
  for (const p of PAIRS) f.push(pairFeature(p.prefix, stem(w(p.at[0])), stem(w(p.at[1]))));
  f.push(shapePairFeature(shape(w(-1)), shape(w(1))));
  f.push(...gazetteerFeatures(shape(w(0)), gaz[i] ?? '', gaz[i - 1] ?? '', gaz[i + 1] ?? ''));
  return f;
}
