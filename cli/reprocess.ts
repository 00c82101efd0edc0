/**
 * `khabar reprocess`: re-runs the chain over the stored raw objects on the local stand-ins, with the
 * same decisions as the deployed run (functions/stages/reprocess.ts): objects whose record comes
 * from an older pipeline version (or all, with --all), from the stage asked; objects with no record
 * are processed; records whose object is gone are removed. One run at a time (a lease in the table).
 */
import { randomUUID } from 'node:crypto';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { SingleBar } from 'cli-progress';
import { MaintenanceStore } from '../functions/adapters/maintenance-store';
import { S3ObjectStore } from '../functions/adapters/object-store';
import { DynamoRecordStore } from '../functions/adapters/record-store';
import { RAW_PREFIX, type StageName } from '../functions/shared/chain';
import type { IndexResult } from '../functions/stages/index-stage';
import { type Decision, makeDecide, makeSweep, type ReprocessMode, type RunSummary, summarize } from '../functions/stages/reprocess';
import { table } from './format';
import { runChain } from './local/runner';
import { localStages } from './local/stages';
import { type StandIns, startStandIns } from './local/stand-ins';

export const LEASE_SECONDS = 6 * 3600;

export interface ReprocessOptions {
  mode: ReprocessMode;
  from: StageName;
  dataDir: string;
}

async function* rawObjects(s: StandIns): AsyncGenerator<{ key: string; size?: number }> {
  let token: string | undefined;
  do {
    const out = await s.clients.s3.send(new ListObjectsV2Command({ Bucket: s.bucket, Prefix: RAW_PREFIX, ContinuationToken: token }));
    for (const o of out.Contents ?? []) if (o.Key) yield { key: o.Key, size: o.Size };
    token = out.NextContinuationToken;
  } while (token);
}

/** Runs one re-processing pass on already-started stand-ins; undefined when another run holds the lease. */
export async function reprocess(s: StandIns, o: Omit<ReprocessOptions, 'dataDir'>, progress?: SingleBar): Promise<RunSummary | undefined> {
  const runId = randomUUID();
  const maintenance = new MaintenanceStore(s.clients.doc, s.table);
  if (!(await maintenance.acquire(runId, Date.now(), LEASE_SECONDS))) return undefined;
  try {
    const startedAt = new Date().toISOString();
    const store = new S3ObjectStore(s.clients.s3, s.bucket);
    const records = new DynamoRecordStore(s.clients.doc, s.table);
    const decide = makeDecide({ store, records });
    const stages = localStages(s);
    const objects = [];
    for await (const obj of rawObjects(s)) objects.push(obj);
    progress?.start(objects.length, 0);
    const results: Array<IndexResult | Decision | { failed: true }> = [];
    for (const obj of objects) {
      const d = await decide({ bucket: s.bucket, key: obj.key, size: obj.size, mode: o.mode, from: o.from });
      try {
        results.push(d.action === 'skip' ? d : await runChain(d.payload, stages, d.startAt));
      } catch {
        results.push({ failed: true });
      }
      progress?.increment();
    }
    progress?.stop();
    const sweep = makeSweep({ maintenance, store, records, bucket: s.bucket });
    let removed = 0;
    let next: Record<string, unknown> | undefined;
    do {
      const page = await sweep({ next });
      removed += page.removed;
      next = page.next;
    } while (next);
    const summary = { ...summarize({ runId, startedAt, mode: o.mode, from: o.from }, results, removed), finishedAt: new Date().toISOString() };
    await maintenance.putRun(summary);
    return summary;
  } finally {
    await maintenance.release(runId);
  }
}

export function formatSummary(s: RunSummary): string {
  const counts = table(
    ['objects', 'processed', 'changed', 'unchanged', 'rejected', 'skipped (current)', 'failed', 'records removed'],
    [[s.objects, s.processed, s.changed, s.unchanged, s.rejected, s.skipped, s.failed, s.removed].map(String)],
  );
  const fields = Object.keys(s.fields).length
    ? table(
        ['field', 'records changed'],
        Object.entries(s.fields)
          .sort((a, b) => b[1] - a[1])
          .map(([f, n]) => [f, String(n)]),
      )
    : 'no record changed';
  return `run ${s.runId} (${s.mode}, from ${s.from})\n${counts}\n\n${fields}`;
}

export async function reprocessLocal(
  o: ReprocessOptions,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream & { isTTY?: boolean },
): Promise<RunSummary | undefined> {
  const s = await startStandIns(o.dataDir);
  const bar = err.isTTY ? new SingleBar({ format: 'reprocessing {bar} {value}/{total}', stream: err, hideCursor: true }) : undefined;
  try {
    const summary = await reprocess(s, o, bar);
    out.write(summary ? `${formatSummary(summary)}\n` : 'another re-processing run holds the lease; nothing done\n');
    return summary;
  } finally {
    bar?.stop();
    await s.close();
  }
}
