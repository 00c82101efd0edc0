import { type Found, scan } from '../entities';
import type { Gazetteer } from '../gazetteer';

const SHORT = { PERSON: 'PER', LOCATION: 'LOC', ORGANIZATION: 'ORG' } as const;
/**
 * Every reading, made once: [type][first?][weak?]. The same string objects every time, so a reading
 * is looked up by the tagger without a new string to flatten and hash per token.
 */
const READINGS = Object.fromEntries(
  Object.entries(SHORT).map(([type, short]) => [type, ['I', 'B'].map((pos) => [`${short}-${pos}`, `${short}-${pos}w`])]),
) as Record<keyof typeof SHORT, [[string, string], [string, string]]>;

/**
 * The gazetteer's reading of each token ("PER-B", "LOC-Iw", … or ''), a feature for the tagger,
 * from gazetteer matches over the same text: a token overlapping a match is its B (the first) or I.
 */
export function readingsOf(starts: ArrayLike<number>, ends: ArrayLike<number>, n: number, found: readonly Found[]): string[] {
  const out = new Array<string>(n).fill('');
  eachReading(starts, ends, n, found, (j, reading) => {
    out[j] = reading;
  });
  return out;
}

/** readingsOf's readings, handed to `f` token by token (only the tokens that have one), in text order. */
export function eachReading(
  starts: ArrayLike<number>,
  ends: ArrayLike<number>,
  n: number,
  found: readonly Found[],
  f: (token: number, reading: string) => void,
): void {
  let k = 0;
  for (const m of [...found].sort((a, b) => a.start - b.start)) {
    while (k < n && (ends[k] as number) <= m.start) k++;
    for (let j = k; j < n && (starts[j] as number) < m.end; j++) f(j, READINGS[m.entry.type][j === k ? 1 : 0][m.weak ? 1 : 0]);
  }
}

/** The readings for a list of tokens (training): the tokens are joined with spaces and scanned like an article. */
export function gazetteerTags(tokens: string[], g: Gazetteer): string[] {
  const starts: number[] = [];
  const ends: number[] = [];
  let text = '';
  for (const t of tokens) {
    starts.push(text.length);
    ends.push(text.length + t.length);
    text += `${t} `;
  }
  return readingsOf(starts, ends, tokens.length, scan(text, g));
}
