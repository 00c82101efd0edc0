import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { memoized } from '../../functions/core/memo';
import { textTokens } from '../../functions/core/words';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapAfterGc = () => {
  gc();
  return getHeapStatistics().used_heap_size;
};
/** 200 articles of about 200 KB, each with one long word of its own: 40 MB if each stayed alive. */
const articles = function* () {
  for (let i = 0; i < 200; i++) yield `${'كلمة '.repeat(20_000)}الاستراتيجياتالجديدة${i} ${'نص '.repeat(10_000)}`;
};

describe('caches across articles', () => {
  it('keep a cached word, not the article it was cut from', () => {
    const length = memoized((w: string) => w.length);
    const before = heapAfterGc();
    for (const a of articles()) {
      const at = a.indexOf('الاستراتيجيات');
      length(a.slice(at, at + 24));
    }
    expect(heapAfterGc() - before).toBeLessThan(10e6);
  });

  it('keep the vocabulary, not the texts its words came from', () => {
    const before = heapAfterGc();
    for (const a of articles()) textTokens(a);
    // The last few texts' tokens are kept on purpose (the body is read by several extractors): about 4 × 4 MB.
    expect(heapAfterGc() - before).toBeLessThan(25e6);
  });
});
