// Lambda entry of the re-processing state machine's own steps: lease, per-object decision,
// reconciliation sweep and the run summary. The chain's stages are the usual stage functions.
import middy from '@middy/core';
import { makeClients } from '../adapters/clients';
import { MaintenanceStore } from '../adapters/maintenance-store';
import { S3ObjectStore } from '../adapters/object-store';
import { DynamoRecordStore } from '../adapters/record-store';
import { ContractViolation } from '../shared/chain';
import { readConfig } from '../shared/config';
import { jsonLogger } from '../shared/log';
import { type ChildResult, makeDecide, makeSweep, type ObjectResult, type ReprocessItem, resultsOfChild, summarize } from '../stages/reprocess';
import { logErrors } from './middleware';

const config = readConfig(process.env, { bucket: true, table: true });
const { s3, doc } = makeClients();
const logger = jsonLogger('reprocess');
const store = new S3ObjectStore(s3, config.bucketName);
const records = new DynamoRecordStore(doc, config.tableName);
const maintenance = new MaintenanceStore(doc, config.tableName);
const decide = makeDecide({ store, records });
const sweep = makeSweep({ maintenance, store, records, bucket: config.bucketName });
/** A run that has not released its lease after this long has crashed: the next one may take over. */
const LEASE_SECONDS = 24 * 3600;

type Op =
  | { op: 'acquire'; runId: string }
  | { op: 'release'; runId: string }
  | ({ op: 'decide' } & ReprocessItem)
  | { op: 'sweep'; next?: Record<string, unknown>; removed?: number }
  | {
      op: 'summarize';
      runId: string;
      startedAt: string;
      mode: ReprocessItem['mode'];
      from: ReprocessItem['from'];
      removed?: number;
      manifest: { Bucket: string; Key: string };
    };

async function lambdaHandler(event: Op): Promise<unknown> {
  switch (event?.op) {
    case 'acquire':
      return { acquired: await maintenance.acquire(event.runId, Date.now(), LEASE_SECONDS) };
    case 'release':
      await maintenance.release(event.runId);
      return { released: true };
    case 'decide':
      return decide(event);
    case 'sweep': {
      const page = await sweep({ next: event.next });
      return { next: page.next, removed: (event.removed ?? 0) + page.removed, more: page.next !== undefined };
    }
    case 'summarize': {
      // The map run's results, as Step Functions' ResultWriter left them in the bucket.
      const manifestKey = event.manifest.Key;
      const manifest = await store.getJson<{ ResultFiles?: Record<string, Array<{ Key: string }>> }>(manifestKey);
      const results: ObjectResult[] = [];
      for (const [status, files] of Object.entries(manifest.ResultFiles ?? {})) {
        for (const f of files) {
          for (const r of await store.getJson<ChildResult[]>(f.Key)) results.push(...resultsOfChild(status, r));
        }
      }
      const summary = { ...summarize(event, results, event.removed ?? 0), finishedAt: new Date().toISOString() };
      await maintenance.putRun(summary);
      await store.putJson(manifestKey.replace(/manifest\.json$/, 'summary.json'), summary);
      logger.log('info', 'reprocess run summary', { ...summary });
      return summary;
    }
    default:
      throw new ContractViolation(`unknown operation ${JSON.stringify((event as { op?: unknown })?.op)}`);
  }
}

export const handler = middy(lambdaHandler).use(logErrors(logger));
