/**
 * S3 event notifications as they reach the chain: object keys are form-URL-encoded ("red flower"
 * arrives as "red+flower", "c++" as "c%2B%2B"). Decoded exactly once: '+' to space first, then
 * percent escapes; a malformed escape is a BAD_KEY rejection, not a crash.
 */
import { InputRejected } from '../core/rejection';

export interface S3EventRecordLike {
  eventVersion?: string;
  /** "aws:s3" for notifications; "khabar:reprocess" for records made from a bucket listing, whose keys are not encoded. */
  eventSource?: string;
  eventName: string;
  s3: {
    bucket: { name: string };
    object: { key: string; size?: number; versionId?: string; sequencer?: string; eTag?: string };
  };
}

export function decodeS3Key(encoded: string): string {
  try {
    return decodeURIComponent(encoded.replace(/\+/g, ' '));
  } catch {
    throw new InputRejected('BAD_KEY', `malformed percent-encoding in key ${JSON.stringify(encoded.slice(0, 200))}`);
  }
}

/** Form-URL encoding as S3 applies it to keys in notifications (the inverse of decodeS3Key). */
export function encodeS3Key(key: string): string {
  return encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');
}

export const REPROCESS_SOURCE = 'khabar:reprocess';

/** The object key of a record: decoded once for S3 notifications, as is for re-processing records. */
export const keyOfRecord = (r: S3EventRecordLike) => (r.eventSource === REPROCESS_SOURCE ? r.s3.object.key : decodeS3Key(r.s3.object.key));

export function isS3EventRecord(x: unknown): x is S3EventRecordLike {
  const r = x as S3EventRecordLike;
  return !!r && typeof r === 'object' && typeof r.eventName === 'string' && typeof r.s3?.bucket?.name === 'string' && typeof r.s3?.object?.key === 'string';
}

/** The records of a notification body; [] for s3:TestEvent and other messages with none. */
export function recordsOf(notification: unknown): S3EventRecordLike[] {
  const n = notification as { Records?: unknown[]; Event?: string };
  if (!n || typeof n !== 'object' || !Array.isArray(n.Records)) return [];
  return n.Records.filter(isS3EventRecord);
}
