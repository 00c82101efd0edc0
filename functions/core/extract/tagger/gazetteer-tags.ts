import { type Found, scan } from '../entities';
import type { Gazetteer } from '../gazetteer';

const SHORT = { PERSON: 'PER', LOCATION: 'LOC', ORGANIZATION: 'ORG' } as const;

/**
 * The gazetteer's reading of each token ("PER-B", "LOC-Iw", … or ''), a feature for the tagger,
 * from gazetteer matches over the same text: a token overlapping a match is its B (the first) or I.
 */
export function readingsOf(tokens: ReadonlyArray<readonly [start: number, end: number]>, found: readonly Found[]): string[] {
  const out = tokens.map(() => '');
  let k = 0;
  for (const f of [...found].sort((a, b) => a.start - b.start)) {
    while (k < tokens.length && (tokens[k] as readonly [number, number])[1] <= f.start) k++;
    for (let j = k; j < tokens.length && (tokens[j] as readonly [number, number])[0] < f.end; j++)
      out[j] = `${SHORT[f.entry.type]}-${j === k ? 'B' : 'I'}${f.weak ? 'w' : ''}`;
  }
  return out;
}

/** The readings for a list of tokens (training): the tokens are joined with spaces and scanned like an article. */
export function gazetteerTags(tokens: string[], g: Gazetteer): string[] {
  const spans: Array<[number, number]> = [];
  let text = '';
  for (const t of tokens) {
    spans.push([text.length, text.length + t.length]);
    text += `${t} `;
  }
  return readingsOf(spans, scan(text, g));
}
