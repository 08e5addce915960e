import { afterEach, describe, expect, it } from 'vitest';
import { isValidTimeZone, machineTimeZone, resolveWallTime, wallTimeAt } from '../../../src/core/limits/zoned-time.js';

/** What Intl says the wall clock reads (the path every non-UTC zone takes). */
function intlWallTime(ms: number, zone: string) {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', weekday: 'short' }).formatToParts(new Date(ms));
  const field = (type: string) => parts.find((p) => p.type === type)!.value;
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(field('weekday'));
  return { year: Number(field('year')), month: Number(field('month')), day: Number(field('day')), hour: Number(field('hour')) % 24, minute: Number(field('minute')), second: Number(field('second')), weekday };
}

describe('UTC without Intl', () => {
  const savedTz = process.env.TZ;
  afterEach(() => {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });

  it('reads the same wall clock as Intl, across years, leap days and the ends of days', () => {
    const instants = [0, Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(2026, 11, 31, 23, 59, 59), Date.UTC(2026, 2, 29, 1, 0, 0), Date.UTC(1999, 11, 31, 0, 0, 30, 500)];
    for (let ms = Date.UTC(2026, 0, 1); ms < Date.UTC(2027, 0, 1); ms += 37 * 3_600_000 + 123_457) instants.push(ms);
    for (const zone of ['UTC', 'Etc/UTC']) for (const ms of instants) expect(wallTimeAt(ms, zone)).toEqual(intlWallTime(ms, zone));
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(resolveWallTime(2026, 11, 30, 15, 0, 'UTC')).toBe(Date.UTC(2026, 10, 30, 15, 0));
  });

  it('takes the machine zone from TZ when it names UTC, and from Intl otherwise', () => {
    process.env.TZ = 'UTC';
    expect(machineTimeZone()).toBe('UTC');
    process.env.TZ = ':Etc/UTC';
    expect(machineTimeZone()).toBe('UTC');
    process.env.TZ = 'Europe/Paris';
    expect(machineTimeZone()).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(machineTimeZone()).toBe('Europe/Paris');
  });
});
