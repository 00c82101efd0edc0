/**
 * Publisher: the outlet a page signs with. Read from the page's metadata, the signature line under
 * the article, the dateline ("واشنطن — سبوتنيك."), credit and copyright lines and web domains,
 * against the outlets list; never from article sentences (an outlet quoted in the text is a
 * source, not the publisher). Unknown → null.
 */
import type { CleanArticle } from '../clean/types';
import { searchKey } from '../normalize';
import type { Gazetteer, GazetteerEntry } from './gazetteer';

export interface Publisher {
  id: string;
  name: string;
  text: string;
  rule: string;
}

const PRIORITY: Record<string, number> = { signature: 0, dateline: 1, credit: 2, caption: 3 };

function outletIn(text: string, outlets: GazetteerEntry[]): GazetteerEntry | undefined {
  const key = ` ${searchKey(text)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}.-]+/gu, ' ')} `;
  const lower = text.toLowerCase();
  let best: { entry: GazetteerEntry; len: number } | undefined;
  for (const o of outlets) {
    const info = o.outlet;
    if (!info) continue;
    for (const n of info.names) {
      const nk = searchKey(n).toLowerCase();
      if (key.includes(` ${nk} `) && (!best || nk.length > best.len)) best = { entry: o, len: nk.length };
    }
    for (const d of info.domains) if (lower.includes(d) && (!best || d.length > best.len)) best = { entry: o, len: d.length };
  }
  return best?.entry;
}

export function findPublisher(article: CleanArticle, g: Gazetteer): Publisher | null {
  const outlets = [...g.entries.values()].filter((e) => e.outlet);
  if (article.pageMeta.publisher) {
    const o = outletIn(article.pageMeta.publisher, outlets);
    return o
      ? { id: o.id, name: o.name, text: article.pageMeta.publisher, rule: 'page-metadata' }
      : {
          id: `org:outlet:auto:${searchKey(article.pageMeta.publisher).replace(/\s+/g, '-')}`,
          name: article.pageMeta.publisher,
          text: article.pageMeta.publisher,
          rule: 'page-metadata',
        };
  }
  const lines = [
    ...article.meta.filter((m) => m.kind in PRIORITY).map((m) => ({ kind: m.kind, text: m.text })),
    ...article.dropped.filter((d) => d.why === 'link' || d.why === 'credit').map((d) => ({ kind: 'credit', text: d.text })),
  ].sort((a, b) => (PRIORITY[a.kind] ?? 9) - (PRIORITY[b.kind] ?? 9));
  for (const l of lines) {
    const o = outletIn(l.text, outlets);
    if (o) return { id: o.id, name: o.name, text: l.text, rule: `${l.kind}-line` };
  }
  return null;
}
