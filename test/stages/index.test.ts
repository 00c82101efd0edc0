import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { batchWrite } from '../../functions/adapters/batch';
import { S3ObjectStore } from '../../functions/adapters/object-store';
import { DynamoRecordStore, itemsOf } from '../../functions/adapters/record-store';
import { asCleanArticle } from '../../functions/core/clean/index';
import { extractArticle } from '../../functions/core/extract/index';
import { buildRecord } from '../../functions/core/record';
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
const source = { bucket: 'bucket', key: 'raw/a.txt', sequencer: '0A' };
const article = asCleanArticle('كيري يلتقي لافروف\n\nوقال جون كيري في جنيف "نأمل أن يكون اللقاء خطوة إلى الأمام" بعد لقائه سيرغي لافروف.');
const extracted = { source, encoding: 'utf-8', article, extraction: extractArticle(article) };
const record = buildRecord({ ...source, sequencer: '0A' }, article, extractArticle(article));
const ok = { articleId: record.articleId, source, status: 'OK' as const, artifact: 'artifacts/extracted/x.json' };
const written = () => ddb.commandCalls(BatchWriteCommand).flatMap((c) => c.args[0].input.RequestItems?.table ?? []);

describe('extract stage', () => {
  beforeEach(() => s3.reset());
  it('reads the clean artifact and writes the extracted one', async () => {
    s3.on(GetObjectCommand).resolves(s3Body({ source, encoding: 'utf-8', article }));
    const ref = await makeExtract({ store })({ articleId: 'id', source, status: 'OK', artifact: 'artifacts/clean/id.json' });
    expect(ref.artifact).toBe('artifacts/extracted/id.json');
    const put = JSON.parse(String(s3.commandCalls(PutObjectCommand)[0]?.args[0].input.Body));
    expect(put.extraction.quotes[0]).toMatchObject({ speaker: { id: 'per:john-kerry' } });
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
    s3.on(GetObjectCommand).resolves(s3Body(extracted));
    ddb.on(GetCommand).resolves({});
    ddb.on(BatchWriteCommand).resolves({});
    ddb.on(PutCommand).resolves({});
    ddb.on(BatchGetCommand).resolves({ Responses: { table: [] } });
    ddb.on(UpdateCommand).resolves({});
  });

  it('writes the index items, then the article item last, only if no article item appeared meanwhile', async () => {
    expect((await index(ok)).outcome).toBe('WRITTEN');
    expect(written().map((r) => r.PutRequest?.Item?.pk)).toEqual(expect.arrayContaining(['E#per:john-kerry', 'E#loc:city:geneva', 'Q#per:john-kerry']));
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ pk: `A#${record.articleId}`, sk: 'A', status: 'INDEXED' }),
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    const order = ddb.calls().map((c) => c.args[0].constructor.name);
    expect(order.indexOf('PutCommand')).toBeGreaterThan(order.indexOf('BatchWriteCommand'));
  });

  it('deletes the index items the new version no longer produces (convergence)', async () => {
    const old = itemsOf({ ...record, pipelineVersion: 0 }).article;
    ddb.on(GetCommand).resolves({ Item: { ...old, entityIds: [...(old.entityIds as string[]), 'per:gone'] } });
    await index(ok);
    const when = record.publishedAt ?? '0000';
    expect(written()).toContainEqual({ DeleteRequest: { Key: { pk: 'E#per:gone', sk: `${when}#${record.articleId}` } } });
    expect(written().filter((r) => r.DeleteRequest)).toHaveLength(1);
    expect(ddb).toHaveReceivedCommandWith(PutCommand, { ConditionExpression: expect.stringContaining('#pv = :pv') });
  });

  it('leaves a newer record alone when an older event arrives late (sequencers of different lengths)', async () => {
    ddb.on(GetCommand).resolves({ Item: { ...itemsOf(record).article, sequencer: '0000000000000000000000000000000B' } });
    expect((await index({ ...ok, source: { ...source, sequencer: 'A' } })).outcome).toBe('STALE');
    expect(ddb).not.toHaveReceivedCommand(BatchWriteCommand);
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
  });

  it('writes nothing at all for a redelivery of what is stored', async () => {
    ddb.on(GetCommand).resolves({ Item: itemsOf(record).article });
    expect((await index(ok)).outcome).toBe('UNCHANGED');
    expect(ddb).not.toHaveReceivedCommand(BatchWriteCommand);
  });

  it('yields to a newer write that lands in between, taking back its own index items', async () => {
    const newer = { ...itemsOf(record).article, sequencer: '0000000000000000000000000000000F', entityIds: [], quoteSpeakers: undefined };
    ddb.on(GetCommand).resolvesOnce({}).resolves({ Item: newer });
    ddb.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'changed', $metadata: {} }));
    expect((await index(ok)).outcome).toBe('STALE');
    const deletes = written()
      .filter((r) => r.DeleteRequest)
      .map((r) => r.DeleteRequest?.Key?.pk);
    expect(deletes).toEqual(expect.arrayContaining(['E#per:john-kerry', 'Q#per:john-kerry']));
  });

  it('registers new spellings only, after reading the registry, each lookup item before its registry item', async () => {
    const fresh = makeIndex({ store, records: new DynamoRecordStore(doc, 'table', noSleep), logger: silentLogger });
    ddb.on(BatchGetCommand).resolves({ Responses: { table: [{ pk: 'E#per:john-kerry', spellingKeys: new Set(['جون كيري', 'كيري']) }] } });
    await fresh(ok);
    const updates = ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input.Key?.pk);
    expect(updates).not.toContain('E#per:john-kerry');
    expect(updates).toContain('E#loc:city:geneva');
    // A crash between the two leaves a lookup without its registry entry, which the retry completes; never the reverse.
    const order = ddb.calls().map((c) => c.args[0]);
    const lookupWrite = order.findIndex((c) => c instanceof BatchWriteCommand && JSON.stringify(c.input).includes('"N#'));
    expect(lookupWrite).toBeGreaterThan(-1);
    expect(lookupWrite).toBeLessThan(order.findIndex((c) => c instanceof UpdateCommand));
  });

  it('reads the registry once per entity and container: spellings it has seen need no second read', async () => {
    const fresh = makeIndex({ store, records: new DynamoRecordStore(doc, 'table', noSleep), logger: silentLogger });
    ddb.on(BatchGetCommand).resolves({ Responses: { table: [] } });
    await fresh(ok);
    expect(ddb).toHaveReceivedCommandTimes(BatchGetCommand, 1);
    const updated = ddb.commandCalls(UpdateCommand).length;
    expect(updated).toBeGreaterThan(1);
    // The same article again, as a new pipeline version: the record is rewritten, the registry neither read nor written.
    ddb.on(GetCommand).resolves({ Item: itemsOf({ ...record, pipelineVersion: 0 }).article });
    await fresh(ok);
    expect(ddb).toHaveReceivedCommandTimes(BatchGetCommand, 1);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(updated);
    expect(ddb).toHaveReceivedCommandTimes(PutCommand, 2);
  });

  it('records a rejection with its reason, and removes what the object had indexed before', async () => {
    ddb.on(GetCommand).resolves({ Item: itemsOf(record).article });
    await index({ articleId: record.articleId, source, status: 'REJECTED', reason: 'UNSUPPORTED_TYPE', detail: 'PNG file' });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, { Item: expect.objectContaining({ status: 'REJECTED', reason: 'UNSUPPORTED_TYPE', entityIds: [] }) });
    expect(written().every((r) => r.DeleteRequest)).toBe(true);
  });

  it('tombstones a deleted object and removes every index item', async () => {
    ddb.on(GetCommand).resolves({ Item: itemsOf(record).article });
    await index({ articleId: record.articleId, source: { ...source, sequencer: '0B' }, status: 'DELETED' });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, { Item: expect.objectContaining({ status: 'DELETED', entityIds: [] }) });
    expect(written().filter((r) => r.DeleteRequest).length).toBe(itemsOf(record).index.length);
  });

  it('throws on a table error, so that the chain retries', async () => {
    ddb.on(GetCommand).rejects(Object.assign(new Error('Throughput exceeded'), { name: 'ProvisionedThroughputExceededException' }));
    await expect(index(ok)).rejects.toThrow('Throughput exceeded');
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
    expect(ddb.commandCalls(BatchWriteCommand).map((c) => c.args[0].input.RequestItems?.t?.length)).toEqual([25, 7, 2, 5]);
  });

  it('sends one request per key and throws when items stay unprocessed', async () => {
    ddb.on(BatchWriteCommand).callsFake((input) => ({ UnprocessedItems: input.RequestItems }));
    await expect(batchWrite(doc, 't', [put(1), put(1), put(2)], noSleep)).rejects.toThrow('still unprocessed');
    expect(ddb.commandCalls(BatchWriteCommand)[0]?.args[0].input.RequestItems?.t).toHaveLength(2);
  });
});
