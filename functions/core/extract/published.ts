/**
 * Publication date: the page's own metadata first, then the date line near the headline
 * (`06.01.2017 | 00:24`, `2021.02.18 | 12:18 دمشق`, `18 شباط 2021`). A city after the time sets
 * the zone, with the offset in force on that date. Dates in body text, comments, related links or
 * "منذ …" are never taken: no date line means null, not a guess.
 */
import type { CleanArticle } from '../clean/types';
import { type DateLine, pad, parseDateLine, ymdToIso } from '../dates';
import { searchKey, westernDigits } from '../normalize';
import type { Gazetteer } from './gazetteer';

export interface PublishedAt {
  value: string;
  text: string;
  rule: 'page-metadata' | 'date-line';
  timeZone?: string;
}

/** One formatter per time zone (creating one is the slow part), null for a zone the runtime does not know. */
const formatters = new Map<string, Intl.DateTimeFormat | null>();
function formatterFor(tz: string): Intl.DateTimeFormat | null {
  if (!formatters.has(tz)) {
    let fmt: Intl.DateTimeFormat | null = null;
    try {
      fmt = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' });
    } catch {}
    if (formatters.size < 1000) formatters.set(tz, fmt);
    return fmt;
  }
  return formatters.get(tz) as Intl.DateTimeFormat | null;
}

/** The zone's UTC offset in minutes at instant t, from the runtime's time zone data (a few µs: formatting). */
function offsetMinutes(fmt: Intl.DateTimeFormat, t: number): number {
  const name = fmt.formatToParts(new Date(t)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (+(m[2] as string) * 60 + +(m[3] as string)) : 0;
}

const DAY = 86_400_000;
/**
 * Per zone and day (of the wall time, read as UTC): the offset when it is the same a day before the
 * day starts and a day after it ends, NaN when the clocks change in those three days. No zone changes
 * its clocks twice within three days (twice a year, four times where Ramadan suspends summer time,
 * weeks apart), so an offset equal at both ends holds all through.
 */
const steadyOffsets = new Map<string, number>();

/** The UTC offset of `tz` at that wall time, as +HH:MM. */
export function offsetAt(tz: string, y: number, m: number, d: number, h: number, mi: number): string | undefined {
  const fmt = formatterFor(tz);
  if (!fmt) return undefined;
  const wall = Date.UTC(y, m - 1, d, h, mi);
  const day = Math.floor(wall / DAY);
  const key = `${tz} ${day}`;
  let off = steadyOffsets.get(key);
  if (off === undefined) {
    const before = offsetMinutes(fmt, (day - 1) * DAY);
    off = before === offsetMinutes(fmt, (day + 2) * DAY) ? before : Number.NaN;
    if (steadyOffsets.size >= 10_000) steadyOffsets.clear();
    steadyOffsets.set(key, off);
  }
  // The instant is within 14 hours of the wall time read as UTC: inside those three days.
  if (Number.isNaN(off)) off = exactOffset(fmt, wall);
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  return `${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

/** The offset at a wall time (read as UTC) on a day the clocks change: read at the wall time, then again at the instant it names. */
export function exactOffset(fmt: Intl.DateTimeFormat, wall: number): number {
  const first = offsetMinutes(fmt, wall);
  return offsetMinutes(fmt, wall - first * 60_000);
}

const UTC_WORDS = new Set(['غرينتش', 'جرينتش', 'غرينيتش', 'gmt', 'utc', 'ت غ']);
/** The zone a date line names after its time: a city (دمشق), or GMT. */
function zoneOf(trailing: string, g: Gazetteer): string | undefined {
  const t = trailing.toLowerCase();
  if (UTC_WORDS.has(t)) return 'UTC';
  return g.tzByCity.get(t) ?? g.tzByCity.get(t.replace(/^(مدينه|العاصمه)\s+/u, ''));
}

function fromDateLine(line: DateLine, g: Gazetteer): { value: string; tz?: string } {
  const day = ymdToIso(line.date);
  if (!line.time) return { value: day };
  const tz = line.trailing ? zoneOf(searchKey(line.trailing), g) : undefined;
  const wall = `${day}T${pad(line.time.h)}:${pad(line.time.m)}:00`;
  const off = tz ? offsetAt(tz, line.date.y, line.date.m, line.date.d, line.time.h, line.time.m) : undefined;
  return { value: off ? `${wall}${off}` : wall, tz: off ? tz : undefined };
}

function fromMetadata(raw: string): string | undefined {
  const s = westernDigits(raw.trim());
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(s);
  if (!m) return undefined;
  if (!m[4]) return `${m[1]}-${m[2]}-${m[3]}`;
  const zone = m[7] === 'Z' ? '+00:00' : m[7] ? m[7].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2') : '';
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}${zone}`;
}

export function findPublishedAt(article: CleanArticle, g: Gazetteer): PublishedAt | null {
  if (article.pageMeta.publishedAt) {
    const value = fromMetadata(article.pageMeta.publishedAt);
    if (value) return { value, text: article.pageMeta.publishedAt, rule: 'page-metadata' };
  }
  // The date line nearest the top of the page: under the headline, before any date lower down.
  const dateLines = article.meta.filter((m) => m.kind === 'date').sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  for (const m of dateLines) {
    const line = parseDateLine(m.text);
    if (!line) continue;
    const { value, tz } = fromDateLine(line, g);
    return { value, text: m.text, rule: 'date-line', timeZone: tz };
  }
  return null;
}
