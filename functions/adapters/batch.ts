import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export type WriteRequest = { PutRequest: { Item: Record<string, unknown> } } | { DeleteRequest: { Key: Record<string, unknown> } };

export interface BatchOptions {
  maxAttempts: number;
  baseDelayMs: number;
  sleep?: (ms: number) => Promise<void>;
}

const keyOf = (r: WriteRequest) => {
  const k = 'PutRequest' in r ? r.PutRequest.Item : r.DeleteRequest.Key;
  return `${String(k.pk)}\u0000${String(k.sk)}`;
};

/**
 * BatchWriteItem in groups of 25, one request per key (the last wins: DynamoDB rejects a batch
 * with a key twice), and UnprocessedItems retried with exponential backoff and full jitter. Items
 * still unprocessed after maxAttempts make it throw, so the message is retried, never dropped.
 */
export async function batchWrite(doc: DynamoDBDocumentClient, table: string, requests: WriteRequest[], opts: BatchOptions): Promise<number> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const unique = [...new Map(requests.map((r) => [keyOf(r), r])).values()];
  let calls = 0;
  for (let i = 0; i < unique.length; i += 25) {
    let pending = unique.slice(i, i + 25);
    for (let attempt = 1; pending.length; attempt++) {
      if (attempt > opts.maxAttempts) throw new Error(`BatchWriteItem: ${pending.length} items still unprocessed after ${opts.maxAttempts} attempts`);
      if (attempt > 1) await sleep(Math.random() * opts.baseDelayMs * 2 ** (attempt - 2));
      calls++;
      const out = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      pending = (out.UnprocessedItems?.[table] as WriteRequest[] | undefined) ?? [];
    }
  }
  return calls;
}
