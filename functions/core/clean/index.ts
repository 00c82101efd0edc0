import type { Decoded } from '../decode';
import { letterCounts, searchKey } from '../normalize';
import { InputRejected } from '../rejection';
import { htmlToText } from './html';
import { type CleanedDump, cleanTextDump } from './textdump';
import type { CleanArticle } from './types';

export type { CleanArticle, MetaLine } from './types';

export interface CleanOptions {
  /** Fewer letters than this in the body means the page had no article. */
  minBodyChars: number;
}

/** Removes the page furniture around an article, for a text dump or an HTML page. */
export function cleanDocument(doc: Pick<Decoded, 'text' | 'format'> & Partial<Pick<Decoded, 'pieces' | 'controls'>>, options: CleanOptions): CleanArticle {
  let article: CleanArticle;
  let letters: number;
  if (doc.format === 'html') {
    const page = htmlToText(doc.pieces ?? [doc.text]);
    const dump = cleanTextDump(page.text);
    // A headline the page marks up (h1, og:title) beats one guessed from the text, once the site name is cut off.
    const ogTitle = page.pageMeta.title?.replace(/\s+[|\-–—]\s+[^|\-–—]{2,40}$/u, '').trim();
    const title = page.h1 ?? ogTitle ?? dump.title;
    const titleKey = title ? searchKey(title) : '';
    const kept = dump.body.split('\n\n').filter((_, i) => dump.paragraphKeys[i] !== titleKey);
    const body = kept.join('\n\n');
    letters = kept.length === dump.paragraphKeys.length ? dump.bodyLetters : letterCounts(body).letters;
    article = articleOf(dump, title ?? null, body, 'html', page.pageMeta);
  } else {
    const dump = cleanTextDump(doc.text, doc.controls !== 0);
    letters = dump.bodyLetters;
    article = articleOf(dump, dump.title, dump.body, 'text', {});
  }
  // Bidi overrides and isolates are stripped from the title: it is shown in lists and logs, where they could reorder text.
  if (article.title) article.title = article.title.replace(/[\u202A-\u202E\u2066-\u2069]/g, '').trim() || null;
  if (letters < options.minBodyChars) throw new InputRejected('NO_CONTENT', `${letters} letters of article text after cleaning`);
  return article;
}

/**
 * The article from a cleaned dump, its fields named one by one (object rest and spread copy through
 * a generic slow path, per article), in the order the records and their JSON have.
 */
function articleOf(dump: CleanedDump, title: string | null, body: string, format: CleanArticle['format'], pageMeta: CleanArticle['pageMeta']): CleanArticle {
  return { title, body, meta: dump.meta, comments: dump.comments, dropped: dump.dropped, language: dump.language, format, pageMeta };
}

/** `--from clean`: the input already is the article text; nothing is removed. */
export function asCleanArticle(text: string): CleanArticle {
  const body = text.replace(/\r\n?/g, '\n').trim();
  const firstLine = body.split('\n').find((l) => l.trim()) ?? null;
  return { title: firstLine, body, meta: [], comments: [], dropped: [], language: 'ar', format: 'text', pageMeta: {} };
}
