/**
 * `khabar query`: an article by id or object key, the articles that mention an entity (by any of
 * its spellings), the articles in a date range, the articles of a publisher. Against the local
 * stand-in by default, or a deployed table with --table (AWS profile and region from the usual
 * environment). Every answer is a Query or GetItem on a key or index, never a Scan.
 */
import { BatchGetCommand, type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { articlePk } from '../functions/adapters/record-store';
import { lookupSpelling } from '../functions/core/extract/entities';
import { searchKey } from '../functions/core/normalize';
import { articleIdOf } from '../functions/core/record';
import { table, truncate } from './format';

type Item = Record<string, unknown>;

export interface ArticleRow {
  articleId: string;
  publishedAt: string | null;
  title: string | null;
  publisher: string | null;
  sourceKey: string;
  status?: string;
}

async function queryAll(doc: DynamoDBDocumentClient, input: ConstructorParameters<typeof QueryCommand>[0], limit = 1000): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const out = await doc.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    items.push(...((out.Items ?? []) as Item[]));
    start = out.LastEvaluatedKey as Item | undefined;
  } while (start && items.length < limit);
  return items.slice(0, limit);
}

async function articles(doc: DynamoDBDocumentClient, tableName: string, ids: string[]): Promise<Map<string, Item>> {
  const out = new Map<string, Item>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 100) {
    let keys: Item[] | undefined = unique.slice(i, i + 100).map((id) => ({ pk: articlePk(id), sk: 'A' }));
    for (let attempt = 0; keys?.length && attempt < 8; attempt++) {
      const res = await doc.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys } } }));
      for (const it of (res.Responses?.[tableName] ?? []) as Item[]) out.set(String(it.articleId), it);
      keys = res.UnprocessedKeys?.[tableName]?.Keys as Item[] | undefined;
    }
  }
  return out;
}

const row = (it: Item): ArticleRow => ({
  articleId: String(it.articleId),
  publishedAt: (it.publishedAt as string | null) ?? null,
  title: (it.title as string | null) ?? null,
  publisher: ((it.publisher as { name?: string } | null)?.name as string | undefined) ?? null,
  sourceKey: String(it.sourceKey),
  status: it.status as string | undefined,
});

export class RecordQueries {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** An article by its id, or by the object key it was uploaded under. */
  async article(idOrKey: string): Promise<Item | undefined> {
    const id = /^[0-9a-f]{32}$/.test(idOrKey) ? idOrKey : articleIdOf(idOrKey);
    return (await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: articlePk(id), sk: 'A' } }))).Item as Item | undefined;
  }

  /** Entity ids a spelling names: the gazetteer's aliases, then the spellings seen in indexed articles. */
  async entityIds(spelling: string): Promise<string[]> {
    const ids = new Set(lookupSpelling(spelling).map((e) => e.id));
    const seen = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `N#${searchKey(spelling)}` },
    });
    for (const s of seen) ids.add(String(s.entityId));
    return [...ids];
  }

  /** Articles that mention the entity a spelling names, newest first, optionally within [from, to]. */
  async byEntity(spelling: string, range: { from?: string; to?: string } = {}): Promise<{ entityIds: string[]; rows: ArticleRow[] }> {
    const entityIds = await this.entityIds(spelling);
    return {
      entityIds,
      rows: await this.newestFirst(
        'gsi1',
        entityIds.map((id) => `E#${id}`),
        range,
      ),
    };
  }

  /** Articles published within [from, to] (ISO dates), newest first. */
  async byDate(from: string, to: string): Promise<ArticleRow[]> {
    const ids: string[] = [];
    for (const month of months(from, to).reverse()) {
      const items = await queryAll(this.doc, {
        TableName: this.tableName,
        IndexName: 'gsi2',
        ScanIndexForward: false,
        ...rangeCondition('gsi2pk', 'gsi2sk', `D#${month}`, { from, to }),
      });
      ids.push(...items.map((i) => String(i.articleId)));
    }
    return this.rowsFor(ids);
  }

  /** Articles of a publisher (by outlet id or name), newest first. */
  async byPublisher(nameOrId: string, range: { from?: string; to?: string } = {}): Promise<ArticleRow[]> {
    const ids = nameOrId.startsWith('org:')
      ? [nameOrId]
      : lookupSpelling(nameOrId)
          .filter((e) => e.outlet)
          .map((e) => e.id);
    const found: string[] = [];
    for (const id of ids) {
      const items = await queryAll(this.doc, {
        TableName: this.tableName,
        IndexName: 'gsi1',
        ScanIndexForward: false,
        ...rangeCondition('gsi1pk', 'gsi1sk', `P#${id}`, range),
      });
      found.push(...items.map((i) => String(i.articleId)));
    }
    return this.rowsFor(found);
  }

  /** The indexed articles under these index partitions, newest first within each, optionally within [from, to]. */
  private async newestFirst(index: 'gsi1' | 'gsi2', partitions: string[], range: { from?: string; to?: string }): Promise<ArticleRow[]> {
    const ids: string[] = [];
    for (const pk of partitions) {
      const items = await queryAll(this.doc, {
        TableName: this.tableName,
        IndexName: index,
        ScanIndexForward: false,
        ...rangeCondition(`${index}pk`, `${index}sk`, pk, range),
      });
      ids.push(...items.map((i) => String(i.articleId)));
    }
    return this.rowsFor(ids);
  }

  private async rowsFor(ids: string[]): Promise<ArticleRow[]> {
    const items = await articles(this.doc, this.tableName, ids);
    return [...new Set(ids)].flatMap((id) => {
      const it = items.get(id);
      return it && it.status === 'INDEXED' ? [row(it)] : [];
    });
  }
}

function rangeCondition(pkName: string, skName: string, pk: string, range: { from?: string; to?: string }) {
  const names = { '#pk': pkName, '#sk': skName };
  if (!range.from && !range.to)
    return { KeyConditionExpression: '#pk = :pk', ExpressionAttributeNames: { '#pk': pkName }, ExpressionAttributeValues: { ':pk': pk } };
  // Sort keys are "<ISO publication time>#<id>": '~' sorts after every character of an ISO time.
  return {
    KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: { ':pk': pk, ':from': range.from ?? '0000', ':to': `${range.to ?? '9999'}~` },
  };
}

/** The months (YYYY-MM) from one ISO date to another, inclusive. */
export function months(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = [Number(from.slice(0, 4)), Number(from.slice(5, 7))];
  const end = Number(to.slice(0, 4)) * 12 + Number(to.slice(5, 7));
  while (y * 12 + m <= end && out.length < 1200) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m++;
    if (m > 12) [y, m] = [y + 1, 1];
  }
  return out;
}

export function formatRows(rows: ArticleRow[], format: 'table' | 'json'): string {
  if (format === 'json') return JSON.stringify(rows, null, 2);
  if (!rows.length) return 'no articles';
  return table(
    ['published', 'title', 'publisher', 'article id'],
    rows.map((r) => [r.publishedAt ?? '', truncate(r.title ?? '', 56), r.publisher ?? '', r.articleId]),
  );
}
