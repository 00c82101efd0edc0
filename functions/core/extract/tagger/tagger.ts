/**
 * The statistical entity tagger at run time: the model file (data/model/tagger.json, trained by
 * scripts/train-tagger.ts on ANERcorp) is read once per process, then each paragraph is tagged
 * with Viterbi. Plain TypeScript: no Python, no download, no GPU.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { searchKey } from '../../normalize';
import type { EntityType, Gazetteer } from '../gazetteer';
import { featuresAt } from './features';
import { gazetteerTags } from './gazetteer-tags';
import { type ModelData, Perceptron, TAGS } from './model';

export interface TaggedSpan {
  type: EntityType;
  start: number;
  end: number;
  text: string;
}

/** Where the model is: beside the bundle in Lambda, under data/model in the repository. */
const CANDIDATES = ['./tagger.json', '../../../../data/model/tagger.json'];

let model: Perceptron | null | undefined;

/** The model, or null when no model file is there (extract then runs on the gazetteer alone). */
export function loadTagger(path = process.env.KHABAR_TAGGER_MODEL): Perceptron | null {
  if (model !== undefined && !path) return model;
  const file = path ?? CANDIDATES.map((c) => fileURLToPath(new URL(c, import.meta.url))).find((p) => existsSync(p));
  model = file ? Perceptron.fromData(JSON.parse(readFileSync(file, 'utf8')) as ModelData) : null;
  return model;
}

const TYPE: Record<string, EntityType | undefined> = { PERS: 'PERSON', LOC: 'LOCATION', ORG: 'ORGANIZATION' };
/** Tokens as ANERcorp has them: words (with their clitics) and single punctuation marks. */
const TOKEN = /[\p{L}\p{N}\u064B-\u065F\u0670\u0640]+|[^\s\p{L}\p{N}]/gu;
const SENTENCE_END = new Set(['.', '!', '?', '؟']);
/** Longest stretch tagged at once: longer run-on text is cut into windows of this many tokens. */
const MAX_WINDOW = 250;
/** Tokens tagged per text at most, which bounds the tagger's time whatever the input (the gazetteer still reads everything). */
const MAX_TOKENS = 30_000;

/** Names the tagger finds in a text, with offsets into it. */
export function tagText(text: string, g: Gazetteer, m: Perceptron | null = loadTagger()): TaggedSpan[] {
  if (!m) return [];
  type Tok = { raw: string; start: number; end: number };
  const all: Tok[] = [...text.matchAll(TOKEN)].map((x) => ({ raw: x[0], start: x.index, end: x.index + x[0].length }));
  // Sentences: up to a full stop or a line break, as ANERcorp's sentences are.
  const sentences: Tok[][] = [];
  let cur: Tok[] = [];
  all.forEach((t, i) => {
    if (cur.length && text.slice((all[i - 1] as Tok).end, t.start).includes('\n')) {
      sentences.push(cur);
      cur = [];
    }
    cur.push(t);
    if (SENTENCE_END.has(t.raw) || cur.length >= MAX_WINDOW) {
      sentences.push(cur);
      cur = [];
    }
  });
  if (cur.length) sentences.push(cur);
  const spans: TaggedSpan[] = [];
  let budget = MAX_TOKENS;
  for (const sentence of sentences) {
    budget -= sentence.length;
    if (budget < 0) break;
    const raws = sentence.map((t) => t.raw);
    const toks = raws.map((r) => searchKey(r) || r);
    const gaz = gazetteerTags(raws, g);
    const tags = m.decode(toks.map((_, k) => featuresAt(toks, gaz, k)));
    for (let k = 0; k < tags.length; ) {
      const tag = TAGS[tags[k] as number] as string;
      const type = TYPE[tag.slice(2)];
      let j = k + 1;
      if (tag.startsWith('B-') && type) {
        while (j < tags.length && TAGS[tags[j] as number] === `I-${tag.slice(2)}`) j++;
        const start = (sentence[k] as Tok).start;
        const end = (sentence[j - 1] as Tok).end;
        spans.push({ type, start, end, text: text.slice(start, end) });
      }
      k = j;
    }
  }
  return spans;
}
