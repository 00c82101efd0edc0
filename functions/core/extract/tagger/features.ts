/**
 * Features of a token in context, for the entity tagger. Shared by training (scripts/train-tagger.ts)
 * and inference (tagger.ts), so the two cannot drift. Tokens are in the search form (normalize.ts).
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

const shape = (t: string) => (/^\d+$/.test(t) ? 'D' : /[a-z]/i.test(t) ? 'L' : /^[\p{L}]+$/u.test(t) ? 'A' : 'P');

/**
 * `gaz` holds, per token, the gazetteer's reading of it (e.g. "PER-B", "LOC-I") or '' when none.
 */
export function featuresAt(toks: string[], gaz: string[], i: number): string[] {
  const w = (k: number) => toks[i + k] ?? (k < 0 ? '<s>' : '</s>');
  const s = (k: number) => stem(w(k));
  const w0 = w(0);
  const s0 = s(0);
  const f = [
    'b',
    `w=${w0}`,
    `s=${s0}`,
    `p2=${s0.slice(0, 2)}`,
    `p3=${s0.slice(0, 3)}`,
    `x2=${w0.slice(-2)}`,
    `x3=${w0.slice(-3)}`,
    `sh=${shape(w0)}`,
    `len=${Math.min(s0.length, 8)}`,
    `al=${/^([وفبكل]?ال|لل)/u.test(w0) ? 1 : 0}`,
    `w-1=${w(-1)}`,
    `s-1=${s(-1)}`,
    `w+1=${w(1)}`,
    `s+1=${s(1)}`,
    `w-2=${w(-2)}`,
    `w+2=${w(2)}`,
    `s-1s0=${s(-1)}|${s0}`,
    `s0s+1=${s0}|${s(1)}`,
    `x2-1=${w(-1).slice(-2)}`,
    `x2+1=${w(1).slice(-2)}`,
    `p1=${s0.slice(0, 1)}`,
    `x1=${s0.slice(-1)}`,
    `p4=${s0.slice(0, 4)}`,
    `xs3=${s0.slice(-3)}`,
    `cl=${w0.length - s0.length}|${w0.slice(0, w0.length - s0.length)}`,
    `s-2=${s(-2)}`,
    `s+2=${s(2)}`,
    `w-3=${w(-3)}`,
    `s-2s-1=${s(-2)}|${s(-1)}`,
    `al+1=${/^([وفبكل]?ال|لل)/u.test(w(1)) ? 1 : 0}`,
    `sh-1sh+1=${shape(w(-1))}${shape(w(1))}`,
  ];
  const g0 = gaz[i] ?? '';
  if (g0) f.push(`g=${g0}`, `gs=${g0}|${shape(w0)}`);
  const gp = gaz[i - 1] ?? '';
  const gn = gaz[i + 1] ?? '';
  if (gp) f.push(`g-1=${gp}`);
  if (gn) f.push(`g+1=${gn}`);
  return f;
}
