import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { asCleanArticle, cleanDocument } from '../../functions/core/clean/index';
import { extractEntities } from '../../functions/core/extract/entities';
import { extractArticle } from '../../functions/core/extract/index';

const seed = (name: string) =>
  cleanDocument({ text: readFileSync(new URL(`../../seeds/${name}`, import.meta.url), 'utf8'), format: 'text' }, { minBodyChars: 80 });
const ids = (text: string) => extractEntities(text, null).map((e) => e.id);

describe('entities', () => {
  it('gives one canonical id to every spelling of a person or place, clitics peeled off', () => {
    const e = extractEntities('وكان المبعوث الأممي ستافان دي ميستورا في أستانا. والتقى ستيفان دي ميستورا في استانة، وقال ديمستورا إن بالآستانة اجتماعاً.', null);
    const mistura = e.find((x) => x.id === 'per:staffan-de-mistura');
    expect(mistura?.mentions.map((m) => m.text)).toEqual(['ستافان دي ميستورا', 'ستيفان دي ميستورا', 'ديمستورا']);
    expect(e.find((x) => x.id === 'loc:city:astana')?.mentions.map((m) => m.text)).toEqual(['أستانا', 'استانة', 'الآستانة']);
  });

  it('tells Kerry from Kirby', () => {
    expect(ids('صرح المتحدث جون كيربي بأن جون كيري سيزور موسكو')).toEqual(['per:john-kirby', 'per:john-kerry', 'loc:city:moscow']);
  });

  it('links surnames and nisba adjectives only when the entity is named in full', () => {
    expect(ids('وقال لافروف إن الموقف الروسي ثابت')).toEqual([]);
    expect(ids('قال سيرغي لافروف في روسيا إن الموقف الروسي ثابت، وأضاف لافروف')).toEqual(['per:sergey-lavrov', 'loc:RU']);
  });

  it('mention offsets point at their text in the body', () => {
    const body = 'وقال كيري "نأمل" بحسب قناة "الحرة" ولقناة "روسيا 24" في سورية والولايات المتحدة الأميركية';
    const e = extractEntities(body, null);
    for (const x of e) for (const m of x.mentions) if ('start' in m) expect(body.slice(m.start, m.end)).toBe(m.text);
    expect(e.map((x) => x.id)).toEqual(expect.arrayContaining(['org:outlet:alhurra', 'org:outlet:russia-24', 'loc:SY', 'loc:US']));
  });

  it('names an unknown outlet quoted after a media noun', () => {
    expect(extractEntities('نقلت صحيفة "الغد الجديد" عن مصدر', null)).toMatchObject([{ type: 'ORGANIZATION', name: 'الغد الجديد' }]);
  });

  it('never matches a name across punctuation', () => {
    expect(ids('أعلنت جبهة، النصرة')).not.toContain('org:nusra-front');
  });
});

describe('extractArticle', () => {
  it('reads the publication date with the zone of the city after the time', () => {
    expect(extractArticle(seed('004_e83b1a22e68e27e6.txt')).publishedAt?.value).toBe('2021-02-18T12:18:00+02:00');
    expect(extractArticle(seed('000_d5e7e46376dfbaad.txt')).publishedAt?.value).toBe('2017-01-06T00:24:00');
  });

  it('never takes a date from the article text for the publication date', () => {
    const a = seed('001_581d1c0477f4f7fa.txt'); // mentions ٣٠ ديسمبر ٢٠١٦ in the body, no date line
    expect(extractArticle(a).publishedAt).toBeNull();
  });

  it('finds the publisher in a signature or dateline, not in the text', () => {
    expect(extractArticle(seed('000_d5e7e46376dfbaad.txt')).publisher?.name).toBe('سيريانيوز');
    expect(extractArticle(seed('003_60c1ad3fcf2e89f8.txt')).publisher?.name).toBe('سبوتنيك');
    expect(extractArticle(seed('004_e83b1a22e68e27e6.txt')).publisher).toBeNull(); // قناة "الحرة" is a source in the text
  });

  it('attributes quotes by verb + name, verb + role and the current speaker', () => {
    const q = extractArticle(seed('002_e36c8a0eafea318a.txt')).quotes;
    const by = (start: string) => q.find((x) => x.text.startsWith(start))?.speaker?.id;
    expect(by('يجب العمل على جعل اتفاق')).toBe('per:john-kerry'); // وشدد كيري
    expect(by('ناقشنا اليوم')).toBe('per:sergey-lavrov'); // قال وزير الخارجية الروسي
    expect(by('ليس هناك حل عسكري')).toBe('per:john-kerry'); // معتبراً — the paragraph opened with كيري
    expect(by('نالت حلب')).toBe('per:sergey-lavrov'); // قائلاً — Kerry is only the object of that sentence
  });

  it('attributes a quote to a role the article itself gives a person, when the gazetteer does not know the role', () => {
    const a = asCleanArticle(
      'وصل الدبلوماسي الأمريكي المخضرم جون كيري إلى جنيف صباح اليوم.\n\nوقال الدبلوماسي الأمريكي المخضرم «إن المحادثات ستستأنف الأسبوع المقبل في جنيف».',
    );
    expect(extractArticle(a).quotes).toEqual([
      expect.objectContaining({ speaker: { id: 'per:john-kerry', name: 'جون كيري' }, evidence: { rule: 'verb-role', verb: 'وقال' } }),
    ]);
  });

  it('reads a role after a verb without the conjunction glued to its first word', () => {
    const a = asCleanArticle(
      'وصل الدبلوماسي الأمريكي المخضرم جون كيري إلى جنيف صباح اليوم.\n\nوقال والدبلوماسي الأمريكي المخضرم «إن المحادثات ستستأنف الأسبوع المقبل في جنيف».',
    );
    expect(extractArticle(a).quotes).toEqual([
      expect.objectContaining({ speaker: { id: 'per:john-kerry', name: 'جون كيري' }, evidence: { rule: 'verb-role', verb: 'وقال' } }),
    ]);
  });

  it('resolves mentioned dates from the publication date, and takes --published-at', () => {
    const a = asCleanArticle('وقال المسؤول أمس الأربعاء إن الاجتماع سيعقد في الثامن من آذار القادم، لا في كانون الثاني الماضي.');
    expect(extractArticle(a, { publishedAt: '2021-02-18T12:00:00+02:00' }).dates.map((d) => d.value)).toEqual(['2021-02-17', '2021-03-08', '2021-01']);
  });
});
