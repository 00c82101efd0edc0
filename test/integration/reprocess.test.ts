import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StandIns, startStandIns } from '../../cli/local/stand-ins';
import { RecordQueries } from '../../cli/query';
import { reprocess } from '../../cli/reprocess';
import { runLocal } from '../../cli/run';
import { MaintenanceStore } from '../../functions/adapters/maintenance-store';
import { articlePk } from '../../functions/adapters/record-store';
import { articleIdOf } from '../../functions/core/record';

const sink = () => Object.assign(new Writable({ write: (_c, _e, cb) => cb() }), { isTTY: false });
const seed = (f: string) => readFileSync(path.join('seeds', f));

describe('re-processing on the stand-ins', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'khabar-re-'));
  let s: StandIns;

  beforeAll(async () => {
    await runLocal(['seeds'], dataDir, sink(), sink());
    s = await startStandIns(dataDir); // no event listener from here on: uploads and deletes below are "lost" events
  });
  afterAll(async () => s.close());

  it('skips current records, and re-runs and converges records from an older pipeline version, losing nothing', async () => {
    const q = new RecordQueries(s.clients.doc, s.table);
    const key = 'raw/003_60c1ad3fcf2e89f8.txt';
    // As an older pipeline left it: an earlier version number, and the Churkin mention missing.
    const stored = (await q.article(key)) as { entityIds: string[]; quoteSpeakers?: string };
    const churkin = stored.entityIds.indexOf('per:vitaly-churkin');
    expect(churkin).toBeGreaterThanOrEqual(0);
    // Without Churkin, and with every quote speaker index past his shifted down by one (none of them is his).
    const speakers = (stored.quoteSpeakers ?? '').split(',').map((k) => (k === '-' || Number(k) < churkin ? k : String(Number(k) - 1)));
    await s.clients.doc.send(
      new UpdateCommand({
        TableName: s.table,
        Key: { pk: articlePk(articleIdOf(key)), sk: 'A' },
        UpdateExpression: 'SET pipelineVersion = :old, entityIds = :ids, quoteSpeakers = :qs',
        ExpressionAttributeValues: { ':old': 0, ':ids': stored.entityIds.filter((id) => id !== 'per:vitaly-churkin'), ':qs': speakers.join(',') },
      }),
    );
    const summary = await reprocess(s, { mode: 'outdated', from: 'clean' });
    expect(summary).toMatchObject({ objects: 5, processed: 1, skipped: 4, failed: 0, changed: 1, fields: { entities: 1 } });
    expect((await q.byEntity('تشوركين')).rows.map((r) => r.sourceKey)).toEqual([key]);
    expect(await reprocess(s, { mode: 'outdated', from: 'clean' })).toMatchObject({ processed: 0, skipped: 5 });
  });

  it('re-runs every record from a later stage (index: from the stored extraction; extract: from clean, no clean article is stored) and changes nothing', async () => {
    for (const from of ['extract', 'index'] as const) {
      expect(await reprocess(s, { mode: 'all', from })).toMatchObject({ processed: 5, unchanged: 5, changed: 0, failed: 0 });
    }
  });

  it('reconciles: an object whose event was lost is processed, a record whose object is gone is removed', async () => {
    await s.clients.s3.send(new PutObjectCommand({ Bucket: s.bucket, Key: 'raw/late.txt', Body: seed('000_d5e7e46376dfbaad.txt') }));
    await s.clients.s3.send(new DeleteObjectCommand({ Bucket: s.bucket, Key: 'raw/001_581d1c0477f4f7fa.txt' }));
    const summary = await reprocess(s, { mode: 'outdated', from: 'clean' });
    expect(summary).toMatchObject({ processed: 1, removed: 1 });
    const q = new RecordQueries(s.clients.doc, s.table);
    expect((await q.article('raw/late.txt'))?.status).toBe('INDEXED');
    expect((await q.article('raw/001_581d1c0477f4f7fa.txt'))?.status).toBe('DELETED');
    expect((await q.byEntity('ديمستورا')).rows.map((r) => r.sourceKey)).not.toContain('raw/001_581d1c0477f4f7fa.txt');
  });

  it('runs one at a time: a second run while one holds the lease exits without doing anything', async () => {
    const maintenance = new MaintenanceStore(s.clients.doc, s.table);
    expect(await maintenance.acquire('someone-else', Date.now(), 60)).toBe(true);
    expect(await reprocess(s, { mode: 'all', from: 'clean' })).toBeUndefined();
    await maintenance.release('someone-else');
    expect(await reprocess(s, { mode: 'outdated', from: 'clean' })).toBeDefined();
    // An expired lease (a crashed run) does not block forever.
    expect(await maintenance.acquire('crashed', Date.now() - 120_000, 60)).toBe(true);
    expect(await reprocess(s, { mode: 'outdated', from: 'clean' })).toBeDefined();
  });

  it('leaves a summary of every run that can be read back', async () => {
    const runs = await new MaintenanceStore(s.clients.doc, s.table).runs();
    expect(runs.length).toBeGreaterThanOrEqual(5);
    expect(runs[0]).toMatchObject({ kind: 'run', mode: 'outdated', from: 'clean' });
  });
});
