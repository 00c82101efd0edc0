import { readFileSync } from 'node:fs';
import { DEFAULT_LIMITS } from '../functions/core/config';
import { processBytes } from '../functions/core/pipeline';
import type { ArticleRecord } from '../functions/core/record';
import { listInputs } from './files';

export interface ProcessOptions {
  format: 'jsonl' | 'json';
  from: 'raw' | 'clean';
  publishedAt?: string;
}

/** `khabar process`: clean + extract without storage, one record per input. */
export function processFiles(inputs: string[], options: ProcessOptions, write: (s: string) => void): ArticleRecord[] {
  const records = listInputs(inputs).map((file) =>
    processBytes({ bucket: 'local', key: file }, readFileSync(file), DEFAULT_LIMITS, { from: options.from, publishedAt: options.publishedAt }),
  );
  if (options.format === 'json') write(`${JSON.stringify(records, null, 2)}\n`);
  else for (const r of records) write(`${JSON.stringify(r)}\n`);
  return records;
}
