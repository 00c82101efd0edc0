// Lambda entry of the index stage.
import middy from '@middy/core';
import { makeClients } from '../adapters/clients';
import { S3ObjectStore } from '../adapters/object-store';
import { DynamoRecordStore } from '../adapters/record-store';
import { readConfig } from '../shared/config';
import { jsonLogger } from '../shared/log';
import { makeIndex } from '../stages/index-stage';
import { logErrors } from './middleware';

const config = readConfig(process.env, { bucket: true, table: true });
const { s3, doc } = makeClients();
const logger = jsonLogger('index');

export const handler = middy(makeIndex({ store: new S3ObjectStore(s3, config.bucketName), records: new DynamoRecordStore(doc, config.tableName), logger })).use(
  logErrors(logger),
);
