import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeBytes } from '../../functions/core/decode';
import { InputRejected } from '../../functions/core/rejection';
import { encodeLegacy, utf16 } from '../fixtures/encodings';

const ARABIC = 'أعلن وزير الخارجية الأمريكي جون كيري، يوم الخميس، أن بلاده تدعم المحادثات السورية.';
const opts = { maxBytes: 1024 * 1024 };
const utf8 = (s: string) => new TextEncoder().encode(s);

function rejection(bytes: Uint8Array, maxBytes = opts.maxBytes): string {
  try {
    decodeBytes(bytes, { maxBytes });
  } catch (err) {
    if (err instanceof InputRejected) return err.reason;
    throw err;
  }
  return 'ACCEPTED';
}

describe('decodeBytes', () => {
  it('reads UTF-8 with and without a BOM as the same text, without the BOM', () => {
    const plain = decodeBytes(utf8(ARABIC), opts);
    const bom = decodeBytes(Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8(ARABIC)]), opts);
    expect(bom.text).toBe(plain.text);
    expect(bom.text.startsWith('\uFEFF')).toBe(false);
  });

  it.each(['le', 'be'] as const)('reads UTF-16%s with a BOM', (endian) => {
    expect(decodeBytes(utf16(ARABIC, endian), opts)).toMatchObject({ text: ARABIC, encoding: `utf-16${endian}` });
  });

  it('recognises windows-1256 Arabic without any charset declaration', () => {
    const d = decodeBytes(encodeLegacy(ARABIC.replace('،', '،'), 'windows-1256'), opts);
    expect(d).toMatchObject({ text: ARABIC, encoding: 'windows-1256' });
  });

  it('recognises ISO-8859-6 when the page declares it', () => {
    const text = '<html><head><meta charset="iso-8859-6"></head><body><p>وزير الخارجية</p></body></html>';
    expect(decodeBytes(encodeLegacy(text, 'iso-8859-6'), opts)).toMatchObject({ encoding: 'iso-8859-6', format: 'html' });
  });

  it('rejects empty, binary, oversized and undecodable input with a reason', () => {
    expect(rejection(new Uint8Array())).toBe('EMPTY');
    expect(rejection(utf8('   \n\t '))).toBe('EMPTY');
    expect(rejection(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]))).toBe('UNSUPPORTED_TYPE');
    expect(rejection(Uint8Array.from([0x25, 0x50, 0x44, 0x46, 0x2d]))).toBe('UNSUPPORTED_TYPE');
    expect(rejection(utf8(`abc\u0000def`))).toBe('UNSUPPORTED_TYPE');
    expect(rejection(utf8('x'.repeat(100)), 50)).toBe('TOO_LARGE');
    // Latin-1 accented text: not UTF-8, and not Arabic in any Arabic code page.
    expect(rejection(Uint8Array.from([0x43, 0x61, 0x66, 0xe9, 0x20, 0xe0, 0x20, 0x50, 0x61, 0x72, 0x69, 0x73]))).toBe('ENCODING_UNKNOWN');
  });

  it('inflates gzip, but refuses a stream that expands past the cap', () => {
    expect(decodeBytes(gzipSync(utf8(ARABIC)), opts).text).toBe(ARABIC);
    expect(rejection(gzipSync(Buffer.alloc(5_000_000, 0x61)), 100_000)).toBe('TOO_LARGE');
  });

  it('tells HTML from a text dump', () => {
    expect(decodeBytes(utf8('<!DOCTYPE html><html><body>x</body></html>'), opts).format).toBe('html');
    expect(decodeBytes(utf8(ARABIC), opts).format).toBe('text');
  });
});
