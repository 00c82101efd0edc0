#!/usr/bin/env -S npx tsx
/**
 * Where the time of clean + extract goes, per seed article: each part timed in place, in the order
 * extractArticle runs them, over the seeds decoded afresh each time (new strings, as in the functions).
 * The entity pass is split into the body's search form, its tokens, the gazetteer scan, the tagger
 * and the rest (the title, linking, assembling); each later part finds the body's tokens made.
 * Usage: `npx tsx bench/phases.ts [articles per round, default 4000]`; pin it to a core with
 * `taskset -c N` to compare runs (docs/performance.md says why).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { cleanStage } from '../functions/core/clean/stage';
import { DEFAULT_LIMITS } from '../functions/core/config';
import { findDates, ymdOf } from '../functions/core/dates';
import { extractEntities, scan } from '../functions/core/extract/entities';
import { gazetteer } from '../functions/core/extract/gazetteer';
import { findPublishedAt } from '../functions/core/extract/published';
import { findPublisher } from '../functions/core/extract/publisher';
import { extractQuotes } from '../functions/core/extract/quotes';
import { loadTagger, tagText } from '../functions/core/extract/tagger/tagger';
import { toSearchForm } from '../functions/core/normalize';
import { textTokens } from '../functions/core/words';

const root = path.resolve(import.meta.dirname, '..');
const seeds = readdirSync(path.join(root, 'seeds'))
  .filter((f) => f.endsWith('.txt'))
  .map((f) => readFileSync(path.join(root, 'seeds', f)));
const N = Number(process.argv[2] ?? 4000);
const g = gazetteer();
loadTagger();
const parts = ['clean', 'publication date', 'search form', 'tokens', 'gazetteer scan', 'tagger', 'entities, the rest', 'publisher', 'quotes', 'dates'];
const spent = new Float64Array(parts.length);
const ROUNDS = 4; // the first warms up and is not counted
for (let round = 0; round < ROUNDS; round++) {
  if (round === 1) spent.fill(0);
  for (let i = 0; i < N; i++) {
    let t = performance.now();
    const lap = (k: number) => {
      const now = performance.now();
      spent[k] = (spent[k] as number) + now - t;
      t = now;
    };
    const a = cleanStage(seeds[i % seeds.length] as Buffer, DEFAULT_LIMITS).article;
    lap(0);
    const published = findPublishedAt(a, g);
    lap(1);
    toSearchForm(a.body);
    lap(2);
    textTokens(a.body);
    lap(3);
    const known = scan(a.body, g);
    lap(4);
    tagText(a.body, g, undefined, known);
    lap(5);
    const entities = extractEntities(a.body, a.title, g); // scans and tags the body again: taken off below
    lap(6);
    findPublisher(a, g);
    lap(7);
    extractQuotes(a.body, entities, g);
    lap(8);
    findDates(a.body, published ? ymdOf(published.value) : undefined);
    lap(9);
  }
}
// extractEntities scanned and tagged the body once more: what is left is the rest of its work.
spent[6] = (spent[6] as number) - (spent[4] as number) - (spent[5] as number);
const counted = N * (ROUNDS - 1);
const total = spent.reduce((x, y) => x + y, 0);
for (const [k, name] of parts.entries()) console.log(`${name.padEnd(20)} ${(((spent[k] as number) / counted) * 1000).toFixed(1).padStart(6)} µs`);
console.log(`${'all'.padEnd(20)} ${((total / counted) * 1000).toFixed(1).padStart(6)} µs a seed article`);
