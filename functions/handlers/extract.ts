// Lambda entry of the extract stage.
import middy from '@middy/core';
import { makeClients } from '../adapters/clients';
import { S3ObjectStore } from '../adapters/object-store';
import { readConfig } from '../shared/config';
import { jsonLogger } from '../shared/log';
import { makeExtract } from '../stages/extract';
import { logErrors } from './middleware';

const config = readConfig(process.env, { bucket: true });
const { s3 } = makeClients();

export const handler = middy(makeExtract({ store: new S3ObjectStore(s3, config.bucketName) })).use(logErrors(jsonLogger('extract')));
