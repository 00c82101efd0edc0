/**
 * Records in DynamoDB (one table; layout in docs/data-model.md). Every write is idempotent and
 * monotonic: the article item is written only if its sequencer is not older than the stored one,
 * then the article's mention and quote items are replaced exactly (stale ones deleted).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { searchKey } from '../core/normalize';
import type { ArticleRecord, SourceRef } from '../core/record';
import { articleIdOf, padSequencer } from '../core/record';
import { MAX_INLINE_BODY_BYTES } from '../shared/table';
import { type BatchOptions, batchWrite, type WriteRequest } from './batch';

export type WriteOutcome = 'WRITTEN' | 'STALE';

export interface RecordStore {
  putArticle(record: ArticleRecord, bodyRef?: string): Promise<WriteOutcome>;
  markDeleted(source: SourceRef): Promise<WriteOutcome>;
}

type Item = Record<string, unknown>;
const NO_DATE = '0000';

export const articlePk = (articleId: string) => `A#${articleId}`;

/** The items one record becomes: the article item first, then mentions, quotes, registry and spellings. */
export function itemsOf(r: ArticleRecord, bodyRef?: string): { article: Item; children: Item[]; shared: Item[] } {
  const pk = articlePk(r.articleId);
  const when = r.publishedAt ?? NO_DATE;
  const bodyBytes = Buffer.byteLength(r.body, 'utf8');
  const article: Item = {
    pk,
    sk: 'A',
    kind: 'article',
    articleId: r.articleId,
    sourceKey: r.sourceKey,
    sourceVersionId: r.sourceVersionId,
    sequencer: r.sequencer,
    status: r.status,
    reason: r.reason,
    reasonDetail: r.reasonDetail,
    pipelineVersion: r.pipelineVersion,
    schemaVersion: r.schemaVersion,
    contentHash: r.contentHash,
    title: r.title,
    publishedAt: r.publishedAt,
    publisher: r.publisher,
    language: r.language,
    format: r.format,
    encoding: r.encoding,
    entityCount: r.entities.length,
    quoteCount: r.quotes.length,
    entities: r.entities.map((e) => ({ id: e.id, type: e.type, name: e.name, count: e.mentions.length })),
    dates: r.dates.map((d) => ({ text: d.text, value: d.value, precision: d.precision })),
    meta: r.meta,
    evidence: r.evidence,
    ...(bodyBytes <= MAX_INLINE_BODY_BYTES ? { body: r.body } : { bodyRef, bodyExcerpt: r.body.slice(0, 2000) }),
  };
  if (r.status === 'INDEXED' && r.publisher) Object.assign(article, { gsi1pk: `P#${r.publisher.id}`, gsi1sk: `${when}#${r.articleId}` });
  if (r.status === 'INDEXED' && r.publishedAt) Object.assign(article, { gsi2pk: `D#${r.publishedAt.slice(0, 7)}`, gsi2sk: `${r.publishedAt}#${r.articleId}` });
  const children: Item[] = [];
  const shared: Item[] = [];
  if (r.status !== 'INDEXED') return { article, children, shared };
  for (const e of r.entities) {
    const forms = [...new Set(e.mentions.map((m) => m.text))];
    children.push({
      pk,
      sk: `M#${e.id}`,
      kind: 'mention',
      articleId: r.articleId,
      entityId: e.id,
      type: e.type,
      name: e.name,
      count: e.mentions.length,
      forms,
      title: r.title,
      publishedAt: r.publishedAt,
      gsi1pk: `E#${e.id}`,
      gsi1sk: `${when}#${r.articleId}`,
    });
    shared.push({ pk: `E#${e.id}`, sk: 'E', kind: 'entity', entityId: e.id, type: e.type, name: e.name });
    for (const f of [...forms, e.name]) {
      const key = searchKey(f);
      if (key)
        shared.push({
          pk: `N#${key}`,
          sk: `E#${e.id}`,
          kind: 'spelling',
          spelling: f,
          entityId: e.id,
          type: e.type,
          name: e.name,
          gsi2pk: `EA#${e.id}`,
          gsi2sk: key,
        });
    }
  }
  r.quotes.forEach((q, n) => {
    const item: Item = {
      pk,
      sk: `Q#${String(n).padStart(4, '0')}`,
      kind: 'quote',
      articleId: r.articleId,
      text: q.text,
      speaker: q.speaker,
      publishedAt: r.publishedAt,
      title: r.title,
    };
    if (q.speaker) Object.assign(item, { gsi1pk: `Q#${q.speaker.id}`, gsi1sk: `${when}#${r.articleId}#${String(n).padStart(4, '0')}` });
    children.push(item);
  });
  return { article, children, shared };
}

export class DynamoRecordStore implements RecordStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly batch: BatchOptions = { maxAttempts: 8, baseDelayMs: 50 },
  ) {}

  /** Writes the article item unless a newer version of the object is already recorded. */
  private async putIfNotOlder(item: Item): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: item,
          ConditionExpression: item.sequencer === undefined ? undefined : 'attribute_not_exists(#seq) OR #seq <= :seq',
          ExpressionAttributeNames: item.sequencer === undefined ? undefined : { '#seq': 'sequencer' },
          ExpressionAttributeValues: item.sequencer === undefined ? undefined : { ':seq': item.sequencer },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException || (err as { name?: string }).name === 'ConditionalCheckFailedException') return false;
      throw err;
    }
  }

  private async childKeys(pk: string): Promise<Array<{ pk: string; sk: string }>> {
    const keys: Array<{ pk: string; sk: string }> = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND sk > :a',
          ExpressionAttributeValues: { ':pk': pk, ':a': 'A' },
          ProjectionExpression: 'pk, sk',
          ExclusiveStartKey: start,
        }),
      );
      for (const i of out.Items ?? []) keys.push({ pk: String(i.pk), sk: String(i.sk) });
      start = out.LastEvaluatedKey;
    } while (start);
    return keys;
  }

  /** Makes the article's child items exactly `children`: puts them, deletes the ones no longer there. */
  private async replaceChildren(pk: string, children: Item[], shared: Item[]): Promise<void> {
    const keep = new Set(children.map((c) => String(c.sk)));
    const stale = (await this.childKeys(pk)).filter((k) => !keep.has(k.sk));
    const requests: WriteRequest[] = [
      ...children.map((Item) => ({ PutRequest: { Item } })),
      ...shared.map((Item) => ({ PutRequest: { Item } })),
      ...stale.map((Key) => ({ DeleteRequest: { Key } })),
    ];
    if (requests.length) await batchWrite(this.doc, this.table, requests, this.batch);
  }

  async putArticle(record: ArticleRecord, bodyRef?: string): Promise<WriteOutcome> {
    const { article, children, shared } = itemsOf(record, bodyRef);
    if (!(await this.putIfNotOlder(article))) return 'STALE';
    await this.replaceChildren(String(article.pk), children, shared);
    return 'WRITTEN';
  }

  async markDeleted(source: SourceRef): Promise<WriteOutcome> {
    const articleId = articleIdOf(source.key);
    const pk = articlePk(articleId);
    const seq = padSequencer(source.sequencer);
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk, sk: 'A' },
          UpdateExpression: 'SET #st = :deleted, #seq = :seq, articleId = :id, sourceKey = :key, kind = :kind REMOVE gsi1pk, gsi1sk, gsi2pk, gsi2sk, body',
          ConditionExpression: 'attribute_not_exists(#seq) OR #seq <= :seq',
          ExpressionAttributeNames: { '#st': 'status', '#seq': 'sequencer' },
          ExpressionAttributeValues: { ':deleted': 'DELETED', ':seq': seq ?? '0', ':id': articleId, ':key': source.key, ':kind': 'article' },
        }),
      );
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException || (err as { name?: string }).name === 'ConditionalCheckFailedException') return 'STALE';
      throw err;
    }
    await this.replaceChildren(pk, [], []);
    return 'WRITTEN';
  }
}
