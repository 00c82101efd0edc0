import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractEntities, scan } from '../../functions/core/extract/entities';
import { Gazetteer, gazetteer } from '../../functions/core/extract/gazetteer';
import { CompiledTagger } from '../../functions/core/extract/tagger/compiled';
import { featuresAt, stem } from '../../functions/core/extract/tagger/features';
import { gazetteerTags, readingsOf } from '../../functions/core/extract/tagger/gazetteer-tags';
import { Perceptron, TAGS, Trainer } from '../../functions/core/extract/tagger/model';
import { loadTagger, tagText } from '../../functions/core/extract/tagger/tagger';
import { searchKey } from '../../functions/core/normalize';
import { textTokens, tokenText } from '../../functions/core/words';

describe('the entity tagger', () => {
  it('ships a trained model that finds names no list knows', () => {
    expect(loadTagger()).not.toBeNull();
    const spans = tagText('وقال الرئيس الفرنسي فرانسوا هولاند إن بلاده ستشارك في مؤتمر باريس.', new Gazetteer());
    expect(spans).toContainEqual(expect.objectContaining({ type: 'PERSON', text: 'فرانسوا هولاند' }));
  });

  it('decodes exactly as the plain model over the full feature lists (the compiled fast path changes nothing)', () => {
    const data = JSON.parse(readFileSync('data/model/tagger.json', 'utf8'));
    const plain = Perceptron.fromData(data);
    const compiled = loadTagger();
    // A cache of 60 words fills and starts over many times on the way: results must not change.
    const small = new CompiledTagger(data, 60);
    let tokens = 0;
    let named = 0;
    for (const f of readdirSync('seeds')) {
      for (const line of readFileSync(`seeds/${f}`, 'utf8').split(/[.\n؟]/)) {
        const toks = [...line.matchAll(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu)].map((m) => searchKey(m[0]) || m[0]);
        if (!toks.length) continue;
        const gaz = gazetteerTags(toks, gazetteer());
        const want = plain.decode(toks.map((_, i) => featuresAt(toks, gaz, i)));
        expect(compiled?.decode(toks, gaz)).toEqual(want);
        expect(small.decode(toks, gaz)).toEqual(want);
        tokens += toks.length;
        named += want.filter((t) => t !== 0).length;
      }
    }
    expect(tokens).toBeGreaterThan(2000);
    expect(named).toBeGreaterThan(50); // the comparison covered names, not only O tags
    // Whole texts through the shared tokens: a cache that starts over mid-article changes nothing either.
    for (const f of readdirSync('seeds').filter((x) => x.endsWith('.txt'))) {
      const text = readFileSync(`seeds/${f}`, 'utf8');
      expect(tagText(text, gazetteer(), small)).toEqual(tagText(text, gazetteer(), compiled));
    }
  });

  it('decodes exactly as the plain model on random models with many ties (the fast Viterbi paths)', () => {
    // Weights and transitions from a handful of small integers: equal path scores are common, and
    // the compiled decoder must break every tie as Perceptron.decode does (lower tag first).
    let seed = 7;
    const rand = (k: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 16) % k;
    };
    const words = ['ا', 'ب', 'ج', 'د', 'ه'];
    let compared = 0;
    let named = 0;
    for (let m = 0; m < 40; m++) {
      const spread = 1 + rand(4);
      const features: Record<string, Array<[number, number]>> = {};
      for (const w of words)
        for (const f of [`w=${w}`, `w-1=${w}`, `w+1=${w}`, `s=${w}`])
          features[f] = TAGS.map((_, t): [number, number] => [t, rand(2 * spread + 1) - spread]).filter(([, v]) => v !== 0);
      features.b = [[0, rand(3)]];
      const data = {
        version: 1 as const,
        tags: [...TAGS],
        features,
        transitions: Array.from({ length: TAGS.length + 1 }, () => TAGS.map(() => rand(2 * spread + 1) - spread)),
      };
      const plain = Perceptron.fromData(data);
      const compiled = new CompiledTagger(data);
      for (let s = 0; s < 30; s++) {
        const toks = Array.from({ length: 1 + rand(12) }, () => words[rand(words.length)] as string);
        const gaz = toks.map(() => '');
        const want = plain.decode(toks.map((_, i) => featuresAt(toks, gaz, i)));
        expect(compiled.decode(toks, gaz)).toEqual(want);
        compared++;
        named += want.filter((t) => t !== 0).length;
      }
    }
    expect(compared).toBe(1200);
    expect(named).toBeGreaterThan(1000);
  });

  it("decodes a text's tokens, found by vocabulary id, exactly as the plain model (its words outgrowing the memory on the way)", () => {
    const data = JSON.parse(readFileSync('data/model/tagger.json', 'utf8'));
    const plain = Perceptron.fromData(data);
    const fresh = new CompiledTagger(data);
    let compared = 0;
    for (const f of readdirSync('seeds').filter((x) => x.endsWith('.txt'))) {
      const text = readFileSync(`seeds/${f}`, 'utf8');
      const t = textTokens(text);
      const gaz = readingsOf(t.start, t.end, t.n, scan(text, gazetteer()));
      // Stretches of up to 40 tokens: where a stretch is cut does not matter to the comparison.
      for (let from = 0; from < t.n; from += 40) {
        const n = Math.min(40, t.n - from);
        const toks = Array.from({ length: n }, (_, i) => tokenText(t, from + i));
        const g = gaz.slice(from, from + n);
        expect(fresh.decodeTokens(t, from, n, fresh.codesOf(gaz))).toEqual(plain.decode(toks.map((_, i) => featuresAt(toks, g, i))));
        compared += n;
      }
    }
    expect(compared).toBeGreaterThan(2000);
    expect((fresh as unknown as { words: Map<string, unknown> }).words.size).toBeGreaterThan(1024); // more than the memory first held
  });

  it('decodes exactly while the words it has seen outgrow the memory its vectors start in', () => {
    // The word vectors live in the WebAssembly memory, which starts with room for about a thousand
    // words and grows (a new buffer each time): 6,000 distinct words, some sentences placed while it grows.
    let seed = 11;
    const rand = (k: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 16) % k;
    };
    const words = Array.from({ length: 6000 }, (_, k) => `ك${k.toString(36)}`);
    const features: Record<string, Array<[number, number]>> = {};
    for (const w of words)
      for (const f of [`w=${w}`, `w-1=${w}`, `w+2=${w}`]) features[f] = TAGS.map((_, t): [number, number] => [t, rand(41) - 20]).filter(([, v]) => v !== 0);
    const data = { version: 1 as const, tags: [...TAGS], features, transitions: Array.from({ length: TAGS.length + 1 }, () => TAGS.map(() => rand(21) - 10)) };
    const plain = Perceptron.fromData(data);
    // Both ways in: tokens given as strings (decode), and a text's tokens found by vocabulary id (decodeTokens), each on a tagger of its own.
    const byText = new CompiledTagger(data);
    const byId = new CompiledTagger(data);
    let named = 0;
    for (let from = 0; from < words.length; ) {
      const n = 1 + rand(from < 3000 ? 60 : 1500); // long sentences later: many new words placed in one sentence
      const toks = words.slice(from, from + n);
      from += n;
      // Words seen before come back too: their vectors must have moved with the memory.
      for (let k = 0; k < 5; k++) toks.push(words[rand(Math.min(from, words.length))] as string);
      const gaz = toks.map(() => (rand(10) ? '' : 'PER-B'));
      const want = plain.decode(toks.map((_, i) => featuresAt(toks, gaz, i)));
      expect(byText.decode(toks, gaz)).toEqual(want);
      const t = textTokens(toks.join(' '));
      expect(Array.from({ length: t.n }, (_, k) => tokenText(t, k))).toEqual(toks);
      expect(byId.decodeTokens(t, 0, t.n, byId.codesOf(gaz))).toEqual(want);
      named += want.filter((t) => t !== 0).length;
    }
    expect(named).toBeGreaterThan(1000);
  });

  it('gives a new name a stable id, the same in every article', () => {
    const a = extractEntities('وقال وزير الخارجية الفرنسي جان إيف لودريان إن باريس تدعم الحل. وأضاف لودريان أن المفاوضات مهمة.', null);
    const b = extractEntities('التقى جان إيف لودريان نظيره في القاهرة.', null);
    const person = a.find((e) => e.type === 'PERSON' && e.id.includes(':auto:'));
    expect(person?.mentions[0]?.text).toBe('جان إيف لودريان');
    expect(b.find((e) => e.type === 'PERSON')?.id).toBe(person?.id);
    expect(person?.evidence).toContain('tagger');
  });

  it('lets the gazetteer win where both read a name', () => {
    const e = extractEntities('وقال وزير الخارجية الأمريكي جون كيري في جنيف إن المحادثات مستمرة.', null);
    expect(e.find((x) => x.type === 'PERSON')).toMatchObject({ id: 'per:john-kerry', evidence: ['gazetteer'] });
  });

  it('learns from examples: a model trained on a toy corpus tags what it was taught', () => {
    const sentence = ['زار', 'زيد', 'عمرو', 'مدينة', 'حمص'];
    const gold = [0, 1, 2, 0, 3].map((i) => i);
    const feats = (toks: string[]) => toks.map((_, i) => [`w=${toks[i]}`, `w-1=${toks[i - 1] ?? '<s>'}`, 'b']);
    const trainer = new Trainer();
    for (let e = 0; e < 5; e++) trainer.learn(feats(sentence), gold);
    const model = Perceptron.fromData(trainer.averaged());
    expect(model.decode(feats(sentence)).map((t) => TAGS[t])).toEqual(['O', 'B-PERS', 'I-PERS', 'O', 'B-LOC']);
  });

  it('never decodes an I- tag without its B-', () => {
    const m = new Perceptron();
    m.weights.set('b', Float64Array.from([0, 0, 5, 0, 0, 0, 0, 0, 0])); // every token prefers I-PERS
    const tags = m.decode([['b'], ['b']]).map((t) => TAGS[t]);
    expect(tags[0]).not.toBe('I-PERS');
  });

  it('strips proclitics for the stem feature', () => {
    expect(stem('والرئيس')).toBe('رئيس');
    expect(stem('بسوريا')).toBe('سوريا');
    expect(stem('للعراق')).toBe('عراق');
    expect(gazetteer()).toBeDefined();
  });
});

describe("the tagger's sentences", () => {
  /**
   * The plain split: token by token, a sentence ends at a one-character . ! ? or ؟, before a line
   * break between two tokens, after 250 tokens, and at the text's end; each decoded alone.
   */
  function plainTagText(text: string): Array<{ type: string; start: number; end: number }> {
    const m = loadTagger() as CompiledTagger;
    const t = textTokens(text);
    const codes = m.codesOf(readingsOf(t.start, t.end, t.n, scan(text, gazetteer())));
    const out: Array<{ type: string; start: number; end: number }> = [];
    for (let i = 0, from = 0; i < t.n; i++) {
      const stop = (t.sEnd[i] as number) - (t.sStart[i] as number) === 1 && '.!?؟'.includes(t.sf.text[t.sStart[i] as number] as string);
      const lineBreak = i + 1 < t.n && text.slice(t.end[i], t.start[i + 1]).includes('\n');
      if (!(i + 1 === t.n || stop || lineBreak || i + 1 - from >= 250)) continue;
      const tags = m.decodeTokens(t, from, i + 1 - from, codes);
      for (let k = 0; k < tags.length; ) {
        const tag = TAGS[tags[k] as number] as string;
        let j = k + 1;
        if (tag.startsWith('B-') && tag !== 'B-MISC') {
          while (j < tags.length && TAGS[tags[j] as number] === `I-${tag.slice(2)}`) j++;
          out.push({ type: tag.slice(2), start: t.start[from + k] as number, end: t.end[from + j - 1] as number });
        }
        k = j;
      }
      from = i + 1;
    }
    return out;
  }
  const TYPE: Record<string, string> = { PERSON: 'PERS', LOCATION: 'LOC', ORGANIZATION: 'ORG' };

  it('end where the plain token-by-token split ends them, line breaks and long run-on stretches included', () => {
    const piece = fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom('قال', 'الرئيس', 'محمد', 'عباس', 'في', 'القاهرة', 'وزير', 'الخارجية', 'سيرغي', 'لافروف', 'إن', 'x') },
      { weight: 3, arbitrary: fc.constantFrom('.', '؟', '!', '?', '،', '..', '\n', ' \n ', '\n\n', '«', '»') },
      // Run-on stretches longer than a window, one with a name across the window's end.
      { weight: 1, arbitrary: fc.constant(Array.from({ length: 260 }, (_, i) => (i % 2 ? 'كلمة' : 'أخرى')).join(' ')) },
      { weight: 1, arbitrary: fc.constant(`${'كلمة '.repeat(249)}الرئيس محمود عباس ${'كلمة '.repeat(20)}`) },
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (parts) => {
        const text = parts.join(' ');
        const got = tagText(text, gazetteer()).map((s) => ({ type: TYPE[s.type] as string, start: s.start, end: s.end }));
        expect(got).toEqual(plainTagText(text));
      }),
      { numRuns: 400 },
    );
  });
});
