import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asCleanArticle } from '../../functions/core/clean/index';
import { extractArticle } from '../../functions/core/extract/index';

const token = fc.constantFrom(
  'وقال',
  'كيري',
  'جون',
  'لافروف',
  'سيرغي',
  'في',
  'أستانا',
  'وبالآستانة',
  'للأمم',
  'الأمم',
  'المتحدة',
  'قناة',
  '"',
  '«',
  '»',
  '“',
  '”',
  '،',
  '.',
  ':',
  'أمس',
  'الخميس',
  'يوم',
  '23',
  'كانون',
  'الثاني',
  'الحالي',
  'شباط',
  '2015',
  'مضيفاً',
  'إن',
  'وزير',
  'الخارجية',
  'الروسي',
  '\n',
  'دي',
  'ميستورا',
  'x',
);
const text = fc.oneof(
  fc.array(token, { maxLength: 120 }).map((ts) => ts.join(' ')),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
);

describe('extract (properties)', () => {
  it('never throws, and every offset it reports points at the text it names', () => {
    fc.assert(
      fc.property(text, fc.option(fc.constantFrom('2017-01-06T00:24:00', '2021-02-18T12:18:00+02:00')), (body, publishedAt) => {
        const x = extractArticle(asCleanArticle(body), publishedAt ? { publishedAt } : {});
        const b = asCleanArticle(body).body;
        for (const e of x.entities) for (const m of e.mentions) if ('start' in m) expect(b.slice(m.start, m.end)).toBe(m.text);
        for (const q of x.quotes) expect(b.slice(q.start, q.end)).toBe(q.text);
        for (const d of x.dates) expect(b.slice(d.start, d.end)).toBe(d.text);
        for (const d of x.dates) if (d.value) expect(d.value).toMatch(/^\d{4}(-\d{2}(-\d{2})?)?$/);
      }),
      { numRuns: 400 },
    );
  });
});
