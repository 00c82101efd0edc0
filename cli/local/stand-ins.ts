/**
 * Embedded stand-ins for S3 (s3rver) and DynamoDB (dynalite) on free loopback ports, with their
 * data kept in a local folder, and the bucket and table created from the same definitions the
 * CDK stack uses (functions/shared/table.ts).
 */
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { CreateTableCommand, DescribeTableCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, HeadBucketCommand } from '@aws-sdk/client-s3';
import dynalite from 'dynalite';
import S3rver from 's3rver';
import { type Clients, makeClients } from '../../functions/adapters/clients';
import { TABLE_KEYS } from '../../functions/shared/table';

export const LOCAL_BUCKET = 'khabar-local';
export const LOCAL_TABLE = 'khabar-records';
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const REGION = 'us-east-1';

export interface StandIns {
  clients: Clients;
  bucket: string;
  table: string;
  /** S3 event notifications as s3rver emits them. */
  onS3Event(listener: (notification: unknown) => void): void;
  close(): Promise<void>;
}

interface DynaliteServer {
  listen(port: number, host: string, cb: () => void): void;
  close(cb?: () => void): void;
  address(): AddressInfo;
}

export async function startDynamo(dataDir: string): Promise<{ endpoint: string; close: () => Promise<void> }> {
  mkdirSync(path.join(dataDir, 'dynamodb'), { recursive: true });
  const server = (dynalite as unknown as (o: object) => DynaliteServer)({
    path: path.join(dataDir, 'dynamodb'),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function ensureTable(clients: Clients, table: string): Promise<void> {
  try {
    await clients.doc.send(new DescribeTableCommand({ TableName: table }));
    return;
  } catch (err) {
    if (!(err instanceof ResourceNotFoundException) && (err as { name?: string }).name !== 'ResourceNotFoundException') throw err;
  }
  await clients.doc.send(
    new CreateTableCommand({
      TableName: table,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
      ],
    }),
  );
}

// The stand-ins share the event loop with the chain, so under load they answer late: a long request
// timeout keeps the SDK from retrying an upload that did succeed (each retry would be one more S3 event).
const LOCAL_HANDLER = { requestHandler: { requestTimeout: 120_000, connectionTimeout: 10_000 } };

export const localClients = (s3Endpoint: string, dynamoEndpoint: string) =>
  makeClients(
    { endpoint: s3Endpoint, forcePathStyle: true, region: REGION, credentials: CREDENTIALS, ...LOCAL_HANDLER },
    { endpoint: dynamoEndpoint, region: REGION, credentials: CREDENTIALS, ...LOCAL_HANDLER },
  );

export async function startStandIns(dataDir: string): Promise<StandIns> {
  mkdirSync(path.join(dataDir, 's3'), { recursive: true });
  const s3rver = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: path.join(dataDir, 's3') });
  const info = (await s3rver.run()) as AddressInfo;
  const dynamo = await startDynamo(dataDir);
  const clients = localClients(`http://127.0.0.1:${info.port}`, dynamo.endpoint);
  try {
    await clients.s3.send(new HeadBucketCommand({ Bucket: LOCAL_BUCKET }));
  } catch {
    await clients.s3.send(new CreateBucketCommand({ Bucket: LOCAL_BUCKET }));
  }
  await ensureTable(clients, LOCAL_TABLE);
  return {
    clients,
    bucket: LOCAL_BUCKET,
    table: LOCAL_TABLE,
    onS3Event: (listener) => s3rver.on('event', listener),
    close: async () => {
      clients.s3.destroy();
      clients.doc.destroy();
      await s3rver.close();
      await dynamo.close();
    },
  };
}
