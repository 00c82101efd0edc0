/**
 * Direct quotes and their speakers. A quote is a span in "…", “…” or «…» of three words or more.
 * Its speaker comes from the nearest reporting verb before it in the same sentence:
 *   - verb + person (وقال كيري) or verb + role phrase (قال وزير الخارجية الروسي) resolved to a
 *     person the article names (from the gazetteer's roles or from "<role> <name>" in the text);
 *   - a participle (مضيفاً، قائلاً، لافتاً…) or a verb with no named subject (وأضاف أن) continues
 *     with the current speaker: the last one named with a reporting verb or opening a paragraph.
 */
import { hasWordRuns, isArabicMark, LineBreaks, wordKey } from '../normalize';
import { PerWord, type TextTokens, textTokens, tokenText } from '../words';
import type { Entity, Mention } from './entities';
import type { Gazetteer, GazetteerEntry } from './gazetteer';

export interface Quote {
  speaker: { id: string; name: string } | null;
  text: string;
  start: number;
  end: number;
  evidence: { rule: 'verb-subject' | 'verb-role' | 'current-speaker' | 'none'; verb?: string };
}

const VERBS = [
  'قال',
  'اضاف',
  'اكد',
  'اوضح',
  'صرح',
  'تابع',
  'شدد',
  'اشار',
  'اعتبر',
  'راي',
  'ذكر',
  'اعلن',
  'كشف',
  'افاد',
  'لفت',
  'نوه',
  'حذر',
  'دعا',
  'طالب',
  'اعرب',
  'ختم',
  'استطرد',
  'ردف',
  'يقول',
  'يضيف',
  'قالت',
  'اضافت',
  'اكدت',
  'اوضحت',
  'صرحت',
  'تابعت',
  'شددت',
  'اشارت',
  'اعتبرت',
  'رات',
  'ذكرت',
  'اعلنت',
  'كشفت',
  'افادت',
  'لفتت',
  'حذرت',
  'دعت',
  'طالبت',
];
const PARTICIPLES = [
  'لافتا',
  'مشيرا',
  'مؤكدا',
  'مضيفا',
  'معتبرا',
  'قائلا',
  'موضحا',
  'مشددا',
  'منوها',
  'محذرا',
  'مستدركا',
  'متابعا',
  'مردفا',
  'لافته',
  'مشيره',
  'مؤكده',
  'مضيفه',
  'معتبره',
  'قائله',
  'موضحه',
];
const verbSet = new Set(VERBS);
const participleSet = new Set(PARTICIPLES);

const kindOf = new PerWord((form) => verbKind(form));

/** Characters that end the stretch before a name where its role is read ("وزير الخارجية الروسي سيرغي لافروف"). */
const ROLE_STOP = new Set([...'.،,:؛\n"“”«»'].map((c) => c.charCodeAt(0)));

/**
 * The forms of the words in body[from, to) (t: the body's tokens, words.ts): whole words, and the
 * part before `to` of a word cut there (a clitic before a name).
 */
function formsBetween(t: TextTokens, from: number, to: number): string[] {
  const ws = t.words;
  let lo = 0;
  let hi = ws.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((t.start[ws[mid] as number] as number) < from) lo = mid + 1;
    else hi = mid;
  }
  const out: string[] = [];
  for (let i = lo; i < ws.length && (t.start[ws[i] as number] as number) < to; i++) {
    const k = ws[i] as number;
    out.push((t.end[k] as number) <= to ? tokenText(t, k) : wordKey(t.text.slice(t.start[k], to)));
  }
  return out;
}

/** A phrase as written, and without a conjunction on its first word (ووزير → وزير, but وزير stays). */
function phrases(ws: string[]): string[] {
  const asIs = ws.join(' ');
  const first = ws[0] ?? '';
  return /^[وف]/u.test(first) && first.length > 3 ? [asIs, [first.slice(1), ...ws.slice(1)].join(' ')] : [asIs];
}

const stripConj = (f: string) => (/^[وف]/u.test(f) && f.length > 3 ? f.slice(1) : f);
function verbKind(form: string): 'verb' | 'participle' | undefined {
  const f = stripConj(form);
  if (verbSet.has(f) || verbSet.has(form)) return 'verb';
  if (participleSet.has(f)) return 'participle';
  return undefined;
}

/** A phrase's first word. */
const firstWord = (phrase: string) => {
  const space = phrase.indexOf(' ');
  return space < 0 ? phrase : phrase.slice(0, space);
};

/** Items grouped by the first word of their phrase, in their order. */
function byFirstWord<T>(items: Iterable<T>, phraseOf: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const first = firstWord(phraseOf(item));
    const list = out.get(first);
    if (list) list.push(item);
    else out.set(first, [item]);
  }
  return out;
}

/**
 * The gazetteer's role phrases by first word (their holders are read from the gazetteer when used),
 * grouped again when the gazetteer has more roles than when they were grouped.
 */
const groupedRoles = new WeakMap<Gazetteer, { size: number; byFirst: Map<string, string[]> }>();
function rolesByFirstWord(g: Gazetteer): Map<string, string[]> {
  let grouped = groupedRoles.get(g);
  if (!grouped || grouped.size !== g.roles.size) {
    grouped = { size: g.roles.size, byFirst: byFirstWord(g.roles.keys(), (role) => role) };
    groupedRoles.set(g, grouped);
  }
  return grouped.byFirst;
}

/** Whether the phrase is `words`, or starts with them and a space. */
const startsWithWords = (phrase: string, words: string) =>
  phrase.startsWith(words) && (phrase.length === words.length || phrase.charCodeAt(words.length) === 0x20);

interface Span {
  start: number;
  end: number;
  text: string;
}

/** Each kind of quotation mark: opening and closing (the same for straight quotes). */
const QUOTE_MARKS: Array<[open: number, close: number]> = [
  [0x201c, 0x201d], // “ ”
  [0xab, 0xbb], // « »
  [0x22, 0x22], // " "
];

/**
 * Quoted spans: typographic pairs, and straight quotes paired in order within a paragraph. What the
 * patterns “([^“”]+)”, «([^«»]+)» and "([^"]+)" find in each paragraph (line) of the body, read
 * with indexOf: from an opening mark, the first of either mark or a line break must be the closing
 * mark, with something between (test/core/quotes.test.ts compares the two). Each of the three is
 * found with indexOf and kept until the search passes it, so the body is read about once a mark.
 */
export function quotedSpans(body: string): Span[] {
  const spans: Span[] = [];
  for (const [open, close] of QUOTE_MARKS) {
    const opening = String.fromCharCode(open);
    const closing = String.fromCharCode(close);
    // The next opening mark, closing mark and line break at or after a position (body.length: none).
    let nextOpen = -1;
    let nextClose = -1;
    let nextBreak = -1;
    const after = (found: number) => (found < 0 ? body.length : found);
    let o = body.indexOf(opening);
    while (o >= 0) {
      if (nextOpen <= o) nextOpen = after(body.indexOf(opening, o + 1));
      if (nextClose <= o) nextClose = after(body.indexOf(closing, o + 1));
      if (nextBreak <= o) nextBreak = after(body.indexOf('\n', o + 1));
      const j = Math.min(nextOpen, nextClose, nextBreak);
      if (j > o + 1 && j < body.length && body.charCodeAt(j) === close) {
        const inner = body.slice(o + 1, j);
        const text = inner.trim();
        const start = o + 1 + inner.length - inner.trimStart().length;
        spans.push({ start, end: start + text.length, text });
        o = j + 1 < body.length ? body.indexOf(opening, j + 1) : -1;
      } else o = nextOpen < body.length ? nextOpen : -1;
    }
  }
  return spans.sort((a, b) => a.start - b.start);
}

interface Speech {
  at: number;
  kind: 'verb' | 'participle';
  verb: string;
  speaker?: { id: string; name: string };
  rule?: Quote['evidence']['rule'];
}

/** Index of the last speech at or before `at` (speeches are in text order), or -1. */
function lastAtOrBefore(speeches: Speech[], at: number): number {
  let lo = 0;
  let hi = speeches.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((speeches[mid] as Speech).at <= at) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** A sentence end: a line break, . ! ? or ؟. */
const endsSentenceAt = (body: string, i: number) => {
  const c = body.charCodeAt(i);
  return c === 0x0a || c === 0x2e || c === 0x21 || c === 0x3f || c === 0x061f;
};

/** How far back from a quote its sentence is looked for: a "sentence" longer than this has no punctuation at all. */
const SENTENCE_REACH = 2000;

/**
 * Whether `from` (where a reporting verb ends) is in the sentence holding `at` (where a quote
 * starts): no sentence end after it and before the quote, and not further back than SENTENCE_REACH.
 * The same as comparing `from` with the last sentence end before `at` found by a backward scan of at
 * most SENTENCE_REACH characters (a sentence end right at `from` still counts as `from`'s sentence),
 * read forward over the usually short stretch between the verb and the quote.
 */
export function inSentenceOf(body: string, from: number, at: number): boolean {
  const limit = Math.max(0, at - SENTENCE_REACH);
  if (from < limit - 1) return false;
  for (let i = Math.max(limit, from + 1); i < at; i++) if (endsSentenceAt(body, i)) return false;
  return true;
}

export function extractQuotes(body: string, entities: Entity[], g: Gazetteer): Quote[] {
  // Quotes of three words or more (fewer: a name or a term in quotes, not speech); the speech
  // around them is read only when there is one.
  const spans = quotedSpans(body).filter((span) => hasWordRuns(span.text, isArabicMark, 3));
  if (!spans.length) return [];
  const people = entities.filter((e) => e.type === 'PERSON');
  const personAt = new Map<number, Entity>();
  const mentionEnd = new Map<number, number>();
  for (const p of people)
    for (const m of p.mentions) {
      if ('start' in m) {
        personAt.set(m.start, p);
        mentionEnd.set(m.start, m.end);
      }
    }
  // The body's words (words.ts): word i is token ws[i] of t.
  const t = textTokens(body);
  const ws = t.words;
  const formOf = (i: number) => tokenText(t, ws[i] as number);
  const startOf = (i: number) => t.start[ws[i] as number] as number;
  const endOf = (i: number) => t.end[ws[i] as number] as number;
  // Roles the article itself gives: "<role words> <person>" → role phrase → person. The role is read
  // in the 80 characters before the name, after the last punctuation there. Worked out only when a
  // verb's subject is neither a person nor a role the gazetteer knows.
  let articleRoles: Map<string, Entity> | undefined;
  const rolesOfArticle = (): Map<string, Entity> => {
    if (articleRoles) return articleRoles;
    articleRoles = new Map();
    for (const p of people)
      for (const m of p.mentions as Mention[]) {
        if (!('start' in m)) continue;
        let from = m.start;
        while (from > Math.max(0, m.start - 80) && !ROLE_STOP.has(body.charCodeAt(from - 1))) from--;
        const forms = formsBetween(t, from, m.start);
        for (let k = Math.max(0, forms.length - 6); k < forms.length - 1; k++) for (const key of phrases(forms.slice(k))) articleRoles.set(key, p);
      }
    return articleRoles;
  };
  const named = new Set(people.map((p) => p.id));
  const gazetteerRoles = rolesByFirstWord(g);
  let articleRolesByFirst: Map<string, Array<[string, Entity]>> | undefined;
  // The roles are looked at only among those that start with the phrase's first word (a role is a whole-word prefix of the phrase).
  const resolveRole = (phrase: string): Entity | undefined => {
    if (!phrase) return undefined;
    const first = firstWord(phrase);
    for (const role of gazetteerRoles.get(first) ?? []) {
      if (startsWithWords(phrase, role)) {
        const holder = (g.roles.get(role) as GazetteerEntry[]).find((h) => named.has(h.id));
        if (holder) return people.find((p) => p.id === holder.id);
      }
    }
    articleRolesByFirst ??= byFirstWord(rolesOfArticle(), ([role]) => role);
    for (const [role, p] of articleRolesByFirst.get(first) ?? []) if (startsWithWords(phrase, role)) return p;
    return undefined;
  };

  const speeches: Speech[] = [];
  let paraStart = true;
  const breaks = new LineBreaks(body);
  // A speech is found at or after its word's start, and a quote reads only speeches at or before its own start: words after the last quote's start change nothing.
  const lastQuote = (spans[spans.length - 1] as Span).start;
  for (let i = 0; i < ws.length && startOf(i) <= lastQuote; i++) {
    const start = startOf(i);
    const end = endOf(i);
    if (i > 0 && breaks.within(endOf(i - 1), start)) paraStart = true;
    // A paragraph that opens with a person (" كيري" وفي مؤتمر…) makes them the current speaker.
    if (paraStart) {
      const p = personAt.get(start) ?? personAt.get(start + 1);
      if (p) speeches.push({ at: start, kind: 'verb', verb: '', speaker: { id: p.id, name: p.name }, rule: 'verb-subject' });
      paraStart = false;
    }
    const kind = kindOf.of(t, ws[i] as number);
    if (!kind) continue;
    const s: Speech = { at: end, kind, verb: formOf(i) };
    if (kind === 'verb' && i + 1 < ws.length) {
      const nextStart = startOf(i + 1);
      if (!/["“«:]/u.test(body.slice(end, nextStart))) {
        const p = personAt.get(nextStart) ?? personAt.get(nextStart + 1);
        if (p) s.speaker = { id: p.id, name: p.name };
        else {
          const following: string[] = [];
          for (let j = i + 1; j < Math.min(ws.length, i + 9); j++) following.push(formOf(j));
          const [asIs, unprefixed] = phrases(following);
          const r = resolveRole(asIs as string) ?? resolveRole(unprefixed ?? '');
          if (r) {
            s.speaker = { id: r.id, name: r.name };
            s.rule = 'verb-role';
          }
        }
        if (s.speaker) s.rule ??= 'verb-subject';
      }
    }
    speeches.push(s);
  }

  // currentBefore[k]: the last named speaker before speech k, the one a verb with no subject continues with.
  const currentBefore: Array<Quote['speaker']> = [];
  let current: Quote['speaker'] = null;
  for (const sp of speeches) {
    currentBefore.push(current);
    if (sp.speaker) current = sp.speaker;
  }
  const quotes: Quote[] = [];
  for (const span of spans) {
    let speaker: Quote['speaker'] = null;
    let evidence: Quote['evidence'] = { rule: 'none' };
    let verbIdx = -1;
    const last = lastAtOrBefore(speeches, span.start);
    const candidate = speeches[last];
    if (candidate?.verb && inSentenceOf(body, candidate.at, span.start)) verbIdx = last;
    if (verbIdx >= 0) {
      const sp = speeches[verbIdx] as Speech;
      if (sp.speaker) {
        speaker = sp.speaker;
        evidence = { rule: sp.rule ?? 'verb-subject', verb: sp.verb };
      } else {
        const current = currentBefore[verbIdx];
        if (current) {
          speaker = current;
          evidence = { rule: 'current-speaker', verb: sp.verb };
        }
      }
    }
    quotes.push({ speaker, text: span.text, start: span.start, end: span.end, evidence });
  }
  return quotes;
}
