/**
 * Records in DynamoDB, one table, no secondary index: every access pattern is a Query on a
 * partition key written for it (layout and costs in docs/data-model.md).
 *
 * Writes are idempotent, convergent and monotonic. The article item lists the keys of the index
 * items it owns; a write (1) reads it and stops if the stored record comes from a newer object
 * version or pipeline version, (2) writes the new index items and deletes the ones no longer
 * produced, (3) writes the article item last, on condition it has not changed since (1). A crash
 * anywhere leaves a state the retry completes; a lost race cleans up after itself.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { searchKey } from '../core/normalize';
import type { ArticleRecord, SourceRef } from '../core/record';
import { articleIdOf, padSequencer } from '../core/record';
import { simhash, simhashBands } from '../core/simhash';
import { type BatchOptions, batchWrite, type WriteRequest } from './batch';

export type WriteOutcome = 'WRITTEN' | 'UNCHANGED' | 'STALE';

export interface WriteResult {
  outcome: WriteOutcome;
  /** The record fields this write changed (empty for a new record's first write it lists every field it sets). */
  changes: string[];
}

export interface RecordStore {
  putArticle(record: ArticleRecord): Promise<WriteResult>;
  markDeleted(source: SourceRef): Promise<WriteResult>;
  /** The stored article item, if any (strongly consistent). */
  getArticle(articleId: string): Promise<Record<string, unknown> | undefined>;
}

/** Fields a reader sees, and how a change in each is detected. */
const FIELDS: Array<[string, (i: Item) => unknown]> = [
  ['status', (i) => i.status],
  ['reason', (i) => i.reason],
  ['title', (i) => i.title],
  ['publishedAt', (i) => i.publishedAt],
  ['publisher', (i) => (i.publisher as { id?: string } | null | undefined)?.id],
  ['body', (i) => i.contentHash],
  [
    'entities',
    (i) =>
      ownedKeys(i)
        .filter((k) => k.startsWith('E#'))
        .join(),
  ],
  [
    'quotes',
    (i) =>
      ownedKeys(i)
        .filter((k) => k.startsWith('Q#'))
        .join(),
  ],
  ['dates', (i) => JSON.stringify(i.dates ?? [])],
];
export const changedFields = (before: Item | undefined, after: Item) =>
  FIELDS.filter(([, get]) => JSON.stringify(get(before ?? {}) ?? null) !== JSON.stringify(get(after) ?? null)).map(([name]) => name);

type Item = Record<string, unknown>;
const NO_DATE = '0000';
/** A write unit covers an item of up to 1 KB: index items are kept within it (long quotes and titles are shortened). */
const WRITE_UNIT_BYTES = 1024;
/** Entities whose registry spellings a store remembers (per container). */
const MAX_KNOWN_ENTITIES = 50_000;

export const articlePk = (articleId: string) => `A#${articleId}`;
const keyOf = (i: Item) => `${String(i.pk)}|${String(i.sk)}`;
const splitKey = (k: string) => {
  const bar = k.indexOf('|');
  return { pk: k.slice(0, bar), sk: k.slice(bar + 1) };
};
const quoteSk = (when: string, articleId: string, n: number) => `${when}#${articleId}#${String(n).padStart(4, '0')}`;

/**
 * The keys of the index items a stored article item owns, derived from its own fields: its entity
 * ids, the speaker of each quote (an index into the entity ids), its publication time,
 * publisher, content hash and SimHash. Deriving them instead of listing them keeps the article item
 * within one write unit. (An item written before this listed them in `index`.)
 */
export function ownedKeys(a: Item): string[] {
  if (Array.isArray(a.index)) return a.index as string[];
  if (a.status !== 'INDEXED') return [];
  const id = String(a.articleId);
  const publishedAt = (a.publishedAt as string | null | undefined) ?? null;
  const when = publishedAt ?? NO_DATE;
  const entityIds = (a.entityIds as string[] | undefined) ?? [];
  const keys = entityIds.map((e) => `E#${e}|${when}#${id}`);
  const speakerIds = [...entityIds, ...((a.otherSpeakers as string[] | undefined) ?? [])];
  speakersOf(a).forEach((k, n) => {
    if (k >= 0) keys.push(`Q#${speakerIds[k]}|${quoteSk(when, id, n)}`);
  });
  if (publishedAt) keys.push(`D#${publishedAt.slice(0, 7)}|${publishedAt}#${id}`);
  const publisherId = (a.publisher as { id?: string } | null | undefined)?.id;
  if (publisherId) keys.push(`P#${publisherId}|${when}#${id}`);
  if (a.contentHash) keys.push(`H#${String(a.contentHash)}|A#${id}`);
  if (a.simhash) for (const band of simhashBands(String(a.simhash))) keys.push(`S#${band}|A#${id}`);
  return keys;
}

/** `quoteSpeakers` is compact text: per quote, the index of its speaker in `entityIds` then `otherSpeakers`, or '-' for none ("3,3,-,0"). */
const speakersOf = (a: Item): number[] =>
  a.quoteSpeakers
    ? String(a.quoteSpeakers)
        .split(',')
        .map((k) => (k === '-' ? -1 : Number(k)))
    : [];
const speakersText = (ks: number[]) => ks.map((k) => (k < 0 ? '-' : String(k))).join(',') || undefined;

/** The size DynamoDB bills an item for: attribute names and values (UTF-8 strings, numbers about one byte per two digits). */
function itemBytes(v: unknown): number {
  if (v === null || v === undefined || typeof v === 'boolean') return 1;
  if (typeof v === 'string') return Buffer.byteLength(v);
  if (typeof v === 'number') return Math.ceil(String(Math.abs(v)).replace(/^0\.|\./, '').length / 2) + 1;
  if (v instanceof Set) return [...v].reduce((n: number, x) => n + itemBytes(x), 0);
  if (Array.isArray(v)) return 3 + v.reduce((n: number, x) => n + 1 + itemBytes(x), 0);
  return 3 + Object.entries(v as Item).reduce((n, [k, x]) => n + 1 + Buffer.byteLength(k) + itemBytes(x), 0);
}

/** s cut to at most maxBytes of UTF-8, an ellipsis included, at a character boundary. */
function cutToBytes(s: string, maxBytes: number): string {
  if (Buffer.byteLength(s) <= maxBytes) return s;
  let out = '';
  let bytes = 3; // the ellipsis
  for (const ch of s) {
    bytes += Buffer.byteLength(ch);
    if (bytes > maxBytes) break;
    out += ch;
  }
  return `${out}…`;
}

/** Title bytes an index item keeps before its own text is shortened. */
const TITLE_SHARE = 300;

/**
 * Shortens the long free-text attributes of an index item until it fits one write unit: a very long
 * title first (to TITLE_SHARE bytes), then the quote text, then the list of spellings, then the title
 * again. The full text stays in the article's artifact in S3.
 */
function withinWriteUnit(item: Item): Item {
  const steps: Array<['title' | 'text' | 'forms', number]> = [
    ['title', TITLE_SHARE],
    ['text', 0],
    ['forms', 0],
    ['title', 0],
  ];
  for (const [field, floor] of steps) {
    const over = itemBytes(item) - WRITE_UNIT_BYTES;
    if (over <= 0) break;
    const v = item[field];
    if (typeof v === 'string') item[field] = cutToBytes(v, Math.max(floor, Buffer.byteLength(v) - over));
    else if (Array.isArray(v)) while (v.length > 1 && itemBytes(item) > WRITE_UNIT_BYTES) v.pop();
  }
  return item;
}

/** The article item and the index items one record becomes. */
export function itemsOf(r: ArticleRecord): { article: Item; index: Item[] } {
  const when = r.publishedAt ?? NO_DATE;
  const summary = { articleId: r.articleId, title: r.title, publishedAt: r.publishedAt, publisher: r.publisher?.name ?? null, sourceKey: r.sourceKey };
  const index: Item[] = [];
  const indexed = r.status === 'INDEXED';
  const hash = indexed ? simhash(r.body) : undefined;
  const entityIds = indexed ? r.entities.map((e) => e.id) : [];
  // Quote speakers are people the article names, so each is normally one of its entities; any other goes in otherSpeakers.
  const speakerIds = [...entityIds];
  const quoteSpeakers = indexed
    ? r.quotes.map((q) => {
        if (!q.speaker) return -1;
        if (!speakerIds.includes(q.speaker.id)) speakerIds.push(q.speaker.id);
        return speakerIds.indexOf(q.speaker.id);
      })
    : [];
  if (indexed) {
    for (const e of r.entities) {
      const forms = [...new Set(e.mentions.map((m) => m.text))];
      index.push({
        pk: `E#${e.id}`,
        sk: `${when}#${r.articleId}`,
        kind: 'mention',
        ...summary,
        entityId: e.id,
        type: e.type,
        name: e.name,
        count: e.mentions.length,
        forms,
      });
    }
    r.quotes.forEach((q, n) => {
      if (q.speaker) index.push({ pk: `Q#${q.speaker.id}`, sk: quoteSk(when, r.articleId, n), kind: 'quote', ...summary, speaker: q.speaker, text: q.text });
    });
    if (r.publishedAt) index.push({ pk: `D#${r.publishedAt.slice(0, 7)}`, sk: `${r.publishedAt}#${r.articleId}`, kind: 'dated', ...summary });
    if (r.publisher) index.push({ pk: `P#${r.publisher.id}`, sk: `${when}#${r.articleId}`, kind: 'published', ...summary });
    if (r.contentHash) index.push({ pk: `H#${r.contentHash}`, sk: `A#${r.articleId}`, kind: 'copy', ...summary });
    for (const band of simhashBands(hash as string)) index.push({ pk: `S#${band}`, sk: `A#${r.articleId}`, kind: 'band', ...summary, simhash: hash });
  }
  const article: Item = {
    pk: articlePk(r.articleId),
    sk: 'A',
    kind: 'article',
    ...summary,
    publisher: r.publisher,
    sourceVersionId: r.sourceVersionId,
    sequencer: r.sequencer,
    status: r.status,
    reason: r.reason,
    reasonDetail: r.reasonDetail,
    pipelineVersion: r.pipelineVersion,
    schemaVersion: r.schemaVersion,
    contentHash: indexed ? r.contentHash : undefined,
    simhash: hash,
    language: r.language,
    format: r.format,
    encoding: r.encoding,
    entityIds,
    otherSpeakers: speakerIds.length > entityIds.length ? speakerIds.slice(entityIds.length) : undefined,
    quoteSpeakers: speakersText(quoteSpeakers),
    dates: [...new Set(r.dates.map((d) => d.value).filter((v): v is string => !!v))],
  };
  return { article, index: index.map(withinWriteUnit) };
}

/** Is what is stored newer than `r` (a later object version, or the same one from a later pipeline)? */
function storedIsNewer(stored: Item | undefined, sequencer: string | undefined, pipelineVersion: number): boolean {
  if (!stored) return false;
  const seq = stored.sequencer as string | undefined;
  if (seq && sequencer && seq !== sequencer) return seq > sequencer;
  return Number(stored.pipelineVersion ?? 0) > pipelineVersion;
}

const isConditionFailure = (err: unknown) =>
  err instanceof ConditionalCheckFailedException || (err as { name?: string }).name === 'ConditionalCheckFailedException';

export class DynamoRecordStore implements RecordStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly batch: BatchOptions = { maxAttempts: 8, baseDelayMs: 50 },
  ) {}

  private async current(articleId: string): Promise<Item | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: articlePk(articleId), sk: 'A' }, ConsistentRead: true }));
    return out.Item;
  }

  /** Writes the article item only if it is still what was read (optimistic lock on sequencer and version). */
  private async putLocked(article: Item, read: Item | undefined): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: article,
          ...(read
            ? {
                ConditionExpression: '(#seq = :seq OR (attribute_not_exists(#seq) AND :seq = :none)) AND #pv = :pv',
                ExpressionAttributeNames: { '#seq': 'sequencer', '#pv': 'pipelineVersion' },
                ExpressionAttributeValues: { ':seq': read.sequencer ?? '-', ':none': '-', ':pv': read.pipelineVersion ?? 0 },
              }
            : { ConditionExpression: 'attribute_not_exists(pk)' }),
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  getArticle(articleId: string): Promise<Item | undefined> {
    return this.current(articleId);
  }

  private async apply(article: Item, index: Item[]): Promise<WriteResult> {
    const articleId = String(article.articleId);
    const wanted = new Set(index.map(keyOf));
    for (let attempt = 0; attempt < 5; attempt++) {
      const read = await this.current(articleId);
      if (storedIsNewer(read, article.sequencer as string | undefined, Number(article.pipelineVersion))) return { outcome: 'STALE', changes: [] };
      if (read && sameRecord(read, article)) return { outcome: 'UNCHANGED', changes: [] };
      const stale = (read ? ownedKeys(read) : []).filter((k) => !wanted.has(k));
      const requests: WriteRequest[] = [...index.map((Item) => ({ PutRequest: { Item } })), ...stale.map((k) => ({ DeleteRequest: { Key: splitKey(k) } }))];
      if (requests.length) await batchWrite(this.doc, this.table, requests, this.batch);
      if (await this.putLocked(article, read)) return { outcome: 'WRITTEN', changes: changedFields(read, article) };
      // Another write got in between. If it is newer, take back what this one added and yield.
      const winner = await this.current(articleId);
      if (storedIsNewer(winner, article.sequencer as string | undefined, Number(article.pipelineVersion))) {
        const theirs = new Set(winner ? ownedKeys(winner) : []);
        const mine = [...wanted].filter((k) => !theirs.has(k));
        if (mine.length)
          await batchWrite(
            this.doc,
            this.table,
            mine.map((k) => ({ DeleteRequest: { Key: splitKey(k) } })),
            this.batch,
          );
        return { outcome: 'STALE', changes: [] };
      }
    }
    throw new Error(`article ${articleId}: gave up after repeated write conflicts`);
  }

  async putArticle(record: ArticleRecord): Promise<WriteResult> {
    const { article, index } = itemsOf(record);
    const result = await this.apply(article, index);
    if (result.outcome === 'WRITTEN' && record.status === 'INDEXED') await this.register(record);
    return result;
  }

  async markDeleted(source: SourceRef): Promise<WriteResult> {
    const articleId = articleIdOf(source.key);
    const read = await this.current(articleId);
    const tombstone: Item = {
      pk: articlePk(articleId),
      sk: 'A',
      kind: 'article',
      articleId,
      sourceKey: source.key,
      sequencer: padSequencer(source.sequencer),
      status: 'DELETED',
      pipelineVersion: Number(read?.pipelineVersion ?? 0),
      entityIds: [],
    };
    return this.apply(tombstone, []);
  }

  /**
   * The entity registry: type, name and every spelling seen, one item per entity, plus one lookup
   * item per spelling. Read first (a read costs a quarter of a write), written only for what is new;
   * the lookup items before the registry item, so that a spelling the registry knows always has its
   * lookup (a retry after a crash in between writes both again). Spellings are never removed, so
   * what this store has read or written once needs no second read (`known`, per container).
   */
  private async register(r: ArticleRecord): Promise<void> {
    const spellings = r.entities.map((e) => {
      const forms = new Map<string, string>();
      for (const f of [e.name, ...e.mentions.map((m) => m.text)]) {
        const k = searchKey(f);
        if (k && !forms.has(k)) forms.set(k, f);
      }
      return { e, forms };
    });
    const unsure = spellings.filter(({ e, forms }) => [...forms.keys()].some((k) => !this.known.get(e.id)?.has(k)));
    for (let i = 0; i < unsure.length; i += 100) {
      let pending: Item[] | undefined = unsure.slice(i, i + 100).map(({ e }) => ({ pk: `E#${e.id}`, sk: 'REG' }));
      for (let attempt = 0; pending?.length && attempt < 8; attempt++) {
        const out = await this.doc.send(new BatchGetCommand({ RequestItems: { [this.table]: { Keys: pending, ProjectionExpression: 'pk, spellingKeys' } } }));
        for (const it of out.Responses?.[this.table] ?? [])
          this.remember(String(it.pk).slice(2), (it.spellingKeys as Set<string> | string[] | undefined) ?? []);
        pending = out.UnprocessedKeys?.[this.table]?.Keys as Item[] | undefined;
      }
    }
    const fresh = unsure
      .map(({ e, forms }) => ({ e, forms: new Map([...forms].filter(([k]) => !this.known.get(e.id)?.has(k))) }))
      .filter(({ forms }) => forms.size);
    const lookups: WriteRequest[] = fresh.flatMap(({ e, forms }) =>
      [...forms].map(([k, f]) => ({
        PutRequest: { Item: { pk: `N#${k}`, sk: `E#${e.id}`, kind: 'spelling', spelling: f, entityId: e.id, type: e.type, name: e.name } },
      })),
    );
    if (lookups.length) await batchWrite(this.doc, this.table, lookups, this.batch);
    for (const { e, forms } of fresh) {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `E#${e.id}`, sk: 'REG' },
          UpdateExpression:
            'SET #kind = :kind, #type = if_not_exists(#type, :type), #name = if_not_exists(#name, :name) ADD spellings :forms, spellingKeys :keys',
          ExpressionAttributeNames: { '#kind': 'kind', '#type': 'type', '#name': 'name' },
          ExpressionAttributeValues: { ':kind': 'entity', ':type': e.type, ':name': e.name, ':forms': new Set(forms.values()), ':keys': new Set(forms.keys()) },
        }),
      );
      this.remember(e.id, forms.keys());
    }
  }

  /** Spelling keys the registry is known to hold for an entity (bounded: starts over when full). */
  private readonly known = new Map<string, Set<string>>();
  private remember(entityId: string, keys: Iterable<string>): void {
    let set = this.known.get(entityId);
    if (!set) {
      if (this.known.size >= MAX_KNOWN_ENTITIES) this.known.clear();
      set = new Set();
      this.known.set(entityId, set);
    }
    for (const k of keys) set.add(k);
  }
}

/** Nothing to write: the stored item already says exactly this (a redelivery). */
function sameRecord(stored: Item, next: Item): boolean {
  return (
    stored.sequencer === next.sequencer &&
    stored.pipelineVersion === next.pipelineVersion &&
    stored.status === next.status &&
    stored.contentHash === next.contentHash &&
    stored.reason === next.reason &&
    JSON.stringify(ownedKeys(stored)) === JSON.stringify(ownedKeys(next)) &&
    JSON.stringify(stored.dates ?? []) === JSON.stringify(next.dates ?? [])
  );
}
