/**
 * Handing a stage's output to the next stage: inside the StageRef when it is small (no S3 request),
 * through S3 when it is not (the next stage reads it back). Most articles travel inline: the clean
 * artifact PUT and GET cost more than everything the chain computes.
 */
import type { ObjectStore } from '../adapters/object-store';
import { INLINE_MAX_BYTES, type StageRef } from '../shared/chain';

/** The StageRef fields that carry `output`: inline, or written to `key` in S3 when larger than INLINE_MAX_BYTES. */
export async function handOver(store: ObjectStore, key: string, output: object): Promise<Pick<StageRef, 'inline' | 'artifact'>> {
  if (Buffer.byteLength(JSON.stringify(output)) <= INLINE_MAX_BYTES) return { inline: output };
  await store.putJson(key, output);
  return { artifact: key };
}

/** The previous stage's output, from the StageRef or from S3. */
export async function received<T>(store: ObjectStore, ref: StageRef): Promise<T> {
  if (ref.inline !== undefined) return ref.inline as T;
  return store.getJson<T>(ref.artifact as string);
}

/** The reference without the previous stage's output (a stage passes on only its own). */
export function withoutOutput(ref: StageRef): StageRef {
  const { inline: _, artifact: __, ...rest } = ref;
  return rest;
}
