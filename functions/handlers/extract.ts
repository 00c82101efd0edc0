// Lambda entry of the extract stage.
import middy from '@middy/core';
import { S3ObjectStore } from '../adapters/object-store';
import { makeS3Client } from '../adapters/s3-client';
import { readConfig } from '../shared/config';
import { jsonLogger } from '../shared/log';
import { makeExtract } from '../stages/extract';
import { logErrors } from './middleware';

const config = readConfig(process.env, { bucket: true });
const s3 = makeS3Client(); // S3 only: the DynamoDB clients are not loaded at cold start

export const handler = middy(makeExtract({ store: new S3ObjectStore(s3, config.bucketName) })).use(logErrors(jsonLogger('extract')));
