import { readFileSync } from 'node:fs';
import { GetObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { s3Record } from '../fixtures/events';
import { s3Body } from '../fixtures/s3body';

// The Lambda entry files read their configuration and build their clients when imported, as at a cold start.
const s3 = mockClient(S3Client);
const ddb = mockClient(DynamoDBDocumentClient);
const context = { awsRequestId: 'req-1', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;
const seed = readFileSync(new URL('../../seeds/004_e83b1a22e68e27e6.txt', import.meta.url));

async function load(name: 'clean' | 'extract' | 'index', env: Record<string, string>) {
  vi.resetModules();
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  return (await import(`../../functions/handlers/${name}.ts`)) as { handler: (e: unknown, c: Context) => Promise<Record<string, unknown>> };
}

describe('Lambda handlers', () => {
  beforeEach(() => {
    s3.reset();
    ddb.reset();
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('fail at cold start, naming the missing variable, when BUCKET_NAME is not set', async () => {
    vi.stubEnv('BUCKET_NAME', '');
    await expect(load('clean', {})).rejects.toThrow('BUCKET_NAME is required');
    await expect(load('index', { BUCKET_NAME: 'b' })).rejects.toThrow('TABLE_NAME is required');
  });

  it('clean: an upload becomes a clean article, handed on inline (success)', async () => {
    const { handler } = await load('clean', { BUCKET_NAME: 'articles' });
    s3.on(GetObjectCommand).resolves(s3Body(seed));
    const out = await handler(s3Record('raw/004.txt', { size: seed.length }), context);
    expect(out).toMatchObject({ status: 'OK', inline: { article: { format: 'text' } } });
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, { Bucket: 'articles', Key: 'raw/004.txt' });
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
  });

  it('clean: an empty upload is rejected with its reason, not thrown (empty)', async () => {
    const { handler } = await load('clean', { BUCKET_NAME: 'articles' });
    s3.on(GetObjectCommand).resolves(s3Body(''));
    expect(await handler(s3Record('raw/empty.txt', { size: 0 }), context)).toMatchObject({ status: 'REJECTED', reason: 'EMPTY' });
  });

  it('clean: an S3 failure is logged once as JSON and rethrown for the retry (failure)', async () => {
    const { handler } = await load('clean', { BUCKET_NAME: 'articles' });
    s3.on(GetObjectCommand).rejects(new S3ServiceException({ name: 'SlowDown', $fault: 'server', $metadata: {}, message: 'slow down' }));
    await expect(handler(s3Record('raw/a.txt'), context)).rejects.toThrow('slow down');
    const lines = vi.mocked(process.stdout.write).mock.calls.map((c) => JSON.parse(String(c[0])));
    expect(lines).toContainEqual(expect.objectContaining({ level: 'error', stage: 'clean', error: 'SlowDown', awsRequestId: 'req-1' }));
  });

  it('extract: the clean article (from S3 or inline) becomes the extracted artifact; a rejection passes through; a broken payload is refused', async () => {
    const { handler } = await load('extract', { BUCKET_NAME: 'articles' });
    const article = {
      title: 't',
      body: 'وقال جون كيري في جنيف إن المحادثات ستستأنف.',
      meta: [],
      comments: [],
      dropped: [],
      language: 'ar',
      format: 'text',
      pageMeta: {},
    };
    s3.on(GetObjectCommand).resolves(s3Body({ source: { bucket: 'articles', key: 'raw/a.txt' }, encoding: 'utf-8', article }));
    s3.on(PutObjectCommand).resolves({});
    const ref = { articleId: 'a', source: { bucket: 'articles', key: 'raw/a.txt' }, status: 'OK', artifact: 'artifacts/clean/a.json' };
    expect(await handler(ref, context)).toMatchObject({ status: 'OK', artifact: 'artifacts/extracted/a.json' });
    // The clean article handed on inline: nothing to read, the extracted artifact written, the inline copy not passed on.
    s3.resetHistory();
    const inline = { articleId: 'a', source: ref.source, status: 'OK', inline: { source: ref.source, encoding: 'utf-8', article } };
    const out = await handler(inline, context);
    expect(out).toMatchObject({ status: 'OK', artifact: 'artifacts/extracted/a.json' });
    expect(out).not.toHaveProperty('inline');
    expect(s3).not.toHaveReceivedCommand(GetObjectCommand);
    const put = JSON.parse(String(s3.commandCalls(PutObjectCommand)[0]?.args[0].input.Body));
    expect(put.extraction.entities.map((e: { id: string }) => e.id)).toContain('per:john-kerry');
    expect(await handler({ ...ref, status: 'REJECTED', artifact: undefined }, context)).toMatchObject({ status: 'REJECTED' });
    await expect(handler({ ...ref, artifact: undefined }, context)).rejects.toMatchObject({ name: 'ContractViolation' });
    await expect(handler({ nonsense: true }, context)).rejects.toMatchObject({ name: 'ContractViolation' });
  });

  it('index: writes the record into the configured table', async () => {
    const { handler } = await load('index', { BUCKET_NAME: 'articles', TABLE_NAME: 'records' });
    s3.on(GetObjectCommand).resolves(
      s3Body({
        source: { bucket: 'articles', key: 'raw/a.txt', sequencer: '01' },
        encoding: 'utf-8',
        article: { title: 't', body: 'نص', meta: [], comments: [], dropped: [], language: 'ar', format: 'text', pageMeta: {} },
        extraction: { publishedAt: null, publisher: null, entities: [], quotes: [], dates: [] },
      }),
    );
    ddb.on(PutCommand).resolves({});
    ddb.on(GetCommand).resolves({});
    ddb.on(BatchGetCommand).resolves({ Responses: {} });
    ddb.on(BatchWriteCommand).resolves({});
    const out = await handler(
      { articleId: 'a', source: { bucket: 'articles', key: 'raw/a.txt' }, status: 'OK', artifact: 'artifacts/extracted/a.json' },
      context,
    );
    expect(out).toMatchObject({ outcome: 'WRITTEN', status: 'OK' });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, { TableName: 'records', Item: expect.objectContaining({ status: 'INDEXED', sourceKey: 'raw/a.txt' }) });
  });
});
