/**
 * `khabar query`: every access pattern of docs/data-model.md, each a GetItem or a Query on a
 * partition written for it, never a Scan. Against the local stand-in by default, or a deployed
 * table with --table (AWS profile and region from the usual environment).
 */
import { BatchGetCommand, type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { articlePk, ownedKeys } from '../functions/adapters/record-store';
import { lookupSpelling } from '../functions/core/extract/entities';
import { searchKey } from '../functions/core/normalize';
import { articleIdOf } from '../functions/core/record';
import { hamming, NEAR_DUPLICATE_BITS, simhashBands } from '../functions/core/simhash';
import { table, truncate } from './format';

type Item = Record<string, unknown>;
export interface Range {
  from?: string;
  to?: string;
}

export interface ArticleRow {
  articleId: string;
  publishedAt: string | null;
  title: string | null;
  publisher: string | null;
  sourceKey: string;
}

const row = (it: Item): ArticleRow => ({
  articleId: String(it.articleId),
  publishedAt: (it.publishedAt as string | null) ?? null,
  title: (it.title as string | null) ?? null,
  publisher: typeof it.publisher === 'string' ? it.publisher : ((it.publisher as { name?: string } | null)?.name ?? null),
  sourceKey: String(it.sourceKey),
});

export class RecordQueries {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private async query(pk: string, sk?: { between?: [string, string]; eq?: string }, newestFirst = true, limit = 1000): Promise<Item[]> {
    const items: Item[] = [];
    let start: Item | undefined;
    const values: Item = { ':pk': pk };
    let cond = 'pk = :pk';
    if (sk?.between) {
      cond += ' AND sk BETWEEN :a AND :b';
      values[':a'] = sk.between[0];
      values[':b'] = sk.between[1];
    }
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: cond,
          ExpressionAttributeValues: values,
          ScanIndexForward: !newestFirst,
          ExclusiveStartKey: start,
        }),
      );
      items.push(...((out.Items ?? []) as Item[]));
      start = out.LastEvaluatedKey as Item | undefined;
    } while (start && items.length < limit);
    return items.slice(0, limit);
  }

  /** Sort keys of dated index items start with the ISO publication time ("0000" when unknown). */
  private static when(range: Range): { between: [string, string] } {
    return { between: [range.from ?? '0000', `${range.to ?? '9999'}~`] };
  }

  /** An article by its id, or by the object key it was uploaded under. */
  async article(idOrKey: string): Promise<Item | undefined> {
    const id = /^[0-9a-f]{32}$/.test(idOrKey) ? idOrKey : articleIdOf(idOrKey);
    return (await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: articlePk(id), sk: 'A' } }))).Item as Item | undefined;
  }

  /** Entity ids a spelling (or an id) names: the gazetteer's aliases, then the spellings seen in indexed articles. */
  async entityIds(spellingOrId: string): Promise<string[]> {
    if (/^(per|loc|org):/.test(spellingOrId)) return [spellingOrId];
    const ids = new Set(lookupSpelling(spellingOrId).map((e) => e.id));
    for (const s of await this.query(`N#${searchKey(spellingOrId)}`)) ids.add(String(s.entityId));
    return [...ids];
  }

  /** Articles that mention the entity a spelling names, newest first, optionally within a date range. */
  async byEntity(spelling: string, range: Range = {}): Promise<{ entityIds: string[]; rows: ArticleRow[] }> {
    const entityIds = await this.entityIds(spelling);
    const items = (await Promise.all(entityIds.map((id) => this.query(`E#${id}`, RecordQueries.when(range))))).flat();
    return { entityIds, rows: newestFirst(items).map(row) };
  }

  /** Articles published within [from, to] (ISO dates), newest first. */
  async byDate(from: string, to: string): Promise<ArticleRow[]> {
    const items = (await Promise.all(months(from, to).map((m) => this.query(`D#${m}`, RecordQueries.when({ from, to }))))).flat();
    return newestFirst(items).map(row);
  }

  /** Articles of a publisher (an outlet id or any of its names), newest first. */
  async byPublisher(nameOrId: string, range: Range = {}): Promise<ArticleRow[]> {
    const ids = nameOrId.startsWith('org:')
      ? [nameOrId]
      : lookupSpelling(nameOrId)
          .filter((e) => e.outlet)
          .map((e) => e.id);
    const items = (await Promise.all(ids.map((id) => this.query(`P#${id}`, RecordQueries.when(range))))).flat();
    return newestFirst(items).map(row);
  }

  /** Quotes of a speaker, newest first. */
  async quotes(spelling: string, range: Range = {}): Promise<Array<ArticleRow & { speaker: string; text: string }>> {
    const ids = await this.entityIds(spelling);
    const items = (await Promise.all(ids.map((id) => this.query(`Q#${id}`, RecordQueries.when(range))))).flat();
    return newestFirst(items, false).map((q) => ({ ...row(q), speaker: String((q.speaker as { name?: string })?.name ?? ''), text: String(q.text) }));
  }

  /** The entities most often mentioned in the same articles as this one. */
  async coMentioned(spelling: string, limit = 20): Promise<Array<{ entityId: string; name: string; type: string; articles: number }>> {
    const ids = new Set(await this.entityIds(spelling));
    const mentions = (await Promise.all([...ids].map((id) => this.query(`E#${id}`, RecordQueries.when({}))))).flat();
    const articles = await this.articles(mentions.map((m) => String(m.articleId)));
    const counts = new Map<string, number>();
    for (const a of articles.values()) {
      for (const k of ownedKeys(a)) {
        if (!k.startsWith('E#')) continue;
        const id = k.slice(2, k.indexOf('|'));
        if (!ids.has(id)) counts.set(id, (counts.get(id) ?? 0) + 1);
      }
    }
    const top = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, limit);
    const registry = await this.registryItems(top.map(([id]) => id));
    return top.map(([id, n]) => ({ entityId: id, name: String(registry.get(id)?.name ?? id), type: String(registry.get(id)?.type ?? ''), articles: n }));
  }

  /** Exact copies (same normalised text) and near-duplicates (SimHash within 3 bits) of an article. */
  async copies(idOrKey: string): Promise<{ copies: ArticleRow[]; nearDuplicates: Array<ArticleRow & { bitsDifferent: number }> }> {
    const a = await this.article(idOrKey);
    if (!a?.contentHash) return { copies: [], nearDuplicates: [] };
    const copies = (await this.query(`H#${a.contentHash}`)).filter((c) => c.articleId !== a.articleId).map(row);
    const near = new Map<string, Item>();
    for (const band of simhashBands(String(a.simhash))) for (const c of await this.query(`S#${band}`)) near.set(String(c.articleId), c);
    near.delete(String(a.articleId));
    const nearDuplicates = [...near.values()]
      .map((c) => ({ ...row(c), bitsDifferent: hamming(String(a.simhash), String(c.simhash)) }))
      .filter((c) => c.bitsDifferent <= NEAR_DUPLICATE_BITS && !copies.some((x) => x.articleId === c.articleId));
    return { copies, nearDuplicates };
  }

  /** The registry entry of an entity: type, display name, every spelling seen, and how many articles mention it. */
  async registry(spellingOrId: string): Promise<Array<{ entityId: string; type: string; name: string; spellings: string[]; articles: number }>> {
    const ids = await this.entityIds(spellingOrId);
    const items = await this.registryItems(ids);
    const out = [];
    for (const id of ids) {
      const it = items.get(id);
      if (!it) continue;
      const mentions = await this.query(`E#${id}`, RecordQueries.when({}));
      out.push({
        entityId: id,
        type: String(it.type),
        name: String(it.name),
        spellings: [...((it.spellings as Set<string>) ?? [])].sort(),
        articles: mentions.length,
      });
    }
    return out;
  }

  private async registryItems(ids: string[]): Promise<Map<string, Item>> {
    const found = await this.batchGet(ids.map((id) => ({ pk: `E#${id}`, sk: 'REG' })));
    return new Map([...found.values()].map((it) => [String(it.pk).slice(2), it]));
  }

  private async articles(ids: string[]): Promise<Map<string, Item>> {
    const found = await this.batchGet([...new Set(ids)].map((id) => ({ pk: articlePk(id), sk: 'A' })));
    return new Map([...found.values()].filter((a) => a.status === 'INDEXED').map((a) => [String(a.articleId), a]));
  }

  private async batchGet(keys: Item[]): Promise<Map<string, Item>> {
    const out = new Map<string, Item>();
    for (let i = 0; i < keys.length; i += 100) {
      let pending: Item[] | undefined = keys.slice(i, i + 100);
      for (let attempt = 0; pending?.length && attempt < 8; attempt++) {
        const res = await this.doc.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending } } }));
        for (const it of (res.Responses?.[this.tableName] ?? []) as Item[]) out.set(`${it.pk}|${it.sk}`, it);
        pending = res.UnprocessedKeys?.[this.tableName]?.Keys as Item[] | undefined;
      }
    }
    return out;
  }
}

/** Index items from several partitions, newest first; one per article unless told otherwise. */
function newestFirst(items: Item[], onePerArticle = true): Item[] {
  const seen = new Set<string>();
  return [...items]
    .sort((a, b) => String(b.sk).localeCompare(String(a.sk)))
    .filter((i) => {
      const id = String(i.articleId);
      if (onePerArticle && seen.has(id)) return false;
      seen.add(id);
      return true;
    });
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
