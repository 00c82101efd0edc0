/**
 * SDK clients, built once per process and passed in. The AWS SDK v3 is taken from the Lambda
 * runtime (Node.js 22 ships it), not bundled: smaller bundles and faster cold starts; the local
 * runner and tests use the same classes from node_modules.
 */
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface Clients {
  s3: S3Client;
  doc: DynamoDBDocumentClient;
}

export function makeClients(s3Config: S3ClientConfig = {}, dynamoConfig: DynamoDBClientConfig = {}): Clients {
  // Bounded request time and attempts: a hung socket fails the attempt instead of the whole Lambda timeout.
  const common = { maxAttempts: 4, requestHandler: { requestTimeout: 5_000, connectionTimeout: 2_000 } } as const;
  const s3 = new S3Client({ ...common, ...s3Config });
  const ddb = new DynamoDBClient({ ...common, ...dynamoConfig });
  const doc = DynamoDBDocumentClient.from(ddb, { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } });
  return { s3, doc };
}
