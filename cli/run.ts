/**
 * `khabar run [dir]`: the whole chain on the embedded stand-ins. Uploads each file under raw/,
 * lets the upload events drive clean → extract → index, and prints the records. An unchanged
 * file whose record is current is not uploaded again, so a second run changes nothing.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { SingleBar } from 'cli-progress';
import type { Clients } from '../functions/adapters/clients';
import { articlePk } from '../functions/adapters/record-store';
import { articleIdOf, PIPELINE_VERSION } from '../functions/core/record';
import { RAW_PREFIX } from '../functions/shared/chain';
import { listInputs } from './files';
import { table, truncate } from './format';
import { LocalQueue, toIntakeMessage } from './local/runner';
import { localStages } from './local/stages';
import { startStandIns } from './local/stand-ins';

export interface RunSummary {
  rows: Array<{ file: string; key: string; title: string; publishedAt: string; publisher: string; entities: number; status: string; reason?: string }>;
  uploaded: number;
  failed: number;
}

export async function runLocal(
  inputs: string[],
  dataDir: string,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream & { isTTY?: boolean },
  /** Lets a caller observe the SDK clients (the benchmark counts the requests they send). */
  instrument?: (clients: Clients) => void,
): Promise<RunSummary> {
  const files = listInputs(inputs);
  const s = await startStandIns(dataDir);
  instrument?.(s.clients);
  const bar = err.isTTY ? new SingleBar({ format: 'processing {bar} {value}/{total} {file}', stream: err, hideCursor: true }) : undefined;
  try {
    const queue = new LocalQueue(localStages(s), (o) => bar?.increment(1, { file: path.basename(o.key) }));
    s.onS3Event((n) => queue.send(toIntakeMessage(n)));
    const plan: Array<{ file: string; key: string; body: Buffer; upload: boolean }> = [];
    for (const file of files) {
      const body = readFileSync(file);
      const key = `${RAW_PREFIX}${path.basename(file)}`;
      plan.push({ file, key, body, upload: !(await isCurrent(s, key, body)) });
    }
    const uploads = plan.filter((p) => p.upload);
    bar?.start(uploads.length, 0, { file: '' });
    for (const p of uploads) await s.clients.s3.send(new PutObjectCommand({ Bucket: s.bucket, Key: p.key, Body: p.body }));
    // s3rver emits its event after answering the PUT: wait until every upload's event is through the chain.
    // Wait for as long as the chain makes progress: give up only when nothing has finished for two minutes.
    let seen = 0;
    let lastProgress = Date.now();
    while (queue.outcomes.length < uploads.length && Date.now() - lastProgress < 120_000) {
      await new Promise((r) => setTimeout(r, 20));
      await queue.idle();
      if (queue.outcomes.length > seen) {
        seen = queue.outcomes.length;
        lastProgress = Date.now();
      }
    }
    bar?.stop();
    const rows: RunSummary['rows'] = [];
    for (const p of plan) {
      const item = (await s.clients.doc.send(new GetCommand({ TableName: s.table, Key: { pk: articlePk(articleIdOf(p.key)), sk: 'A' } }))).Item;
      rows.push({
        file: path.basename(p.file),
        key: p.key,
        title: item?.title ?? '',
        publishedAt: item?.publishedAt ?? '',
        publisher: item?.publisher?.name ?? '',
        entities: item?.entityIds?.length ?? 0,
        status: item?.status ?? 'MISSING',
        reason: item?.reason,
      });
    }
    out.write(
      `${table(
        ['file', 'title', 'published', 'publisher', 'entities', 'status'],
        rows.map((r) => [r.file, truncate(r.title, 48), r.publishedAt, r.publisher, String(r.entities), r.reason ? `${r.status} (${r.reason})` : r.status]),
      )}\n`,
    );
    const failed = queue.deadLetters.length + rows.filter((r) => r.status === 'MISSING').length;
    const rejected = rows.filter((r) => r.status === 'REJECTED').length;
    out.write(
      `\n${rows.length} files: ${uploads.length} processed now, ${plan.length - uploads.length} unchanged; ${rejected} rejected, ${failed} failed. Data in ${dataDir}\n`,
    );
    return { rows, uploaded: uploads.length, failed };
  } finally {
    bar?.stop();
    await s.close();
  }
}

/** The object is stored with these bytes and its record comes from this pipeline version. */
async function isCurrent(s: Awaited<ReturnType<typeof startStandIns>>, key: string, body: Buffer): Promise<boolean> {
  try {
    const head = await s.clients.s3.send(new HeadObjectCommand({ Bucket: s.bucket, Key: key }));
    if (head.ETag?.replace(/"/g, '') !== createHash('md5').update(body).digest('hex')) return false;
  } catch {
    return false;
  }
  const item = (await s.clients.doc.send(new GetCommand({ TableName: s.table, Key: { pk: articlePk(articleIdOf(key)), sk: 'A' } }))).Item;
  return item?.pipelineVersion === PIPELINE_VERSION;
}
