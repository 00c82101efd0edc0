/**
 * The table as re-processing uses it: a single-flight lease, run summaries, and a paged walk over
 * article items for reconciliation (a maintenance Scan, filtered to article items; no analyst query
 * uses it).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';

export const LEASE_KEY = { pk: 'LEASE#reprocess', sk: 'LEASE' };

export interface ArticlePage {
  articles: Array<{ articleId: string; sourceKey: string; status: string; sequencer?: string }>;
  next?: Record<string, unknown>;
}

export class MaintenanceStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Takes the lease unless another run holds one that has not expired. */
  async acquire(runId: string, nowMs: number, ttlSeconds: number): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...LEASE_KEY, kind: 'lease', runId, takenAt: new Date(nowMs).toISOString(), expiresAt: nowMs + ttlSeconds * 1000 },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now OR runId = :run',
          ExpressionAttributeValues: { ':now': nowMs, ':run': runId },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException || (err as { name?: string }).name === 'ConditionalCheckFailedException') return false;
      throw err;
    }
  }

  /** Gives the lease back, only if this run holds it. */
  async release(runId: string): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({ TableName: this.table, Key: LEASE_KEY, ConditionExpression: 'runId = :run', ExpressionAttributeValues: { ':run': runId } }),
      );
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException) && (err as { name?: string }).name !== 'ConditionalCheckFailedException') throw err;
    }
  }

  async putRun(summary: { runId: string; startedAt: string } & Record<string, unknown>): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.table, Item: { pk: 'RUN', sk: `${summary.startedAt}#${summary.runId}`, kind: 'run', ...summary } }));
  }

  /** The latest runs, newest first. */
  async runs(limit = 10): Promise<Array<Record<string, unknown>>> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'RUN' },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (out.Items ?? []) as Array<Record<string, unknown>>;
  }

  /** One page of article items (id, key, status, sequencer). */
  async articles(start: Record<string, unknown> | undefined, pageSize: number): Promise<ArticlePage> {
    const out = await this.doc.send(
      new ScanCommand({
        TableName: this.table,
        FilterExpression: 'sk = :a',
        ProjectionExpression: 'articleId, sourceKey, #st, sequencer',
        ExpressionAttributeNames: { '#st': 'status' },
        ExpressionAttributeValues: { ':a': 'A' },
        ExclusiveStartKey: start,
        Limit: pageSize,
      }),
    );
    return {
      articles: (out.Items ?? []).map((i) => ({
        articleId: String(i.articleId),
        sourceKey: String(i.sourceKey),
        status: String(i.status),
        sequencer: i.sequencer as string | undefined,
      })),
      next: out.LastEvaluatedKey,
    };
  }
}
