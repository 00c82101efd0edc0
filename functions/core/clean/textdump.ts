/**
 * Boilerplate removal for visible-text dumps of news pages. Each line gets a kind from cheap
 * signals (interface lexicon, length, script, sentence punctuation, dates, file names, links,
 * run-together tickers); the article is the highest-scoring run of prose lines between hard stops
 * (comment threads, most-read boxes); the title is the line before it that best shares its words.
 */
import { parseDateLine } from '../dates';
import { memoized } from '../memo';
import { arabicShare, CONTROL_CHARS, isSpaceCode, type Lines, scanLines, textKernel, wordRuns } from '../normalize';
import { CONTENT, contentFormHash } from '../text-kernel';
import { isCommentMarker, isEndMarker, isRelatedLink, isUiPhrase, LOOKUP_LIMIT, lexiconKeyOf, lookupKeyOf } from './lexicon';
import type { CleanArticle, DroppedLine, LineKind, MetaLine } from './types';

interface Line {
  i: number;
  text: string;
  /** The line's search key (normalize.ts). */
  key: string;
  words: number;
  letters: number;
  kind: LineKind;
}

const FILE_RE = /^[\w.-]+\.(jpe?g|png|gif|webp|svg|mp4|pdf|docx?)$/i;
const URL_RE = /(https?:\/\/|www\.)\S+/i;
// The lookbehind pins each attempt to the start of a run, so a long run with no @ is read once (no quadratic backtracking).
const EMAIL_RE = /(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.]+|\[email\s*protected\]/i;
const SENTENCE_END = /[.!؟?…"”»:)]\s*$/u;
const CREDIT_RE = /©|\(c\)\s*\d{4}/i;
const STOPS = new Set([...'.!؟?…'].map((c) => c.charCodeAt(0)));
const CLOSERS = new Set([...'"”»)'].map((c) => c.charCodeAt(0)));
/**
 * A real sentence end: . ! ? ؟ … possibly followed by a closing quote or bracket, then only
 * whitespace (as `/[.!؟?…]["”»)]?\s*$/u` tests, read from the end instead of tried at every position).
 */
export function endsSentence(t: string): boolean {
  let i = t.length - 1;
  while (i >= 0 && isSpaceCode(t.charCodeAt(i))) i--;
  if (i < 0) return false;
  const c = t.charCodeAt(i);
  return STOPS.has(c) || (CLOSERS.has(c) && i > 0 && STOPS.has(t.charCodeAt(i - 1)));
}

/** Whether a global pattern matches at least n times in t (counting stops there). */
function atLeast(t: string, re: RegExp, n: number): boolean {
  re.lastIndex = 0;
  let count = 0;
  while (count < n && re.exec(t)) count++;
  re.lastIndex = 0;
  return count >= n;
}
const RELATIVE_AGE = /^[·•\s]*منذ\s+\d+/u;
/** Headlines glued together by the dump: "...تفاصيلها؟خاص |", "...الزوربوليفيا". */
const GLUED = /[؟?!.](?=[\u0621-\u064A])|\|/gu;

/**
 * A line's kind. `lexiconKey` is its lookupKeyOf when the line scan made it (normalize.ts's
 * scanLines); `words`, `letters` and `numbers` are the line scan's counts: a pattern that cannot
 * match with a letter, or with more than one, or with a second word, is not tried on such a line.
 */
function classify(
  t: string,
  searchForm: string,
  lexiconKey: string | undefined,
  words: number,
  letters: number,
  numbers: number,
  docArabic: boolean,
): LineKind {
  if (!t) return 'blank';
  const key = lexiconKey ?? lookupKeyOf(searchForm);
  if (!key) return 'ui'; // only punctuation, emoji or a counter
  if (letters === 0 && /^[\d\s.,:+\-()%]+$/.test(t)) return 'ui';
  if (words <= 1 && FILE_RE.test(t)) return 'file'; // no whitespace in a file name
  if (RELATIVE_AGE.test(searchForm)) return 'comment-meta';
  if (isCommentMarker(key) || isEndMarker(key)) return 'end';
  if (isRelatedLink(key, t)) return 'related';
  if (isUiPhrase(key)) return 'ui';
  if (letters === 1 && /^[+-]\s*[a-zA-Zأ-ي]$|^[a-zA-Zأ-ي]\s*[+-]$/u.test(t)) return 'ui'; // "+A" / "-A" font controls
  // Each pattern only where the character it needs is there: most lines are prose without any.
  if ((t.includes('©') || t.includes('(')) && CREDIT_RE.test(t)) return 'credit';
  if (((t.includes('@') || t.includes('[')) && EMAIL_RE.test(t)) || (words < 12 && URL_RE.test(t))) return 'link';
  if (numbers && parseDateLine(t, searchForm)) return 'date'; // a date line has a digit, and so a number
  if (words > 25 && atLeast(t, GLUED, 3)) return 'ticker';
  // In an Arabic page, a short line in another script (a Latin label, a Cyrillic widget title) is furniture.
  if (docArabic && words <= 6 && arabicShare(t) < 0.5) return 'ui';
  // "إسطنبول - متابعات", "واشنطن — سبوتنيك.": a place and a source.
  if (words <= 4 && /\s[-–—]\s*\S/u.test(t) && !SENTENCE_END.test(t.replace(/\.$/, ''))) return 'dateline';
  // "<caption> - (إنترنت)", "<caption> - سبوتنيك عربي": a caption with its credit.
  if (words <= 16 && /\s[-–—]\s*(\([^()]{2,40}\)|[^\s.،,]+(\s[^\s.،,]+)?)\.?\s*$/u.test(t) && !/[،,]/.test(t)) return 'caption';
  // Prose ends a sentence (a closing quote may follow the period), or is too long for a headline.
  // Headlines with a colon, a comma or a closing quote ("كيري: «نأمل…»") stay text.
  if ((words >= 6 && endsSentence(t)) || (words > 20 && /[.،,:;؛"“”«»!?؟]/u.test(t))) return 'prose';
  return 'text';
}

function weight(l: Line): number {
  switch (l.kind) {
    case 'prose':
      return l.words;
    case 'blank':
      return 0;
    case 'text':
      return l.words >= 3 ? -1 : -3;
    case 'related':
    case 'date':
    case 'dateline':
    case 'caption':
    case 'credit':
    case 'file':
      return -4;
    default:
      return -10;
  }
}

const isBarrier = (l: Line) => l.kind === 'end' || l.kind === 'comment-meta';

/** The run of lines [start, end] with the largest total weight, not crossing a barrier. */
function densestRun(lines: Line[]): [number, number] | undefined {
  let best: [number, number] | undefined;
  let bestScore = 0;
  let cur = 0;
  let start = 0;
  for (let k = 0; k < lines.length; k++) {
    const l = lines[k] as Line;
    if (isBarrier(l)) {
      cur = 0;
      start = k + 1;
      continue;
    }
    cur += weight(l);
    if (cur <= 0) {
      cur = 0;
      start = k + 1;
    } else if (cur > bestScore) {
      bestScore = cur;
      best = [start, k];
    }
  }
  return best;
}

const STOP = new Set(
  'في من على الى عن ان او ما لا مع هذا هذه ذلك التي الذي بين بعد قبل حتى كما قد لم لن كان كانت وقد وفي ومن وان انه بان ايضا حول عبر خلال'.split(' '),
);
/** The content words of a search key: 3 letters or more, no stop words, the article and clitics off. */
export function contentWords(key: string): Set<string> {
  const out = new Set<string>();
  for (const [from, to] of wordRuns(key)) {
    const w = contentForm(key.slice(from, to));
    if (w) out.add(w);
  }
  return out;
}

/** A word's content form ('' for a stop word or a short one). */
const contentForm = memoized((w: string) => (w.length < 3 || STOP.has(w) ? '' : w.replace(/^(وال|بال|فال|لل|ال|و|ف|ب|ل)(?=\p{L}{3})/u, '')));

/** Longest stop word: longer words need no stop-list lookup. */
const LONGEST_STOP = Math.max(...[...STOP].map((w) => w.length));

/** The hashes of bodyContentWords' table's slots (read only where a word is). */
let slotHashes = new Int32Array(256);

/**
 * Which of `wanted` (content forms) are content forms of words in the body's keys. The same as
 * intersecting with contentWords(bodyKeys.join(' ')), without making a string of every body word:
 * the text kernel reads the keys in one piece and hands back each word's content form as a hash
 * and a span (text-kernel.ts's contentWords), looked for in a small table of the wanted ones.
 */
export function bodyContentWords(bodyKeys: readonly string[], wanted: readonly string[]): Set<string> {
  let size = 16;
  while (size < wanted.length * 4) size *= 2;
  const mask = size - 1;
  const table: Array<string | undefined> = new Array(size);
  if (slotHashes.length < size) slotHashes = new Int32Array(size);
  const hashes = slotHashes;
  let left = 0; // distinct words not found yet: once all are found, the rest of the body can change nothing
  for (const w of wanted) {
    const h = contentFormHash(w.length, w.charCodeAt(0), w.charCodeAt(1), w.charCodeAt(w.length - 1), w.charCodeAt(w.length - 2));
    let slot = h & mask;
    while (table[slot] !== undefined && table[slot] !== w) slot = (slot + 1) & mask;
    if (table[slot] === undefined) left++;
    table[slot] = w;
    hashes[slot] = h;
  }
  const found = new Set<string>();
  if (!left) return found;
  // The keys in one piece, a line break (no word's unit) between two.
  const key = bodyKeys.join('\n');
  const { records: r, count } = textKernel().contentWords(key);
  for (let at = 0; at < count * CONTENT && left; at += CONTENT) {
    const h = r[at] as number;
    const from = r[at + 1] as number;
    const e = r[at + 2] as number;
    for (let slot = h & mask; table[slot] !== undefined; slot = (slot + 1) & mask) {
      const w = table[slot] as string;
      if (hashes[slot] === h && w.length === e - from && key.startsWith(w, from)) {
        const start = r[at + 3] as number;
        // A stop word has no content form (looked at only here: few words get this far).
        if (!found.has(w) && (e - start > LONGEST_STOP || !STOP.has(key.slice(start, e)))) {
          found.add(w);
          left--;
        }
        break;
      }
    }
  }
  return found;
}

function pickTitle(lines: Line[], runStart: number, bodyKeys: readonly string[]): Line | undefined {
  const candidates: Array<{ line: Line; k: number; words: Set<string> }> = [];
  for (let k = 0; k < runStart; k++) {
    const l = lines[k] as Line;
    if ((l.kind === 'text' || l.kind === 'prose') && l.words >= 2 && l.words <= 30) candidates.push({ line: l, k, words: contentWords(l.key) });
  }
  if (!candidates.length) return undefined;
  const inBody = bodyContentWords(
    bodyKeys,
    candidates.flatMap((c) => [...c.words]),
  );
  let best: Line | undefined;
  let bestScore = 0;
  for (const { line: l, k, words } of candidates) {
    let shared = 0;
    for (const w of words) if (inBody.has(w)) shared++;
    if (!shared) continue;
    // Shared vocabulary, a little preference for lines close to the article and for headline length.
    const score = shared / Math.sqrt(words.size) + (l.words >= 4 && l.words <= 18 ? 0.5 : 0) - (runStart - k) * 0.01;
    if (score > bestScore) {
      bestScore = score;
      best = l;
    }
  }
  return best;
}

/** The language of a text from the scripts of its letters (among its first 20,000 code units, scanLines). */
function languageOf(counts: Lines['script']): CleanArticle['language'] {
  const letters = counts.letters || 1;
  if (counts.arabicScript / letters > 0.5) return counts.persian / Math.max(1, counts.arabicScript) > 0.02 ? 'fa' : 'ar';
  if (counts.latin / letters > 0.5) return 'en';
  return 'other';
}

export type CleanedDump = Omit<CleanArticle, 'format' | 'pageMeta'> & {
  /** The search key of each body paragraph (the body is these paragraphs joined by blank lines). */
  paragraphKeys: string[];
  /** Letters in the body. */
  bodyLetters: number;
};

/** `mayHaveControls`: false when the text is known to hold no control characters (decodeBytes counted them). */
export function cleanTextDump(text: string, mayHaveControls = true): CleanedDump {
  const lf = text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
  const normalised = mayHaveControls ? lf.replace(CONTROL_CHARS, '') : lf;
  // Each line trimmed, with its search key and word count, and the language: one pass over the text.
  const scanned = scanLines(normalised, 20000, LOOKUP_LIMIT);
  const language = languageOf(scanned.script);
  const docArabic = language === 'ar' || language === 'fa';
  const lines: Line[] = scanned.texts.map((t, i) => {
    const key = scanned.keys[i] as string;
    const words = scanned.words[i] as number;
    const letters = scanned.letters[i] as number;
    return { i, text: t, key, words, letters, kind: classify(t, key, scanned.lexicon[i], words, letters, scanned.numbers[i] as number, docArabic) };
  });
  // A line the page repeats (a headline shown twice, a menu) is never article prose.
  // Prose lines grouped by length first: only lines that share a length are counted by their text,
  // so a long paragraph of a length of its own is never hashed whole as a map key.
  const byLength = new Map<number, Line[]>();
  for (const l of lines) {
    if (l.kind !== 'prose') continue;
    const same = byLength.get(l.text.length);
    if (same) same.push(l);
    else byLength.set(l.text.length, [l]);
  }
  for (const same of byLength.values()) {
    if (same.length < 2) continue;
    const seen = new Map<string, number>();
    for (const l of same) seen.set(l.text, (seen.get(l.text) ?? 0) + 1);
    for (const l of same) if ((seen.get(l.text) as number) > 1) l.kind = 'text';
  }
  const content = lines.filter((l) => l.kind !== 'blank');
  const run = densestRun(content);
  const dropped: DroppedLine[] = [];
  const meta: MetaLine[] = [];
  const comments: string[] = [];
  if (!run) {
    for (const l of content) dropped.push({ text: l.text, why: l.kind });
    return { title: null, body: '', meta, comments, dropped, language, paragraphKeys: [], bodyLetters: 0 };
  }
  const [s, e] = run;
  const paragraphs: string[] = [];
  const bodyKeys: string[] = [];
  let bodyLetters = 0;
  for (let k = s; k <= e; k++) {
    const l = content[k] as Line;
    if (l.kind === 'prose' || (l.kind === 'text' && l.words >= 3)) {
      paragraphs.push(l.text);
      bodyKeys.push(l.key);
      bodyLetters += l.letters;
    } else if (['date', 'dateline', 'caption', 'credit'].includes(l.kind)) meta.push({ kind: l.kind as MetaLine['kind'], text: l.text, line: l.i });
    else dropped.push({ text: l.text, why: l.kind });
  }
  const titleLine = pickTitle(content, s, bodyKeys);
  const titleKey = titleLine?.key;
  let inComments = false;
  for (let k = 0; k < content.length; k++) {
    if (k >= s && k <= e) continue;
    const l = content[k] as Line;
    if (l === titleLine) continue;
    if (k > e && (l.kind === 'end' || l.kind === 'comment-meta')) inComments ||= l.kind === 'comment-meta' || isCommentMarker(lexiconKeyOf(l.key));
    if (titleKey && l.key === titleKey) meta.push({ kind: 'title-repeat', text: l.text, line: l.i });
    else if (['date', 'dateline', 'caption', 'credit'].includes(l.kind) && (k < s || !inComments))
      meta.push({ kind: l.kind as MetaLine['kind'], text: l.text, line: l.i });
    else if (inComments && (l.kind === 'prose' || (l.kind === 'text' && l.words >= 4))) comments.push(l.text);
    else if (k === e + 1 && l.kind === 'text' && l.words <= 3)
      meta.push({ kind: 'signature', text: l.text }); // "سيريانيوز" under the article
    else if (l.kind === 'credit') meta.push({ kind: 'credit', text: l.text });
    else dropped.push({ text: l.text, why: l.kind === 'prose' || l.kind === 'text' ? 'outside-article' : l.kind });
  }
  return { title: titleLine?.text ?? null, body: paragraphs.join('\n\n'), meta, comments, dropped, language, paragraphKeys: bodyKeys, bodyLetters };
}
