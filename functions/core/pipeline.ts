/**
 * The chain's work as plain functions, one per stage, shared by the Lambda handlers, the local
 * runner and `khabar process`. Nothing here touches AWS.
 */
import type { CleanArticle } from './clean/index';
import { cleanStage } from './clean/stage';
import type { CoreLimits } from './config';
import { type Extraction, type ExtractOptions, extractArticle } from './extract/index';
import { type ArticleRecord, buildRecord, rejectedRecord, type SourceRef } from './record';
import { InputRejected } from './rejection';

/** Stage 2: clean article → extraction. */
export function extractStage(article: CleanArticle, options: ExtractOptions = {}): Extraction {
  return extractArticle(article, options);
}

/** Both stages and the record, for one input: a rejection becomes a REJECTED record, never a throw. */
export { cleanStage };

export function processBytes(
  source: SourceRef,
  bytes: Uint8Array,
  limits: CoreLimits,
  options: ExtractOptions & { from?: 'raw' | 'clean' } = {},
): ArticleRecord {
  try {
    const { article, encoding } = cleanStage(bytes, limits, options.from);
    return buildRecord(source, article, extractStage(article, options), encoding);
  } catch (err) {
    if (err instanceof InputRejected) return rejectedRecord(source, err.reason, err.detail);
    throw err;
  }
}
