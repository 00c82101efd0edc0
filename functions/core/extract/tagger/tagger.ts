/**
 * The statistical entity tagger at run time: the model file (data/model/tagger.json, trained by
 * scripts/train-tagger.ts on ANERcorp) is read and compiled once per process (compiled.ts), then
 * each sentence is tagged with Viterbi. TypeScript, with a small WebAssembly kernel the code writes
 * itself (wasm.ts): no Python, no download, no GPU, no toolchain.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type TextTokens, textTokens } from '../../words';
import { type Found, scan } from '../entities';
import type { EntityType, Gazetteer } from '../gazetteer';
import { CompiledTagger } from './compiled';
import { eachReading } from './gazetteer-tags';
import { type ModelData, TAGS } from './model';

export interface TaggedSpan {
  type: EntityType;
  start: number;
  end: number;
  text: string;
}

/** Where the model is: beside the bundle in Lambda, under data/model in the repository. */
const CANDIDATES = ['./tagger.json', '../../../../data/model/tagger.json'];

const loaded = new Map<string, CompiledTagger | null>();

/**
 * The model (read once per process and file), or null when no model file is there (extract then
 * runs on the gazetteer alone). KHABAR_TAGGER_MODEL names another model file.
 */
export function loadTagger(path = process.env.KHABAR_TAGGER_MODEL): CompiledTagger | null {
  const key = path ?? '';
  if (loaded.has(key)) return loaded.get(key) as CompiledTagger | null;
  const file = path ?? CANDIDATES.map((c) => fileURLToPath(new URL(c, import.meta.url))).find((p) => existsSync(p));
  const model = file ? new CompiledTagger(JSON.parse(readFileSync(file, 'utf8')) as ModelData) : null;
  loaded.set(key, model);
  return model;
}

const TYPE: Record<string, EntityType | undefined> = { PERS: 'PERSON', LOC: 'LOCATION', ORG: 'ORGANIZATION' };
/** Longest stretch tagged at once: longer run-on text is cut into windows of this many tokens. */
const MAX_WINDOW = 250;
/** Tokens tagged per text at most, which bounds the tagger's time whatever the input (the gazetteer still reads everything). */
const MAX_TOKENS = 30_000;

/**
 * Names the tagger finds in a text, with offsets into it. `known` is the gazetteer's reading of the
 * same text when the caller has it (extract does), so the text is not scanned twice.
 */
export function tagText(text: string, g: Gazetteer, m: CompiledTagger | null = loadTagger(), known?: readonly Found[]): TaggedSpan[] {
  if (!m) return [];
  // The search form's tokens (words.ts): words as ANERcorp has them (clitics attached) and single punctuation marks.
  const t = textTokens(text);
  // The code of each token's gazetteer reading (0 for none), as the kernel reads it.
  if (codes.length < t.n) codes = new Int32Array(Math.max(t.n, 2 * codes.length));
  codes.fill(0, 0, t.n);
  eachReading(t.start, t.end, t.n, known ?? scan(text, g), (j, reading) => {
    codes[j] = m.readingCode(reading);
  });
  // Sentences: up to a full stop or a line break, as ANERcorp's sentences are.
  const spans: TaggedSpan[] = [];
  let budget = MAX_TOKENS;
  let stop = 0; // the next sentence end (t.stops) not before the sentence
  let lineBreak = -1; // the first line break at or after the end of the sentence's first token (text.length: none)
  for (let from = 0; from < t.n && budget > 0; ) {
    // The sentence's last token: a sentence end, the token before a line break, the window's end, or the text's.
    while (stop < t.stops.length && (t.stops[stop] as number) < from) stop++;
    let last = Math.min(stop < t.stops.length ? (t.stops[stop] as number) : t.n - 1, from + MAX_WINDOW - 1);
    if (lineBreak < (t.end[from] as number)) {
      const at = text.indexOf('\n', t.end[from] as number);
      lineBreak = at < 0 ? text.length : at;
    }
    if (lineBreak < (t.start[last] as number)) last = lastBefore(t.start, from, last, lineBreak);
    const n = Math.min(last + 1 - from, budget);
    budget -= n;
    const tags = m.decodeTokens(t, from, n, codes);
    addSpans(t, from, tags, spans);
    from = last + 1;
  }
  return spans;
}

/** Each token's reading code, reused from text to text (the kernel copies what it reads). */
let codes = new Int32Array(1024);

/** The last token in [from, last) that starts before `at` (a line break after token `from`'s end and before token `last`'s start). */
function lastBefore(starts: Int32Array, from: number, last: number, at: number): number {
  let lo = from;
  let hi = last - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) < at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Per tag index: the entity type a B- tag opens (undefined for O, I- and MISC), and the index of the I- tag that continues it. */
const OPENS = TAGS.map((tag) => (tag.startsWith('B-') ? TYPE[tag.slice(2)] : undefined));
const CONTINUED_BY = TAGS.map((tag) => TAGS.indexOf(`I-${tag.slice(2)}` as (typeof TAGS)[number]));

/** The names in one tagged sentence (tokens from `from` on): a B- tag and the I- tags of its type after it. */
function addSpans(t: TextTokens, from: number, tags: number[], spans: TaggedSpan[]): void {
  for (let k = 0; k < tags.length; ) {
    const tag = tags[k] as number;
    const type = OPENS[tag];
    let j = k + 1;
    if (type) {
      const inside = CONTINUED_BY[tag];
      while (j < tags.length && tags[j] === inside) j++;
      const start = t.start[from + k] as number;
      const end = t.end[from + j - 1] as number;
      spans.push({ type, start, end, text: t.text.slice(start, end) });
    }
    k = j;
  }
}
