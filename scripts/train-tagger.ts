#!/usr/bin/env -S npx tsx
/**
 * Trains the entity tagger on the ANERcorp training split (CAMeL Lab), or cross-validates it.
 *
 *   npx tsx scripts/train-tagger.ts --cv 5              # exact-span P/R/F1 per type, 5 folds
 *   npx tsx scripts/train-tagger.ts                     # train on everything → data/model/tagger.json
 *   options: --data <file> (default ../shared/data/anercorp/ANERCorp_CamelLab_train.txt), --epochs N
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gazetteer } from '../functions/core/extract/gazetteer';
import { featuresAt } from '../functions/core/extract/tagger/features';
import { gazetteerTags } from '../functions/core/extract/tagger/gazetteer-tags';
import { type ModelData, Perceptron, TAGS, Trainer } from '../functions/core/extract/tagger/model';
import { searchKey } from '../functions/core/normalize';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? (args[i + 1] as string) : fallback;
};
const root = path.resolve(import.meta.dirname, '..');
const dataFile = opt('--data', path.resolve(root, '../shared/data/anercorp/ANERCorp_CamelLab_train.txt'));
const epochs = Number(opt('--epochs', '10'));
const folds = Number(opt('--cv', '0'));
/** Only the features with the largest weights are kept: the model ships inside the extract function. */
const maxFeatures = Number(opt('--max-features', '25000'));

interface Sentence {
  feats: string[][];
  gold: number[];
}

function load(): Sentence[] {
  const g = gazetteer();
  const out: Sentence[] = [];
  for (const block of readFileSync(dataFile, 'utf8').split(/\n\s*\n/)) {
    const rows = block
      .split('\n')
      .map((l) => l.trim().split(' '))
      .filter((r) => r.length === 2);
    if (!rows.length) continue;
    const words = rows.map((r) => r[0] as string);
    const toks = words.map((w) => searchKey(w) || w);
    const gaz = gazetteerTags(words, g);
    const gold = rows.map((r) => {
      const i = TAGS.indexOf(r[1] as never);
      return i < 0 ? 0 : i;
    });
    // Annotation noise: an I- tag that continues nothing is read as the start of an entity.
    for (let i = 0; i < gold.length; i++) {
      const t = TAGS[gold[i] as number] as string;
      const prev = i ? (TAGS[gold[i - 1] as number] as string) : 'O';
      if (t.startsWith('I-') && prev.slice(2) !== t.slice(2)) gold[i] = TAGS.indexOf(`B-${t.slice(2)}` as never);
    }
    out.push({ feats: toks.map((_, i) => featuresAt(toks, gaz, i)), gold });
  }
  return out;
}

function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function train(sentences: Sentence[]): ModelData {
  const trainer = new Trainer();
  const order = sentences.map((_, i) => i);
  const rand = rng(42);
  for (let e = 0; e < epochs; e++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    for (const i of order) trainer.learn((sentences[i] as Sentence).feats, (sentences[i] as Sentence).gold);
  }
  return trainer.averaged(maxFeatures);
}

function spans(tags: number[]): Set<string> {
  const out = new Set<string>();
  let start = -1;
  let type = '';
  const close = (end: number) => {
    if (start >= 0) out.add(`${type}:${start}:${end}`);
    start = -1;
  };
  tags.forEach((t, i) => {
    const tag = TAGS[t] as string;
    if (tag === 'O') close(i);
    else if (tag.startsWith('B-') || tag.slice(2) !== type || start < 0) {
      close(i);
      start = i;
      type = tag.slice(2);
    }
  });
  close(tags.length);
  return out;
}

function evaluate(model: Perceptron, sentences: Sentence[], counts: Record<string, { tp: number; fp: number; fn: number }>) {
  const of = (span: string) => {
    const type = span.split(':')[0] as string;
    counts[type] ??= { tp: 0, fp: 0, fn: 0 };
    return counts[type];
  };
  for (const s of sentences) {
    const gold = spans(s.gold);
    const guess = spans(model.decode(s.feats));
    for (const x of guess) {
      if (gold.has(x)) of(x).tp++;
      else of(x).fp++;
    }
    for (const x of gold) if (!guess.has(x)) of(x).fn++;
  }
}

const sentences = load();
if (folds > 1) {
  const counts: Record<string, { tp: number; fp: number; fn: number }> = {};
  const size = Math.ceil(sentences.length / folds);
  for (let k = 0; k < folds; k++) {
    const test = sentences.slice(k * size, (k + 1) * size);
    const rest = [...sentences.slice(0, k * size), ...sentences.slice((k + 1) * size)];
    const t0 = Date.now();
    const model = Perceptron.fromData(train(rest));
    evaluate(model, test, counts);
    process.stderr.write(`fold ${k + 1}/${folds} trained in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  const pct = (x: number) => (100 * x).toFixed(1).padStart(5);
  console.log(
    `${folds}-fold cross-validation on ${path.basename(dataFile)}: ${sentences.length} sentences, ${epochs} epochs, ${maxFeatures} features kept; exact-span scores`,
  );
  console.log('type    precision  recall     F1   (tp / fp / fn)');
  const all = { tp: 0, fp: 0, fn: 0 };
  for (const type of ['PERS', 'LOC', 'ORG', 'MISC']) {
    const c = counts[type] ?? { tp: 0, fp: 0, fn: 0 };
    if (type !== 'MISC') {
      all.tp += c.tp;
      all.fp += c.fp;
      all.fn += c.fn;
    }
    const p = c.tp / Math.max(1, c.tp + c.fp);
    const r = c.tp / Math.max(1, c.tp + c.fn);
    console.log(`${type.padEnd(6)}  ${pct(p)}     ${pct(r)}   ${pct((2 * p * r) / Math.max(1e-9, p + r))}   (${c.tp} / ${c.fp} / ${c.fn})`);
  }
  const p = all.tp / Math.max(1, all.tp + all.fp);
  const r = all.tp / Math.max(1, all.tp + all.fn);
  console.log(`PER+LOC+ORG  P ${pct(p)}  R ${pct(r)}  F1 ${pct((2 * p * r) / (p + r))}`);
} else {
  const data = train(sentences);
  const target = path.join(root, 'data/model/tagger.json');
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, `${JSON.stringify(data)}\n`);
  console.log(`wrote ${target}: ${Object.keys(data.features).length} features`);
}
