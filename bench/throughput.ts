/**
 * One throughput measurement of clean + extract (bench.ts builds this file into one minified bundle,
 * as the functions are built, and runs it in a fresh process per run, on the Node it is given):
 * `node throughput.mjs <text|html> <articles> <root> <warm-up articles>` prints the figures as JSON.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { cleanStage } from '../functions/core/clean/stage';
import { DEFAULT_LIMITS } from '../functions/core/config';
import { extractArticle } from '../functions/core/extract/index';
import { loadTagger } from '../functions/core/extract/tagger/tagger';
import { asHtml } from './pages';

const [kind, count, root, warmup] = process.argv.slice(2) as [string, string, string, string];
const ARTICLES = Number(count);
const WARMUP = Number(warmup);
// A bundle finds no model beside it: the bench names it (KHABAR_TAGGER_MODEL); without one the tagger's work would go unmeasured.
if (!loadTagger()) throw new Error('no tagger model: set KHABAR_TAGGER_MODEL');
const seeds = readdirSync(path.join(root, 'seeds'))
  .filter((f) => f.endsWith('.txt'))
  .map((f) => readFileSync(path.join(root, 'seeds', f)));
/** HTML: the headline a site would put in <h1>, the one clean finds in the text dump. */
const inputs = kind === 'html' ? seeds.map((b) => asHtml(b, cleanStage(b, DEFAULT_LIMITS).article.title ?? '')) : seeds;
const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] as number;

/**
 * The first `warmup` articles of the fresh process, timed as one: V8 compiles a function that runs once
 * an article with its optimising compiler only after some thousands of calls, so a process runs
 * slower for its first few thousand articles. Then `count` articles in the steady state, timed each.
 */
const w0 = performance.now();
for (let i = 0; i < WARMUP; i++) extractArticle(cleanStage(inputs[i % inputs.length] as Buffer, DEFAULT_LIMITS).article);
const warmupSecs = (performance.now() - w0) / 1000;
const times: number[] = [];
let bytes = 0;
let peak = process.memoryUsage().rss;
const t0 = performance.now();
for (let i = 0; i < ARTICLES; i++) {
  const b = inputs[i % inputs.length] as Buffer;
  const s = performance.now();
  extractArticle(cleanStage(b, DEFAULT_LIMITS).article);
  times.push(performance.now() - s);
  bytes += b.length;
  if (i % 500 === 0) peak = Math.max(peak, process.memoryUsage().rss);
}
const secs = (performance.now() - t0) / 1000;
times.sort((a, b) => a - b);
process.stdout.write(
  JSON.stringify({
    node: process.version,
    articles: ARTICLES,
    warmupArticles: WARMUP,
    warmupPerSecond: WARMUP / warmupSecs,
    perSecond: ARTICLES / secs,
    mbPerSecond: bytes / 1e6 / secs,
    p50Ms: pct(times, 50),
    p99Ms: pct(times, 99),
    peakRssMb: peak / 1e6,
  }),
);
