/** The index stage: records the outcome of the chain in DynamoDB, whatever it was. */
import type { ObjectStore } from '../adapters/object-store';
import type { RecordStore, WriteOutcome } from '../adapters/record-store';
import { buildRecord, PIPELINE_VERSION, rejectedRecord } from '../core/record';
import type { RejectionReason } from '../core/rejection';
import { assertStageRef, type StageRef } from '../shared/chain';
import type { Logger } from '../shared/log';
import type { ExtractedArtifact } from './extract';
import { received } from './hand-over';

export interface IndexDeps {
  store: ObjectStore;
  records: RecordStore;
  logger: Logger;
}

export interface IndexResult {
  articleId: string;
  sourceKey: string;
  status: StageRef['status'];
  outcome: WriteOutcome | 'NOTHING_TO_DO';
  /** Record fields this run changed (what re-processing reports). */
  changes: string[];
}

export const makeIndex = (deps: IndexDeps) =>
  async function index(event: unknown): Promise<IndexResult> {
    const ref = assertStageRef(event);
    const base = { articleId: ref.articleId, sourceKey: ref.source.key, status: ref.status };
    let result: { outcome: IndexResult['outcome']; changes: string[] };
    switch (ref.status) {
      case 'OK': {
        const a = await received<ExtractedArtifact>(deps.store, ref);
        // The record says which pipeline produced its extraction: re-indexing an old extraction keeps its version.
        const record = { ...buildRecord(ref.source, a.article, a.extraction, a.encoding), pipelineVersion: a.pipelineVersion ?? PIPELINE_VERSION };
        result = await deps.records.putArticle(record);
        break;
      }
      case 'REJECTED':
        result = await deps.records.putArticle(rejectedRecord(ref.source, ref.reason as RejectionReason, ref.detail ?? ''));
        break;
      case 'DELETED':
        result = await deps.records.markDeleted(ref.source);
        break;
      default:
        result = { outcome: 'NOTHING_TO_DO', changes: [] };
    }
    deps.logger.log('info', 'indexed', { ...base, ...result });
    return { ...base, ...result };
  };
