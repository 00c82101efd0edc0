import { readdirSync, readFileSync } from 'node:fs';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { itemsOf, ownedKeys } from '../../functions/adapters/record-store';
import { DEFAULT_LIMITS } from '../../functions/core/config';
import { processBytes } from '../../functions/core/pipeline';
import type { ArticleRecord } from '../../functions/core/record';

/** DynamoDB's item size rules, written out independently of the code under test. */
function attributeBytes(v: AttributeValue): number {
  if (v.S !== undefined) return Buffer.byteLength(v.S);
  if (v.N !== undefined) return Math.ceil(v.N.replace(/^-|\.|^0+/g, '').length / 2) + 1;
  if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
  if (v.SS) return v.SS.reduce((n, x) => n + Buffer.byteLength(x), 0);
  if (v.L) return 3 + v.L.reduce((n, x) => n + 1 + attributeBytes(x), 0);
  if (v.M) return 3 + Object.entries(v.M).reduce((n, [k, x]) => n + 1 + Buffer.byteLength(k) + attributeBytes(x), 0);
  throw new Error(`unsized attribute ${JSON.stringify(v)}`);
}
const billedBytes = (item: Record<string, unknown>) =>
  Object.entries(marshall(item, { removeUndefinedValues: true })).reduce((n, [k, v]) => n + Buffer.byteLength(k) + attributeBytes(v), 0);
const keysOf = (items: Array<Record<string, unknown>>) => items.map((i) => `${i.pk}|${i.sk}`);

/** The seeds as the index stage sees them, from a versioned bucket (a version id and a sequencer as S3 sends them). */
const seeds: ArticleRecord[] = readdirSync('seeds')
  .filter((f) => f.endsWith('.txt'))
  .map((f) =>
    processBytes(
      { bucket: 'b', key: `raw/${f}`, versionId: 'Zk3R.7xqv2bNq9s0Yw_LpXhT4mJcVd1A', sequencer: '0066F2A7C3D91B4E6A' },
      readFileSync(`seeds/${f}`),
      DEFAULT_LIMITS,
    ),
  );

describe('article and index items', () => {
  it('the article item names exactly the index items it owns, without listing their keys', () => {
    for (const r of seeds) {
      const { article, index } = itemsOf(r);
      expect(index.length).toBeGreaterThan(15);
      expect(ownedKeys(article)).toEqual(keysOf(index));
      expect(article).not.toHaveProperty('index');
    }
  });

  it('derives the keys of quotes whose speaker is not among the entities too', () => {
    const r = seeds[0] as ArticleRecord;
    const quoted = r.quotes.find((q) => q.speaker);
    expect(quoted).toBeDefined();
    const speaker = quoted?.speaker?.id as string;
    const without = { ...r, entities: r.entities.filter((e) => e.id !== speaker) };
    const { article, index } = itemsOf(without);
    expect(article.otherSpeakers).toEqual([speaker]);
    expect(ownedKeys(article)).toEqual(keysOf(index));
    expect(keysOf(index).some((k) => k.startsWith(`Q#${speaker}|`))).toBe(true);
  });

  it('costs one write unit per indexed fact plus one: every item of a seed is within 1 KB', () => {
    for (const r of seeds) {
      const { article, index } = itemsOf(r);
      expect(billedBytes(article)).toBeLessThanOrEqual(1024);
      for (const item of index) expect(billedBytes(item)).toBeLessThanOrEqual(1024);
    }
  });

  it('shortens a long quote and a long title so that an index item still fits one write unit', () => {
    const r = seeds[0] as ArticleRecord;
    const long = 'قال المبعوث الأممي إن الجولة المقبلة من المفاوضات ستعقد في جنيف الشهر المقبل. '.repeat(40);
    const quotes = r.quotes.map((q) => (q.speaker ? { ...q, text: long } : q));
    const { index } = itemsOf({ ...r, title: long.slice(0, 600), quotes });
    const quoteItems = index.filter((i) => i.kind === 'quote');
    expect(quoteItems.length).toBeGreaterThan(0);
    for (const item of index) expect(billedBytes(item)).toBeLessThanOrEqual(1024);
    expect(String(quoteItems[0]?.text)).toMatch(/^قال المبعوث الأممي.*…$/su);
  });
});
