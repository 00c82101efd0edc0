/**
 * HTML pages: a streaming parse (htmlparser2, no regex over markup) into the visible text, one
 * block element per line, without scripts, styles, navigation, asides, forms and footers; then the
 * same line classifier as text dumps. The page's own metadata (og:, article:published_time,
 * JSON-LD NewsArticle, <time datetime>, <h1>) is read on the way.
 */
import { Parser } from 'htmlparser2';
import { detached } from '../memo';
import type { CleanArticle } from './types';

const SKIP = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'iframe',
  'nav',
  'footer',
  'aside',
  'form',
  'button',
  'select',
  'object',
  'canvas',
  'head',
]);
const BLOCK = new Set([
  'p',
  'div',
  'br',
  'li',
  'ul',
  'ol',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'section',
  'article',
  'header',
  'main',
  'blockquote',
  'figure',
  'figcaption',
  'table',
  'tr',
  'td',
  'th',
  'dd',
  'dt',
  'pre',
  'hr',
  'time',
  'span_block',
]);
const MAX_DEPTH = 10_000;
/** class/id words of page furniture (comment threads, related links, share bars, ads, menus). */
const FURNITURE = new Set([
  'comment',
  'comments',
  'related',
  'share',
  'sharing',
  'social',
  'sidebar',
  'footer',
  'nav',
  'navbar',
  'menu',
  'breadcrumb',
  'breadcrumbs',
  'newsletter',
  'subscribe',
  'advert',
  'advertisement',
  'ads',
  'promo',
  'widget',
  'popular',
  'trending',
  'mostread',
  'tags',
  'cookie',
  'modal',
  'popup',
]);
/** …unless the same attribute also says it is the article itself. */
const CONTENT = new Set(['article', 'content', 'body', 'main', 'post', 'story', 'entry', 'text']);
const STRUCTURAL = new Set(['html', 'body', 'main', 'article']);

function isFurniture(name: string, attrs: Record<string, string>): boolean {
  if (STRUCTURAL.has(name)) return false;
  const words = `${attrs.class ?? ''} ${attrs.id ?? ''} ${attrs.role ?? ''}`.toLowerCase().split(/[^a-z]+/);
  if (words.some((w) => CONTENT.has(w))) return false;
  return words.some((w) => FURNITURE.has(w)) || attrs.role === 'navigation' || attrs.role === 'complementary';
}

export interface HtmlText {
  text: string;
  pageMeta: CleanArticle['pageMeta'];
  h1?: string;
}

function fromJsonLd(raw: string, meta: CleanArticle['pageMeta']): void {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return;
  }
  const queue: unknown[] = [data];
  for (let n = 0; queue.length && n < 200; n++) {
    const item = queue.shift();
    if (Array.isArray(item)) queue.push(...item);
    else if (item && typeof item === 'object') {
      const o = item as Record<string, unknown>;
      if (o['@graph']) queue.push(o['@graph']);
      const type = String(o['@type'] ?? '');
      if (/Article|NewsArticle|Report|BlogPosting/.test(type)) {
        if (typeof o.headline === 'string') meta.title ??= o.headline;
        if (typeof o.datePublished === 'string') meta.publishedAt ??= o.datePublished;
        const pub = o.publisher as { name?: unknown } | undefined;
        if (pub && typeof pub.name === 'string') meta.publisher ??= pub.name;
      }
    }
  }
}

/** The page's visible text and metadata; the page is given in pieces (decode.ts), read by one streaming parser. */
export function htmlToText(html: readonly string[]): HtmlText {
  const meta: CleanArticle['pageMeta'] = {};
  const out: string[] = [];
  let line = '';
  let skipDepth = 0;
  let depth = 0;
  let inH1 = false;
  let h1 = '';
  let inJsonLd = false;
  let jsonLd = '';
  let inTitle = false;
  let docTitle = '';
  const flush = () => {
    const t = line.replace(/\s+/g, ' ').trim();
    if (t) out.push(t);
    line = '';
  };
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        depth++;
        if (name === 'meta') {
          const key = (attrs.property ?? attrs.name ?? attrs.itemprop ?? '').toLowerCase();
          const content = attrs.content ?? '';
          if (key === 'og:title') meta.title ??= content;
          else if (key === 'article:published_time' || key === 'datepublished' || key === 'pubdate') meta.publishedAt ??= content;
          else if (key === 'og:site_name') meta.publisher ??= content;
          else if (key === 'og:url') meta.url ??= content;
          return;
        }
        if (name === 'script' && (attrs.type ?? '').toLowerCase() === 'application/ld+json') inJsonLd = true;
        if (name === 'title') inTitle = true;
        if (name === 'time' && attrs.datetime && !meta.publishedAt) meta.publishedAt = attrs.datetime;
        const hidden = 'hidden' in attrs || /display\s*:\s*none/i.test(attrs.style ?? '') || attrs['aria-hidden'] === 'true';
        if (skipDepth || SKIP.has(name) || hidden || isFurniture(name, attrs) || depth > MAX_DEPTH) skipDepth++;
        if (BLOCK.has(name)) flush();
        if (name === 'h1') inH1 = true;
        if (name === 'img' && !skipDepth && attrs.alt) {
          flush();
          out.push(attrs.alt.trim());
        }
      },
      ontext(data) {
        if (inJsonLd) jsonLd += data;
        if (inTitle) docTitle += data;
        if (skipDepth) return;
        line += data;
        if (inH1) h1 += data;
      },
      onclosetag(name) {
        depth--;
        if (name === 'script' && inJsonLd) {
          fromJsonLd(jsonLd, meta);
          inJsonLd = false;
          jsonLd = '';
        }
        if (name === 'title') inTitle = false;
        if (skipDepth) skipDepth--;
        if (BLOCK.has(name)) flush();
        if (name === 'h1') inH1 = false;
      },
    },
    { decodeEntities: true, lowerCaseTags: true, recognizeSelfClosing: true },
  );
  for (const piece of html) parser.write(piece);
  parser.end();
  flush();
  if (!meta.title && docTitle.trim()) meta.title = docTitle.trim();
  const h1Text = h1.replace(/\s+/g, ' ').trim();
  // Attribute values and text runs are slices of the page: copies are kept, so the article does not hold the page's pieces alive.
  for (const [k, v] of Object.entries(meta)) if (typeof v === 'string') (meta as Record<string, string>)[k] = detached(v);
  return { text: out.join('\n'), pageMeta: meta, h1: h1Text ? detached(h1Text) : undefined };
}
