/**
 * Arabic search form. `body` keeps the original spelling for display; matching and indexing use
 * this form: no diacritics or tatweel, one alef, one yaa, taa marbuta as haa, Western digits,
 * no bidi or zero-width controls, presentation forms folded (NFKC). `toSearchForm` also returns,
 * for each character of the search form, the offset of the original character it came from, so a
 * match found in the search form can be reported with offsets into the original text.
 */

const DROP = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/;

function foldChar(c: string): string {
  switch (c) {
    case '\u0623':
    case '\u0625':
    case '\u0622':
    case '\u0671':
      return '\u0627';
    case '\u0649':
      return '\u064A';
    case '\u0629':
      return '\u0647';
    case '\u06A9':
      return '\u0643'; // Persian kaf
    case '\u06CC':
      return '\u064A'; // Persian yeh
    default: {
      const code = c.charCodeAt(0);
      if (code >= 0x0660 && code <= 0x0669) return String(code - 0x0660);
      if (code >= 0x06f0 && code <= 0x06f9) return String(code - 0x06f0);
      return c;
    }
  }
}

export interface SearchForm {
  text: string;
  /** offsets[i] is the index in the original string of the character that produced text[i]. */
  offsets: number[];
}

export function toSearchForm(original: string): SearchForm {
  let text = '';
  const offsets: number[] = [];
  for (let i = 0; i < original.length; i++) {
    const ch = original[i] as string;
    // Only fold compatibility characters (presentation forms, ligatures); NFKC of plain letters is a no-op.
    const folded = ch.charCodeAt(0) >= 0xfb50 ? ch.normalize('NFKC') : ch;
    for (const c of folded) {
      if (DROP.test(c)) continue;
      const out = foldChar(c);
      for (let k = 0; k < out.length; k++) {
        text += out[k];
        offsets.push(i);
      }
    }
  }
  return { text, offsets };
}

/** The search form alone, for keys and comparisons. Whitespace runs fold to one space. */
export function searchKey(s: string): string {
  return toSearchForm(s).text.replace(/\s+/g, ' ').trim();
}

const ARABIC_LETTER = /[\u0621-\u064A\u0671-\u06D3\u06FA-\u06FF]/;
export function isArabicLetter(c: string): boolean {
  return ARABIC_LETTER.test(c);
}

/** Share of letters that are Arabic script, over all letters (0 when there are none). */
export function arabicShare(s: string): number {
  let letters = 0;
  let arabic = 0;
  for (const c of s) {
    if (/\p{L}/u.test(c)) {
      letters++;
      if (ARABIC_LETTER.test(c)) arabic++;
    }
  }
  return letters ? arabic / letters : 0;
}

/** Arabic-Indic and Persian digits to ASCII, nothing else changed (same length). */
export function westernDigits(s: string): string {
  return s.replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (d) => {
    const code = d.charCodeAt(0);
    return String(code >= 0x06f0 ? code - 0x06f0 : code - 0x0660);
  });
}

/** C0 control characters other than tab, newline and carriage return, and DEL: never article text. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
export const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
