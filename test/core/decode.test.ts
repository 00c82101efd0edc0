import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBytes, decodeStrictUtf8, strictUtf8 } from '../../functions/core/decode';
import { CONTROL_CHARS, PIECE_UNITS } from '../../functions/core/normalize';
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

describe('strict UTF-8', () => {
  const reference = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const fatal = (b: Uint8Array) => {
    try {
      return reference.decode(b);
    } catch {
      return undefined;
    }
  };
  // Bytes near every boundary of the encoding: lead bytes, continuation ranges, overlongs, surrogates, past U+10FFFF.
  const edgy = fc.constantFrom(
    0x00,
    0x41,
    0x7f,
    0x80,
    0x8f,
    0x90,
    0x9f,
    0xa0,
    0xbf,
    0xc0,
    0xc1,
    0xc2,
    0xdf,
    0xe0,
    0xe1,
    0xec,
    0xed,
    0xee,
    0xef,
    0xf0,
    0xf1,
    0xf3,
    0xf4,
    0xf5,
    0xff,
  );

  it('accepts and rejects exactly what a fatal TextDecoder does, with the same text', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(edgy, fc.integer({ min: 0, max: 255 })), { maxLength: 12 }), (bytes) => {
        const b = Uint8Array.from(bytes);
        expect(strictUtf8(b)).toBe(fatal(b));
      }),
      { numRuns: 20000 },
    );
  });

  it('counts the control characters and replacement characters it decodes', () => {
    const withControls = fc.array(
      fc.oneof(fc.constantFrom('\u0000', '\u0007', '\t', '\n', '\r', '\u001b', '\u007f', '\ufffd', 'ك', 'a', ' '), fc.string({ maxLength: 4 })),
      {
        maxLength: 20,
      },
    );
    fc.assert(
      fc.property(withControls, (parts) => {
        const s = parts.join('');
        expect(decodeStrictUtf8(utf8(s))).toEqual({
          text: s,
          controls: (s.match(CONTROL_CHARS) ?? []).length,
          replacements: (s.match(/\uFFFD/g) ?? []).length,
        });
      }),
    );
  });

  it("decodes any string's UTF-8 back to the string, astral characters included", () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (s) => {
        expect(strictUtf8(utf8(s))).toBe(s);
      }),
    );
    expect(strictUtf8(utf8(ARABIC.repeat(2000)))).toBe(ARABIC.repeat(2000));
  });

  it('hands a long text over in pieces that never cut a surrogate pair, and joins them only when the text is read', () => {
    // An astral character straddling each piece boundary.
    const unit = `${'ك'.repeat(PIECE_UNITS - 1)}😀`;
    const long = `${unit.repeat(3)}نهاية`;
    const d = decodeBytes(utf8(long), opts);
    expect(d.pieces.length).toBeGreaterThan(3);
    for (const p of d.pieces) {
      expect(p.length).toBeLessThanOrEqual(PIECE_UNITS);
      expect(p.charCodeAt(p.length - 1) & 0xfc00).not.toBe(0xd800);
    }
    expect(d.pieces.join('')).toBe(long);
    expect(d.text).toBe(long);
    // A short text is one piece, the text itself.
    expect(decodeBytes(utf8(ARABIC), opts).pieces).toEqual([ARABIC]);
    expect(rejection(utf8(' \n'.repeat(PIECE_UNITS)))).toBe('EMPTY');
  });
});
