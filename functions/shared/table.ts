/**
 * The DynamoDB table's keys and indexes, shared by the CDK stack and the local runner so that
 * both create the same table. Item layout: docs/data-model.md.
 */
export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;

export const TABLE_INDEXES = [
  /** Entity → articles (mention items), speaker → quotes, publisher → articles; newest first. */
  { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  /** Month → articles by publication time; and content hash → copies. */
  { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
] as const;

/** Items over this many bytes keep their body in S3 and only a pointer in the table (limit is 400 KB). */
export const MAX_INLINE_BODY_BYTES = 64 * 1024;
