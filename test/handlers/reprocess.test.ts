import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { PIPELINE_VERSION } from '../../functions/core/record';
import { s3Body } from '../fixtures/s3body';

const s3 = mockClient(S3Client);
const ddb = mockClient(DynamoDBDocumentClient);
const context = { awsRequestId: 'r' } as unknown as Context;

async function handler() {
  vi.resetModules();
  vi.stubEnv('BUCKET_NAME', 'articles');
  vi.stubEnv('TABLE_NAME', 'records');
  return (await import('../../functions/handlers/reprocess')).handler as (e: unknown, c: Context) => Promise<Record<string, unknown>>;
}

describe('re-processing Lambda', () => {
  beforeEach(() => {
    s3.reset();
    ddb.reset();
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });

  it('decide: skips a current record, starts an outdated one at the asked stage when its artifact exists', async () => {
    const h = await handler();
    ddb.on(GetCommand).resolves({ Item: { status: 'INDEXED', pipelineVersion: PIPELINE_VERSION, sequencer: '0A' } });
    expect(await h({ op: 'decide', bucket: 'articles', key: 'raw/a.txt', mode: 'outdated', from: 'clean' }, context)).toMatchObject({
      action: 'skip',
      reason: 'CURRENT',
    });
    ddb.on(GetCommand).resolves({ Item: { status: 'INDEXED', pipelineVersion: PIPELINE_VERSION - 1, sequencer: '0A' } });
    s3.on(HeadObjectCommand).resolves({});
    expect(await h({ op: 'decide', bucket: 'articles', key: 'raw/a.txt', mode: 'outdated', from: 'extract' }, context)).toMatchObject({
      action: 'run',
      startAt: 'extract',
      payload: { status: 'OK', artifact: expect.stringMatching(/^artifacts\/clean\//), source: { key: 'raw/a.txt', sequencer: '0A' } },
    });
  });

  it('decide: an object with no record (a lost event) gets the whole chain, with its key as listed', async () => {
    const h = await handler();
    ddb.on(GetCommand).resolves({});
    expect(await h({ op: 'decide', bucket: 'articles', key: 'raw/c++ خبر.txt', mode: 'outdated', from: 'index' }, context)).toMatchObject({
      action: 'run',
      startAt: 'clean',
      payload: { eventSource: 'khabar:reprocess', s3: { object: { key: 'raw/c++ خبر.txt' } } },
    });
  });

  it('summarize: counts per object the batched map results the ResultWriter left (a failed batch: each of its objects), stores the summary', async () => {
    const h = await handler();
    s3.on(GetObjectCommand, { Key: 'reprocess-runs/run-1/manifest.json' }).resolves(
      s3Body({
        ResultFiles: { SUCCEEDED: [{ Key: 'reprocess-runs/run-1/SUCCEEDED_0.json' }], FAILED: [{ Key: 'reprocess-runs/run-1/FAILED_0.json' }], PENDING: [] },
      }),
    );
    // Two child executions of a batch each, and one that timed out with its batch of two.
    const result = (changes: string[], status = 'OK') => ({ articleId: 'x', sourceKey: 'raw/x', status, outcome: 'WRITTEN', changes });
    s3.on(GetObjectCommand, { Key: 'reprocess-runs/run-1/SUCCEEDED_0.json' }).resolves(
      s3Body([
        { Status: 'SUCCEEDED', Output: JSON.stringify([result(['entities', 'title']), result([])]) },
        {
          Status: 'SUCCEEDED',
          Output: JSON.stringify([
            result(['status'], 'REJECTED'),
            { action: 'skip', key: 'raw/y', reason: 'CURRENT' },
            { failed: true, key: 'raw/z', error: 'States.TaskFailed' },
          ]),
        },
      ]),
    );
    s3.on(GetObjectCommand, { Key: 'reprocess-runs/run-1/FAILED_0.json' }).resolves(
      s3Body([{ Status: 'TIMED_OUT', Input: JSON.stringify({ BatchInput: { mode: 'all' }, Items: [{ Key: 'raw/p' }, { Key: 'raw/q' }] }) }]),
    );
    s3.on(PutObjectCommand).resolves({});
    ddb.on(PutCommand).resolves({});
    const summary = await h(
      {
        op: 'summarize',
        runId: 'run-1',
        startedAt: '2026-11-24T00:00:00Z',
        mode: 'all',
        from: 'clean',
        removed: 2,
        manifest: { Bucket: 'articles', Key: 'reprocess-runs/run-1/manifest.json' },
      },
      context,
    );
    expect(summary).toMatchObject({
      objects: 7,
      processed: 3,
      changed: 2,
      unchanged: 1,
      rejected: 1,
      skipped: 1,
      failed: 3,
      removed: 2,
      fields: { entities: 1, title: 1, status: 1 },
    });
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, { Key: 'reprocess-runs/run-1/summary.json' });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, { Item: expect.objectContaining({ pk: 'RUN', kind: 'run', runId: 'run-1' }) });
  });

  it('refuses an unknown operation', async () => {
    const h = await handler();
    await expect(h({ op: 'format-disk' }, context)).rejects.toMatchObject({ name: 'ContractViolation' });
  });
});
