import { scan } from '../entities';
import type { Gazetteer } from '../gazetteer';

const SHORT = { PERSON: 'PER', LOCATION: 'LOC', ORGANIZATION: 'ORG' } as const;

/**
 * The gazetteer's reading of each token ("PER-B", "LOC-I", … or ''), a feature for the tagger:
 * the tokens are joined with spaces, scanned like an article, and the matches mapped back.
 */
export function gazetteerTags(tokens: string[], g: Gazetteer): string[] {
  const starts: number[] = [];
  let text = '';
  for (const t of tokens) {
    starts.push(text.length);
    text += `${t} `;
  }
  const out = tokens.map(() => '');
  let k = 0;
  for (const f of scan(text, g)) {
    while (k < tokens.length && (starts[k] as number) + (tokens[k] as string).length <= f.start) k++;
    for (let j = k; j < tokens.length && (starts[j] as number) < f.end; j++) out[j] = `${SHORT[f.entry.type]}-${j === k ? 'B' : 'I'}${f.weak ? 'w' : ''}`;
  }
  return out;
}
