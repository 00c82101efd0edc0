import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newTextKernel } from '../../functions/core/normalize';
import { TOKEN } from '../../functions/core/text-kernel';
import { MAX_VOCABULARY, mapWords, PerWord, textTokens, tokenText, vocabulary, wordStarts } from '../../functions/core/words';

describe('shared tokens', () => {
  it('reads a text once into search-form tokens with offsets into the original', () => {
    const text = 'قالَ كيري: «نأمل» في ٢٠١٦';
    const t = textTokens(text);
    expect(Array.from({ length: t.n }, (_, k) => tokenText(t, k))).toEqual(['قال', 'كيري', ':', '«', 'نامل', '»', 'في', '2016']);
    expect(mapWords(t, (k) => text.slice(t.start[k], t.end[k]))).toEqual(['قالَ', 'كيري', 'نأمل', 'في', '٢٠١٦']);
    expect([...wordStarts(t)].map((s) => t.sf.text[s])).toEqual(['ق', 'ك', 'ن', 'ف', '2']);
    expect(textTokens(text)).toBe(t); // the body is read once for every extractor
  });

  it('gives one id to one token text in every text', () => {
    const a = textTokens('وزير الخارجية');
    const b = textTokens('قال الوزير إن وزير الخارجية');
    expect(b.id[3]).toBe(a.id[0]);
    expect(b.id[4]).toBe(a.id[1]);
    expect(b.id[1]).not.toBe(a.id[0]);
    expect(vocabulary.words[a.id[1] as number]).toBe('الخارجيه');
  });

  it('computes a fact about a word once, an undefined one too', () => {
    const calls: string[] = [];
    const facts = new PerWord((w) => {
      calls.push(w);
      return w.startsWith('ال') ? w.slice(2) : undefined;
    });
    const t = textTokens('الوزير قال الوزير قال');
    expect(mapWords(t, (k) => facts.of(t, k))).toEqual(['وزير', undefined, 'وزير', undefined]);
    expect(mapWords(t, (k) => facts.of(t, k))).toEqual(['وزير', undefined, 'وزير', undefined]);
    expect(calls).toEqual(['الوزير', 'قال']);
  });

  it('stays right when the vocabulary fills and starts over while a text is held', () => {
    const facts = new PerWord((w) => w.length);
    const fill = (from: number) => {
      // Enough new words to fill the vocabulary, then 20 more, which take ids 0–19 of the next generation.
      const words = Array.from({ length: MAX_VOCABULARY + 20 }, (_, i) => `w${(from + i).toString(36)}`);
      const generation = vocabulary.generation;
      textTokens(words.join(' '));
      expect(vocabulary.generation).toBe(generation + 1);
      return textTokens(words.slice(-20).join(' '));
    };
    fill(0);
    const t = textTokens('الوزير قال');
    expect(mapWords(t, (k) => facts.of(t, k))).toEqual([6, 3]);
    fill(MAX_VOCABULARY + 100);
    // New words until the ids the held text has name other words, whose facts are then cached.
    for (let i = 0; vocabulary.words.length <= (t.id[1] as number); i += 1000) textTokens(Array.from({ length: 1000 }, (_, j) => `y${i + j}`).join(' '));
    const other = textTokens(`${vocabulary.words[t.id[0] as number]} ${vocabulary.words[t.id[1] as number]}`);
    expect(mapWords(other, (k) => facts.of(other, k))).not.toEqual([6, 3]);
    expect(mapWords(t, (k) => facts.of(t, k))).toEqual([6, 3]);
    expect(textTokens('الوزير قال')).not.toBe(t);
  });

  it('gives each token text an id in order of first sight, in a fresh kernel whose table grows many times (against a map)', () => {
    const kernel = newTextKernel();
    const ids = new Map<string, number>();
    const piece = fc.oneof(
      fc.constantFrom(' ', '\n', '.', '،', '«', 'ال', 'قال', 'وزير', '😀', 'x'),
      fc.string({ unit: fc.constantFrom('ا', 'ب', 'ت', 'a', 'b', '1'), minLength: 1, maxLength: 12 }),
      fc.integer({ min: 0, max: 1_000_000 }).map((n) => `w${n.toString(36)}`),
    );
    fc.assert(
      fc.property(fc.array(piece, { minLength: 200, maxLength: 1500 }), (pieces) => {
        const s = pieces.join(' ');
        const { records: r, count, clears } = kernel.tokens(s);
        expect(clears).toBe(0);
        for (let k = 0; k < count; k++) {
          const text = s.slice(r[k * TOKEN], r[k * TOKEN + 1]);
          if (!ids.has(text)) ids.set(text, ids.size);
          expect(r[k * TOKEN + 3], text).toBe(ids.get(text));
        }
      }),
      { numRuns: 200 },
    );
    expect(ids.size).toBeGreaterThan(4 * 4096); // past the first table's size several times over
  });

  it('starts over between texts when the arena of token texts is full, and keeps every id right', () => {
    // Long tokens: 100 distinct words of 10,000 letters a text, 4 million code units over five texts.
    const generation = vocabulary.generation;
    const word = (i: number) => `ب${i.toString(36).padStart(4, 'ا')}`.padEnd(10_000, 'ت');
    let last = textTokens('');
    for (let text = 0; text < 5; text++) {
      last = textTokens(Array.from({ length: 100 }, (_, i) => word(text * 100 + i)).join(' '));
      for (let k = 0; k < last.n; k++) expect(vocabulary.words[last.id[k] as number]).toBe(word(text * 100 + k));
    }
    expect(vocabulary.generation).toBe(generation + 1);
    expect(last.generation).toBe(vocabulary.generation); // it started over before the text, not in it
    const again = textTokens(`${word(400)} قال ${word(499)}`);
    expect([again.id[0], again.id[2]]).toEqual([last.id[0], last.id[99]]);
  });
});
