import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanDocument } from '../../functions/core/clean/index';
import { isCommentMarker, isEndMarker, isRelatedLink, isUiPhrase, lexiconKeyOf, lookupKeyOf } from '../../functions/core/clean/lexicon';
import { bodyContentWords, contentWords, endsSentence } from '../../functions/core/clean/textdump';
import { CONTROL_CHARS, scanLines, searchKey } from '../../functions/core/normalize';
import { InputRejected } from '../../functions/core/rejection';

const clean = (text: string) => cleanDocument({ text, format: 'text' }, { minBodyChars: 20 });

/** Lines like those of a news page dump: prose, headlines, furniture, dates, noise. */
const arabicWord = fc.constantFrom(
  'قال',
  'وزير',
  'الخارجية',
  'إن',
  'المفاوضات',
  'في',
  'جنيف',
  'ستستأنف',
  'الأسبوع',
  'المقبل',
  'سوريا',
  'مع',
  'روسيا',
  'وتركيا',
);
const prose = fc.array(arabicWord, { minLength: 10, maxLength: 40 }).map((ws) => `${ws.join(' ')}.`);
const headline = fc.array(arabicWord, { minLength: 3, maxLength: 9 }).map((ws) => ws.join(' '));
const furniture = fc.constantFrom(
  'شارك',
  'اقرأ أيضاً: عنوان آخر',
  'التعليقات (3)',
  '·منذ 7 سنوات',
  '© 2024 جميع الحقوق محفوظة',
  'photo_1.jpg',
  '+A',
  '06.01.2017 | 00:24',
  'Contact',
  '',
  '   ',
);
const noise = fc.string({ unit: 'binary', maxLength: 60 });
const page = fc
  .array(fc.oneof({ weight: 4, arbitrary: prose }, { weight: 2, arbitrary: headline }, { weight: 2, arbitrary: furniture }, { weight: 1, arbitrary: noise }), {
    maxLength: 40,
  })
  .map((ls) => ls.join('\n'));

/** Runs clean, treating a rejection (no article text) as a valid outcome. */
function tryClean(text: string) {
  try {
    return clean(text);
  } catch (err) {
    if (err instanceof InputRejected) return undefined;
    throw err;
  }
}

describe('clean (properties)', () => {
  it('never throws anything but a rejection, on page-like or arbitrary text', () => {
    fc.assert(
      fc.property(fc.oneof(page, fc.string({ unit: 'binary', maxLength: 400 })), (text) => void tryClean(text)),
      { numRuns: 400 },
    );
  });

  it('never invents text: every body paragraph, the title and every comment are lines of the input', () => {
    fc.assert(
      fc.property(page, (text) => {
        const a = tryClean(text);
        if (!a) return;
        const lines = new Set(
          text
            .replace(/\r\n?/g, '\n')
            .replace(CONTROL_CHARS, '')
            .split('\n')
            .map((l) => l.trim()),
        );
        for (const p of a.body.split('\n\n')) expect(lines.has(p)).toBe(true);
        if (a.title) expect(lines.has(a.title)).toBe(true);
        for (const c of a.comments) expect(lines.has(c)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('is stable on its own output: cleaning the body again gives the same body', () => {
    fc.assert(
      fc.property(page, (text) => {
        const a = tryClean(text);
        if (!a) return;
        expect(clean(a.body).body).toBe(a.body);
      }),
      { numRuns: 300 },
    );
  });

  it('finishes on pathological input: one huge line, long runs of one character, deep mixtures of scripts', () => {
    for (const text of [
      'ـ'.repeat(200_000),
      ' '.repeat(200_000),
      `${'كلمة '.repeat(50_000)}.`,
      'a\u0627'.repeat(100_000),
      '"'.repeat(100_000),
      '|'.repeat(100_000),
    ]) {
      expect(() => tryClean(text)).not.toThrow();
    }
  });
});

describe('lexicon lookups on long lines', () => {
  // Real phrases and prefixes of the lexicon, then anything: menus, related links, counters, long prose.
  const phrase = fc.constantFrom(
    'اقرأ أيضاً:',
    'شاهد',
    'تعليقات',
    'الأكثر قراءة',
    'اشترك في النشرة',
    'Read also',
    'See also:',
    'حمل تطبيق',
    '(12)',
    '( 3 )',
    '',
  );
  const tail = fc.array(fc.constantFrom('كلمة', ' ', '، ', '(', '12', ')', '+', '-', '.', 'خبر', '😀', 'A'), { maxLength: 120 }).map((a) => a.join(''));
  const line = fc.tuple(phrase, tail, fc.boolean()).map(([p, t, spaced]) => (spaced ? `${p} ${t}` : `${p}${t}`));

  it('decide exactly as on the whole key, from its beginning only', () => {
    fc.assert(
      fc.property(fc.oneof(line, fc.string({ maxLength: 300 })), (text) => {
        const sk = searchKey(text);
        const whole = lexiconKeyOf(sk);
        const head = lookupKeyOf(sk);
        expect(whole.startsWith(head)).toBe(true);
        expect(!head).toBe(!whole);
        expect(isUiPhrase(head)).toBe(isUiPhrase(whole));
        expect(isEndMarker(head)).toBe(isEndMarker(whole));
        expect(isCommentMarker(head)).toBe(isCommentMarker(whole));
        expect(isRelatedLink(head, text)).toBe(isRelatedLink(whole, text));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('lexicon keys made by the line scan', () => {
  // Lines of lexicon phrases, counters (whole, open, with no digits), + and -, letters that lower (A, Ä) or do not alone (İ, Σ), marked lines (ligatures, emoji).
  const piece = fc.constantFrom(
    'اقرأ أيضاً',
    'شاهد',
    ' ',
    '\n',
    '(12)',
    '( 3 )',
    '(',
    ')',
    '(x)',
    '12',
    '+',
    '-',
    '،',
    'Read',
    'ÄB',
    'İ',
    'ΣΑ',
    'ﻻ',
    '😀',
    'كلمة',
    '.',
  );
  it('are the lexicon keys of the lines at the limit given, or left to the lexicon', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), fc.integer({ min: 0, max: 30 }), (parts, limit) => {
        const scanned = scanLines(parts.join(''), 100, limit);
        scanned.keys.forEach((key, i) => {
          const made = scanned.lexicon[i];
          if (made !== undefined) expect(made, key).toBe(lexiconKeyOf(key, limit));
        });
        // Left to the lexicon only when it must be: a line that is marked or holds a letter that does not lower alone.
        scanned.texts.forEach((t, i) => {
          if (scanned.lexicon[i] === undefined) expect(/[\uFB50-\uFFFF\uD800-\uDFFF]|İ|Σ/.test(t), t).toBe(true);
        });
      }),
      { numRuns: 3000 },
    );
  });
});

describe('lexicon keys', () => {
  /** The plain definition: lower case, counters out, anything but letters, numbers, + and - a space, spaces collapsed. */
  const plain = (key: string) =>
    key
      .toLowerCase()
      .replace(/\(\s*[0-9]+\s*\)/g, ' ')
      .replace(/[^\p{L}\p{N}+-]+/gu, ' ')
      .trim();
  const piece = fc.constantFrom('كلمة', 'ABC', 'Σ', 'ΑΣ', 'İ', 'Ä', '𐐀', '😀', '(12)', '( 3 )', '(', ')', '12', '+', '-', ' ', '  ', '، ', '.', '\u00a0', 'x');
  const key = fc.array(piece, { maxLength: 30 }).map((a) => a.join(''));

  it('are the plain definition, and with a limit its words up to the first gap past the limit', () => {
    fc.assert(
      fc.property(key, fc.integer({ min: 0, max: 40 }), (k, limit) => {
        const whole = plain(k);
        expect(lexiconKeyOf(k)).toBe(whole);
        let head = '';
        for (const w of whole ? whole.split(' ') : []) {
          head = head ? `${head} ${w}` : w;
          if (head.length > limit) break;
        }
        expect(lexiconKeyOf(k, limit)).toBe(head);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('title words found in the body', () => {
  const piece = fc.constantFrom(...'وال بال فال لل ال و ف ب ل في من التي كانت وزير الخارجيه جنيف 12 ab x ي'.split(' '), ' ', ' ', '،', '😀');
  const key = fc.array(piece, { maxLength: 14 }).map((p) => p.join(''));
  it('are those a plain intersection with every body word would find', () => {
    fc.assert(
      fc.property(fc.array(key, { maxLength: 5 }), fc.array(key, { maxLength: 4 }), (body, titles) => {
        const wanted = titles.flatMap((t) => [...contentWords(t)]);
        const all = contentWords(body.join(' '));
        expect([...bodyContentWords(body, wanted)].sort()).toEqual([...new Set(wanted.filter((w) => all.has(w)))].sort());
      }),
      { numRuns: 3000 },
    );
  });

  it('are those the plain intersection finds for every proclitic before stems of every length', () => {
    // Each proclitic peel and its three-letter condition at the edge: stems of one to three letters, a number in one.
    const words = ['', 'و', 'ف', 'ب', 'ل', 'لل', 'ال', 'وال', 'بال', 'فال', 'ولل'].flatMap((p) =>
      ['a', 'ab', 'abc', 'ي', 'يي', 'ييي', 'a1', 'a1b'].map((s) => p + s),
    );
    for (const body of words)
      for (const title of words) {
        const wanted = [...contentWords(title)];
        const all = contentWords(body);
        expect([...bodyContentWords([body], wanted)], `${body} / ${title}`).toEqual(wanted.filter((w) => all.has(w)));
      }
  });
});

describe('sentence ends', () => {
  const piece = fc.constantFrom('.', '!', '؟', '?', '…', '"', '”', '»', ')', ' ', '\t', '\u00a0', 'ك', 'a', '،', '(', '');
  it('are read from the end as the pattern finds them', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (parts) => {
        const t = parts.join('');
        expect(endsSentence(t)).toBe(/[.!؟?…]["”»)]?\s*$/u.test(t));
      }),
      { numRuns: 3000 },
    );
  });
});
