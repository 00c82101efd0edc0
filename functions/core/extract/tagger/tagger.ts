/**
 * The statistical entity tagger at run time: the model file (data/model/tagger.json, trained by
 * scripts/train-tagger.ts on ANERcorp) is read and compiled once per process (compiled.ts), then
 * each sentence is tagged with Viterbi. Plain TypeScript: no Python, no download, no GPU.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { astralWordChar, hasNewline, isArabicMark, isSpaceCode, isWordCode, wordKey } from '../../normalize';
import { type Found, scan } from '../entities';
import type { EntityType, Gazetteer } from '../gazetteer';
import { CompiledTagger, type WordInfo } from './compiled';
import { readingsOf } from './gazetteer-tags';
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
/** Marks that stay inside a token: harakat, tatweel and the superscript alef. */
const isTokenMark = (c: number) => isArabicMark(c) || c === 0x0670;

/**
 * Tokens as ANERcorp has them: words (with their clitics and marks) and single punctuation marks,
 * as [start, end) offsets. The same tokens as `/[\p{L}\p{N}\u064B-\u065F\u0670\u0640]+|[^\s\p{L}\p{N}]/gu`.
 */
export function taggerTokens(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let from = -1; // start of the word being read
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isWordCode(c) || isTokenMark(c)) {
      if (from < 0) from = i;
      continue;
    }
    const pair = c >= 0xd800 && c <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1));
    if (pair && astralWordChar(text, i)) {
      if (from < 0) from = i;
      i++;
      continue;
    }
    if (from >= 0) {
      out.push([from, i]);
      from = -1;
    }
    if (pair) {
      out.push([i, i + 2]);
      i++;
    } else if (!isSpaceCode(c)) out.push([i, i + 1]);
  }
  if (from >= 0) out.push([from, text.length]);
  return out;
}
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;
const SENTENCE_END = new Set(['.', '!', '?', '؟']);
/** Longest stretch tagged at once: longer run-on text is cut into windows of this many tokens. */
const MAX_WINDOW = 250;
/** Tokens tagged per text at most, which bounds the tagger's time whatever the input (the gazetteer still reads everything). */
const MAX_TOKENS = 30_000;

const keyOf = (raw: string) => wordKey(raw) || raw;

/**
 * Names the tagger finds in a text, with offsets into it. `known` is the gazetteer's reading of the
 * same text when the caller has it (extract does), so the text is not scanned twice.
 */
export function tagText(text: string, g: Gazetteer, m: CompiledTagger | null = loadTagger(), known?: readonly Found[]): TaggedSpan[] {
  if (!m) return [];
  const toks = taggerTokens(text);
  const keys = toks.map(([start, end]) => keyOf(text.slice(start, end)));
  const gaz = readingsOf(toks, known ?? scan(text, g));
  // Sentences: up to a full stop or a line break, as ANERcorp's sentences are.
  const spans: TaggedSpan[] = [];
  let budget = MAX_TOKENS;
  let from = 0;
  for (let i = 0; i < toks.length && budget > 0; i++) {
    const next = toks[i + 1];
    const breaks = !next || SENTENCE_END.has(keys[i] as string) || i + 1 - from >= MAX_WINDOW || hasNewline(text, (toks[i] as Token)[1], next[0]);
    if (!breaks) continue;
    const n = Math.min(i + 1 - from, budget);
    budget -= n;
    m.reserve(n);
    const words: WordInfo[] = new Array(n);
    for (let k = 0; k < n; k++) words[k] = m.word(keys[from + k] as string);
    const tags = m.decodeWords(words, gaz.slice(from, from + n));
    addSpans(text, toks, from, tags, spans);
    from = i + 1;
  }
  return spans;
}

type Token = [start: number, end: number];

/** The names in one tagged sentence (tokens from `from` on): a B- tag and the I- tags of its type after it. */
function addSpans(text: string, toks: readonly Token[], from: number, tags: number[], spans: TaggedSpan[]): void {
  for (let k = 0; k < tags.length; ) {
    const tag = TAGS[tags[k] as number] as string;
    const type = TYPE[tag.slice(2)];
    let j = k + 1;
    if (tag.startsWith('B-') && type) {
      while (j < tags.length && TAGS[tags[j] as number] === `I-${tag.slice(2)}`) j++;
      const start = (toks[from + k] as Token)[0];
      const end = (toks[from + j - 1] as Token)[1];
      spans.push({ type, start, end, text: text.slice(start, end) });
    }
    k = j;
  }
}
