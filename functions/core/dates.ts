/**
 * Arabic date grammar shared by clean (is this line a date line?) and extract (publication date,
 * dates mentioned). Everything is matched on the search form (normalize.ts), so hamza, taa marbuta
 * and Arabic-Indic digits need no special cases here.
 */
import { searchKey } from './normalize';
import { PerWord, type TextTokens, textTokens } from './words';

const MONTHS: Array<[string, number]> = [
  // Levantine / Iraqi
  ['كانون الثاني', 1],
  ['شباط', 2],
  ['اذار', 3],
  ['نيسان', 4],
  ['ايار', 5],
  ['حزيران', 6],
  ['تموز', 7],
  ['اب', 8],
  ['ايلول', 9],
  ['تشرين الاول', 10],
  ['تشرين الثاني', 11],
  ['كانون الاول', 12],
  // Egyptian / Gulf
  ['يناير', 1],
  ['فبراير', 2],
  ['مارس', 3],
  ['ابريل', 4],
  ['مايو', 5],
  ['يونيو', 6],
  ['يونيه', 6],
  ['يوليو', 7],
  ['يوليه', 7],
  ['اغسطس', 8],
  ['سبتمبر', 9],
  ['اكتوبر', 10],
  ['نوفمبر', 11],
  ['ديسمبر', 12],
  // Maghrebi (Algeria, Tunisia; Morocco)
  ['جانفي', 1],
  ['فيفري', 2],
  ['افريل', 4],
  ['ماي', 5],
  ['جوان', 6],
  ['جويليه', 7],
  ['اوت', 8],
  ['يوليوز', 7],
  ['غشت', 8],
  ['شتنبر', 9],
  ['نونبر', 11],
  ['دجنبر', 12],
];
const MONTH_OF = new Map(MONTHS);
/** Month names that are also ordinary words: accepted only beside a day number or a year. */
const AMBIGUOUS_MONTHS = new Set(['اب', 'ماي', 'اوت']);

const ORDINALS: Array<[string, number]> = [
  ['الحادي والثلاثين', 31],
  ['الثلاثين', 30],
  ['التاسع والعشرين', 29],
  ['الثامن والعشرين', 28],
  ['السابع والعشرين', 27],
  ['السادس والعشرين', 26],
  ['الخامس والعشرين', 25],
  ['الرابع والعشرين', 24],
  ['الثالث والعشرين', 23],
  ['الثاني والعشرين', 22],
  ['الحادي والعشرين', 21],
  ['العشرين', 20],
  ['التاسع عشر', 19],
  ['الثامن عشر', 18],
  ['السابع عشر', 17],
  ['السادس عشر', 16],
  ['الخامس عشر', 15],
  ['الرابع عشر', 14],
  ['الثالث عشر', 13],
  ['الثاني عشر', 12],
  ['الحادي عشر', 11],
  ['العاشر', 10],
  ['التاسع', 9],
  ['الثامن', 8],
  ['السابع', 7],
  ['السادس', 6],
  ['الخامس', 5],
  ['الرابع', 4],
  ['الثالث', 3],
  ['الثاني', 2],
  ['الاول', 1],
];
const ORDINAL_OF = new Map(ORDINALS);

const WEEKDAYS: Array<[string, number]> = [
  ['الاحد', 0],
  ['الاثنين', 1],
  ['الثلاثاء', 2],
  ['الاربعاء', 3],
  ['الخميس', 4],
  ['الجمعه', 5],
  ['السبت', 6],
];
const WEEKDAY_OF = new Map(WEEKDAYS);
/** Weekday names that are also ordinary words (أحد "anyone", جمعة "assembly"): need يوم/أمس/الماضي. */
const AMBIGUOUS_WEEKDAYS = new Set(['الاحد', 'الجمعه']);

const alt = (xs: string[]) => xs.sort((a, b) => b.length - a.length).join('|');
const MONTH_RE = alt(MONTHS.map(([m]) => m));
const ORD_RE = alt(ORDINALS.map(([o]) => o));
const WD_RE = alt(WEEKDAYS.map(([w]) => w));
const REL_RE = 'الحالي|الجاري|الماضي|المنصرم|المقبل|القادم|الفائت';
const B = '(?<![\\p{L}\\p{N}])';
const E = '(?![\\p{L}\\p{N}])';

// "23 كانون الثاني الحالي", "الثامن من شباط القادم", "17 مارس/ آذار 2020", "ايلول 2015", "٣٠ ديسمبر كانون الأول ٢٠١٦"
export const ABSOLUTE = new RegExp(
  `${B}(?:(\\d{1,2})\\s*(?:من\\s+)?|(${ORD_RE})\\s+من\\s+)?(?:شهر\\s+)?(${MONTH_RE})${E}(?:\\s*[/\\\\(-]?\\s*(${MONTH_RE})${E}\\)?)?(?:\\s*[,،]?\\s*(?:عام|سنه)?\\s*(\\d{4})${E})?(?:\\s+(${REL_RE})${E})?`,
  'gu',
);
// "أمس الأربعاء", "أول أمس الثلاثاء", "يوم الخميس", "الخميس الماضي", "أمس"
export const RELATIVE = new RegExp(
  `${B}(?:(اول\\s+امس|امس\\s+الاول|امس)(?:\\s+(${WD_RE}))?|(يوم\\s+)?(${WD_RE})(?:\\s+(الماضي|المنصرم|الفائت|المقبل|القادم))?)${E}`,
  'gu',
);
// 06.01.2017 | 00:24 ; 2021.02.18 | 12:18 ; 2021-02-18T12:18:00Z
const NUMERIC = new RegExp(
  `${B}(?:(\\d{4})[./-](\\d{1,2})[./-](\\d{1,2})|(\\d{1,2})[./-](\\d{1,2})[./-](\\d{4}))${E}(?:[T\\s|،,-]*(\\d{1,2}):(\\d{2})(?::(\\d{2}))?)?`,
  'gu',
);

/**
 * `[...search.matchAll(re)]` for a date pattern over a text's search form (t: its tokens, words.ts),
 * without running it at every position (its optional leading parts make it try each one: about
 * 20 ns a character for ABSOLUTE). Every match holds a trigger word, a month name (its first word
 * for كانون الثاني, at most two digits glued before it) or أمس or a weekday, and starts at the
 * start of a word at most `before` words ahead of it: only the starts of those words are tried, in
 * order, with the pattern anchored there. Which words are triggers is worked out once per distinct
 * word (by vocabulary id). Same matches as the whole-text scan (test/core/dates.test.ts compares them on random texts).
 */
export function matchesAround(t: TextTokens, p: Pattern, found: TriggerWords = triggerWords(t)): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  const search = t.sf.text;
  const { anchored, before } = p;
  const ws = t.words;
  let done = 0; // the text before this is matched or ruled out
  for (let x = 0; x < found.words.length; x++) {
    const w = found.words[x] as number;
    if (((found.kinds[x] as number) & p.trigger) === 0 || (t.sStart[ws[w] as number] as number) < done) continue;
    for (let v = Math.max(0, w - before); v <= w; v++) {
      const start = t.sStart[ws[v] as number] as number;
      if (start < done) continue;
      anchored.lastIndex = start;
      const x = anchored.exec(search);
      if (x) {
        out.push(x);
        done = start + x[0].length;
        break;
      }
    }
  }
  return out;
}

interface Pattern {
  /** The trigger words every match holds (a TRIGGER bit). */
  trigger: number;
  /** The pattern, sticky. */
  anchored: RegExp;
  /** How many words before its trigger a match may start. */
  before: number;
}
/** What kind of trigger a word is: a month (for ABSOLUTE), أمس or a weekday (for RELATIVE). */
const TRIGGER = { month: 1, relative: 2 };
const MONTH_WORDS = new Set(MONTHS.map(([m]) => m.split(' ')[0] as string));
const RELATIVE_WORDS = new Set(['امس', ...WEEKDAYS.map(([w]) => w)]);
const triggers = new PerWord((word: string) => {
  const w = word.replace(/^[0-9]{1,2}/, '');
  return (MONTH_WORDS.has(w) ? TRIGGER.month : 0) | (RELATIVE_WORDS.has(word) ? TRIGGER.relative : 0);
});
/** The words of a text that are triggers (indexes into t.words), and the kind of each, in order. */
interface TriggerWords {
  words: number[];
  kinds: number[];
}
/** The trigger words of t: read once for both patterns, each of which then visits only them. */
function triggerWords(t: TextTokens): TriggerWords {
  const ws = t.words;
  const found: TriggerWords = { words: [], kinds: [] };
  for (let w = 0; w < ws.length; w++) {
    const kind = triggers.of(t, ws[w] as number) as number;
    if (kind === 0) continue;
    found.words.push(w);
    found.kinds.push(kind);
  }
  return found;
}
/** A day, an ordinal day ("الحادي والعشرين") with من, and شهر: at most four words before the month. */
export const ABSOLUTE_AROUND: Pattern = { trigger: TRIGGER.month, anchored: new RegExp(ABSOLUTE.source, 'uy'), before: 4 };
/** "أول أمس", "يوم الخميس": at most one word before أمس or the weekday. */
export const RELATIVE_AROUND: Pattern = { trigger: TRIGGER.relative, anchored: new RegExp(RELATIVE.source, 'uy'), before: 1 };

export type Precision = 'day' | 'month' | 'year';
export interface DateMention {
  /** Offsets into the original text. */
  start: number;
  end: number;
  text: string;
  /** ISO calendar value at its precision (2017-01-23, 2015-09, 2015), or null when it cannot be resolved. */
  value: string | null;
  precision: Precision;
  rule: 'absolute' | 'relative-day' | 'weekday' | 'numeric';
}

export interface YMD {
  y: number;
  m: number;
  d: number;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const iso = (x: YMD) => `${pad(x.y, 4)}-${pad(x.m)}-${pad(x.d)}`;
function validDay(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}
function addDays(x: YMD, n: number): YMD {
  const t = new Date(Date.UTC(x.y, x.m - 1, x.d + n));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}
const weekday = (x: YMD) => new Date(Date.UTC(x.y, x.m - 1, x.d)).getUTCDay();

function resolveMonthYear(month: number, year: number | undefined, rel: string | undefined, ref: YMD | undefined): number | undefined {
  if (year) return year;
  if (!ref) return undefined;
  if (rel === 'الماضي' || rel === 'المنصرم' || rel === 'الفائت') return month >= ref.m ? ref.y - 1 : ref.y;
  if (rel === 'المقبل' || rel === 'القادم') return month <= ref.m ? ref.y + 1 : ref.y;
  return ref.y;
}

interface Hit {
  s: number;
  e: number;
  value: string | null;
  precision: Precision;
  rule: DateMention['rule'];
}

function scan(t: TextTokens, ref: YMD | undefined): Hit[] {
  const search = t.sf.text;
  const hits: Hit[] = [];
  for (const m of search.matchAll(NUMERIC)) {
    const [y, mo, d] = m[1] ? [+m[1], +(m[2] as string), +(m[3] as string)] : [+(m[6] as string), +(m[5] as string), +(m[4] as string)];
    if (!validDay(y, mo, d) || y < 1900 || y > 2100) continue;
    hits.push({ s: m.index, e: m.index + m[0].length, value: iso({ y, m: mo, d }), precision: 'day', rule: 'numeric' });
  }
  const found = triggerWords(t);
  for (const m of matchesAround(t, ABSOLUTE_AROUND, found)) {
    const monthName = m[3] as string;
    const month = MONTH_OF.get(monthName) as number;
    const alsoMonth = m[4] ? MONTH_OF.get(m[4]) : undefined;
    if (alsoMonth !== undefined && alsoMonth !== month) continue; // "مارس/ آذار" must agree
    const day = m[1] ? +m[1] : m[2] ? ORDINAL_OF.get(m[2]) : undefined;
    const year = m[5] ? +m[5] : undefined;
    const rel = m[6];
    if (year !== undefined && (year < 1900 || year > 2100)) continue; // Hijri or not a year
    if (day === undefined && year === undefined && rel === undefined) continue; // a bare month name says too little
    if (AMBIGUOUS_MONTHS.has(monthName) && day === undefined && year === undefined) continue;
    const y = resolveMonthYear(month, year, rel, ref);
    let value: string | null = null;
    let precision: Precision = day ? 'day' : 'month';
    if (y !== undefined) {
      if (day !== undefined) value = validDay(y, month, day) ? iso({ y, m: month, d: day }) : null;
      else value = `${pad(y, 4)}-${pad(month)}`;
    }
    if (day !== undefined && value === null && y !== undefined) precision = 'month';
    hits.push({ s: m.index, e: m.index + m[0].length, value, precision, rule: 'absolute' });
  }
  for (const m of matchesAround(t, RELATIVE_AROUND, found)) {
    const s = m.index;
    const e = s + m[0].length;
    if (hits.some((h) => s < h.e && e > h.s)) continue;
    let target: YMD | undefined;
    if (m[1]) {
      const back = m[1] === 'امس' ? 1 : 2;
      target = ref ? addDays(ref, -back) : undefined;
      hits.push({ s, e, value: target ? iso(target) : null, precision: 'day', rule: 'relative-day' });
      continue;
    }
    const wdName = m[4] as string;
    const wd = WEEKDAY_OF.get(wdName) as number;
    const rel = m[5];
    if (AMBIGUOUS_WEEKDAYS.has(wdName) && !m[3] && !rel) continue;
    if (ref) {
      const diff = (weekday(ref) - wd + 7) % 7;
      target = rel === 'المقبل' || rel === 'القادم' ? addDays(ref, (wd - weekday(ref) + 7) % 7 || 7) : addDays(ref, rel ? -(diff || 7) : -diff);
    }
    hits.push({ s, e, value: target ? iso(target) : null, precision: 'day', rule: 'weekday' });
  }
  return hits.sort((a, b) => a.s - b.s);
}

/** Dates mentioned in `text`, resolved against `ref` (the publication day) where they are relative. */
export function findDates(text: string, ref?: YMD): DateMention[] {
  const t = textTokens(text);
  const sf = t.sf;
  const out: DateMention[] = [];
  let lastEnd = -1;
  for (const h of scan(t, ref)) {
    if (h.s < lastEnd) continue; // overlapping reading of the same words
    lastEnd = h.e;
    const start = sf.offsets[h.s] as number;
    const end = (sf.offsets[h.e - 1] as number) + 1;
    out.push({ start, end, text: text.slice(start, end), value: h.value, precision: h.precision, rule: h.rule });
  }
  return out;
}

export interface DateLine {
  date: YMD;
  time?: { h: number; m: number };
  /** Words after the date and time: often the city whose clock the time is on (`12:18 دمشق`). */
  trailing: string;
}

/** A Hijri date ("6 جمادى الأولى 1442 هـ") beside the Gregorian one: set aside, the Gregorian date is read. */
const HIJRI = new RegExp(
  `${B}\\d{1,2}\\s+(محرم|صفر|ربيع الاول|ربيع الثاني|ربيع الاخر|جمادي الاولي|جمادي الاخره|جمادي الثانيه|جمادي الاخر|رجب|شعبان|رمضان|شوال|ذو القعده|ذي القعده|ذو الحجه|ذي الحجه)\\s+\\d{4}(\\s*ه[ـ]?)?${E}|${B}الموافق${E}`,
  'gu',
);

/** Any digit a date could be written with (Western, Arabic-Indic, Persian, full-width): a line without one holds no date. */
const ANY_DIGIT = /[0-9\u0660-\u0669\u06F0-\u06F9\uFF10-\uFF19]/;

/** Longest date line, in search-form characters, once a Hijri date is set aside. */
const DATE_LINE_MAX = 60;
/**
 * What HIJRI cannot match without: الموافق, or a digit, whitespace and the start of a Hijri month ("ذي" alone is in الذي).
 * Asked as two questions: a literal search, and a pattern that starts with a digit, which the engine skips to quickly (one
 * pattern with both would try the literal at every alef).
 */
const hijriHint = (key: string) => key.includes('الموافق') || /\d\s+(?:محرم|صفر|ربيع|جمادي|رجب|شعبان|رمضان|شوال|ذو|ذي)/.test(key);
/** The first match only (the global patterns keep a lastIndex). */
const NUMERIC_ONCE = new RegExp(NUMERIC.source, 'u');
/** Words a date line may have besides its date: a weekday, "نشر في", "آخر تحديث"… */
const LINE_WORDS = new RegExp(`${B}(${WD_RE}|نشر|في|بتاريخ|تاريخ|النشر|اخر|تحديث|التحديث|بتوقيت|توقيت|الساعه|يوم)${E}`, 'gu');
const ABSOLUTE_ONCE = new RegExp(ABSOLUTE.source, 'u');

/**
 * Reads a line that is only a date (and time, and maybe a city): the date line of an article page.
 * Returns undefined for a line that says anything more. `lineKey`: the line's searchKey, when the
 * caller has it.
 */
export function parseDateLine(line: string, lineKey?: string): DateLine | undefined {
  if (!ANY_DIGIT.test(line)) return undefined;
  const key = lineKey ?? searchKey(line);
  // Without a Hijri date to set aside, the key is what is read: a long one is prose (the common case, decided without the Hijri pattern).
  const hijri = hijriHint(key);
  if (key.length > DATE_LINE_MAX && !hijri) return undefined;
  // A search key has its whitespace folded already: without a Hijri date it is the text read as it is.
  const sf = hijri ? key.replace(HIJRI, ' ').replace(/\s+/g, ' ').trim() : key;
  if (sf.length > DATE_LINE_MAX) return undefined;
  if (/منذ/.test(sf)) return undefined; // "منذ 7 سنوات": relative age, typical of comments
  const num = NUMERIC_ONCE.exec(sf);
  const abs = ABSOLUTE_ONCE.exec(sf);
  let date: YMD | undefined;
  let rest = sf;
  if (num) {
    const [y, m, d] = num[1] ? [+num[1], +(num[2] as string), +(num[3] as string)] : [+(num[6] as string), +(num[5] as string), +(num[4] as string)];
    if (!validDay(y, m, d)) return undefined;
    date = { y, m, d };
    rest = `${sf.slice(0, num.index)} ${sf.slice(num.index + num[0].length)}`;
    if (num[7]) rest = `${num[7]}:${num[8]} ${rest}`;
  } else if (abs?.[1] && abs[5]) {
    const m = MONTH_OF.get(abs[3] as string) as number;
    const d = +abs[1];
    const y = +abs[5];
    if (!validDay(y, m, d)) return undefined;
    date = { y, m, d };
    rest = `${sf.slice(0, abs.index)} ${sf.slice(abs.index + abs[0].length)}`;
  }
  if (!date) return undefined;
  let time: DateLine['time'];
  const t = /(\d{1,2}):(\d{2})(?::\d{2})?\s*(ص|م|am|pm)?/iu.exec(rest);
  if (t) {
    let h = +(t[1] as string);
    const mi = +(t[2] as string);
    if (t[3] && /م|pm/i.test(t[3]) && h < 12) h += 12;
    if (t[3] && /ص|am/i.test(t[3]) && h === 12) h = 0;
    if (h < 24 && mi < 60) time = { h, m: mi };
    rest = `${rest.slice(0, t.index)} ${rest.slice(t.index + t[0].length)}`;
  }
  // What is left may be separators, a weekday, "نشر في", "آخر تحديث" or a city name; more words mean prose.
  const trailing = rest
    .replace(/[|،,:\-–—/()[\]]/g, ' ')
    .replace(LINE_WORDS, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (trailing.split(' ').filter(Boolean).length > 3) return undefined;
  return { date, time, trailing };
}

export function ymdOf(isoString: string): YMD | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoString);
  return m ? { y: +(m[1] as string), m: +(m[2] as string), d: +(m[3] as string) } : undefined;
}
export { iso as ymdToIso, pad };
