import { describe, expect, it } from 'vitest';
import { cleanDocument } from '../../functions/core/clean/index';
import { extractArticle } from '../../functions/core/extract/index';

const clean = (text: string, format: 'text' | 'html' = 'text') => cleanDocument({ text, format }, { minBodyChars: 80 });

const P1 = 'قال المبعوث الأممي إلى سوريا غير بيدرسون، يوم الثلاثاء، إن الجولة المقبلة من اجتماعات اللجنة الدستورية ستعقد في جنيف الشهر المقبل.';
const P2 = 'وأضاف بيدرسون في إحاطة أمام مجلس الأمن الدولي أن "الحل العسكري ليس خياراً"، داعياً الأطراف إلى الانخراط بجدية في العملية السياسية.';
const P3 = 'وكانت الجولة السابقة قد انتهت من دون تحقيق أي تقدم يذكر، بحسب ما أعلنته الأمم المتحدة في بيان رسمي صدر عقب الاجتماعات.';

describe('clean: pages unlike the seeds', () => {
  it('keeps a long headline with a colon and a closing quote as the title, not as body', () => {
    const page = [
      'الرئيسية',
      'سياسة',
      'اقتصاد',
      '',
      'بيدرسون: "لا حل عسكري في سوريا والجولة المقبلة من اجتماعات اللجنة الدستورية في جنيف"',
      'الأربعاء 18 شباط 2021 - 12:18 بتوقيت غرينتش',
      '',
      P1,
      '',
      P2,
      '',
      P3,
      '',
      'شارك',
      'اقرأ المزيد',
    ].join('\n');
    const a = clean(page);
    expect(a.title).toBe('بيدرسون: "لا حل عسكري في سوريا والجولة المقبلة من اجتماعات اللجنة الدستورية في جنيف"');
    expect(a.body.split('\n\n')).toEqual([P1, P2, P3]);
    expect(extractArticle(a).publishedAt?.value).toBe('2021-02-18T12:18:00+00:00');
  });

  it('uses a date line placed under the article, but not one in the comments', () => {
    const page = [
      'عنوان الخبر عن اجتماعات اللجنة الدستورية في جنيف',
      '',
      P1,
      P2,
      P3,
      'نشر بتاريخ 2021/02/18',
      'التعليقات',
      'أحمد',
      '2021/03/01 10:00',
      'هذا تعليق طويل بما يكفي ليبدو نصاً من النصوص في الصفحة.',
    ].join('\n');
    const a = clean(page);
    expect(extractArticle(a).publishedAt?.value).toBe('2021-02-18');
    expect(a.comments).toEqual(['هذا تعليق طويل بما يكفي ليبدو نصاً من النصوص في الصفحة.']);
  });

  it('cleans an HTML article page: related links, share bar and comments out, metadata in', () => {
    const html = `<!doctype html><html lang="ar" dir="rtl"><head>
      <title>بيدرسون يحذر من الجمود | موقع الأخبار</title>
      <meta property="og:site_name" content="عنب بلدي">
      <script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"بيدرسون يحذر من الجمود","datePublished":"٢٠٢١-٠٢-١٨T١٢:١٨:٠٠+02:00","publisher":{"@type":"Organization","name":"عنب بلدي"}}</script>
      </head><body><header><ul class="menu"><li><a>الرئيسية</a></li><li><a>أخبار سوريا</a></li></ul></header>
      <main><article class="post-content"><h1>بيدرسون يحذر من الجمود</h1>
      <div class="share-bar"><a>فيسبوك</a><a>تويتر</a><a>واتساب</a></div>
      <figure><img src="a.jpg" alt="غير بيدرسون في جنيف - (رويترز)"></figure>
      <p>${P1}</p><p>${P2}</p><p>${P3}</p>
      <section class="related-posts"><h3>مواد ذات صلة</h3><ul><li><a>${P1.slice(0, 60)} في خبر آخر طويل جداً عن الموضوع نفسه.</a></li></ul></section>
      </article><div id="comments"><p>تعليق من قارئ يقول إن هذا الكلام لا يقدم ولا يؤخر في شيء على الإطلاق.</p></div></main>
      <footer><p>جميع الحقوق محفوظة © 2021</p></footer></body></html>`;
    const a = clean(html, 'html');
    expect(a.title).toBe('بيدرسون يحذر من الجمود');
    expect(a.body.split('\n\n')).toEqual([P1, P2, P3]);
    const x = extractArticle(a);
    expect(x.publishedAt?.value).toBe('2021-02-18T12:18:00+02:00');
    expect(x.publisher?.name).toBe('عنب بلدي');
  });
});
