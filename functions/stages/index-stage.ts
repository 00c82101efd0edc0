/** The index stage: records the outcome of the chain in DynamoDB, whatever it was. */
import type { ObjectStore } from '../adapters/object-store';
import type { RecordStore, WriteOutcome } from '../adapters/record-store';
import { buildRecord, rejectedRecord } from '../core/record';
import type { RejectionReason } from '../core/rejection';
import { assertStageRef, type StageRef } from '../shared/chain';
import type { Logger } from '../shared/log';
import type { ExtractedArtifact } from './extract';

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
}

export const makeIndex = (deps: IndexDeps) =>
  async function index(event: unknown): Promise<IndexResult> {
    const ref = assertStageRef(event);
    const base = { articleId: ref.articleId, sourceKey: ref.source.key, status: ref.status };
    let outcome: IndexResult['outcome'];
    switch (ref.status) {
      case 'OK': {
        const a = await deps.store.getJson<ExtractedArtifact>(ref.artifact as string);
        outcome = await deps.records.putArticle(buildRecord(ref.source, a.article, a.extraction, a.encoding), ref.artifact);
        break;
      }
      case 'REJECTED':
        outcome = await deps.records.putArticle(rejectedRecord(ref.source, ref.reason as RejectionReason, ref.detail ?? ''));
        break;
      case 'DELETED':
        outcome = await deps.records.markDeleted(ref.source);
        break;
      default:
        outcome = 'NOTHING_TO_DO';
    }
    deps.logger.log('info', 'indexed', { ...base, outcome });
    return { ...base, outcome };
  };
