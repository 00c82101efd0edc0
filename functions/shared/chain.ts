/**
 * The chain, defined once. The CDK state machine (lib/pipeline.ts) and the local runner
 * (cli/local/runner.ts) are both built from this: the stage order, which stages run after a
 * rejection, the retry policy, the artifact prefixes and the contracts between stages.
 */

import type { SourceRef } from '../core/record';
import type { RejectionReason } from '../core/rejection';

export type StageName = 'clean' | 'extract' | 'index';

/**
 * What a stage hands to the next one: a reference, and the stage's output itself when it is small
 * (`inline`); a larger output goes to S3 under ARTIFACT_PREFIX and travels as its key (`artifact`).
 * Step Functions caps a state's payload at 256 KB; INLINE_MAX_BYTES keeps well under it.
 */
export interface StageRef {
  articleId: string;
  source: SourceRef;
  /** OK: go on. REJECTED: bad input, recorded by index. DELETED: tombstone. SKIPPED: nothing to do. */
  status: 'OK' | 'REJECTED' | 'DELETED' | 'SKIPPED';
  reason?: RejectionReason | 'GONE' | 'OUTSIDE_PREFIX' | 'TEST_EVENT';
  detail?: string;
  /** S3 key of the stage's output (clean or extracted article), when it was written to S3. */
  artifact?: string;
  /** The stage's output itself, when it is at most INLINE_MAX_BYTES of JSON. */
  inline?: unknown;
}

/** Largest stage output handed over inside the StageRef (JSON, UTF-8); anything larger goes through S3. */
export const INLINE_MAX_BYTES = 128 * 1024;

export interface StageDefinition {
  name: StageName;
  /** Handler entry, relative to the project root; bundled by esbuild for Lambda. */
  entry: string;
  description: string;
  /** ok: runs only when the previous stage said OK; always: runs whatever it said. */
  runs: 'ok' | 'always';
  memoryMb: number;
  timeoutSeconds: number;
  /** Files, relative to the project root, shipped beside the bundle (read at run time, not bundled). */
  assets?: string[];
}

export const RAW_PREFIX = 'raw/';
export const ARTIFACT_PREFIX = 'artifacts/';
export const artifactKey = (stage: 'clean' | 'extracted', articleId: string) => `${ARTIFACT_PREFIX}${stage}/${articleId}.json`;

export const STAGES: readonly StageDefinition[] = [
  {
    name: 'clean',
    entry: 'functions/handlers/clean.ts',
    description: 'decode, sniff and strip boilerplate',
    runs: 'always',
    memoryMb: 1024,
    timeoutSeconds: 30,
  },
  {
    name: 'extract',
    entry: 'functions/handlers/extract.ts',
    description: 'dates, publisher, entities, quotes',
    runs: 'ok',
    memoryMb: 1024,
    timeoutSeconds: 30,
    assets: ['data/model/tagger.json'],
  },
  { name: 'index', entry: 'functions/handlers/index.ts', description: 'records into DynamoDB', runs: 'always', memoryMb: 512, timeoutSeconds: 30 },
];

/** The function behind the re-processing state machine's own steps (not a chain stage). */
export const REPROCESS_FUNCTION: Omit<StageDefinition, 'name' | 'runs'> & { name: 'reprocess' } = {
  name: 'reprocess',
  entry: 'functions/handlers/reprocess.ts',
  description: 're-processing: lease, decisions, reconciliation, run summary',
  memoryMb: 512,
  timeoutSeconds: 300,
};

/**
 * Objects per child workflow of a re-processing run. The Distributed Map bills a state transition
 * per child, so batching divides that cost by this; a batch runs its objects one after another and
 * must finish within an Express workflow's 5 minutes even when some objects need every retry.
 */
export const REPROCESS_BATCH = 10;

/** Prefix of the re-processing runs' result files and summaries in the bucket (never under raw/). */
export const RUNS_PREFIX = 'reprocess-runs/';

/** Retries of a stage on infrastructure errors (throttling, 5xx, timeouts). Input errors are never thrown. */
export const RETRY = {
  maxAttempts: 4,
  intervalSeconds: 2,
  backoffRate: 2,
  maxDelaySeconds: 30,
  /** Errors that mean the input itself is wrong: retrying cannot help. */
  nonRetryable: ['ContractViolation'],
} as const;

/** The intake queue: how often a message is tried before it goes to the dead-letter queue. */
export const MAX_RECEIVE_COUNT = 5;

/** Whether a stage runs after the previous stage's result. */
export const shouldRun = (stage: StageDefinition, previous: StageRef | undefined) =>
  stage.runs === 'always' || previous === undefined || previous.status === 'OK';

/** A payload that breaks the contract between stages: a bug or a forged event, not bad input. */
export class ContractViolation extends Error {
  override readonly name = 'ContractViolation';
}

export function assertStageRef(x: unknown): StageRef {
  const r = x as StageRef;
  if (!r || typeof r !== 'object' || typeof r.articleId !== 'string' || !r.source || typeof r.source.key !== 'string' || typeof r.source.bucket !== 'string')
    throw new ContractViolation('expected a StageRef {articleId, source:{bucket,key}, status}');
  if (!['OK', 'REJECTED', 'DELETED', 'SKIPPED'].includes(r.status)) throw new ContractViolation(`unknown status ${String(r.status)}`);
  if (r.status === 'OK' && typeof r.artifact !== 'string' && (r.inline === undefined || r.inline === null || typeof r.inline !== 'object'))
    throw new ContractViolation('an OK StageRef needs its output inline or an artifact key');
  return r;
}
