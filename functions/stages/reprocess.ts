/**
 * Re-processing, as plain functions shared by the deployed state machine (functions/handlers/
 * reprocess.ts) and `khabar reprocess` (cli/reprocess.ts):
 *   - decide, per stored object: skip it (its record is current), or where to start the chain and
 *     with what payload (a record made from the listing, or a reference to a stored artifact);
 *   - summarize the per-object results of a run;
 *   - sweep: records whose object is gone become tombstones (reconciliation).
 */
import type { MaintenanceStore } from '../adapters/maintenance-store';
import type { ObjectStore } from '../adapters/object-store';
import type { RecordStore } from '../adapters/record-store';
import { REPROCESS_SOURCE } from '../adapters/s3-event';
import { articleIdOf, PIPELINE_VERSION } from '../core/record';
import { artifactKey, RAW_PREFIX, STAGES, type StageName } from '../shared/chain';
import type { IndexResult } from './index-stage';

export type ReprocessMode = 'outdated' | 'all';

export interface ReprocessItem {
  bucket: string;
  key: string;
  size?: number;
  mode: ReprocessMode;
  from: StageName;
}

export type Decision =
  | { action: 'skip'; key: string; reason: 'CURRENT' | 'OUTSIDE_PREFIX' }
  | { action: 'run'; key: string; startAt: StageName; payload: unknown };

export interface DecideDeps {
  store: ObjectStore;
  records: Pick<RecordStore, 'getArticle'>;
}

const STAGE_ORDER = STAGES.map((s) => s.name);

export const makeDecide = (deps: DecideDeps) =>
  async function decide(item: ReprocessItem): Promise<Decision> {
    if (!item.key.startsWith(RAW_PREFIX)) return { action: 'skip', key: item.key, reason: 'OUTSIDE_PREFIX' };
    const articleId = articleIdOf(item.key);
    const stored = await deps.records.getArticle(articleId);
    const current = stored && Number(stored.pipelineVersion ?? 0) >= PIPELINE_VERSION && stored.status !== 'DELETED';
    if (item.mode === 'outdated' && current) return { action: 'skip', key: item.key, reason: 'CURRENT' };
    // Start as late as asked, but no later than what is stored allows; no record (a lost event) means the whole chain.
    let startAt: StageName = stored?.status === 'INDEXED' ? item.from : 'clean';
    if (startAt === 'index' && !(await deps.store.exists(artifactKey('extracted', articleId)))) startAt = 'extract';
    if (startAt === 'extract' && !(await deps.store.exists(artifactKey('clean', articleId)))) startAt = 'clean';
    // The stored sequencer: a re-run never looks older than the record it replaces, and loses to any newer upload.
    const source = { bucket: item.bucket, key: item.key, sequencer: stored?.sequencer as string | undefined, size: item.size };
    if (startAt === 'clean') {
      const payload = {
        eventSource: REPROCESS_SOURCE,
        eventName: 'ObjectCreated:Reprocess',
        s3: { bucket: { name: item.bucket }, object: { key: item.key, size: item.size, sequencer: source.sequencer } },
      };
      return { action: 'run', key: item.key, startAt, payload };
    }
    const artifact = artifactKey(startAt === 'extract' ? 'clean' : 'extracted', articleId);
    return { action: 'run', key: item.key, startAt, payload: { articleId, source, status: 'OK', artifact } };
  };

export const stagesFrom = (start: StageName) => STAGE_ORDER.slice(STAGE_ORDER.indexOf(start));

export interface RunSummary {
  runId: string;
  startedAt: string;
  finishedAt?: string;
  mode: ReprocessMode;
  from: StageName;
  objects: number;
  processed: number;
  changed: number;
  unchanged: number;
  rejected: number;
  skipped: number;
  failed: number;
  removed: number;
  /** How many records changed in each field. */
  fields: Record<string, number>;
}

/** What became of one object in a run: indexed, skipped, or failed (after the stages' retries). */
export type ObjectResult = IndexResult | Decision | { failed: true; key?: string; error?: string };

/** One child workflow execution as the Distributed Map's ResultWriter records it. */
export interface ChildResult {
  Status?: string;
  /** The child's input: `{ BatchInput, Items: [...] }`, a batch of listed objects. */
  Input?: string;
  /** The child's output: one result per object of the batch. */
  Output?: string;
}

/**
 * The per-object results of one child execution. A child that did not succeed (past its time
 * limit, say) produced no results: each object of its batch counts as failed.
 */
export function resultsOfChild(status: string, r: ChildResult): ObjectResult[] {
  const parse = (s: string | undefined) => {
    try {
      return s ? (JSON.parse(s) as unknown) : undefined;
    } catch {
      return undefined;
    }
  };
  const out = parse(r.Output);
  if (status === 'SUCCEEDED' && out !== undefined) return (Array.isArray(out) ? out : [out]) as ObjectResult[];
  // Items are the S3 listing's entries ({ Key, Size, … }).
  const items = (parse(r.Input) as { Items?: Array<{ Key?: string }> } | undefined)?.Items;
  return items?.length ? items.map((i) => ({ failed: true as const, key: i.Key })) : [{ failed: true }];
}

/** Counts one run's per-object results: an IndexResult, a skip decision, or a failure. */
export function summarize(base: Pick<RunSummary, 'runId' | 'startedAt' | 'mode' | 'from'>, results: ObjectResult[], removed = 0): RunSummary {
  const s: RunSummary = { ...base, objects: results.length, processed: 0, changed: 0, unchanged: 0, rejected: 0, skipped: 0, failed: 0, removed, fields: {} };
  for (const r of results) {
    if ('failed' in r) s.failed++;
    else if ('action' in r) s.skipped++;
    else {
      s.processed++;
      if (r.status === 'REJECTED') s.rejected++;
      if (r.changes.length) s.changed++;
      else s.unchanged++;
      for (const f of r.changes) s.fields[f] = (s.fields[f] ?? 0) + 1;
    }
  }
  return s;
}

export interface SweepDeps {
  maintenance: MaintenanceStore;
  store: ObjectStore;
  records: Pick<RecordStore, 'markDeleted'>;
  bucket: string;
}

/** One page of reconciliation: records whose raw object no longer exists are tombstoned. */
export const makeSweep = (deps: SweepDeps) =>
  async function sweep(input: {
    next?: Record<string, unknown>;
    pageSize?: number;
  }): Promise<{ next?: Record<string, unknown>; checked: number; removed: number }> {
    const page = await deps.maintenance.articles(input.next, input.pageSize ?? 200);
    let removed = 0;
    for (const a of page.articles) {
      if (a.status === 'DELETED' || !a.sourceKey.startsWith(RAW_PREFIX)) continue;
      if (await deps.store.exists(a.sourceKey)) continue;
      const r = await deps.records.markDeleted({ bucket: deps.bucket, key: a.sourceKey, sequencer: a.sequencer });
      if (r.outcome === 'WRITTEN') removed++;
    }
    return { next: page.next, checked: page.articles.length, removed };
  };
