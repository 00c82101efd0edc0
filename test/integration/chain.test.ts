import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { LocalQueue, toIntakeMessage } from '../../cli/local/runner';
import { localStages } from '../../cli/local/stages';
import { type StandIns, startStandIns } from '../../cli/local/stand-ins';
import { RecordQueries } from '../../cli/query';
import { runLocal } from '../../cli/run';
import { articlePk } from '../../functions/adapters/record-store';
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

  it('answers queries by any spelling, by date and by publisher', async () => {
    const s = await startStandIns(path.join(dataDir, 'store'));
    try {
      const q = new RecordQueries(s.clients.doc, s.table);
      const mistura = await q.byEntity('ديمستورا');
      expect(mistura.rows.map((r) => r.sourceKey).sort()).toEqual([
        'raw/000_d5e7e46376dfbaad.txt',
        'raw/001_581d1c0477f4f7fa.txt',
        'raw/002_e36c8a0eafea318a.txt',
        'raw/003_60c1ad3fcf2e89f8.txt',
      ]);
      expect((await q.byEntity('كيربي')).rows.map((r) => r.sourceKey)).toEqual(['raw/003_60c1ad3fcf2e89f8.txt']);
      expect((await q.byEntity('آستانا')).rows.map((r) => r.sourceKey).sort()).toEqual([
        'raw/000_d5e7e46376dfbaad.txt',
        'raw/001_581d1c0477f4f7fa.txt',
        'raw/004_e83b1a22e68e27e6.txt',
      ]);
      expect((await q.byDate('2021-01-01', '2021-12-31')).map((r) => r.sourceKey)).toEqual(['raw/004_e83b1a22e68e27e6.txt']);
      expect((await q.byPublisher('Sputnik')).map((r) => r.sourceKey)).toEqual(['raw/003_60c1ad3fcf2e89f8.txt']);
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
