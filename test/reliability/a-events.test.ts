import { describe, expect, it } from 'vitest';
import { LocalQueue, type StageFn } from '../../cli/local/runner';
import { decodeS3Key, encodeS3Key } from '../../functions/adapters/s3-event';
import { DEFAULT_LIMITS } from '../../functions/core/config';
import { articleIdOf, contentHashOf } from '../../functions/core/record';
import { artifactKey } from '../../functions/shared/chain';
import { silentLogger } from '../../functions/shared/log';
import { makeClean } from '../../functions/stages/clean';
import { s3Record } from '../fixtures/events';

const memoryStore = (objects: Record<string, string>) => ({
  getBytes: async (k: string) => (k in objects ? new TextEncoder().encode(objects[k]) : undefined),
  getJson: async () => ({}) as never,
  putJson: async () => {},
  exists: async (k: string) => k in objects,
});

describe('A. event envelope and key handling', () => {
  it('A1: an s3:TestEvent message (no Records) is acknowledged: no record, no retry, no dead letter', async () => {
    let calls = 0;
    const stage: StageFn = async () => {
      calls++;
      return {};
    };
    const q = new LocalQueue({ clean: stage, extract: stage, index: stage });
    q.send({ messageId: 'm', body: JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: 'b' }), receiveCount: 0 });
    await q.idle();
    expect(calls).toBe(0);
    expect(q.deadLetters).toEqual([]);
  });

  it('A2: a form-encoded Arabic key decodes to the exact original', () => {
    expect(decodeS3Key('raw/%D8%AE%D8%A8%D8%B1+%D8%B9%D8%A7%D8%AC%D9%84.html')).toBe('raw/خبر عاجل.html');
  });

  it('A3: "c++" survives; decodeURIComponent alone, or + to space after decoding, would corrupt it (negative controls)', () => {
    const encoded = 'raw/c%2B%2B+news.txt';
    expect(decodeS3Key(encoded)).toBe('raw/c++ news.txt');
    expect(decodeURIComponent(encoded)).toBe('raw/c+++news.txt');
    expect(decodeURIComponent(encoded).replace(/\+/g, ' ')).toBe('raw/c   news.txt');
  });

  it('A4: a literal % and an encoded-looking key decode exactly once; a malformed escape is a BAD_KEY rejection', async () => {
    expect(decodeS3Key('raw/100%25+%D8%AC%D8%AF%D9%8A%D8%AF.html')).toBe('raw/100% جديد.html');
    expect(decodeS3Key('raw/a%252Bb')).toBe('raw/a%2Bb');
    const clean = makeClean({ store: memoryStore({}), limits: DEFAULT_LIMITS, logger: silentLogger });
    expect(await clean({ ...s3Record('x'), s3: { bucket: { name: 'b' }, object: { key: 'raw/%E0%A4.txt' } } })).toMatchObject({
      status: 'REJECTED',
      reason: 'BAD_KEY',
    });
  });

  it('A5: keys that differ only in Unicode form are two objects; identical content shares one content hash', () => {
    const nfc = 'raw/أخبار.txt';
    const nfd = nfc.normalize('NFD');
    expect(nfd).not.toBe(nfc);
    expect(articleIdOf(nfc)).not.toBe(articleIdOf(nfd));
    expect(decodeS3Key(encodeS3Key(nfd))).toBe(nfd); // never normalised on the way
    expect(contentHashOf('نص واحد')).toBe(contentHashOf('نص واحد'));
  });

  it('A6: path-like keys never shape derived keys: artifacts and ids are hashes', async () => {
    for (const key of ['raw/../../etc/passwd', 'raw/./a', 'raw//a', '/raw/a']) {
      const id = articleIdOf(key);
      expect(id).toMatch(/^[0-9a-f]{32}$/);
      expect(artifactKey('clean', id)).toMatch(/^artifacts\/clean\/[0-9a-f]{32}\.json$/);
    }
    const clean = makeClean({ store: memoryStore({}), limits: DEFAULT_LIMITS, logger: silentLogger });
    expect(await clean(s3Record('/raw/a'))).toMatchObject({ status: 'SKIPPED', reason: 'OUTSIDE_PREFIX' });
  });

  it('A7: events outside raw/ (artifacts, .DS_Store elsewhere) are ignored and acknowledged', async () => {
    const clean = makeClean({ store: memoryStore({}), limits: DEFAULT_LIMITS, logger: silentLogger });
    for (const key of ['artifacts/clean/x.json', 'reprocess-runs/r/manifest.json', '.DS_Store']) {
      expect(await clean(s3Record(key))).toMatchObject({ status: 'SKIPPED', reason: 'OUTSIDE_PREFIX' });
    }
  });

  it('A8: a 1024-byte key gives a fixed-size article id and partition key', () => {
    const key = `raw/${'خ'.repeat(510)}`;
    expect(Buffer.byteLength(key)).toBe(1024);
    expect(`A#${articleIdOf(key)}`.length).toBe(34);
  });

  it('A10: an unknown major event version is rejected with a reason; a minor bump with extra fields is read', async () => {
    const store = memoryStore({ 'raw/a.txt': `${'قال المبعوث الأممي إن المحادثات ستستأنف في جنيف الأسبوع المقبل. '.repeat(3)}` });
    const clean = makeClean({ store, limits: DEFAULT_LIMITS, logger: silentLogger });
    expect(await clean({ ...s3Record('raw/a.txt'), eventVersion: '3.0' })).toMatchObject({ status: 'REJECTED', reason: 'UNSUPPORTED_EVENT_VERSION' });
    const minor = await clean({ ...s3Record('raw/a.txt'), eventVersion: '2.9', glacierEventData: {}, newField: 1 });
    expect(minor.status).toBe('OK');
    await expect(clean({ eventVersion: '2.1', s3: { bucket: { name: 'b' } } })).rejects.toMatchObject({ name: 'ContractViolation' });
  });

  it('A11: every record of a notification is processed, each on its own', async () => {
    const seen: string[] = [];
    const clean: StageFn = async (r) => {
      seen.push((r as { s3: { object: { key: string } } }).s3.object.key);
      return { articleId: 'x', source: { bucket: 'b', key: 'k' }, status: 'SKIPPED' };
    };
    const index: StageFn = async (ref) => ({ ...(ref as object), outcome: 'NOTHING_TO_DO', changes: [] });
    const q = new LocalQueue({ clean, extract: clean, index });
    q.send({ messageId: 'm', body: JSON.stringify({ Records: [s3Record('raw/a.txt'), s3Record('raw/b.txt')] }), receiveCount: 0 });
    await q.idle();
    expect(seen).toEqual(['raw/a.txt', 'raw/b.txt']);
  });
});
