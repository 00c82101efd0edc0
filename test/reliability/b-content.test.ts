import { describe, expect, it } from 'vitest';
import { cleanDocument } from '../../functions/core/clean/index';
import { cleanStage } from '../../functions/core/clean/stage';
import { DEFAULT_LIMITS } from '../../functions/core/config';
import { decodeBytes } from '../../functions/core/decode';
import { searchKey } from '../../functions/core/normalize';
import { contentHashOf } from '../../functions/core/record';
import { encodeLegacy, utf16 } from '../fixtures/encodings';

const ARTICLE = [
  'عنوان الخبر عن المفاوضات في جنيف',
  '',
  'قال المبعوث الأممي إلى سوريا، يوم الثلاثاء، إن الجولة المقبلة من المفاوضات ستعقد في جنيف الشهر المقبل.',
  '',
  'وأضاف أن الأطراف كلها مدعوة إلى المشاركة، وأن جدول الأعمال سينشر قبل موعد الجولة بأسبوع.',
].join('\n');
const utf8 = (s: string) => new TextEncoder().encode(s);
const cleaned = (bytes: Uint8Array) => cleanStage(bytes, DEFAULT_LIMITS).article;

describe('B. content and encoding', () => {
  it('B4: UTF-8 with and without BOM give the same clean text and content hash; no BOM in the title', () => {
    const a = cleaned(utf8(ARTICLE));
    const b = cleaned(Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8(ARTICLE)]));
    expect(b.body).toBe(a.body);
    expect(contentHashOf(b.body)).toBe(contentHashOf(a.body));
    expect(b.title?.startsWith('\uFEFF')).toBe(false);
  });

  it('B5: UTF-16LE and UTF-16BE with BOM give the UTF-8 text', () => {
    for (const e of ['le', 'be'] as const) expect(cleaned(utf16(ARTICLE, e)).body).toBe(cleaned(utf8(ARTICLE)).body);
  });

  it('B6: windows-1256 without any declaration gives the UTF-8 text, through TextDecoder of this runtime', () => {
    expect(() => new TextDecoder('windows-1256')).not.toThrow();
    expect(cleaned(encodeLegacy(ARTICLE, 'windows-1256')).body).toBe(cleaned(utf8(ARTICLE)).body);
  });

  it('B7: precedence is BOM > valid UTF-8 > declared charset > code-page guess: a page declaring 1256 in 1256 bytes reads right', () => {
    const html = `<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1256"></head><body><p>${ARTICLE}</p></body></html>`;
    expect(decodeBytes(encodeLegacy(html, 'windows-1256'), { maxBytes: 1e6 })).toMatchObject({ encoding: 'windows-1256', format: 'html' });
    // Valid UTF-8 wins over a wrong declaration.
    expect(decodeBytes(utf8(html), { maxBytes: 1e6 }).encoding).toBe('utf-8');
  });

  it('B8: UTF-8 truncated mid-character is kept and flagged; mostly invalid UTF-8 is refused', () => {
    const bytes = utf8(`${ARTICLE} ع`);
    const truncated = bytes.subarray(0, bytes.length - 1); // the last letter cut in half
    const d = decodeBytes(truncated, { maxBytes: 1e6 });
    expect(d.replacementRatio).toBeGreaterThan(0);
    expect(() =>
      decodeBytes(
        Uint8Array.from({ length: 200 }, (_, i) => (i % 2 ? 0xc3 : 0x28)),
        { maxBytes: 1e6 },
      ),
    ).toThrow(/ENCODING/);
  });

  it('B9: bidi overrides are stripped from the title; presentation forms give the same search form as base letters', () => {
    const a = cleanDocument(
      { text: `\u202Eعنوان\u202C الخبر عن المفاوضات في جنيف\n\n${ARTICLE.split('\n').slice(2).join('\n')}`, format: 'text' },
      { minBodyChars: 20 },
    );
    expect(a.title).toBe('عنوان الخبر عن المفاوضات في جنيف');
    expect(searchKey('\uFEDF\uFEE0\uFE8E\uFE8E')).toBe(searchKey('للاا'));
    expect(searchKey('السّلامُ')).toBe(searchKey('السلام'));
  });

  it('B12: CRLF, lone CR and control characters do not change the clean text or its hash', () => {
    const lf = cleaned(utf8(ARTICLE));
    const crlf = cleaned(utf8(ARTICLE.replace(/\n/g, '\r\n').replace('قال', 'قال\u0007')));
    const cr = cleaned(utf8(ARTICLE.replace(/\n/g, '\r')));
    expect(crlf.body).toBe(lf.body);
    expect(cr.body).toBe(lf.body);
    expect(contentHashOf(crlf.body)).toBe(contentHashOf(lf.body));
  });
});
