import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asCleanArticle } from '../../functions/core/clean/index';
import { gazetteer } from '../../functions/core/extract/gazetteer';
import { extractArticle } from '../../functions/core/extract/index';
import { findPublisher } from '../../functions/core/extract/publisher';
import { searchKey } from '../../functions/core/normalize';

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

describe('publisher lines', () => {
  const g = gazetteer();
  const outlets = [...g.entries.values()].filter((e) => e.outlet);
  /** The plain reading: every outlet name as whole words of the line, every domain anywhere; the longest, the first on a tie. */
  const reference = (line: string) => {
    const key = ` ${searchKey(line)
      .toLowerCase()
      .replace(/[^\p{L}\p{N}.-]+/gu, ' ')} `;
    let best: { id: string; len: number } | undefined;
    for (const o of outlets) {
      for (const n of o.outlet?.names ?? []) {
        const nk = searchKey(n).toLowerCase();
        if (key.includes(` ${nk} `) && (!best || nk.length > best.len)) best = { id: o.id, len: nk.length };
      }
      for (const d of o.outlet?.domains ?? []) if (line.toLowerCase().includes(d) && (!best || d.length > best.len)) best = { id: o.id, len: d.length };
    }
    return best?.id ?? null;
  };
  const spellings = outlets.flatMap((o) => [...(o.outlet?.names ?? []), ...(o.outlet?.domains ?? [])]);
  const piece = fc.oneof(fc.constantFrom(...spellings), fc.constantFrom(' ', ' - ', '، ', '.', '(', ')', 'عربي', 'نيوز', 'وكالة', 'www.', '/ar', 'News'));
  it('name the outlet a plain search over every name and domain would', () => {
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 6 }), (parts) => {
        const line = parts.join('');
        const article = { ...asCleanArticle('نص المقال هنا.'), meta: [{ kind: 'signature' as const, text: line }] };
        expect(findPublisher(article, g)?.id ?? null).toBe(reference(line));
      }),
      { numRuns: 3000 },
    );
  });
});
