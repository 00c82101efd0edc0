import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cliticVariants, scan } from '../../functions/core/extract/entities';
import { Gazetteer, type GazetteerEntry } from '../../functions/core/extract/gazetteer';
import { textTokens, tokenText } from '../../functions/core/words';

/**
 * The plain reading: at each word, the first alias (longest first, in the gazetteer's order) of the
 * first clitic variant that has one whose words follow; for texts of words separated by single spaces.
 */
function plainScan(text: string, g: Gazetteer): Array<[string, number, number]> {
  const t = textTokens(text);
  const out: Array<[string, number, number]> = [];
  for (let w = 0; w < t.words.length; ) {
    const first = t.words[w] as number;
    let taken = 0;
    for (const v of cliticVariants(tokenText(t, first))) {
      const hit = g
        .candidates(v.form)
        .find((h) => !h.mediaContextOnly && h.tokens.every((tok, k) => k === 0 || tokenText(t, t.words[w + k] as number) === tok));
      if (hit) {
        const last = t.words[w + hit.tokens.length - 1] as number;
        const start = v.peeled ? (t.sf.offsets[(t.sStart[first] as number) + v.peeled] as number) : (t.start[first] as number);
        out.push([hit.entry.id, start, t.end[last] as number]);
        taken = hit.tokens.length;
        break;
      }
    }
    w += taken || 1;
  }
  return out;
}

describe('gazetteer scan', () => {
  // A first word with a long list of aliases (as جمهورية has): two- and three-word ones, some sharing a second word, and the word alone.
  const g = new Gazetteer();
  const entry = (id: string): GazetteerEntry => ({ id, type: 'LOCATION', name: id, roles: [] });
  const seconds = ['مصر', 'العراق', 'كوبا', 'الصين', 'مالي', 'تشاد', 'بنما', 'فنلندا', 'كينيا', 'لاتفيا', 'غانا', 'اليمن'];
  for (const [i, s] of seconds.entries()) g.add(entry(`loc:${i}`), [`جمهورية ${s}`]);
  g.add(entry('loc:yemen-north'), ['جمهورية اليمن الشمالية']);
  g.add(entry('loc:yemen-democratic'), ['جمهورية اليمن الديمقراطية الشعبية']);
  g.add(entry('loc:any'), ['جمهورية']);
  g.add(entry('loc:short'), ['مملكة البحرين']);

  it('finds in a long list of aliases what trying every alias in order finds', () => {
    const word = fc.constantFrom('جمهورية', 'وجمهورية', 'لجمهورية', 'مملكة', 'البحرين', 'الشمالية', 'الديمقراطية', 'الشعبية', 'قال', ...seconds);
    fc.assert(
      fc.property(fc.array(word, { maxLength: 30 }), (words) => {
        const text = words.join(' ');
        expect(scan(text, g).map((f) => [f.entry.id, f.start, f.end])).toEqual(plainScan(text, g));
      }),
      { numRuns: 3000 },
    );
    expect(scan('زار جمهورية اليمن الديمقراطية الشعبية ثم جمهورية كوبا وجمهورية أخرى', g).map((f) => f.entry.id)).toEqual([
      'loc:yemen-democratic',
      'loc:2',
      'loc:any',
    ]);
  });
});
