import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  arabicShare,
  hasWordRuns,
  isArabicMark,
  isSpaceCode,
  isWordCode,
  LineBreaks,
  scanLines,
  searchKey,
  toSearchForm,
  wordKey,
  wordRuns,
} from '../../functions/core/normalize';
import { textTokens, tokenText } from '../../functions/core/words';

/** The search form the slow, obvious way (one regex test and one fold per character): what the table-driven code must equal. */
function reference(original: string): { text: string; offsets: number[] } {
  const drop = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/;
  const fold: Record<string, string> = { أ: 'ا', إ: 'ا', آ: 'ا', ٱ: 'ا', ى: 'ي', ة: 'ه', ک: 'ك', ی: 'ي' };
  let text = '';
  const offsets: number[] = [];
  for (let i = 0; i < original.length; i++) {
    const ch = original[i] as string;
    for (const c of ch.charCodeAt(0) >= 0xfb50 ? ch.normalize('NFKC') : ch) {
      if (drop.test(c)) continue;
      const code = c.charCodeAt(0);
      const out = fold[c] ?? (code >= 0x660 && code <= 0x669 ? String(code - 0x660) : code >= 0x6f0 && code <= 0x6f9 ? String(code - 0x6f0) : c);
      for (const o of out) {
        text += o;
        offsets.push(i);
      }
    }
  }
  return { text, offsets };
}
/** Characters that exercise every branch: folded letters, digits, marks, controls, spaces, ligatures, astral and lone surrogates. */
const tricky = fc.constantFrom(...'أإآٱىةکی٠٩۰۹ـ\u0670ًٌَّْ\u0610\u06d6\u200b\u200f\u202e\u2066\ufeff \t\n\u00a0\u2003abcﻷﷺﺍﻻﹰ\ud800كلمةx'.split(''), '😀', '𝐀');
const trickyString = fc.array(tricky, { maxLength: 60 }).map((cs) => cs.join(''));

describe('search form', () => {
  it('equals the per-character definition on any string, offsets included', () => {
    fc.assert(
      fc.property(fc.oneof(trickyString, fc.string({ unit: 'binary', maxLength: 80 })), (s) => {
        const want = reference(s);
        const got = toSearchForm(s);
        expect(got.text).toBe(want.text);
        expect([...got.offsets]).toEqual(want.offsets);
        expect(searchKey(s)).toBe(want.text.replace(/\s+/g, ' ').trim());
        expect(wordKey(s)).toBe(searchKey(s));
      }),
      { numRuns: 2000 },
    );
  });

  it('folds a long text of ligatures, whose search form outgrows the memory the text was read into', () => {
    const s = 'ﷺ قال ﻻ '.repeat(20_000); // each ﷺ folds to 18 letters
    const want = reference(s);
    const got = toSearchForm(s);
    expect(got.text).toBe(want.text);
    expect([...got.offsets]).toEqual(want.offsets);
  });

  it('reads the lines of a text in one pass: trimmed, their keys and word counts, and the scripts of its beginning', () => {
    // The plain definitions: words are whitespace-separated chunks with a letter or a number in them.
    const words = (l: string) => l.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
    const script = (text: string, max: number) => {
      const head = [...text.slice(0, max)];
      return {
        letters: head.filter((c) => /\p{L}/u.test(c)).length,
        arabicScript: head.filter((c) => /[\u0600-\u06FF]/.test(c)).length,
        persian: head.filter((c) => 'پچژگکی'.includes(c)).length,
        latin: head.filter((c) => /[a-zA-Z]/.test(c)).length,
      };
    };
    const multiline = fc.array(fc.oneof(trickyString, fc.constant('\n'), fc.constant(' \n '), fc.string({ unit: 'binary', maxLength: 20 })), { maxLength: 8 });
    fc.assert(
      fc.property(multiline, fc.integer({ min: 0, max: 120 }), (parts, max) => {
        const text = parts.join('');
        const texts = text.split('\n').map((l) => l.trim());
        expect(scanLines(text, max)).toEqual({
          texts,
          keys: texts.map(searchKey),
          words: texts.map(words),
          letters: texts.map((l) => [...l].filter((c) => /\p{L}/u.test(c)).length),
          numbers: texts.map((l) => [...l].filter((c) => c.length === 1 && /\p{N}/u.test(c)).length),
          lexicon: texts.map(() => undefined), // made only with a lexicon limit (test/core/clean.property.test.ts)
          script: script(text, max),
        });
      }),
      { numRuns: 3000 },
    );
  });

  it('makes room for keys far longer than their lines (a ligature folds to up to 18 letters)', () => {
    const lines = Array.from({ length: 4000 }, (_, i) => (i % 3 ? `سطر ${i} ﷺﷺﷺﷺﷺ` : `سطر ${i}`));
    const text = lines.join('\n');
    const { keys } = scanLines(text, 100);
    expect(keys.reduce((n, k) => n + k.length, 0)).toBeGreaterThan(3 * text.length);
    expect(keys).toEqual(lines.map(searchKey));
  });

  it('reads a long text after short ones, and a short one after it (the scan grows its memory)', () => {
    const line = (i: number) => (i % 7 ? `  قال الوزير ${i} إن الاجتماع «مهم جدا»\t` : '');
    const long = Array.from({ length: 20_000 }, (_, i) => line(i)).join('\n'); // about 700,000 code units
    for (const text of ['سطر\nآخر', long, 'سطر أول\n\n ثانٍ ']) {
      const texts = text.split('\n').map((l) => l.trim());
      const scanned = scanLines(text, 1000);
      expect(scanned.texts).toEqual(texts);
      expect(scanned.keys).toEqual(texts.map(searchKey));
      expect(scanned.words).toEqual(texts.map((l) => l.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length));
    }
  });

  it('tells which ranges, asked in text order, hold a line break', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('ا', ' ', '\n', 'b', '\r'), { maxLength: 40 }), fc.array(fc.nat(), { maxLength: 20 }), (parts, cuts) => {
        const text = parts.join('');
        // Ranges in text order, some empty, some touching, some with gaps between them.
        const points = cuts.map((c) => c % (text.length + 1)).sort((x, y) => x - y);
        const breaks = new LineBreaks(text);
        for (let k = 0; k + 1 < points.length; k += 2) {
          const [from, to] = [points[k] as number, points[k + 1] as number];
          expect(breaks.within(from, to)).toBe(text.slice(from, to).includes('\n'));
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('counts word runs as far as asked without making them', () => {
    fc.assert(
      fc.property(trickyString, fc.integer({ min: 0, max: 6 }), fc.boolean(), (s, n, marks) => {
        const alsoIn = marks ? isArabicMark : () => false;
        expect(hasWordRuns(s, alsoIn, n)).toBe(wordRuns(s, alsoIn).length >= n);
      }),
      { numRuns: 3000 },
    );
  });

  it('classes every BMP code unit as the regular expressions do', () => {
    for (let c = 0; c < 0x10000; c++) {
      const ch = String.fromCharCode(c);
      const surrogate = c >= 0xd800 && c <= 0xdfff;
      expect(isSpaceCode(c)).toBe(/\s/.test(ch));
      expect(isWordCode(c)).toBe(!surrogate && /[\p{L}\p{N}]/u.test(ch));
    }
    expect(isSpaceCode(Number.NaN)).toBe(false);
  });

  it('counts Arabic letters among all letters, astral letters and lone surrogates included', () => {
    fc.assert(
      fc.property(trickyString, (s) => {
        const letters = [...s].filter((c) => /\p{L}/u.test(c));
        const arabic = letters.filter((c) => /^[\u0621-\u064A\u0671-\u06D3\u06FA-\u06FF]$/.test(c));
        expect(arabicShare(s)).toBe(letters.length ? arabic.length / letters.length : 0);
      }),
    );
  });

  it('unifies alef, yaa and taa marbuta and drops diacritics, tatweel and bidi controls', () => {
    expect(searchKey('أستانا')).toBe(searchKey('آستانا'));
    expect(searchKey('إستانة')).toBe('استانه');
    expect(searchKey('مصطفى')).toBe('مصطفي');
    expect(searchKey('يعقِّب')).toBe('يعقب');
    expect(searchKey('الـــسلام\u202Bعليكم')).toBe('السلامعليكم');
  });

  it('folds Arabic-Indic and Persian digits to Western digits', () => {
    expect(searchKey('٣٠ ديسمبر ٢٠١٦')).toBe('30 ديسمبر 2016');
    expect(searchKey('۱۴۰۲')).toBe('1402');
  });

  it('folds presentation forms to base letters', () => {
    expect(searchKey('\uFEDF\uFEE0\uFE8E')).toBe(searchKey('للا'));
  });

  it('maps every search-form character back to the original character it came from', () => {
    const original = 'وقال كيري «نأمل»';
    const sf = toSearchForm(original);
    const at = sf.text.indexOf('كيري');
    expect(original.slice(sf.offsets[at], (sf.offsets[at + 3] as number) + 1)).toBe('كيري');
  });
});

describe('word runs and tokens without regular expressions', () => {
  const text = fc.oneof(trickyString, fc.string({ unit: 'binary', maxLength: 60 }), fc.string({ unit: 'grapheme', maxLength: 30 }));
  const spans = (re: RegExp, s: string) => [...s.matchAll(re)].map((m) => [m.index, m.index + m[0].length]);

  it('finds the same runs as the regular expressions they replace', () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(wordRuns(s)).toEqual(spans(/[\p{L}\p{N}]+/gu, s));
        expect(wordRuns(s, isArabicMark)).toEqual(spans(/[\p{L}\p{N}\u064B-\u065F\u0640]+/gu, s));
        // A text's tokens (words.ts): the word runs and single other characters of its search form, mapped back.
        const sf = toSearchForm(s);
        const t = textTokens(s);
        const want = spans(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu, sf.text);
        // A word's span in the original runs on over the marks written after its last letter.
        const endOf = (b: number, word: boolean) => {
          let e = (sf.offsets[b - 1] as number) + 1;
          while (word && /[\u064B-\u065F\u0670\u0640]/.test(s[e] ?? '')) e++;
          return e;
        };
        const isWord = (a: number, b: number) => /^[\p{L}\p{N}]/u.test(sf.text.slice(a, b));
        expect(want.map(([a, b]) => [a, b, sf.offsets[a as number], endOf(b as number, isWord(a as number, b as number)), sf.text.slice(a, b)])).toEqual(
          Array.from(t.sStart, (a, k) => [a, t.sEnd[k], t.start[k], t.end[k], tokenText(t, k)]),
        );
        expect(Array.from(t.words, (k) => tokenText(t, k))).toEqual(spans(/[\p{L}\p{N}]+/gu, sf.text).map(([a, b]) => sf.text.slice(a, b)));
      }),
      { numRuns: 3000 },
    );
  });
});
