import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cleanDocument } from '../../functions/core/clean/index';
import { cleanStage } from '../../functions/core/clean/stage';
import { DEFAULT_LIMITS } from '../../functions/core/config';
import { PIECE_UNITS } from '../../functions/core/normalize';
import { InputRejected } from '../../functions/core/rejection';
import { encodeLegacy, utf16 } from '../fixtures/encodings';

const seed = (name: string) => readFileSync(new URL(`../../seeds/${name}`, import.meta.url), 'utf8');
const clean = (text: string, format: 'text' | 'html' = 'text') => cleanDocument({ text, format }, { minBodyChars: 80 });

describe('clean: text dumps', () => {
  it('keeps the article and drops the page furniture around it', () => {
    const a = clean(seed('004_e83b1a22e68e27e6.txt'));
    expect(a.title).toBe('مسؤول في الخارجية الأميركية: واشنطن لا تشارك في محادثات أستانا');
    expect(a.body).toContain('أعلن مسؤول في وزارة الخارجية الأميركية');
    expect(a.body).toContain('مبادرات الحكم الذاتي غير المشروعة'); // after an "اقرأ أيضاً" teaser: the article goes on
    for (const junk of ['icon', 'التغطية الحية', '.jpg', 'حجم الخط', '+A', 'اقرأ أيضاً']) expect(a.body).not.toContain(junk);
    expect(a.meta.map((m) => m.kind)).toEqual(expect.arrayContaining(['date', 'caption', 'dateline']));
  });

  it('names each kind of furniture line it drops: font controls, counters, file names, relative ages', () => {
    const prose = 'قال المتحدث باسم الحكومة إن الاجتماع سيعقد في العاصمة الأسبوع المقبل لبحث الملفات العالقة بين الطرفين.';
    const page = ['+A', 'A -', '- أ', '12 : 30', '(45)', 'photo-2021.jpg', 'منذ 3 ساعات', prose, prose.replace('الاجتماع', 'اللقاء'), 'x-y'].join('\n');
    const why = new Map(clean(page).dropped.map((d) => [d.text, d.why]));
    expect(Object.fromEntries(why)).toMatchObject({
      '+A': 'ui',
      'A -': 'ui',
      '- أ': 'ui',
      '12 : 30': 'ui',
      '(45)': 'ui',
      'photo-2021.jpg': 'file',
      'منذ 3 ساعات': 'comment-meta',
    });
    // In a page in another script, a line of numbers is furniture by its own rule (not as a short line in another script).
    const english = 'The spokesman said the meeting would be held in the capital next week to discuss the outstanding files.';
    const other = clean(['12 : 30', '+ 4.5 %', english, english.replace('meeting', 'summit')].join('\n')).dropped;
    expect(other).toEqual(
      expect.arrayContaining([
        { text: '12 : 30', why: 'ui' },
        { text: '+ 4.5 %', why: 'ui' },
      ]),
    );
  });

  it('removes stray control characters and CR line ends, in every encoding decodeBytes reads', () => {
    const text = seed('004_e83b1a22e68e27e6.txt');
    const expected = cleanStage(new TextEncoder().encode(text), DEFAULT_LIMITS).article;
    // A bell inside a word of the article, a form feed in a paragraph, Windows and old Mac line ends.
    let lines = 0;
    const dirty = text.replace('مسؤول في وزارة', 'مسؤ\u0007ول في\u000c وزارة').replace(/\n/g, () => (lines++ % 2 ? '\r\n' : '\r'));
    for (const bytes of [
      new TextEncoder().encode(dirty),
      utf16(dirty, 'le'),
      encodeLegacy(Array.from(dirty, (c) => ((c.codePointAt(0) as number) > 0x6ff ? ' ' : c)).join(''), 'windows-1256'),
    ]) {
      const body = cleanStage(bytes, DEFAULT_LIMITS).article.body;
      expect(body).toContain('أعلن مسؤول في وزارة الخارجية الأميركية');
      for (const c of ['\u0007', '\u000c', '\r']) expect(body).not.toContain(c);
    }
    // The same article, title, meta lines and dropped lines as from the clean text.
    expect(cleanStage(new TextEncoder().encode(dirty), DEFAULT_LIMITS).article).toEqual(expected);
  });

  it('keeps reader comments in their own field, never in the body', () => {
    const a = clean(seed('002_e36c8a0eafea318a.txt'));
    expect(a.comments).toHaveLength(2);
    expect(a.comments[0]).toContain('مش كافي كذب');
    expect(a.body).not.toContain('مش كافي كذب');
    expect(a.body).not.toContain('منذ 7 سنوات');
    expect(a.body).toContain('دي ميستورا سيدفع إلى العودة للمفاوضات'); // a subheading inside the article stays
  });

  it('finds the title after a run-together headline ticker and a repeated headline', () => {
    expect(clean(seed('001_581d1c0477f4f7fa.txt')).title).toBe('جون كيري يرحب بالآستانة وديمستورا يعقِّب');
    const a = clean(seed('002_e36c8a0eafea318a.txt'));
    expect(a.title).toBe('كيري يتحدث عن اتفاق وشيك مع لافروف لإبرام هدنة في سوريا');
    expect(a.body.startsWith('كشف وزير الخارجية')).toBe(true);
  });

  it('does not take banners or captions for the title', () => {
    const a = clean(seed('003_60c1ad3fcf2e89f8.txt'));
    expect(a.title).toBe('الولايات المتحدة عازمة على حل الخلافات مع روسيا قبل 25 يناير');
    expect(a.body).not.toContain('تم التسجيل بنجاح');
    expect(a.body).not.toContain('Заголовок');
  });

  it('rejects a page with no article text', () => {
    expect(() => clean('الرئيسية\nاتصل بنا\nشارك\n© 2024 جميع الحقوق محفوظة')).toThrow(InputRejected);
  });

  it('detects the language', () => {
    expect(clean(seed('000_d5e7e46376dfbaad.txt')).language).toBe('ar');
    const en = clean(
      'Home\nWorld\n\nTalks resume in Geneva\n\nThe envoy said on Thursday that the talks would resume next month in Geneva, after a pause of several weeks.\n\nHe added that all parties had been invited to attend, and that the agenda would be published.\n\nShare',
    );
    expect(en.language).toBe('en');
    expect(en.body).toContain('The envoy said');
    expect(en.body).not.toContain('Share');
  });
  it('never takes a paragraph the page repeats for article prose', () => {
    const article = [
      'وزير الخارجية يبحث مع نظيره الأزمة في المنطقة',
      'بحث وزير الخارجية مع نظيره في اتصال هاتفي اليوم تطورات الأزمة في المنطقة وسبل التوصل إلى حل سياسي لها.',
      'وأكد الوزيران خلال الاتصال ضرورة وقف إطلاق النار فورا وفتح الممرات الإنسانية أمام المساعدات للمدنيين.',
      'وأشار البيان إلى أن الجانبين اتفقا على مواصلة التشاور خلال الأيام المقبلة في إطار الجهود الدولية الجارية.',
      'وكانت الأمم المتحدة قد دعت في وقت سابق إلى عقد جولة جديدة من المفاوضات بين الأطراف في جنيف الشهر المقبل.',
    ];
    const promo = 'اشترك الآن في النشرة البريدية لتصلك آخر الأخبار والتحليلات والتقارير الخاصة يوميا على بريدك الإلكتروني مجانا.';
    const text = [...article, promo, promo].join('\n');
    const a = clean(text);
    expect(a.body).toContain('جولة جديدة من المفاوضات');
    expect(a.body).not.toContain('اشترك الآن');
  });
});

describe('clean: HTML', () => {
  const html = `<!DOCTYPE html><html><head><meta property="og:title" content="عنوان الخبر - موقع">
    <meta property="article:published_time" content="2021-02-18T12:18:00+02:00"><script>var x = "<p>لا</p>";</script>
    <style>p{}</style></head><body><nav><a href="/">الرئيسية</a><a>أخبار</a></nav>
    <article><h1>واشنطن لا تشارك في محادثات أستانا</h1>
    <p>أعلن مسؤول في وزارة الخارجية الأميركية، أن الولايات المتحدة لا تشارك مع إيران وروسيا وتركيا في مباحثات أستانا حول سوريا.</p>
    <p>وقال المسؤول إن المسار الوحيد لإنهاء النزاع في سوريا يمر عبر العملية السياسية التي تسهلها الأمم المتحدة في جنيف.</p>
    <p onclick="alert(1)">وشدد على أن القرار 2254 هو المفتاح لتحقيق السلام الدائم للشعب السوري.</p></article>
    <footer>© 2021 جميع الحقوق محفوظة</footer><script>alert("x")</script></body></html>`;

  it('extracts the article text without scripts, navigation or footer, and reads the page metadata', () => {
    const a = clean(html, 'html');
    expect(a.title).toBe('واشنطن لا تشارك في محادثات أستانا');
    expect(a.body).toContain('أعلن مسؤول في وزارة الخارجية الأميركية');
    expect(a.body).toContain('وشدد على أن القرار 2254');
    expect(a.body).not.toMatch(/<script|alert|onclick|الرئيسية|جميع الحقوق/);
    expect(a.pageMeta.publishedAt).toBe('2021-02-18T12:18:00+02:00');
  });

  it('reads a page longer than a piece the same as one string: a tag, an entity and a surrogate pair cut at each piece boundary', () => {
    const ad = `<script>window.ad=function(a){return a.push("<p>لا</p>")};</script>`;
    const filler = `<div class="sidebar"><ul>${'<li><a href="/x">رابط</a></li>'.repeat(2000)}</ul></div>`;
    let page = html
      .replace('<article>', `${filler}${ad}<article>`)
      .replace('</article>', `<p>وأضاف المسؤول أن الحل السياسي &amp; الحوار 😀 هما الطريق الوحيد لإنهاء النزاع في آخر الخبر.</p></article>${filler}`);
    // Whatever falls at the boundaries, over several pieces.
    while (page.length < 3 * PIECE_UNITS) page = page.replace('</body>', `${filler}</body>`);
    const viaPieces = cleanStage(new TextEncoder().encode(page), DEFAULT_LIMITS).article;
    expect(viaPieces).toEqual(clean(page, 'html'));
    expect(viaPieces.body).toContain('الحل السياسي & الحوار 😀 هما الطريق الوحيد');
    // The boundaries moved through the page one code unit at a time: the same article every time.
    for (let shift = 1; shift <= 40; shift += 3) {
      const shifted = `${' '.repeat(shift)}${page}`;
      expect(
        cleanDocument(
          { text: shifted, format: 'html', pieces: [shifted.slice(0, PIECE_UNITS - 7 * shift), shifted.slice(PIECE_UNITS - 7 * shift)] },
          { minBodyChars: 80 },
        ),
      ).toEqual(clean(shifted, 'html'));
    }
  });
});
