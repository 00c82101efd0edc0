/**
 * SDK clients, built once per process and passed in. The AWS SDK v3 is taken from the Lambda
 * runtime (Node.js 22 ships it), not bundled: smaller bundles and faster cold starts; the local
 * runner and tests use the same classes from node_modules. Functions that need only S3 take
 * makeS3Client (s3-client.ts) and do not load the DynamoDB clients.
 */
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { makeS3Client, REQUEST_LIMITS } from './s3-client';

export interface Clients {
  s3: S3Client;
  doc: DynamoDBDocumentClient;
}

export function makeClients(s3Config: S3ClientConfig = {}, dynamoConfig: DynamoDBClientConfig = {}): Clients {
  const s3 = makeS3Client(s3Config);
  const ddb = new DynamoDBClient({ ...REQUEST_LIMITS, ...dynamoConfig });
  const doc = DynamoDBDocumentClient.from(ddb, { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } });
  return { s3, doc };
}
