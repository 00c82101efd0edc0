/**
 * The clean stage: one S3 event record in, a StageRef out, with the clean article inline (or in S3
 * when it is large: hand-over.ts). Input problems end as a REJECTED
 * reference with a reason (recorded by index); only infrastructure errors throw, to be retried.
 */

import type { ObjectStore } from '../adapters/object-store';
import { isS3EventRecord, keyOfRecord } from '../adapters/s3-event';
import { cleanStage } from '../core/clean/stage';
import type { CoreLimits } from '../core/config';
import { articleIdOf, type SourceRef } from '../core/record';
import { InputRejected } from '../core/rejection';
import { artifactKey, ContractViolation, RAW_PREFIX, type StageRef } from '../shared/chain';
import type { Logger } from '../shared/log';
import { handOver } from './hand-over';

export interface CleanDeps {
  store: ObjectStore;
  limits: CoreLimits;
  logger: Logger;
}

export interface CleanArtifact {
  source: SourceRef;
  encoding: string;
  article: import('../core/clean/types').CleanArticle;
}

export const makeClean = (deps: CleanDeps) =>
  async function clean(event: unknown): Promise<StageRef> {
    if (!isS3EventRecord(event)) throw new ContractViolation('clean expects one S3 event record');
    const { bucket, object } = event.s3;
    // S3 event schema 2.x is what this code reads; a new major version may mean different fields.
    const major = Number.parseInt(event.eventVersion ?? '2', 10);
    if (major > 2) {
      deps.logger.log('warn', 'rejected', { key: object.key, reason: 'UNSUPPORTED_EVENT_VERSION', eventVersion: event.eventVersion });
      return {
        articleId: articleIdOf(object.key),
        source: { bucket: bucket.name, key: object.key },
        status: 'REJECTED',
        reason: 'UNSUPPORTED_EVENT_VERSION',
        detail: `eventVersion ${event.eventVersion}`,
      };
    }
    const base = { bucket: bucket.name, versionId: object.versionId, sequencer: object.sequencer, size: object.size };
    let key: string;
    try {
      key = keyOfRecord(event);
    } catch (err) {
      if (!(err instanceof InputRejected)) throw err;
      const source = { ...base, key: object.key };
      deps.logger.log('warn', 'rejected', { key: object.key, reason: err.reason });
      return { articleId: articleIdOf(object.key), source, status: 'REJECTED', reason: err.reason, detail: err.detail };
    }
    const source: SourceRef = { ...base, key };
    const ref = { articleId: articleIdOf(key), source };
    // Defence in depth against loops and misrouted events: only raw/ is ours to process.
    if (!key.startsWith(RAW_PREFIX)) {
      deps.logger.log('debug', 'ignored key outside the raw prefix', { key });
      return { ...ref, status: 'SKIPPED', reason: 'OUTSIDE_PREFIX' };
    }
    if (event.eventName.startsWith('ObjectRemoved')) return { ...ref, status: 'DELETED' };
    if (object.size !== undefined && object.size > deps.limits.maxRawBytes) {
      return { ...ref, status: 'REJECTED', reason: 'TOO_LARGE', detail: `${object.size} bytes > ${deps.limits.maxRawBytes}` };
    }
    const bytes = await deps.store.getBytes(key, object.versionId);
    if (!bytes) {
      deps.logger.log('info', 'object gone before it was read', { key });
      return { ...ref, status: 'SKIPPED', reason: 'GONE' };
    }
    try {
      const { article, encoding } = cleanStage(bytes, deps.limits);
      const output: CleanArtifact = { source, encoding, article };
      return { ...ref, status: 'OK', ...(await handOver(deps.store, artifactKey('clean', ref.articleId), output)) };
    } catch (err) {
      if (!(err instanceof InputRejected)) throw err;
      deps.logger.log('warn', 'rejected', { key, reason: err.reason, detail: err.detail });
      return { ...ref, status: 'REJECTED', reason: err.reason, detail: err.detail };
    }
  };
