/**
 * The gazetteer: every known entity with its canonical id, display name, the spellings that name
 * it ("strong"), the spellings that name it only when it is also named in full in the article
 * ("weak": surnames, nisba adjectives, words like النصرة), and role phrases. Loaded once per
 * process from the reviewable JSON files in data/gazetteer/, indexed by search-form tokens.
 */
import generated from '../../../data/gazetteer/generated.json' with { type: 'json' };
import organizations from '../../../data/gazetteer/organizations.json' with { type: 'json' };
import outlets from '../../../data/gazetteer/outlets.json' with { type: 'json' };
import people from '../../../data/gazetteer/people.json' with { type: 'json' };
import places from '../../../data/gazetteer/places.json' with { type: 'json' };
import { searchKey } from '../normalize';

export type EntityType = 'PERSON' | 'LOCATION' | 'ORGANIZATION';

export interface GazetteerEntry {
  id: string;
  type: EntityType;
  name: string;
  en?: string;
  roles: string[];
  /** Outlets: names a publisher signs with, and its web domains. */
  outlet?: { names: string[]; domains: string[] };
  tz?: string;
}

export interface AliasHit {
  entry: GazetteerEntry;
  tokens: string[];
  weak: boolean;
  /** Outlet names that are also ordinary words (الحرة, العربية): need a media noun before them. */
  mediaContextOnly: boolean;
}

export const tokenize = (s: string) =>
  searchKey(s)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

export class Gazetteer {
  readonly entries = new Map<string, GazetteerEntry>();
  /** First token of an alias → aliases starting with it, longest first. */
  private readonly byFirst = new Map<string, AliasHit[]>();
  private readonly seen = new Set<string>();
  /** Search-form city name → IANA time zone. */
  readonly tzByCity = new Map<string, string>();
  /** Search-form role phrase → people who hold it. */
  readonly roles = new Map<string, GazetteerEntry[]>();

  /** Changes whenever an alias is added: what callers worked out from the gazetteer before is stale then. */
  version = 0;

  add(entry: GazetteerEntry, strong: string[], weak: string[] = [], mediaOnly: string[] = []): void {
    this.version++;
    const existing = this.entries.get(entry.id);
    const target = existing ?? entry;
    if (!existing) this.entries.set(entry.id, entry);
    const put = (alias: string, isWeak: boolean, mediaContextOnly: boolean) => {
      const tokens = tokenize(alias);
      const key = tokens.join(' ');
      if (!tokens.length || this.seen.has(key)) return; // the first entry to claim a spelling keeps it
      this.seen.add(key);
      const list = this.byFirst.get(tokens[0] as string) ?? [];
      list.push({ entry: target, tokens, weak: isWeak, mediaContextOnly });
      list.sort((a, b) => b.tokens.length - a.tokens.length);
      this.byFirst.set(tokens[0] as string, list);
    };
    for (const a of strong) put(a, false, false);
    for (const a of weak) put(a, true, false);
    for (const a of mediaOnly) put(a, false, true);
    for (const r of entry.roles) {
      const key = searchKey(r);
      this.roles.set(key, [...(this.roles.get(key) ?? []), target]);
    }
  }

  candidates(firstToken: string): AliasHit[] {
    return this.byFirst.get(firstToken) ?? [];
  }
}

interface Named {
  id: string;
  name: string;
  en?: string;
  aliases?: string[];
}

/** A single common word (الحرة "the free", العربية "Arabic") names an outlet only after قناة, صحيفة… */
const isCommonWordName = (n: string) => /^ال\S+$/u.test(searchKey(n)) || searchKey(n) === 'الشرق الاوسط';

function build(): Gazetteer {
  const g = new Gazetteer();
  // Order is priority: a spelling claimed by an earlier entry is not given to a later one.
  for (const p of people.people) {
    g.add({ id: p.id, type: 'PERSON', name: p.name, en: p.en, roles: p.roles }, [p.name, ...p.aliases], p.surnames);
  }
  for (const o of organizations.organizations as Array<Named & { weak?: string[] }>) {
    g.add({ id: o.id, type: 'ORGANIZATION', name: o.name, en: o.en, roles: [] }, [o.name, ...(o.aliases ?? [])], o.weak ?? []);
  }
  const extra = places.countries as Record<string, { aliases?: string[]; adjectives?: string[] }>;
  for (const c of generated.countries) {
    const more = extra[c.iso2] ?? {};
    g.add({ id: c.id, type: 'LOCATION', name: c.name, en: c.en, roles: [] }, [c.name, ...c.aliases, ...(more.aliases ?? [])], more.adjectives ?? []);
  }
  for (const p of places.places as Array<Named & { country?: string }>) {
    g.add({ id: p.id, type: 'LOCATION', name: p.name, en: p.en, roles: [] }, [p.name, ...(p.aliases ?? [])]);
  }
  for (const c of generated.cities) g.add({ id: c.id, type: 'LOCATION', name: c.name, en: c.en, roles: [], tz: c.tz }, [c.name]);
  for (const o of outlets.outlets) {
    const plain = o.names.filter((n) => !isCommonWordName(n));
    const common = o.names.filter(isCommonWordName);
    g.add({ id: o.id, type: 'ORGANIZATION', name: o.name, roles: [], outlet: { names: o.names, domains: o.domains } }, plain, [], common);
  }
  for (const { tz, name } of generated.timeZoneCities) g.tzByCity.set(searchKey(name), tz);
  // Capitals that CLDR files under their country's name (Asia/Kuwait → الكويت) or not at all.
  for (const [city, tz] of [
    ['ابوظبي', 'Asia/Dubai'],
    ['ابو ظبي', 'Asia/Dubai'],
    ['المنامه', 'Asia/Bahrain'],
    ['الدوحه', 'Asia/Qatar'],
    ['الرباط', 'Africa/Casablanca'],
    ['صنعاء', 'Asia/Aden'],
    ['الكويت', 'Asia/Kuwait'],
    ['اسطنبول', 'Europe/Istanbul'],
    ['انقره', 'Europe/Istanbul'],
    ['حلب', 'Asia/Damascus'],
    ['مكه', 'Asia/Riyadh'],
    ['مكه المكرمه', 'Asia/Riyadh'],
    ['بيروت', 'Asia/Beirut'],
    ['عمان', 'Asia/Amman'],
    ['القاهره', 'Africa/Cairo'],
    ['ادلب', 'Asia/Damascus'],
    ['حمص', 'Asia/Damascus'],
    ['القدس', 'Asia/Jerusalem'],
    ['رام الله', 'Asia/Hebron'],
    ['واشنطن', 'America/New_York'],
    ['موسكو', 'Europe/Moscow'],
    ['جنيف', 'Europe/Zurich'],
  ] as const) {
    if (!g.tzByCity.has(city)) g.tzByCity.set(city, tz);
  }
  return g;
}

let instance: Gazetteer | undefined;
/** The process-wide gazetteer, built on first use (about 1,500 spellings; a few milliseconds). */
export function gazetteer(): Gazetteer {
  instance ??= build();
  return instance;
}
