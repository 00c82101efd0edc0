import { describe, expect, it } from 'vitest';
import { exactOffset, offsetAt } from '../../functions/core/extract/published';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Zones whose clocks change (or changed): by an hour, by half an hour (Lord Howe), or twice more for Ramadan (Casablanca). */
const ZONES = [
  'Asia/Damascus',
  'Asia/Beirut',
  'Africa/Cairo',
  'Africa/Casablanca',
  'Asia/Amman',
  'Asia/Gaza',
  'Asia/Tehran',
  'Europe/Berlin',
  'America/New_York',
  'Australia/Lord_Howe',
];
const asText = (off: number) =>
  `${off < 0 ? '-' : '+'}${String(Math.floor(Math.abs(off) / 60)).padStart(2, '0')}:${String(Math.abs(off) % 60).padStart(2, '0')}`;

describe('the UTC offset of a wall time in a zone', () => {
  it('is the offset read at that instant, every half hour of the days around each change of the clocks', () => {
    let checked = 0;
    for (const tz of ZONES) {
      const fmt = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' });
      const at = (t: number) => fmt.formatToParts(new Date(t)).find((p) => p.type === 'timeZoneName')?.value;
      for (let day = Date.UTC(2016, 0, 1); day < Date.UTC(2024, 0, 1); day += DAY) {
        if (at(day) === at(day + DAY)) continue;
        // The clocks change in this day: every wall time from a day before to a day after.
        for (let wall = day - DAY; wall < day + 2 * DAY; wall += HOUR / 2) {
          const w = new Date(wall);
          const got = offsetAt(tz, w.getUTCFullYear(), w.getUTCMonth() + 1, w.getUTCDate(), w.getUTCHours(), w.getUTCMinutes());
          expect(got, `${tz} ${w.toISOString()}`).toBe(asText(exactOffset(fmt, wall)));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  });

  it('is read right on an ordinary day too, before and after a change day was looked at', () => {
    expect(offsetAt('Asia/Damascus', 2021, 2, 18, 12, 18)).toBe('+02:00');
    expect(offsetAt('Asia/Damascus', 2021, 7, 18, 12, 18)).toBe('+03:00');
    expect(offsetAt('America/New_York', 2021, 3, 14, 3, 30)).toBe('-04:00'); // the morning the clocks go forward
    expect(offsetAt('America/New_York', 2021, 3, 14, 1, 30)).toBe('-05:00');
    expect(offsetAt('Asia/Kolkata', 2021, 3, 14, 1, 30)).toBe('+05:30');
    expect(offsetAt('Not/AZone', 2021, 3, 14, 1, 30)).toBeUndefined();
  });
});
