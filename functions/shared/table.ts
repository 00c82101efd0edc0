/**
 * The DynamoDB table's keys, shared by the CDK stack and the local runner so that both create the
 * same table. There is no secondary index: each access pattern has partitions of its own (see
 * docs/data-model.md), which costs one write per indexed fact instead of one per index copy.
 */
export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;
