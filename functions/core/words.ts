/**
 * The tokens of a text, read once and shared by every extractor: the search form's word runs and
 * single punctuation marks, with their offsets in the search form and in the original, each with
 * an interned id. An id stands for the same token in every article until the vocabulary fills and
 * starts over (its `generation` changes then), so what an extractor works out about a word (its
 * gazetteer reading, its tagger weights, its verb form) is kept in an array by id and found again
 * without making a string or a Map lookup: a token costs one hash of its characters where they lie,
 * and a lookup in the text kernel's table, both done by the kernel while it reads the tokens.
 */
import { detached } from './memo';
import { isArabicMark, type SearchForm, textKernel, toSearchForm } from './normalize';
import { TOKEN, TOKEN_STOP, TOKEN_WORD } from './text-kernel';

/** Marks written inside and after an Arabic word (dropped from the search form): harakat, tatweel, superscript alef. */
const isInWordMark = (c: number) => isArabicMark(c) || c === 0x0670;

/** Distinct tokens kept; the vocabulary starts over (a new generation) when it holds this many. */
export { MAX_VOCABULARY } from './text-kernel';

/**
 * Token text → id. The table is the text kernel's (text-kernel.ts: it finds each token's id while
 * it reads the tokens); here is the text of each id, and the generation, which changes each time
 * the vocabulary starts over.
 */
class Vocabulary {
  generation = 0;
  /** The text of each id. */
  words: string[] = [];

  /** The kernel's vocabulary started over `times` times: the ids name other texts now. */
  startOver(times: number): void {
    this.words = [];
    this.generation += times;
  }
}

export const vocabulary = new Vocabulary();

/**
 * Facts about tokens, computed from a token's text on first use and kept by vocabulary id while the
 * vocabulary's generation lasts (and until `clear`), so bounded by the vocabulary's own size.
 */
export class PerWord<T> {
  /** By id; kept dense (a sparse array would fall back to a dictionary). COMPUTED_UNDEFINED stands for a computed undefined. */
  private values: Array<T | typeof COMPUTED_UNDEFINED | undefined> = [];
  private generation = vocabulary.generation;

  constructor(private readonly compute: (word: string) => T) {}

  /** The fact for token k of t. */
  of(t: TextTokens, k: number): T {
    // Ids from before the vocabulary started over name other words now: computed, not cached.
    if (t.generation !== vocabulary.generation) return this.compute(tokenText(t, k));
    if (this.generation !== vocabulary.generation) this.clear();
    const id = t.id[k] as number;
    const v = this.values[id];
    if (v === COMPUTED_UNDEFINED) return undefined as T;
    if (v !== undefined) return v;
    const computed = this.compute(tokenText(t, k));
    while (this.values.length <= id) this.values.push(undefined);
    this.values[id] = computed === undefined ? COMPUTED_UNDEFINED : computed;
    return computed;
  }

  clear(): void {
    this.values = [];
    this.generation = vocabulary.generation;
  }
}
const COMPUTED_UNDEFINED = Symbol('computed undefined');

export interface TextTokens {
  /** The original text and its search form. */
  text: string;
  sf: SearchForm;
  /** Number of tokens. */
  n: number;
  /** Per token: start and end in the search form, start and end in the original, vocabulary id (its text: tokenText). */
  sStart: Int32Array;
  sEnd: Int32Array;
  start: Int32Array;
  end: Int32Array;
  id: Int32Array;
  /** The vocabulary generation the ids belong to (-1: the vocabulary started over while this text was read). */
  generation: number;
  /** Indexes of the word tokens (not punctuation), in order. */
  words: Int32Array;
  /** Indexes of the sentence ends (a mark of one unit: . ! ? ؟), in order. */
  stops: Int32Array;
}

/**
 * The tokens of the last few texts, long ones apart from short ones: the body is read by the
 * gazetteer, the tagger and the quote finder, with many names read in between.
 */
const recent = { long: [] as TextTokens[], short: [] as TextTokens[] };
/** How many texts are kept, long and short: one body at a time is read by several extractors; a long text's tokens can take tens of MB. */
const RECENT = { long: 2, short: 4 };
const LONG = 200;

/**
 * The tokens of a text: maximal runs of letters and numbers of its search form (astral ones too),
 * and each other character that is not whitespace on its own (a surrogate pair as one). A word's
 * span in the original takes in the marks written after its last letter.
 */
export function textTokens(text: string): TextTokens {
  const list = text.length >= LONG ? recent.long : recent.short;
  for (const r of list) if (r.text === text && r.generation === vocabulary.generation) return r;
  const t = tokenize(text);
  if (list.length >= (list === recent.long ? RECENT.long : RECENT.short)) list.pop();
  list.unshift(t);
  return t;
}

function tokenize(text: string): TextTokens {
  const sf = toSearchForm(text);
  const s = sf.text;
  const offsets = sf.offsets;
  // Each token's bounds in the search form, whether it is a word, and its vocabulary id (text-kernel.ts).
  const { records: r, count: n, clears, lastClear } = textKernel().tokens(s);
  if (clears) vocabulary.startOver(clears);
  let wordCount = 0;
  let stopCount = 0;
  for (let k = 0; k < n; k++) {
    const kind = r[k * TOKEN + 2] as number;
    wordCount += kind & TOKEN_WORD;
    stopCount += (kind & TOKEN_STOP) === 0 ? 0 : 1;
  }
  // One buffer for all the per-token arrays of this text.
  const all = new Int32Array(5 * n + wordCount + stopCount);
  const t: TextTokens = {
    text,
    sf,
    n,
    sStart: all.subarray(0, n),
    sEnd: all.subarray(n, 2 * n),
    start: all.subarray(2 * n, 3 * n),
    end: all.subarray(3 * n, 4 * n),
    id: all.subarray(4 * n, 5 * n),
    words: all.subarray(5 * n, 5 * n + wordCount),
    stops: all.subarray(5 * n + wordCount),
    generation: vocabulary.generation,
  };
  // Ids of tokens before the last start-over are of an earlier generation: the tokens' texts are then read from the search form.
  if (lastClear > 0) t.generation = -1;
  const words = vocabulary.words;
  for (let k = 0, w = 0, p = 0, at = 0; k < n; k++, at += TOKEN) {
    const a = r[at] as number;
    const b = r[at + 1] as number;
    const kind = r[at + 2] as number;
    const isWord = kind & TOKEN_WORD;
    t.sStart[k] = a;
    t.sEnd[k] = b;
    t.start[k] = offsets[a] as number;
    let end = (offsets[b - 1] as number) + 1;
    // A word's harakat, tatweel and superscript alef after its last letter are part of it as written. Never read past the
    // text's end: V8 deoptimises on a read out of bounds, and the code it made again ran the whole loop about 40 % slower.
    if (isWord) while (end < text.length && isInWordMark(text.charCodeAt(end))) end++;
    t.end[k] = end;
    const id = r[at + 3] as number;
    t.id[k] = id;
    // The kernel gives a new text the next id: its string is made once, kept across articles (not a view of this one).
    if (k >= lastClear && id === words.length) words.push(detached(s.slice(a, b)));
    if (isWord) t.words[w++] = k;
    else if (kind & TOKEN_STOP) t.stops[p++] = k;
  }
  return t;
}

/**
 * The text of token k of t: its vocabulary word (one string for every token of that text, so two are
 * compared by reference), or a slice of the search form when the vocabulary started over since (or
 * while) t was read.
 */
export function tokenText(t: TextTokens, k: number): string {
  return t.generation === vocabulary.generation ? (vocabulary.words[t.id[k] as number] as string) : t.sf.text.slice(t.sStart[k], t.sEnd[k]);
}

/** f of each word token's index, in order (a plain loop: Array.from over a typed array goes through its iterator). */
export function mapWords<T>(t: TextTokens, f: (k: number) => T): T[] {
  const out = new Array<T>(t.words.length);
  for (let w = 0; w < t.words.length; w++) out[w] = f(t.words[w] as number);
  return out;
}

/** Where each word token starts in the search form. */
export function wordStarts(t: TextTokens): Int32Array {
  const out = new Int32Array(t.words.length);
  for (let w = 0; w < t.words.length; w++) out[w] = t.sStart[t.words[w] as number] as number;
  return out;
}
