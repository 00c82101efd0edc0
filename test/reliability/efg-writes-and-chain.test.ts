import { readFileSync } from 'node:fs';
import { DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { LocalQueue, type StageFn } from '../../cli/local/runner';
import { makeClients } from '../../functions/adapters/clients';
import { S3ObjectStore } from '../../functions/adapters/object-store';
import { DynamoRecordStore, itemsOf } from '../../functions/adapters/record-store';
import { DEFAULT_LIMITS } from '../../functions/core/config';
import { processBytes } from '../../functions/core/pipeline';
import { MAX_RECEIVE_COUNT } from '../../functions/shared/chain';
import { silentLogger } from '../../functions/shared/log';
import { makeClean } from '../../functions/stages/clean';
import { s3Record } from '../fixtures/events';

const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const store = () => new DynamoRecordStore(doc, 't', { maxAttempts: 3, baseDelayMs: 1, sleep: async () => {} });
const record = processBytes({ bucket: 'b', key: 'raw/003.txt', sequencer: '0A' }, readFileSync('seeds/003_60c1ad3fcf2e89f8.txt'), DEFAULT_LIMITS);

describe('E. idempotency, duplicates and ordering', () => {
  beforeEach(() => {
    ddb.reset();
    ddb.on(BatchWriteCommand).resolves({});
    ddb.on(PutCommand).resolves({});
    ddb.on(BatchGetCommand).resolves({ Responses: {} });
    ddb.on(UpdateCommand).resolves({});
  });

  it('E1: the same event in two messages with different ids writes once; the second is a no-op', async () => {
    ddb
      .on(GetCommand)
      .resolvesOnce({})
      .resolves({ Item: itemsOf(record).article });
    expect((await store().putArticle(record)).outcome).toBe('WRITTEN');
    const writes = ddb.commandCalls(PutCommand).length;
    expect((await store().putArticle(record)).outcome).toBe('UNCHANGED');
    expect(ddb.commandCalls(PutCommand).length).toBe(writes);
  });

  it('E2: of two overlapping writes of the same version, the one that loses the lock re-reads and finds nothing left to do', async () => {
    ddb
      .on(GetCommand)
      .resolvesOnce({})
      .resolves({ Item: itemsOf(record).article });
    ddb.on(PutCommand, { Item: { sk: 'A' } as never }).rejectsOnce(Object.assign(new Error('changed'), { name: 'ConditionalCheckFailedException' }));
    expect((await store().putArticle(record)).outcome).toBe('UNCHANGED');
  });

  it('E5: the same bytes uploaded again (new sequencer) move the sequencer on and change no field', async () => {
    ddb.on(GetCommand).resolves({ Item: itemsOf(record).article });
    const again = { ...record, sequencer: '000000000000000000000000000000FF' };
    expect(await store().putArticle(again)).toEqual({ outcome: 'WRITTEN', changes: [] });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, { Item: expect.objectContaining({ sk: 'A', sequencer: again.sequencer }) });
  });

  it('E8: a failure after the index items were written is retried to the same end state', async () => {
    ddb.reset();
    ddb.on(BatchWriteCommand).resolves({});
    ddb.on(BatchGetCommand).resolves({ Responses: {} });
    ddb.on(UpdateCommand).resolves({});
    ddb.on(GetCommand).resolves({});
    ddb
      .on(PutCommand)
      .rejectsOnce(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }))
      .resolves({});
    const s = store();
    let thrown: unknown;
    try {
      await s.putArticle(record);
    } catch (err) {
      thrown = err;
    }
    expect((thrown as Error).message).toBe('socket hang up');
    const batches = () => ddb.commandCalls(BatchWriteCommand).flatMap((c) => c.args[0].input.RequestItems?.t ?? []);
    const first = batches();
    // (resetHistory would also reset the mock's call count and fail the retry again: slice instead.)
    expect((await s.putArticle(record)).outcome).toBe('WRITTEN');
    const second = batches().slice(first.length);
    expect(second.filter((r) => r.PutRequest && String(r.PutRequest.Item?.pk).startsWith('E#'))).toEqual(
      first.filter((r) => r.PutRequest && String(r.PutRequest.Item?.pk).startsWith('E#')),
    );
  });

  it('A9: a delete older than the stored record is ignored; applying a delete twice is a no-op', async () => {
    ddb.on(GetCommand).resolves({ Item: itemsOf(record).article });
    expect((await store().markDeleted({ bucket: 'b', key: 'raw/003.txt', sequencer: '01' })).outcome).toBe('STALE');
    const tomb = {
      pk: `A#${record.articleId}`,
      sk: 'A',
      kind: 'article',
      articleId: record.articleId,
      sourceKey: 'raw/003.txt',
      sequencer: '0000000000000000000000000000000B',
      status: 'DELETED',
      pipelineVersion: record.pipelineVersion,
      index: [],
    };
    ddb.on(GetCommand).resolves({ Item: tomb });
    expect((await store().markDeleted({ bucket: 'b', key: 'raw/003.txt', sequencer: '0B' })).outcome).toBe('UNCHANGED');
  });
});

describe('F. DynamoDB faults', () => {
  beforeEach(() => ddb.reset());

  it('F1/C5: clients have a pinned attempt count and request timeouts, so throttling is retried and a hung socket fails fast', async () => {
    const { doc: d, s3: c } = makeClients();
    expect(await d.config.maxAttempts()).toBe(4);
    expect(await c.config.maxAttempts()).toBe(4);
    const handler = (await c.config.requestHandler) as unknown as {
      configProvider?: Promise<{ requestTimeout?: number }>;
      config?: { requestTimeout?: number };
    };
    const cfg = (await handler.configProvider) ?? handler.config;
    expect(cfg?.requestTimeout).toBe(5000);
  });

  it('F1: throttling that outlasts the retries is thrown, never swallowed', async () => {
    ddb.on(GetCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    await expect(store().putArticle(record)).rejects.toThrow('Rate exceeded');
  });

  it('F6: a missing table is an infrastructure error: thrown for retry and the dead-letter queue, never a rejection', async () => {
    ddb.on(GetCommand).rejects(new ResourceNotFoundException({ message: 'Requested resource not found', $metadata: {} }));
    await expect(store().putArticle(record)).rejects.toThrow('Requested resource not found');
  });
});

describe('G. chain, timeouts, dead letters', () => {
  beforeEach(() => s3.reset());

  it('G2: a message that always fails is received MAX_RECEIVE_COUNT times, then moved to the dead letters with its body', async () => {
    let tries = 0;
    const failing: StageFn = async () => {
      tries++;
      throw Object.assign(new Error('poison'), { name: 'Poison' });
    };
    const q = new LocalQueue({ clean: failing, extract: failing, index: failing });
    const body = JSON.stringify({ Records: [s3Record('raw/a.txt')] });
    q.send({ messageId: 'm', body, receiveCount: 0 });
    await q.idle();
    expect(q.deadLetters).toEqual([{ messageId: 'm', body, receiveCount: MAX_RECEIVE_COUNT }]);
    expect(tries).toBeGreaterThanOrEqual(MAX_RECEIVE_COUNT);
  });

  it('G7: AccessDenied on GetObject is thrown (infrastructure), not recorded as a rejection', async () => {
    s3.on(GetObjectCommand).rejects(
      new S3ServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'Access Denied' }),
    );
    const clean = makeClean({ store: new S3ObjectStore(new S3Client({ region: 'us-east-1' }), 'b'), limits: DEFAULT_LIMITS, logger: silentLogger });
    await expect(clean(s3Record('raw/a.txt'))).rejects.toThrow('Access Denied');
  });
});
