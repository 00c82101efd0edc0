#!/usr/bin/env -S npx tsx
/**
 * What clean + extract return for a fixed corpus, as one JSON file: the check that speed work changed
 * nothing. The corpus: the seeds as text and as news pages, and 400 articles assembled from ANERcorp
 * sentences (page furniture around them; punctuation, digits, marks and line breaks as the dumps have).
 * Usage: `npx tsx bench/snapshot.ts before.json`, change the code, `npx tsx bench/snapshot.ts after.json`,
 * then `cmp before.json after.json`.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cleanStage } from '../functions/core/clean/stage';
import { DEFAULT_LIMITS } from '../functions/core/config';
import { extractArticle } from '../functions/core/extract/index';
import { asHtml } from './pages';

const root = path.resolve(import.meta.dirname, '..');
const out = process.argv[2];
if (!out) throw new Error('usage: snapshot.ts <out.json>');

function corpus(): Array<[string, Buffer]> {
  const items: Array<[string, Buffer]> = [];
  for (const f of readdirSync(path.join(root, 'seeds')).filter((f) => f.endsWith('.txt'))) {
    const b = readFileSync(path.join(root, 'seeds', f));
    items.push(
      [f, b],
      [
        `${f}.html`,
        asHtml(
          b,
          b
            .toString()
            .split('\n')
            .find((l) => l.trim().length > 20) ?? '',
        ),
      ],
    );
  }
  const lines = readFileSync(path.join(root, '../shared/data/anercorp/ANERCorp_CamelLab_train.txt'), 'utf8').split('\n');
  const sentences: string[] = [];
  let cur: string[] = [];
  for (const l of lines) {
    const w = l.split(' ')[0];
    if (!w) continue;
    cur.push(w);
    if (w === '.' || cur.length > 60) {
      sentences.push(
        cur
          .join(' ')
          .replace(/ ([.،,:؛!؟)]) ?/g, '$1 ')
          .replace(/\( /g, '('),
      );
      cur = [];
    }
  }
  const furniture = ['الرئيسية', 'أخبار', 'اقتصاد', 'رياضة', 'شارك', 'طباعة', 'الأحد ١٢ مارس ٢٠٠٦ - 10:30 ص', 'القاهرة - رويترز'];
  for (let a = 0, s = 0; a < 400 && s < sentences.length; a++) {
    const paragraphs: string[] = [];
    for (let p = 0; p < 3 + (a % 6); p++) {
      const next = s + 1 + (p % 3);
      paragraphs.push(sentences.slice(s, next).join(' '));
      s = next;
    }
    const title = (sentences[s++] ?? '').split(' ').slice(0, 9).join(' ');
    const text = [
      ...furniture.slice(0, 4 + (a % 3)),
      title,
      furniture[6 + (a % 2)],
      ...paragraphs,
      'التعليقات',
      'زائر: كلام جميل',
      '© جميع الحقوق محفوظة',
    ].join('\n');
    items.push([`anercorp-${a}`, Buffer.from(text)]);
  }
  return items;
}

const result: Record<string, unknown> = {};
for (const [name, bytes] of corpus()) {
  try {
    const article = cleanStage(bytes, DEFAULT_LIMITS).article;
    result[name] = { article, extraction: extractArticle(article) };
  } catch (err) {
    result[name] = { error: String(err) };
  }
}
writeFileSync(out, JSON.stringify(result, null, 1));
console.log(`${Object.keys(result).length} documents → ${out}`);
