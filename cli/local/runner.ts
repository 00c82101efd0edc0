/**
 * The chain run locally, as the deployed state machine runs it: the same stage list, the same
 * rule for which stage runs after a rejection, the same retry policy (with shorter pauses), and
 * the same intake contract (an SQS message whose body is an S3 notification, keys URL-encoded).
 */
import { randomUUID } from 'node:crypto';
import { encodeS3Key, recordsOf } from '../../functions/adapters/s3-event';
import { MAX_RECEIVE_COUNT, RETRY, STAGES, type StageName, type StageRef, shouldRun } from '../../functions/shared/chain';
import type { IndexResult } from '../../functions/stages/index-stage';

export type StageFn = (event: unknown) => Promise<unknown>;

export interface IntakeMessage {
  messageId: string;
  body: string;
  receiveCount: number;
}

export interface ChainOutcome {
  key: string;
  result?: IndexResult;
  error?: string;
}

/** Runs one S3 event record through the stages. Throws when a stage still fails after its retries. */
export async function runChain(
  record: unknown,
  stages: Record<StageName, StageFn>,
  startAt: StageName = 'clean',
  pauseMs = (attempt: number) => 10 * RETRY.backoffRate ** attempt,
): Promise<IndexResult> {
  let payload: unknown = record;
  let previous: StageRef | undefined;
  for (const stage of STAGES.slice(STAGES.findIndex((s) => s.name === startAt))) {
    if (!shouldRun(stage, previous)) continue;
    for (let attempt = 1; ; attempt++) {
      try {
        payload = await (stages[stage.name] as StageFn)(payload);
        break;
      } catch (err) {
        const name = (err as Error).name;
        if (attempt >= RETRY.maxAttempts || (RETRY.nonRetryable as readonly string[]).includes(name)) throw err;
        await new Promise((r) => setTimeout(r, pauseMs(attempt)));
      }
    }
    previous = payload as StageRef;
  }
  return payload as IndexResult;
}

/** The notification as S3 sends it: object keys form-URL-encoded (s3rver emits them decoded). */
export function toIntakeMessage(notification: unknown): IntakeMessage {
  const n = structuredClone(notification) as { Records?: Array<{ s3: { object: { key: string } } }> };
  for (const r of n.Records ?? []) r.s3.object.key = encodeS3Key(r.s3.object.key);
  return { messageId: randomUUID(), body: JSON.stringify(n), receiveCount: 0 };
}

/**
 * A local intake queue: messages are processed one at a time (the pipe's batch of one); a failed
 * message is received again up to MAX_RECEIVE_COUNT times, then moved to the dead letters.
 */
export class LocalQueue {
  private readonly pending: IntakeMessage[] = [];
  readonly deadLetters: IntakeMessage[] = [];
  readonly outcomes: ChainOutcome[] = [];
  private draining: Promise<void> | undefined;
  private readonly waiters: Array<() => void> = [];

  constructor(
    private readonly stages: Record<StageName, StageFn>,
    private readonly onOutcome: (o: ChainOutcome) => void = () => {},
  ) {}

  send(message: IntakeMessage): void {
    this.pending.push(message);
    this.draining ??= this.drain().finally(() => {
      this.draining = undefined;
      for (const w of this.waiters.splice(0)) w();
    });
  }

  /** Resolves when every message sent so far has been processed or dead-lettered. */
  idle(): Promise<void> {
    return this.draining ? new Promise((r) => this.waiters.push(r)) : Promise.resolve();
  }

  private async drain(): Promise<void> {
    for (let m = this.pending.shift(); m; m = this.pending.shift()) {
      m.receiveCount++;
      const records = recordsOf(JSON.parse(m.body));
      try {
        for (const record of records) {
          const result = await runChain(record, this.stages);
          const o = { key: result.sourceKey, result };
          this.outcomes.push(o);
          this.onOutcome(o);
        }
      } catch (err) {
        if (m.receiveCount >= MAX_RECEIVE_COUNT) {
          this.deadLetters.push(m);
          const o = { key: records[0]?.s3.object.key ?? '?', error: `${(err as Error).name}: ${(err as Error).message}` };
          this.outcomes.push(o);
          this.onOutcome(o);
        } else this.pending.push(m);
      }
    }
  }
}
