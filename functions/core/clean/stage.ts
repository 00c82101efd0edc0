import type { CoreLimits } from '../config';
import { decodeBytes } from '../decode';
import { asCleanArticle, type CleanArticle, cleanDocument } from './index';

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
