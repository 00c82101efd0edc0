import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quotedSpans } from '../../functions/core/extract/quotes';

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
