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

/** A spelling that names an outlet: a name's search key (lower case) or a web domain, in list order. */
interface Spelling {
  entry: GazetteerEntry;
  length: number;
  /** Position in the list (outlets in gazetteer order, each one's names, then its domains): the earlier wins a tie. */
  order: number;
}
/** The outlets' spellings, made once per gazetteer (and again when it learns an alias). */
interface Outlets {
  version: number;
  /** Name key → its first spelling. */
  names: Map<string, Spelling>;
  /** First word of a name key → most words in a name that starts with it. */
  longestFrom: Map<string, number>;
  /** Its domains with a dot in them (all the shipped ones), and any without. */
  domains: Array<Spelling & { domain: string }>;
  dotless: Array<Spelling & { domain: string }>;
}
const outletsByGazetteer = new WeakMap<Gazetteer, Outlets>();
function outletsOf(g: Gazetteer): Outlets {
  let o = outletsByGazetteer.get(g);
  if (!o || o.version !== g.version) {
    o = { version: g.version, names: new Map(), longestFrom: new Map(), domains: [], dotless: [] };
    let order = 0;
    for (const entry of g.entries.values()) {
      if (!entry.outlet) continue;
      for (const n of entry.outlet.names) {
        const key = searchKey(n).toLowerCase();
        if (!o.names.has(key)) o.names.set(key, { entry, length: key.length, order });
        const words = key.split(' ');
        o.longestFrom.set(words[0] as string, Math.max(o.longestFrom.get(words[0] as string) ?? 0, words.length));
        order++;
      }
      for (const domain of entry.outlet.domains) (domain.includes('.') ? o.domains : o.dotless).push({ entry, length: domain.length, order: order++, domain });
    }
    outletsByGazetteer.set(g, o);
  }
  return o;
}

/**
 * The outlet a line names: the longest of its names (whole words of the line, punctuation aside)
 * and domains found in it, the earlier in the list on a tie.
 */
function outletIn(text: string, outlets: Outlets): GazetteerEntry | undefined {
  const words = searchKey(text)
    .toLowerCase()
    .split(/[^\p{L}\p{N}.-]+/u)
    .filter(Boolean);
  let best: Spelling | undefined;
  const better = (s: Spelling | undefined) => s && (!best || s.length > best.length || (s.length === best.length && s.order < best.order));
  for (let i = 0; i < words.length; i++) {
    const longest = outlets.longestFrom.get(words[i] as string) ?? 0; // most words start no name
    let phrase = '';
    for (let n = 0; n < longest && i + n < words.length; n++) {
      phrase = n ? `${phrase} ${words[i + n]}` : (words[i] as string);
      const s = outlets.names.get(phrase);
      if (better(s)) best = s;
    }
  }
  // Most lines have no dot, and so no domain with one.
  const dotted = text.includes('.');
  if (dotted || outlets.dotless.length) {
    const lower = text.toLowerCase();
    for (const d of dotted ? outlets.domains : []) if (lower.includes(d.domain) && better(d)) best = d;
    for (const d of outlets.dotless) if (lower.includes(d.domain) && better(d)) best = d;
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
