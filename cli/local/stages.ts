import { S3ObjectStore } from '../../functions/adapters/object-store';
import { DynamoRecordStore } from '../../functions/adapters/record-store';
import { DEFAULT_LIMITS } from '../../functions/core/config';
import type { StageName } from '../../functions/shared/chain';
import { type Logger, silentLogger } from '../../functions/shared/log';
import { makeClean } from '../../functions/stages/clean';
import { makeExtract } from '../../functions/stages/extract';
import { makeIndex } from '../../functions/stages/index-stage';
import type { StageFn } from './runner';
import type { StandIns } from './stand-ins';

/** The same stage functions the Lambda handlers wrap, given the stand-ins' clients. */
export function localStages(s: Pick<StandIns, 'clients' | 'bucket' | 'table'>, logger: Logger = silentLogger): Record<StageName, StageFn> {
  const store = new S3ObjectStore(s.clients.s3, s.bucket);
  return {
    clean: makeClean({ store, limits: DEFAULT_LIMITS, logger }),
    extract: makeExtract({ store }),
    index: makeIndex({ store, records: new DynamoRecordStore(s.clients.doc, s.table), logger }),
  };
}
