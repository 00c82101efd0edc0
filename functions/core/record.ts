/**
 * The article record: what the chain produces for one uploaded object, and what `khabar process`
 * prints. Field names follow ../shared/eval/README.md; extra fields carry ids, evidence and state.
 */
import { createHash } from 'node:crypto';
import type { CleanArticle, MetaLine } from './clean/types';
import type { DateMention } from './dates';
import type { Entity, Extraction, Quote } from './extract/index';
import { searchKey } from './normalize';
import type { RejectionReason } from './rejection';

/** Bump when clean or extract output changes: records of older versions are re-processed (see docs/operations.md). */
export const PIPELINE_VERSION = 1;
export const SCHEMA_VERSION = 1;

export type ArticleStatus = 'INDEXED' | 'REJECTED' | 'DELETED';

export interface SourceRef {
  bucket: string;
  key: string;
  versionId?: string;
  /** S3 sequencer of the event that produced this record, zero-padded so strings compare in order. */
  sequencer?: string;
  size?: number;
}

export interface ArticleRecord {
  articleId: string;
  sourceKey: string;
  sourceVersionId?: string;
  sequencer?: string;
  status: ArticleStatus;
  reason?: RejectionReason;
  reasonDetail?: string;
  pipelineVersion: number;
  schemaVersion: number;
  contentHash?: string;
  title: string | null;
  publishedAt: string | null;
  publisher: { id: string; name: string } | null;
  language?: CleanArticle['language'];
  format?: CleanArticle['format'];
  encoding?: string;
  body: string;
  meta: MetaLine[];
  comments: string[];
  entities: Entity[];
  quotes: Quote[];
  dates: DateMention[];
  evidence: { publishedAt?: { text: string; rule: string }; publisher?: { text: string; rule: string }; title?: string };
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Stable id of the article stored under an object key: the same key always gives the same id. */
export const articleIdOf = (sourceKey: string) => sha256(sourceKey).slice(0, 32);

/** Hash of the normalised body, shared by copies of the same text whatever their key or encoding. */
export const contentHashOf = (body: string) => sha256(searchKey(body));

/** S3 sequencers are hex strings of varying length; padding makes string order equal numeric order. */
export const padSequencer = (s: string | undefined) => (s ? s.toUpperCase().padStart(32, '0') : undefined);

export function buildRecord(source: SourceRef, article: CleanArticle, x: Extraction, encoding?: string): ArticleRecord {
  return {
    articleId: articleIdOf(source.key),
    sourceKey: source.key,
    sourceVersionId: source.versionId,
    sequencer: padSequencer(source.sequencer),
    status: 'INDEXED',
    pipelineVersion: PIPELINE_VERSION,
    schemaVersion: SCHEMA_VERSION,
    contentHash: contentHashOf(article.body),
    title: article.title,
    publishedAt: x.publishedAt?.value ?? null,
    publisher: x.publisher ? { id: x.publisher.id, name: x.publisher.name } : null,
    language: article.language,
    format: article.format,
    encoding,
    body: article.body,
    meta: article.meta,
    comments: article.comments,
    entities: x.entities,
    quotes: x.quotes,
    dates: x.dates,
    evidence: {
      publishedAt: x.publishedAt ? { text: x.publishedAt.text, rule: x.publishedAt.rule } : undefined,
      publisher: x.publisher ? { text: x.publisher.text, rule: x.publisher.rule } : undefined,
    },
  };
}

export function rejectedRecord(source: SourceRef, reason: RejectionReason, detail: string): ArticleRecord {
  return {
    articleId: articleIdOf(source.key),
    sourceKey: source.key,
    sourceVersionId: source.versionId,
    sequencer: padSequencer(source.sequencer),
    status: 'REJECTED',
    reason,
    reasonDetail: detail,
    pipelineVersion: PIPELINE_VERSION,
    schemaVersion: SCHEMA_VERSION,
    title: null,
    publishedAt: null,
    publisher: null,
    body: '',
    meta: [],
    comments: [],
    entities: [],
    quotes: [],
    dates: [],
    evidence: {},
  };
}

export type { Entity, Quote };
