import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { BatchWriteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { batchWrite } from '../../functions/adapters/batch';
import { S3ObjectStore } from '../../functions/adapters/object-store';
import { DynamoRecordStore } from '../../functions/adapters/record-store';
import { asCleanArticle } from '../../functions/core/clean/index';
import { extractArticle } from '../../functions/core/extract/index';
import { silentLogger } from '../../functions/shared/log';
import { makeExtract } from '../../functions/stages/extract';
import { makeIndex } from '../../functions/stages/index-stage';
import { s3Body } from '../fixtures/s3body';

const s3 = mockClient(S3Client);
const ddb = mockClient(DynamoDBDocumentClient);
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const store = new S3ObjectStore(new S3Client({ region: 'us-east-1' }), 'bucket');
const noSleep = { maxAttempts: 5, baseDelayMs: 1, sleep: async () => {} };
const index = makeIndex({ store, records: new DynamoRecordStore(doc, 'table', noSleep), logger: silentLogger });
const json = (v: object) => s3Body(v);
const source = { bucket: 'bucket', key: 'raw/a.txt', sequencer: '0A' };
const article = asCleanArticle('كيري يلتقي لافروف\n\nوقال جون كيري في جنيف "نأمل أن يكون اللقاء خطوة إلى الأمام" بعد لقائه سيرغي لافروف.');

describe('extract stage', () => {
  beforeEach(() => s3.reset());
  it('reads the clean artifact and writes the extracted one', async () => {
    s3.on(GetObjectCommand).resolves(json({ source, encoding: 'utf-8', article }));
    const ref = await makeExtract({ store })({ articleId: 'id', source, status: 'OK', artifact: 'artifacts/clean/id.json' });
    expect(ref.artifact).toBe('artifacts/extracted/id.json');
    const written = JSON.parse(String(s3.commandCalls(PutObjectCommand)[0]?.args[0].input.Body));
    expect(written.extraction.quotes[0]).toMatchObject({ speaker: { id: 'per:john-kerry' } });
  });
  it('passes a rejection through untouched', async () => {
    const ref = { articleId: 'id', source, status: 'REJECTED' as const, reason: 'EMPTY' as const };
    expect(await makeExtract({ store })(ref)).toEqual(ref);
    expect(s3.calls()).toHaveLength(0);
  });
});

describe('index stage', () => {
  beforeEach(() => {
    s3.reset();
    ddb.reset();
    s3.on(GetObjectCommand).resolves(json({ source, encoding: 'utf-8', article, extraction: extractArticle(article) }));
    ddb.on(QueryCommand).resolves({ Items: [{ pk: 'A#x', sk: 'M#per:old-entity' }] });
    ddb.on(BatchWriteCommand).resolves({});
    ddb.on(PutCommand).resolves({});
  });

  it('writes the article conditionally on its sequencer, then its mentions, deleting stale ones', async () => {
    const out = await index({ articleId: 'x', source, status: 'OK', artifact: 'artifacts/extracted/x.json' });
    expect(out.outcome).toBe('WRITTEN');
    expect(ddb).toHaveReceivedCommandWith(PutCommand, { ConditionExpression: 'attribute_not_exists(#seq) OR #seq <= :seq' });
    const requests = ddb.commandCalls(BatchWriteCommand).flatMap((c) => c.args[0].input.RequestItems?.table ?? []);
    expect(requests.some((r) => r.PutRequest?.Item?.sk === 'M#per:john-kerry')).toBe(true);
    expect(requests.some((r) => r.DeleteRequest?.Key?.sk === 'M#per:old-entity')).toBe(true);
  });

  it('leaves a newer record alone when an older event arrives late', async () => {
    ddb.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'newer', $metadata: {} }));
    const out = await index({ articleId: 'x', source, status: 'OK', artifact: 'artifacts/extracted/x.json' });
    expect(out.outcome).toBe('STALE');
    expect(ddb).not.toHaveReceivedCommand(BatchWriteCommand);
  });

  it('records a rejection with its reason', async () => {
    await index({ articleId: 'x', source, status: 'REJECTED', reason: 'UNSUPPORTED_TYPE', detail: 'PNG file' });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, { Item: expect.objectContaining({ status: 'REJECTED', reason: 'UNSUPPORTED_TYPE' }) });
  });

  it('tombstones a deleted object and removes its mentions', async () => {
    ddb.on(UpdateCommand).resolves({});
    await index({ articleId: 'x', source, status: 'DELETED' });
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, { ExpressionAttributeValues: expect.objectContaining({ ':deleted': 'DELETED' }) });
    const requests = ddb.commandCalls(BatchWriteCommand).flatMap((c) => c.args[0].input.RequestItems?.table ?? []);
    expect(requests).toEqual([{ DeleteRequest: { Key: { pk: 'A#x', sk: 'M#per:old-entity' } } }]);
  });

  it('throws on a table error, so that the chain retries', async () => {
    ddb.on(PutCommand).rejects(Object.assign(new Error('Throughput exceeded'), { name: 'ProvisionedThroughputExceededException' }));
    await expect(index({ articleId: 'x', source, status: 'OK', artifact: 'artifacts/extracted/x.json' })).rejects.toThrow('Throughput exceeded');
  });
});

describe('batchWrite', () => {
  beforeEach(() => ddb.reset());
  const put = (n: number) => ({ PutRequest: { Item: { pk: 'p', sk: String(n) } } });

  it('retries UnprocessedItems until every item is written', async () => {
    const items = Array.from({ length: 30 }, (_, n) => put(n));
    ddb
      .on(BatchWriteCommand)
      .resolvesOnce({ UnprocessedItems: { t: items.slice(0, 7) } })
      .resolvesOnce({ UnprocessedItems: { t: items.slice(0, 2) } })
      .resolves({});
    const calls = await batchWrite(doc, 't', items, noSleep);
    expect(calls).toBe(4); // 25 + 7 + 2 retried, then the last 5
    const written = ddb.commandCalls(BatchWriteCommand).map((c) => c.args[0].input.RequestItems?.t?.length);
    expect(written).toEqual([25, 7, 2, 5]);
  });

  it('sends one request per key and throws when items stay unprocessed', async () => {
    ddb.on(BatchWriteCommand).callsFake((input) => ({ UnprocessedItems: input.RequestItems }));
    await expect(batchWrite(doc, 't', [put(1), put(1), put(2)], noSleep)).rejects.toThrow('still unprocessed');
    expect(ddb.commandCalls(BatchWriteCommand)[0]?.args[0].input.RequestItems?.t).toHaveLength(2);
  });
});
