/**
 * The S3 client alone, for the functions that touch only S3 (clean, extract): they do not load the
 * DynamoDB clients at cold start (about 60 ms of a cold import here; clients.ts builds both).
 */
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

/** Bounded request time and attempts: a hung socket fails the attempt instead of the whole Lambda timeout. */
export const REQUEST_LIMITS = { maxAttempts: 4, requestHandler: { requestTimeout: 5_000, connectionTimeout: 2_000 } } as const;

export function makeS3Client(config: S3ClientConfig = {}): S3Client {
  return new S3Client({ ...REQUEST_LIMITS, ...config });
}
