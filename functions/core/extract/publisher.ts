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

/** An outlet with the search keys of its names, made once per gazetteer. */
interface OutletKeys {
  entry: GazetteerEntry;
  names: string[];
  domains: string[];
}
const outletKeys = new WeakMap<Gazetteer, OutletKeys[]>();
function outletsOf(g: Gazetteer): OutletKeys[] {
  let list = outletKeys.get(g);
  if (!list) {
    list = [...g.entries.values()]
      .filter((e) => e.outlet)
      .map((entry) => ({ entry, names: (entry.outlet?.names ?? []).map((n) => searchKey(n).toLowerCase()), domains: entry.outlet?.domains ?? [] }));
    outletKeys.set(g, list);
  }
  return list;
}

function outletIn(text: string, outlets: OutletKeys[]): GazetteerEntry | undefined {
  const key = ` ${searchKey(text)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}.-]+/gu, ' ')} `;
  const lower = text.toLowerCase();
  let best: { entry: GazetteerEntry; len: number } | undefined;
  for (const o of outlets) {
    for (const nk of o.names) if (key.includes(` ${nk} `) && (!best || nk.length > best.len)) best = { entry: o.entry, len: nk.length };
    for (const d of o.domains) if (lower.includes(d) && (!best || d.length > best.len)) best = { entry: o.entry, len: d.length };
  }
  return best?.entry;
}

export function findPublisher(article: CleanArticle, g: Gazetteer): Publisher | null {
  const outlets = outletsOf(g);
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
