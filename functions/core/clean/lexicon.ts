/**
 * Interface phrases of news pages, Arabic and English, in search form (see normalize.ts): no
 * diacritics, one alef, taa marbuta as haa. A line that is one of these phrases, or starts with a
 * `prefix` entry, is page furniture, not article text. To add an entry, write it as it appears on
 * the page; `lexiconKey` folds it. Keep entries general to news sites, never copied from one article.
 */
import { astralWordChar, isSpaceCode, isWordCode, searchKey } from '../normalize';

/** counterEnd's answer when the string ends inside what could still be a counter. */
const RAN_OFF = -2;

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
 * `limit`, it stops once it has more than that many characters: what it returns then is the
 * beginning of the whole key (the key only ever grows at its end).
 */
export function lexiconKeyOf(key: string, limit = Number.POSITIVE_INFINITY): string {
  // A long line is lowered only as far as a key of `limit` characters can reach (punctuation and
  // counters take room too); if its key is still short there, the whole line is read after all.
  const reach = 2 * limit + 16;
  if (key.length > reach) {
    const head = foldLexicon(key.slice(0, reach).toLowerCase(), limit, true);
    if (head !== undefined) return head;
  }
  return foldLexicon(key.toLowerCase(), limit, false) as string;
}

/** With `cut` (k is the beginning of the text only): undefined unless the limit is passed before k's end. */
function foldLexicon(k: string, limit: number, cut: boolean): string | undefined {
  let out = '';
  let from = 0; // start of the pending run of kept characters
  let space = false;
  const flush = (to: number) => {
    if (to > from) {
      if (space && out) out += ' ';
      out += k.slice(from, to);
      space = false;
    }
  };
  for (let i = 0; i < k.length; i++) {
    const c = k.charCodeAt(i);
    let counter = c === 0x28 ? counterEnd(k, i) : -1;
    if (counter === RAN_OFF) {
      if (cut) return undefined; // the counter may close past the cut
      counter = -1;
    }
    const astral = astralWordChar(k, i);
    if (counter < 0 && (isWordCode(c) || c === 0x2b || c === 0x2d || astral)) {
      if (astral) i++;
      continue;
    }
    flush(i);
    if (out.length > limit) return out;
    space = true;
    if (counter > 0) i = counter;
    from = i + 1;
  }
  if (cut) return undefined;
  flush(k.length);
  return out;
}

/** Where a counter "( 12 )" that opens at i closes, -1 if none does, RAN_OFF if the string ends first. */
function counterEnd(s: string, i: number): number {
  let j = i + 1;
  while (isSpaceCode(s.charCodeAt(j))) j++;
  const digits = j;
  while (s.charCodeAt(j) >= 0x30 && s.charCodeAt(j) <= 0x39) j++;
  if (j >= s.length) return RAN_OFF;
  if (j === digits) return -1;
  while (isSpaceCode(s.charCodeAt(j))) j++;
  if (j >= s.length) return RAN_OFF;
  return s.charCodeAt(j) === 0x29 ? j : -1;
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
export const lookupKeyOf = (searchForm: string) => lexiconKeyOf(searchForm, LONGEST + 1);

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
