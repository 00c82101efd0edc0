import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inSentenceOf, quotedSpans } from '../../functions/core/extract/quotes';

/** The plain definition: each pattern run over each paragraph (line) of the body, the spans trimmed and in text order. */
function plainSpans(body: string) {
  const spans: Array<{ start: number; end: number; text: string }> = [];
  let offset = 0;
  for (const para of body.split('\n')) {
    for (const re of [/“([^“”]+)”/gu, /«([^«»]+)»/gu, /"([^"]+)"/gu]) {
      for (const m of para.matchAll(re)) {
        const inner = m[1] as string;
        const text = inner.trim();
        const start = offset + (m.index as number) + 1 + inner.length - inner.trimStart().length;
        spans.push({ start, end: start + text.length, text });
      }
    }
    offset += para.length + 1;
  }
  return spans.sort((a, b) => a.start - b.start);
}

describe('quoted spans', () => {
  const piece = fc.constantFrom('“', '”', '«', '»', '"', '\n', ' ', '\u00a0', 'قال', 'إن', 'x', '.', '،', '😀');
  it('are what the patterns find in each paragraph', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (parts) => {
        const body = parts.join('');
        expect(quotedSpans(body)).toEqual(plainSpans(body));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('a verb in the sentence of a quote', () => {
  /** The plain definition: the last sentence end (line break, . ! ? ؟) before the quote, scanned back at most `reach` characters. */
  function sentenceStartBefore(body: string, at: number, reach: number): number {
    const limit = Math.max(0, at - reach);
    for (let i = at - 1; i >= limit; i--) if (/[\n.!?؟]/.test(body[i] as string)) return i;
    return limit - 1;
  }

  it('is read forward from the verb as the backward scan from the quote decides it', () => {
    const piece = fc.constantFrom('قال', ' ', '.', '!', '?', '؟', '\n', '،', 'x', '“');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), fc.nat(), fc.nat(), (parts, a, b) => {
        const body = parts.join('');
        const at = body.length ? a % (body.length + 1) : 0;
        const from = at ? b % (at + 1) : 0;
        expect(inSentenceOf(body, from, at)).toBe(from >= sentenceStartBefore(body, at, 2000));
      }),
      { numRuns: 5000 },
    );
    // The reach: a verb more than 2,000 characters back, with no punctuation between, is not the quote's.
    const long = `قال ${'كلمة '.repeat(500)}`;
    expect(inSentenceOf(long, 3, long.length)).toBe(3 >= sentenceStartBefore(long, long.length, 2000));
    expect(inSentenceOf(long, 3, long.length)).toBe(false);
    expect(inSentenceOf(long, long.length - 100, long.length)).toBe(true);
    // Right at the edge of the reach: one character before the first one scanned still counts (the scan's "start" is there).
    for (const back of [2002, 2001, 2000]) {
      const from = long.length - back;
      expect(inSentenceOf(long, from, long.length)).toBe(from >= sentenceStartBefore(long, long.length, 2000));
    }
    expect(inSentenceOf(long, long.length - 2001, long.length)).toBe(true);
  });
});
