import { readFileSync } from 'node:fs';
import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../functions/adapters/object-store';
import { DEFAULT_LIMITS } from '../../functions/core/config';
import { INLINE_MAX_BYTES } from '../../functions/shared/chain';
import { silentLogger } from '../../functions/shared/log';
import { type CleanArtifact, makeClean } from '../../functions/stages/clean';
import { s3Record } from '../fixtures/events';
import { s3Body } from '../fixtures/s3body';

const s3 = mockClient(S3Client);
const clean = makeClean({ store: new S3ObjectStore(new S3Client({ region: 'us-east-1' }), 'bucket'), limits: DEFAULT_LIMITS, logger: silentLogger });
const body = (bytes: Uint8Array | string) => s3Body(bytes);
const seed = readFileSync(new URL('../../seeds/000_d5e7e46376dfbaad.txt', import.meta.url));

describe('clean stage', () => {
  beforeEach(() => s3.reset());

  it('reads the decoded key at its version and hands the clean article on inline, without writing to S3', async () => {
    s3.on(GetObjectCommand).resolves(body(seed));
    const ref = await clean(s3Record('raw/خبر عاجل c++.txt', { versionId: 'v1', size: seed.length }));
    expect(ref).toMatchObject({ status: 'OK', source: { key: 'raw/خبر عاجل c++.txt', versionId: 'v1' } });
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, { Bucket: 'bucket', Key: 'raw/خبر عاجل c++.txt', VersionId: 'v1' });
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
    expect(ref.artifact).toBeUndefined();
    expect((ref.inline as CleanArtifact).article.title).toBe('كيري: واشنطن تدعم المشاورات السورية في استانا');
    expect(Buffer.byteLength(JSON.stringify(ref))).toBeLessThan(INLINE_MAX_BYTES + 1024);
  });

  it('writes a clean article too large to travel inline to S3 and hands on its key', async () => {
    const para = (i: number) => `قال المبعوث الأممي إلى سوريا إن الجولة المقبلة من المفاوضات ستعقد في جنيف الشهر المقبل، الفقرة ${i}.`;
    const big = `عنوان طويل للمقال\n\n${Array.from({ length: 1500 }, (_, i) => para(i)).join('\n\n')}`;
    s3.on(GetObjectCommand).resolves(body(big));
    s3.on(PutObjectCommand).resolves({});
    const ref = await clean(s3Record('raw/big.txt', { size: Buffer.byteLength(big) }));
    expect(ref.status).toBe('OK');
    expect(ref.inline).toBeUndefined();
    const put = s3.commandCalls(PutObjectCommand)[0]?.args[0].input;
    expect(put?.Key).toBe(ref.artifact);
    expect(put?.Key?.startsWith('artifacts/clean/')).toBe(true);
    expect(Buffer.byteLength(String(put?.Body))).toBeGreaterThan(INLINE_MAX_BYTES);
    expect(JSON.parse(String(put?.Body)).article.body).toContain('الفقرة 1499.');
  });

  it('rejects an empty object with a reason, without writing anything', async () => {
    s3.on(GetObjectCommand).resolves(body(''));
    const ref = await clean(s3Record('raw/empty.txt', { size: 0 }));
    expect(ref).toMatchObject({ status: 'REJECTED', reason: 'EMPTY' });
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
  });

  it('rejects an oversized object from the event size, before downloading it', async () => {
    const ref = await clean(s3Record('raw/huge.html', { size: 50 * 1024 * 1024 }));
    expect(ref).toMatchObject({ status: 'REJECTED', reason: 'TOO_LARGE' });
    expect(s3).not.toHaveReceivedCommand(GetObjectCommand);
  });

  it('rejects a malformed key escape instead of crashing', async () => {
    const ref = await clean({ ...s3Record('raw/x.txt'), s3: { bucket: { name: 'bucket' }, object: { key: 'raw/%E0%A4.txt' } } });
    expect(ref).toMatchObject({ status: 'REJECTED', reason: 'BAD_KEY' });
  });

  it('skips an object that is gone, and keys outside raw/', async () => {
    s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'gone', $metadata: {} }));
    expect(await clean(s3Record('raw/gone.txt'))).toMatchObject({ status: 'SKIPPED', reason: 'GONE' });
    expect(await clean(s3Record('artifacts/clean/x.json'))).toMatchObject({ status: 'SKIPPED', reason: 'OUTSIDE_PREFIX' });
  });

  it('passes a delete on as DELETED', async () => {
    expect(await clean(s3Record('raw/a.txt', { eventName: 'ObjectRemoved:Delete' }))).toMatchObject({ status: 'DELETED' });
  });

  it('throws on an infrastructure error so that the chain retries', async () => {
    s3.on(GetObjectCommand).rejects(new S3ServiceException({ name: 'InternalError', $fault: 'server', $metadata: { httpStatusCode: 500 }, message: 'boom' }));
    await expect(clean(s3Record('raw/a.txt'))).rejects.toThrow('boom');
  });

  it('throws a ContractViolation on something that is not an S3 record', async () => {
    await expect(clean({ hello: 'world' })).rejects.toMatchObject({ name: 'ContractViolation' });
  });
});
