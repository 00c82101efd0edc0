/**
 * Interface phrases of news pages, Arabic and English, in search form (see normalize.ts): no
 * diacritics, one alef, taa marbuta as haa. A line that is one of these phrases, or starts with a
 * `prefix` entry, is page furniture, not article text. To add an entry, write it as it appears on
 * the page; `lexiconKey` folds it. Keep entries general to news sites, never copied from one article.
 */
import { astralWordChar, isSpaceCode, isWordCode, lowerOf, NOT_SIMPLE, searchKey, UnitReader } from '../normalize';

/** foldUnits' answer when it cannot tell from what it was given. */
const REDO = -1;

/** counterEnd's answer when the units end inside what could still be a counter. */
const RAN_OFF = -2;

const keyUnits = new UnitReader();
let out = new Uint16Array(256);
let outBytes = Buffer.from(out.buffer);

/** Comment-thread headers: what follows them is kept as comments, never as article text. */
const COMMENT_HEADERS = [
  'التعليقات',
  'تعليقات',
  'اترك تعليقا',
  'اضف تعليقا',
  'اضف تعليقك',
  'اكتب تعليقك',
  'للمشاركه في المناقشه',
  'comments',
  'leave a comment',
];

/** Whole-line interface phrases. */
const UI_PHRASES = [
  ...COMMENT_HEADERS,
  // registration, subscription, accounts
  'تم التسجيل بنجاح',
  'تسجيل الدخول',
  'قم بتسجيل الدخول او تسجيل',
  'سجل الدخول',
  'انشاء حساب',
  'اشترك',
  'اشترك الان',
  'النشره البريديه',
  'اشترك في النشره البريديه',
  'تابعنا',
  'تابعنا عبر',
  'تابعونا',
  'تابعونا على',
  'تابعنا على',
  // sharing and page controls
  'شارك',
  'مشاركه',
  'شارك المقال',
  'شارك الخبر',
  'طباعه',
  'طباعه الخبر',
  'حجم الخط',
  'تكبير الخط',
  'تصغير الخط',
  'نسخ الرابط',
  'ارسل لصديق',
  'حفظ',
  'icon',
  'loader',
  'loading',
  'share',
  'print',
  'tweet',
  'facebook',
  'twitter',
  'whatsapp',
  'telegram',
  'email',
  'menu',
  'search',
  'بحث',
  'القائمه',
  'الرئيسيه',
  'زر الذهاب الى الاعلى',
  'العوده الى الاعلى',
  'الى الاعلى',
  'back to top',
  'skip to content',
  // live and section labels
  'التغطيه الحيه',
  'البث المباشر',
  'بث مباشر',
  'عاجل',
  'شريط الاخبار',
  'اخر الاخبار',
  'اخبار عاجله',
  'الاكثر قراءه',
  'الاكثر مشاهده',
  'الاكثر تعليقا',
  'اهم المواضيع',
  'اهم التصنيفات',
  'اهم الاخبار',
  'مواضيع ذات صله',
  'اخبار ذات صله',
  'ذات صله',
  'اقرا ايضا',
  'اقرا المزيد',
  'المزيد',
  'شاهد ايضا',
  'قد يعجبك ايضا',
  'مقالات ذات صله',
  'الوسوم',
  'كلمات مفتاحيه',
  'كلمات دلاليه',
  'tags',
  'related',
  'read more',
  'most read',
  'advertisement',
  'اعلان',
  'اعلانات',
  'المحادثات',
  'الجديد اولا',
  'القديم اولا',
  'الاحدث اولا',
  'الاقدم اولا',
  'الجديد اولاالقديم اولا',
  'reply',
  'رد',
  // footer
  'contact',
  'contact us',
  'اتصل بنا',
  'من نحن',
  'سياسه الخصوصيه',
  'شروط الاستخدام',
  'جميع الحقوق محفوظه',
  'all rights reserved',
  'ارسال مساهمتك',
  'نموذج الاتصال',
  'اعلن معنا',
  'privacy policy',
  'terms of use',
].map(lexiconKey);

/** Line openings that make the whole line furniture (a phrase followed by a link or a label). */
const UI_PREFIXES = [
  'يرجى الانتقال عبر الرابط',
  'لن يتم نشر عنوان بريدك الالكتروني',
  'الحقول الالزاميه',
  'جميع الحقوق محفوظه',
  'حقوق النشر',
  'تابعنا على',
  'تابعونا على',
  'للاشتراك في',
  'اشترك في',
  'حمل تطبيق',
  'نزل تطبيق',
  'الذهاب الى بنك الصور',
].map(lexiconKey);

/** Lines opening a related-link teaser ("اقرأ أيضاً: <headline>"): dropped, and the article goes on after them. */
const RELATED_PREFIXES = ['اقرا ايضا', 'اقرا المزيد', 'شاهد ايضا', 'شاهد', 'اقرا', 'ذات صله', 'read also', 'see also'].map(lexiconKey);

/** Headers after which the article is over: comment threads, most-read boxes, newsletters. */
const END_MARKERS = [
  ...COMMENT_HEADERS,
  'الاكثر قراءه',
  'الاكثر مشاهده',
  'اهم المواضيع',
  'مواضيع ذات صله',
  'اخبار ذات صله',
  'مقالات ذات صله',
  'قد يعجبك ايضا',
  'most read',
  'related articles',
].map(lexiconKey);

/** Folds a phrase for lexicon lookup: search form, lower case, no punctuation, counts or emoji. */
export function lexiconKey(s: string): string {
  return lexiconKeyOf(searchKey(s));
}

/**
 * The same, from the phrase's search key (callers that already have it), in one pass: counters like
 * "(12)" out, anything but letters, numbers, spaces, + and - made a space, spaces collapsed. With a
 * `limit`, it stops at the first gap once it has more than that many characters: what it returns
 * then is the beginning of the whole key (the key only ever grows at its end), and a long line is
 * read no further than that. Read from the key's code units, each lowered by one table lookup; a
 * key with a letter that does not lower on its own (İ, Σ, an astral letter) is lowered whole first.
 */
export function lexiconKeyOf(key: string, limit = Number.POSITIVE_INFINITY): string {
  // A long line is read only as far as a key of `limit` characters can reach (punctuation and counters take room too); if that is
  // not enough, or a letter needs lowering with its neighbours, it is read again whole.
  const reach = Math.min(key.length, 2 * limit + 16);
  let n = foldUnits(keyUnits.read(key, reach), reach, reach === key.length, limit, key, false);
  if (n === REDO && reach < key.length) n = foldUnits(keyUnits.read(key), key.length, true, limit, key, false);
  if (n === REDO) {
    const lowered = key.toLowerCase();
    n = foldUnits(keyUnits.read(lowered), lowered.length, true, limit, lowered, true);
  }
  return outBytes.toString('utf16le', 0, n * 2);
}

/**
 * lexiconKeyOf over u[0, len), the code units of s (`whole`: all of them, else s goes on), into `out`:
 * how many units it wrote, or REDO when the key goes on past len before the limit is passed, or a
 * letter of s needs lowering with its neighbours (unless s is `lowered` already).
 */
function foldUnits(u: Uint16Array, len: number, whole: boolean, limit: number, s: string, lowered: boolean): number {
  if (out.length < len * 2) {
    out = new Uint16Array(len * 2);
    outBytes = Buffer.from(out.buffer);
  }
  const o = out;
  let n = 0;
  let inRun = false;
  for (let i = 0; i < len; i++) {
    const c = u[i] as number;
    let counter = -1;
    if (c === 0x28) {
      counter = counterEnd(u, len, i);
      if (counter === RAN_OFF) {
        if (!whole) return REDO; // the counter may close past what was read
        counter = -1;
      }
    }
    const astral = counter < 0 && (c & 0xfc00) === 0xd800 && astralWordChar(s, i);
    if (counter < 0 && (isWordCode(c) || c === 0x2b || c === 0x2d || astral)) {
      if (!inRun && n > 0) o[n++] = 0x20;
      inRun = true;
      if (astral) {
        if (!lowered) return REDO;
        o[n++] = c;
        o[n++] = u[++i] as number;
        continue;
      }
      const l = lowered ? c : lowerOf(c);
      if (l === NOT_SIMPLE) return REDO;
      o[n++] = l;
      continue;
    }
    if (n > limit) return n;
    inRun = false;
    if (counter > 0) i = counter;
  }
  return whole ? n : REDO;
}

/** Where a counter "( 12 )" that opens at i closes, -1 if none does, RAN_OFF if the units end first. */
function counterEnd(u: Uint16Array, len: number, i: number): number {
  let j = i + 1;
  while (j < len && isSpaceCode(u[j] as number)) j++;
  const digits = j;
  while (j < len && (u[j] as number) >= 0x30 && (u[j] as number) <= 0x39) j++;
  if (j >= len) return RAN_OFF;
  if (j === digits) return -1;
  while (j < len && isSpaceCode(u[j] as number)) j++;
  if (j >= len) return RAN_OFF;
  return u[j] === 0x29 ? j : -1;
}

const uiSet = new Set(UI_PHRASES);
const endSet = new Set(END_MARKERS);
const commentSet = new Set(COMMENT_HEADERS.map(lexiconKey));

/** The longest key in the lexicon: a longer line cannot be one of its phrases. */
const LONGEST = Math.max(...[...uiSet, ...endSet, ...commentSet, ...UI_PREFIXES, ...RELATED_PREFIXES].map((k) => k.length));
/**
 * The lexicon key of a line as far as the lookups below can tell, from its search key: the whole key,
 * or for a long line only its beginning, already longer than any phrase (so no whole-line phrase
 * matches, as with the whole key) and the same as the whole key's (all that the prefix rules read).
 * A prose paragraph is not folded whole just to learn that it is no menu.
 */
export const lookupKeyOf = (searchForm: string) => lexiconKeyOf(searchForm, LOOKUP_LIMIT);
/** The limit lookupKeyOf folds to (the line scan makes its keys with it too: normalize.ts's scanLines). */
export const LOOKUP_LIMIT = LONGEST + 1;

/** Each prefix phrase, and the same followed by a space (made once, not per line). */
const withSpace = (prefixes: string[]) => prefixes.map((p) => [p, `${p} `] as const);
const UI_PREFIX_PAIRS = withSpace(UI_PREFIXES);
const RELATED_PREFIX_PAIRS = withSpace(RELATED_PREFIXES);
const startsWithPhrase = (key: string, prefixes: ReadonlyArray<readonly [string, string]>) =>
  prefixes.some(([p, spaced]) => key === p || key.startsWith(spaced));
const inSet = (set: Set<string>, key: string) => key.length <= LONGEST && set.has(key);

export function isUiPhrase(key: string): boolean {
  return inSet(uiSet, key) || startsWithPhrase(key, UI_PREFIX_PAIRS);
}
export const isEndMarker = (key: string) => inSet(endSet, key);
export const isCommentMarker = (key: string) => inSet(commentSet, key);
export function isRelatedLink(key: string, original: string): boolean {
  // "اقرأ أيضاً: headline" – the phrase then a colon or a headline.
  return startsWithPhrase(key, RELATED_PREFIX_PAIRS) && /[:：]/.test(original.slice(0, 20));
}
