import type { CleanArticle } from '../clean/types';
import { type DateMention, findDates, ymdOf } from '../dates';
import { type Entity, extractEntities } from './entities';
import { type Gazetteer, gazetteer } from './gazetteer';
import { findPublishedAt, type PublishedAt } from './published';
import { findPublisher, type Publisher } from './publisher';
import { extractQuotes, type Quote } from './quotes';

export type { Entity } from './entities';
export type { Quote } from './quotes';

export interface Extraction {
  publishedAt: PublishedAt | null;
  publisher: Publisher | null;
  entities: Entity[];
  quotes: Quote[];
  dates: DateMention[];
}

export interface ExtractOptions {
  /** Overrides the publication date read from the page (ISO 8601), e.g. `--published-at`. */
  publishedAt?: string;
}

/** Everything extract finds in a clean article. Pure: no I/O, same input → same output. */
export function extractArticle(article: CleanArticle, options: ExtractOptions = {}, g: Gazetteer = gazetteer()): Extraction {
  const publishedAt: PublishedAt | null = options.publishedAt
    ? { value: options.publishedAt, text: options.publishedAt, rule: 'page-metadata' }
    : findPublishedAt(article, g);
  const entities = extractEntities(article.body, article.title, g);
  const ref = publishedAt ? ymdOf(publishedAt.value) : undefined;
  return {
    publishedAt,
    publisher: findPublisher(article, g),
    entities,
    quotes: extractQuotes(article.body, entities, g),
    dates: findDates(article.body, ref),
  };
}
