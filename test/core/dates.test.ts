import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ABSOLUTE, ABSOLUTE_AROUND, findDates, matchesAround, parseDateLine, RELATIVE, RELATIVE_AROUND } from '../../functions/core/dates';
import { textTokens } from '../../functions/core/words';

const ref = { y: 2017, m: 1, d: 6 }; // a Friday
const values = (text: string, r = ref) => findDates(text, r).map((d) => [d.text, d.value]);

describe('mentioned dates', () => {
  it('resolves Levantine, Egyptian and Maghrebi month names with and without a year', () => {
    expect(values('في 23 كانون الثاني الحالي')).toEqual([['23 كانون الثاني الحالي', '2017-01-23']]);
    expect(values('منذ ايلول 2015')).toEqual([['ايلول 2015', '2015-09']]);
    expect(values('في 17 مارس/ آذار 2020')).toEqual([['17 مارس/ آذار 2020', '2020-03-17']]);
    expect(values('يوم ٣٠ ديسمبر كانون الأول ٢٠١٦')).toEqual([['٣٠ ديسمبر كانون الأول ٢٠١٦', '2016-12-30']]);
    expect(values('في 5 جانفي 2019')).toEqual([['5 جانفي 2019', '2019-01-05']]);
  });

  it('resolves ordinal days and months relative to the publication date', () => {
    expect(values('في الثامن من شباط القادم')).toEqual([['الثامن من شباط القادم', '2017-02-08']]);
    expect(values('في كانون الأول المنصرم')).toEqual([['كانون الأول المنصرم', '2016-12']]);
  });

  it('resolves weekdays and yesterday against the publication day', () => {
    expect(values('أعلن يوم الخميس')).toEqual([['يوم الخميس', '2017-01-05']]);
    expect(values('قال أمس الأربعاء', { y: 2021, m: 2, d: 18 })).toEqual([['أمس الأربعاء', '2021-02-17']]);
    expect(values('أول أمس الثلاثاء', { y: 2021, m: 2, d: 18 })).toEqual([['أول أمس الثلاثاء', '2021-02-16']]);
  });

  it('leaves a relative date unresolved when there is no publication date', () => {
    expect(findDates('أمس الخميس', undefined)[0]?.value).toBeNull();
  });

  it('does not take a bare month name or a Hijri year for a date', () => {
    expect(findDates('مايو', ref)).toEqual([]);
    expect(findDates('عام 1438 هـ', ref)).toEqual([]);
  });
});

describe('date lines', () => {
  it('reads numeric date lines with a time and a city', () => {
    expect(parseDateLine('06.01.2017 | 00:24')).toMatchObject({ date: { y: 2017, m: 1, d: 6 }, time: { h: 0, m: 24 } });
    expect(parseDateLine('2021.02.18 | 12:18 دمشق')).toMatchObject({ date: { y: 2021, m: 2, d: 18 }, trailing: 'دمشق' });
    expect(parseDateLine('18 شباط 2021')).toMatchObject({ date: { y: 2021, m: 2, d: 18 } });
    expect(parseDateLine('الخميس 6 جمادى الأولى 1442 هـ الموافق ١٨ فبراير ٢٠٢١')).toMatchObject({ date: { y: 2021, m: 2, d: 18 } });
    expect(parseDateLine('نشر في: 17 مارس/ آذار 2020 - 09:05 م')).toMatchObject({ date: { y: 2020, m: 3, d: 17 }, time: { h: 21, m: 5 } });
    // Over 60 characters only with the Hijri date, which is set aside: with its month, or with الموافق alone.
    expect(parseDateLine('آخر تحديث: الخميس 6 جمادى الأولى 1442 هـ الموافق 18 فبراير 2021 الساعة 12:18')).toMatchObject({ date: { y: 2021, m: 2, d: 18 } });
    expect(parseDateLine('نشر في يوم الخميس الموافق 18 فبراير 2021 الساعة 12:18 بتوقيت دمشق')).toMatchObject({ date: { y: 2021, m: 2, d: 18 } });
  });

  it('refuses relative ages and sentences', () => {
    expect(parseDateLine('·منذ 7 سنوات 8 أشهر')).toBeUndefined();
    expect(parseDateLine('وكانت كل من روسيا وتركيا أعلنوا الاتفاق بتاريخ 30 ديسمبر 2016 والذي يشمل كافة المناطق')).toBeUndefined();
  });
});

describe('date patterns tried only around their trigger words', () => {
  const pieces = fc.constantFrom(
    ...['كانون الثاني', 'تشرين الاول', 'اب', 'ماي', 'مايو', 'مارس', 'اذار', 'ديسمبر', 'الثامن', 'الحادي والعشرين', 'التاسع عشر', 'من', 'شهر', 'عام', 'سنه'],
    ...['الماضي', 'المقبل', 'امس', 'اول', 'الاول', 'يوم', 'الخميس', 'الاحد', 'الجمعه', 'القادم'],
    ...['1', '12', '2016', '٢٠١٧', ' ', ' ', '  ', '\n', '/', '(', ')', '-', ',', '،', '.', ':', '"', '«', '»', '؟', 'كتاب', 'ا', 'ب', 'x', 'ـ', '😀', '𝐀'],
  );
  /** Both patterns find in the search form of `text` what they find run over all of it. */
  const sameMatches = (text: string) => {
    const t = textTokens(text);
    for (const [re, around] of [
      [ABSOLUTE, ABSOLUTE_AROUND],
      [RELATIVE, RELATIVE_AROUND],
    ] as const) {
      const want = [...t.sf.text.matchAll(re)].map((m) => [m.index, ...m]);
      expect(matchesAround(t, around).map((m) => [m.index, ...m])).toEqual(want);
    }
  };
  it('find exactly the matches of the patterns run over the whole text', () => {
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 30 }), (parts) => sameMatches(parts.join(''))),
      { numRuns: 4000 },
    );
    // The longest leads: four words before the month, one before أمس or the weekday.
    for (const text of ['قال في الحادي والعشرين من شهر مارس 2016 انه', 'وصل اول امس الخميس', 'يوم الجمعه المقبل', '12 من شهر ايار']) sameMatches(text);
    expect(matchesAround(textTokens('في الحادي والعشرين من شهر مارس'), ABSOLUTE_AROUND)[0]?.index).toBe(3);
  });
});
