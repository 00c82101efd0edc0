/**
 * A seed as a news site serves it: its headline as <h1> and <title>, its lines as <article> paragraphs, inside the weight of a real
 * page (about 60 KB): head metadata and JSON-LD, inline scripts and styles, a navigation menu, a
 * most-read sidebar, related links, a comment thread and a footer. Deterministic.
 */
export const asHtml = (b: Buffer, headline: string) => {
  const lines = b.toString('utf8').split('\n');
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const title = esc(headline);
  const links = (n: number, label: string) => Array.from({ length: n }, (_, i) => `<li><a href="/section/${i}">${label} ${i + 1}</a></li>`).join('');
  const script = Array.from({ length: 300 }, (_, i) => `window.ads${i}=function(a,b){return a.push({slot:"s${i}",size:[300,250],b:b})};`).join('\n');
  const style = Array.from(
    { length: 250 },
    (_, i) => `.c${i}{margin:${i % 7}px;padding:${i % 5}px;color:#${(i * 4099).toString(16).padStart(6, '0').slice(0, 6)}}`,
  ).join('\n');
  const meta = Array.from({ length: 15 }, (_, i) => `<meta property="og:x${i}" content="v${i}">`).join('');
  const teasers = Array.from(
    { length: 12 },
    (_, i) => `<li><a href="/news/${i}"><img src="/i/${i}.jpg" alt="">عنوان خبر آخر رقم ${i + 1} عن الأحداث في المنطقة</a><span>منذ ${i + 1} ساعة</span></li>`,
  ).join('');
  const comments = Array.from(
    { length: 6 },
    (_, i) => `<div class="comment"><b>زائر ${i + 1}</b><p>تعليق القارئ رقم ${i + 1}: هذا رأيي في الخبر والله أعلم.</p></div>`,
  ).join('');
  return Buffer.from(
    `<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>${title} | موقع الأخبار</title>${meta}` +
      `<script type="application/ld+json">{"@type":"NewsArticle","headline":"${title.replace(/"/g, "'")}"}</script>` +
      `<style>${style}</style><script>${script}</script></head><body>` +
      `<header><nav><ul>${links(60, 'قسم')}</ul></nav></header>` +
      `<main><article><h1>${title}</h1>${lines
        .filter((l) => l.trim() !== headline)
        .map((l) => `<p>${esc(l)}</p>`)
        .join('')}</article>` +
      `<section class="related"><h3>اقرأ أيضاً</h3><ul>${teasers}</ul></section>` +
      `<section class="comments"><h3>التعليقات</h3>${comments}</section></main>` +
      `<aside class="sidebar"><h3>الأكثر قراءة</h3><ul>${teasers}</ul></aside>` +
      `<footer><ul>${links(30, 'رابط')}</ul><p>© 2024 جميع الحقوق محفوظة</p></footer><script>${script}</script></body></html>`,
  );
};
