// Lambda entry of the clean stage: configuration and clients at cold start, then the plain stage.
import middy from '@middy/core';
import { S3ObjectStore } from '../adapters/object-store';
import { makeS3Client } from '../adapters/s3-client';
import { readConfig } from '../shared/config';
import { jsonLogger } from '../shared/log';
import { makeClean } from '../stages/clean';
import { logErrors } from './middleware';

const config = readConfig(process.env, { bucket: true });
const s3 = makeS3Client(); // S3 only: the DynamoDB clients are not loaded at cold start
const logger = jsonLogger('clean');

export const handler = middy(makeClean({ store: new S3ObjectStore(s3, config.bucketName), limits: config.limits, logger })).use(logErrors(logger));
