/**
 * The chain's work as plain functions, one per stage, shared by the Lambda handlers, the local
 * runner and `khabar process`. Nothing here touches AWS.
 */
import { asCleanArticle, type CleanArticle, cleanDocument } from './clean/index';
import type { CoreLimits } from './config';
import { decodeBytes } from './decode';
import { type Extraction, type ExtractOptions, extractArticle } from './extract/index';
import { type ArticleRecord, buildRecord, rejectedRecord, type SourceRef } from './record';
import { InputRejected } from './rejection';

export interface CleanResult {
  article: CleanArticle;
  encoding: string;
}

/** Stage 1: bytes → clean article. Throws InputRejected for input that cannot become an article. */
export function cleanStage(bytes: Uint8Array, limits: CoreLimits, from: 'raw' | 'clean' = 'raw'): CleanResult {
  const decoded = decodeBytes(bytes, { maxBytes: limits.maxRawBytes });
  if (from === 'clean') return { article: asCleanArticle(decoded.text), encoding: decoded.encoding };
  return { article: cleanDocument(decoded, { minBodyChars: limits.minBodyChars }), encoding: decoded.encoding };
}

/** Stage 2: clean article → extraction. */
export function extractStage(article: CleanArticle, options: ExtractOptions = {}): Extraction {
  return extractArticle(article, options);
}

/** Both stages and the record, for one input: a rejection becomes a REJECTED record, never a throw. */
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
