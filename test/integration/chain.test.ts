import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { LocalQueue, toIntakeMessage } from '../../cli/local/runner';
import { localStages } from '../../cli/local/stages';
import { type StandIns, startStandIns } from '../../cli/local/stand-ins';
import { RecordQueries } from '../../cli/query';
import { runLocal } from '../../cli/run';
import { articlePk, DynamoRecordStore } from '../../functions/adapters/record-store';
import { DEFAULT_LIMITS } from '../../functions/core/config';
import { processBytes } from '../../functions/core/pipeline';
import { articleIdOf } from '../../functions/core/record';

const sink = () => {
  let text = '';
  const w = new Writable({
    write(chunk, _e, cb) {
      text += String(chunk);
      cb();
    },
  });
  return Object.assign(w, { text: () => text, isTTY: false });
};

async function dump(s: StandIns): Promise<string> {
  const items: Array<Record<string, unknown>> = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await s.clients.doc.send(new ScanCommand({ TableName: s.table, ExclusiveStartKey: start }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return JSON.stringify(items.sort((a, b) => `${a.pk}|${a.sk}`.localeCompare(`${b.pk}|${b.sk}`)));
}

describe('the chain on s3rver + dynalite, through the real SDK', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'khabar-it-'));
  const inputs = path.join(dataDir, 'inputs');

  beforeAll(() => {
    mkdirSync(inputs);
    for (const f of [
      '000_d5e7e46376dfbaad.txt',
      '001_581d1c0477f4f7fa.txt',
      '002_e36c8a0eafea318a.txt',
      '003_60c1ad3fcf2e89f8.txt',
      '004_e83b1a22e68e27e6.txt',
    ]) {
      copyFileSync(path.join('seeds', f), path.join(inputs, f));
    }
    writeFileSync(path.join(inputs, 'empty.txt'), '');
    writeFileSync(path.join(inputs, 'photo.html'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]));
  });

  it('indexes every seed and records bad input as rejected with its reason', async () => {
    const out = sink();
    const summary = await runLocal([inputs], path.join(dataDir, 'store'), out, sink());
    expect(summary.failed).toBe(0);
    const byFile = Object.fromEntries(summary.rows.map((r) => [r.file, r]));
    expect(byFile['000_d5e7e46376dfbaad.txt']).toMatchObject({
      status: 'INDEXED',
      title: 'كيري: واشنطن تدعم المشاورات السورية في استانا',
      publishedAt: '2017-01-06T00:24:00',
      publisher: 'سيريانيوز',
    });
    expect(byFile['004_e83b1a22e68e27e6.txt']).toMatchObject({ status: 'INDEXED', publishedAt: '2021-02-18T12:18:00+02:00' });
    expect(byFile['empty.txt']).toMatchObject({ status: 'REJECTED', reason: 'EMPTY' });
    expect(byFile['photo.html']).toMatchObject({ status: 'REJECTED', reason: 'UNSUPPORTED_TYPE' });
    expect(out.text()).toContain('000_d5e7e46376dfbaad.txt');
    expect(out.text()).toContain('2 rejected, 0 failed');
  });

  it('stores one artifact per indexed article, the extraction: clean articles of this size travel inline', async () => {
    const s = await startStandIns(path.join(dataDir, 'store'));
    try {
      const listed = await s.clients.s3.send(new ListObjectsV2Command({ Bucket: s.bucket, Prefix: 'artifacts/' }));
      const keys = (listed.Contents ?? []).map((o) => String(o.Key));
      expect(keys.filter((k) => k.startsWith('artifacts/extracted/'))).toHaveLength(5);
      expect(keys.filter((k) => k.startsWith('artifacts/clean/'))).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('answers every access pattern with a Query on a key: entity, date, publisher, speaker, co-mentions, registry', async () => {
    const s = await startStandIns(path.join(dataDir, 'store'));
    try {
      const q = new RecordQueries(s.clients.doc, s.table);
      const keys = (rows: Array<{ sourceKey: string }>) => rows.map((r) => r.sourceKey).sort();
      expect(keys((await q.byEntity('ديمستورا')).rows)).toEqual([
        'raw/000_d5e7e46376dfbaad.txt',
        'raw/001_581d1c0477f4f7fa.txt',
        'raw/002_e36c8a0eafea318a.txt',
        'raw/003_60c1ad3fcf2e89f8.txt',
      ]);
      expect(keys((await q.byEntity('كيربي')).rows)).toEqual(['raw/003_60c1ad3fcf2e89f8.txt']);
      expect(keys((await q.byEntity('آستانا')).rows)).toEqual(['raw/000_d5e7e46376dfbaad.txt', 'raw/001_581d1c0477f4f7fa.txt', 'raw/004_e83b1a22e68e27e6.txt']);
      expect(keys((await q.byEntity('كيري', { from: '2017-01-01', to: '2017-12-31' })).rows)).toEqual(['raw/000_d5e7e46376dfbaad.txt']);
      expect(keys(await q.byDate('2021-01-01', '2021-12-31'))).toEqual(['raw/004_e83b1a22e68e27e6.txt']);
      expect((await q.byDate('2017-01-01', '2021-12-31')).map((r) => r.publishedAt)).toEqual(['2021-02-18T12:18:00+02:00', '2017-01-06T00:24:00']);
      expect(keys(await q.byPublisher('Sputnik'))).toEqual(['raw/003_60c1ad3fcf2e89f8.txt']);
      const lavrov = await q.quotes('لافروف');
      expect(lavrov.map((x) => x.text)).toEqual(expect.arrayContaining(['نالت حلب المكانة الأساسية في مناقشتنا']));
      expect(new Set(lavrov.map((x) => x.speaker))).toEqual(new Set(['سيرغي لافروف']));
      const related = await q.coMentioned('كيربي');
      expect(related.map((r) => r.entityId)).toEqual(expect.arrayContaining(['per:john-kerry', 'per:vitaly-churkin', 'org:unsc']));
      const [mistura] = await q.registry('per:staffan-de-mistura');
      expect(mistura).toMatchObject({ type: 'PERSON', name: 'ستيفان دي ميستورا', articles: 4 });
      expect(mistura?.spellings).toEqual(expect.arrayContaining(['ستافان دي ميستورا', 'ستفان دي ميستورا', 'ديمستورا', 'دي ميستورا']));
      expect((await q.article('raw/001_581d1c0477f4f7fa.txt'))?.title).toBe('جون كيري يرحب بالآستانة وديمستورا يعقِّب');
    } finally {
      await s.close();
    }
  });

  it('changes nothing when run again, and leaves the same table when the same uploads are delivered again', async () => {
    let s = await startStandIns(path.join(dataDir, 'store'));
    const before = await dump(s);
    await s.close();
    const second = await runLocal([inputs], path.join(dataDir, 'store'), sink(), sink());
    expect(second.uploaded).toBe(0);
    s = await startStandIns(path.join(dataDir, 'store'));
    try {
      expect(await dump(s)).toBe(before);
      // Every upload event delivered once more, as S3 may: the records stay byte-identical.
      const queue = new LocalQueue(localStages(s));
      s.onS3Event((n) => queue.send(toIntakeMessage(n)));
      for (const f of ['000_d5e7e46376dfbaad.txt', '003_60c1ad3fcf2e89f8.txt']) {
        await s.clients.s3.send(new PutObjectCommand({ Bucket: s.bucket, Key: `raw/${f}`, Body: readFileSync(path.join(inputs, f)) }));
      }
      await waitFor(() => queue.outcomes.length >= 2);
      await queue.idle();
      const after = JSON.parse(await dump(s)) as Array<Record<string, unknown>>;
      const strip = (items: Array<Record<string, unknown>>) => JSON.stringify(items.map(({ sequencer, ...rest }) => rest));
      expect(strip(after)).toBe(strip(JSON.parse(before)));
    } finally {
      await s.close();
    }
  });

  it('finds copies of an article under another key, and converges when the pipeline version changes', async () => {
    const s = await startStandIns(path.join(dataDir, 'store'));
    try {
      const queue = new LocalQueue(localStages(s));
      s.onS3Event((n) => queue.send(toIntakeMessage(n)));
      await s.clients.s3.send(
        new PutObjectCommand({ Bucket: s.bucket, Key: 'raw/نسخة 004 (1).txt', Body: readFileSync(path.join(inputs, '004_e83b1a22e68e27e6.txt')) }),
      );
      await waitFor(() => queue.outcomes.length >= 1);
      await queue.idle();
      const q = new RecordQueries(s.clients.doc, s.table);
      expect((await q.copies('raw/004_e83b1a22e68e27e6.txt')).copies.map((c) => c.sourceKey)).toEqual(['raw/نسخة 004 (1).txt']);
      // Another outlet's lightly edited copy: a near-duplicate, not a copy.
      const edited = readFileSync(path.join(inputs, '002_e36c8a0eafea318a.txt'), 'utf8').replace('خلال أقل من شهر ونصف الشهر', 'خلال أقل من شهرين');
      await s.clients.s3.send(new PutObjectCommand({ Bucket: s.bucket, Key: 'raw/other-outlet.txt', Body: edited }));
      await waitFor(() => queue.outcomes.length >= 2);
      await queue.idle();
      const story = await q.copies('raw/002_e36c8a0eafea318a.txt');
      expect(story.copies).toEqual([]);
      expect(story.nearDuplicates.map((c) => c.sourceKey)).toEqual(['raw/other-outlet.txt']);
      expect((await q.copies('raw/000_d5e7e46376dfbaad.txt')).nearDuplicates).toEqual([]);

      // A newer pipeline version that no longer finds one entity: its mention item goes; an older version cannot come back.
      const store = new DynamoRecordStore(s.clients.doc, s.table);
      const stored = (await q.article('raw/003_60c1ad3fcf2e89f8.txt')) as Record<string, unknown>;
      const base = processBytes(
        { bucket: s.bucket, key: 'raw/003_60c1ad3fcf2e89f8.txt', sequencer: String(stored.sequencer) },
        readFileSync(path.join(inputs, '003_60c1ad3fcf2e89f8.txt')),
        DEFAULT_LIMITS,
      );
      const v2 = { ...base, pipelineVersion: base.pipelineVersion + 1, entities: base.entities.filter((e) => e.id !== 'per:vitaly-churkin') };
      expect(await store.putArticle(v2)).toEqual({ outcome: 'WRITTEN', changes: ['entities'] });
      expect((await q.byEntity('تشوركين')).rows).toEqual([]);
      expect((await q.byEntity('كيربي')).rows).toHaveLength(1);
      expect((await store.putArticle(base)).outcome).toBe('STALE');
      expect((await q.byEntity('تشوركين')).rows).toEqual([]);
      expect((await store.putArticle(v2)).outcome).toBe('UNCHANGED');
    } finally {
      await s.close();
    }
  });

  it('removes a deleted object from every access pattern', async () => {
    const s = await startStandIns(path.join(dataDir, 'store'));
    try {
      const queue = new LocalQueue(localStages(s));
      s.onS3Event((n) => queue.send(toIntakeMessage(n)));
      await s.clients.s3.send(new DeleteObjectCommand({ Bucket: s.bucket, Key: 'raw/003_60c1ad3fcf2e89f8.txt' }));
      await waitFor(() => queue.outcomes.length >= 1);
      await queue.idle();
      const item = (
        await s.clients.doc.send(new GetCommand({ TableName: s.table, Key: { pk: articlePk(articleIdOf('raw/003_60c1ad3fcf2e89f8.txt')), sk: 'A' } }))
      ).Item;
      expect(item?.status).toBe('DELETED');
      const q = new RecordQueries(s.clients.doc, s.table);
      expect((await q.byEntity('كيربي')).rows).toEqual([]);
      expect(await q.byPublisher('سبوتنيك')).toEqual([]);
    } finally {
      await s.close();
    }
  });
});

async function waitFor(done: () => boolean, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!done()) {
    if (Date.now() > until) throw new Error('timed out waiting for the chain');
    await new Promise((r) => setTimeout(r, 20));
  }
}
