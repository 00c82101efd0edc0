import { readFileSync } from 'node:fs';
import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { itemsOf } from '../../functions/adapters/record-store';
import { decodeS3Key, encodeS3Key } from '../../functions/adapters/s3-event';
import { DEFAULT_LIMITS } from '../../functions/core/config';
import { processBytes } from '../../functions/core/pipeline';

const itemBytes = (item: Record<string, unknown>) =>
  Object.entries(marshall(item, { removeUndefinedValues: true })).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(JSON.stringify(v)), 0);

describe('C. size and limits', () => {
  it('C2: an article of 300,000 Arabic letters keeps every item far under the 400 KB item limit (the body stays in S3)', () => {
    const para = 'قال المبعوث الأممي إلى سوريا إن الجولة المقبلة من المفاوضات ستعقد في جنيف الشهر المقبل وإن الأطراف مدعوة. ';
    const text = `عنوان طويل\n\n${Array.from({ length: 3000 }, (_, i) => `${para} الفقرة ${i}.`).join('\n\n')}`; // distinct paragraphs: repeated lines are furniture
    const r = processBytes({ bucket: 'b', key: 'raw/huge.txt' }, new TextEncoder().encode(text), { ...DEFAULT_LIMITS, maxRawBytes: 10e6 });
    expect(r.body.length).toBeGreaterThan(300_000);
    const { article, index } = itemsOf(r);
    for (const item of [article, ...index]) expect(itemBytes(item)).toBeLessThan(64 * 1024);
  });
});

describe('J. test-infrastructure contracts', () => {
  it('J1: key fixtures use real form-URL encoding: encode(decode(k)) === k over the corpus', () => {
    const corpus = [
      'raw/%D8%AE%D8%A8%D8%B1+%D8%B9%D8%A7%D8%AC%D9%84.html',
      'raw/c%2B%2B+news.txt',
      'raw/100%25+%D8%AC%D8%AF%D9%8A%D8%AF.html',
      'raw/a%282%29.txt',
    ];
    for (const k of corpus) expect(encodeS3Key(decodeS3Key(k)).replace(/%28/g, '(').replace(/%29/g, ')')).toBe(k.replace(/%28/g, '(').replace(/%29/g, ')'));
  });

  it('J3: one version of @smithy/types, so SDK mocks and SDK classes agree', () => {
    const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, { version?: string }> };
    const versions = new Set(
      Object.entries(lock.packages)
        .filter(([p]) => p.endsWith('node_modules/@smithy/types'))
        .map(([, v]) => v.version),
    );
    expect(versions.size).toBe(1);
  });
});
