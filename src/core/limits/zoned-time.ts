// Wall-clock arithmetic in IANA time zones with nothing but Intl. Used to turn
// "resets 3pm (Europe/London)" into an instant and to test quiet hours.
// DST: a wall time can occur twice (autumn) or never (spring); callers choose.
import { readlinkSync } from 'node:fs';

export interface WallTime {
  year: number;
  /** 1..12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
}

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

// Intl's first time-zone formatter costs 15-30 ms (ICU loads its zone data),
// more than the rest of a warm start's own work. UTC needs none of it: a UTC
// machine (servers, CI) and `--timezone UTC` do their arithmetic with Date.
const UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'GMT', 'Etc/GMT']);

function isUtc(zone: string): boolean {
  return UTC_NAMES.has(zone);
}

/** 'UTC' when the environment plainly says so (TZ, or /etc/localtime on Linux); null: ask Intl. */
function plainlyUtc(tz: string | undefined): 'UTC' | null {
  if (tz !== undefined) return isUtc(tz.replace(/^:/, '')) ? 'UTC' : null;
  if (process.platform !== 'linux') return null;
  try {
    return /\/zoneinfo\/(?:Etc\/)?UTC$/.test(readlinkSync('/etc/localtime')) ? 'UTC' : null;
  } catch {
    return null;
  }
}

// Asking Intl costs about 50 µs a call (a new formatter), paid per limit message
// while reading: remembered per TZ value, the one way a process changes its zone.
let machineZone: { tz: string | undefined; zone: string } | null = null;

export function machineTimeZone(): string {
  const tz = process.env.TZ;
  if (machineZone === null || machineZone.tz !== tz) machineZone = { tz, zone: plainlyUtc(tz) ?? (Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC') };
  return machineZone.zone;
}

export function isValidTimeZone(zone: string): boolean {
  if (isUtc(zone)) return true;
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** The wall clock in `zone` at an instant. */
export function wallTimeAt(instantMs: number, zone: string): WallTime {
  if (isUtc(zone)) {
    const d = new Date(instantMs);
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), weekday: d.getUTCDay() };
  }
  const fields: Record<string, number> = {};
  for (const part of formatterFor(zone).formatToParts(new Date(instantMs))) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const year = fields.year ?? 1970;
  const month = fields.month ?? 1;
  const day = fields.day ?? 1;
  // Some ICU builds still print midnight as 24 despite h23.
  const hour = (fields.hour ?? 0) % 24;
  return {
    year,
    month,
    day,
    hour,
    minute: fields.minute ?? 0,
    second: fields.second ?? 0,
    weekday: new Date(Date.UTC(year, month - 1, day)).getUTCDay(),
  };
}

/** Local minus UTC at an instant, in milliseconds (sub-second part ignored). */
export function zoneOffsetMs(instantMs: number, zone: string): number {
  if (isUtc(zone)) return 0;
  const wall = wallTimeAt(instantMs, zone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return asUtc - Math.floor(instantMs / 1000) * 1000;
}

/** Calendar arithmetic on a date (no zone involved): normalises day overflow. */
export function addDays(year: number, month: number, day: number, days: number): { year: number; month: number; day: number; weekday: number } {
  const date = new Date(Date.UTC(year, month - 1, day + days));
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), weekday: date.getUTCDay() };
}

/**
 * Every instant whose wall clock in `zone` reads the given time: one normally,
 * two in an autumn overlap, none in a spring gap. Sorted ascending.
 */
export function instantsForWallTime(year: number, month: number, day: number, hour: number, minute: number, zone: string): number[] {
  const local = Date.UTC(year, month - 1, day, hour, minute);
  const offsets = new Set<number>();
  for (const probe of [local - DAY_MS, local, local + DAY_MS]) {
    const offset = zoneOffsetMs(probe, zone);
    offsets.add(offset);
    offsets.add(zoneOffsetMs(local - offset, zone));
  }
  const found = new Set<number>();
  for (const offset of offsets) {
    const instant = local - offset;
    if (zoneOffsetMs(instant, zone) === offset) found.add(instant);
  }
  return [...found].sort((a, b) => a - b);
}

/**
 * The instant for a wall time, preferring the earliest one strictly after
 * `afterMs` (so an autumn overlap picks the occurrence still to come). A time
 * that falls into a spring gap moves forward by the gap, as clocks do.
 * Returns null when every occurrence is at or before `afterMs`.
 */
export function resolveWallTime(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  zone: string,
  afterMs = Number.NEGATIVE_INFINITY,
): number | null {
  const candidates = instantsForWallTime(year, month, day, hour, minute, zone);
  if (candidates.length === 0) {
    const local = Date.UTC(year, month - 1, day, hour, minute);
    // The offset in force before the gap maps the missing time to just after it.
    candidates.push(local - zoneOffsetMs(local - DAY_MS, zone));
  }
  for (const instant of candidates) if (instant > afterMs) return instant;
  return null;
}

/** Minutes since local midnight in `zone` at an instant. */
export function minuteOfDay(instantMs: number, zone: string): number {
  const wall = wallTimeAt(instantMs, zone);
  return wall.hour * 60 + wall.minute;
}

/** "UTC−05:00", "UTC+05:30", "UTC+00:00" (a real minus sign, as clocks print it). */
export function formatUtcOffset(instantMs: number, zone: string): string {
  const minutes = Math.round(zoneOffsetMs(instantMs, zone) / 60_000);
  const sign = minutes < 0 ? '\u2212' : '+';
  const abs = Math.abs(minutes);
  return `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** "2026-11-29 16:04 (UTC−05:00)": a wall time that says which zone it is in. */
export function formatStamp(iso: string, zone: string = machineTimeZone()): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  const w = wallTimeAt(ms, zone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)} (${formatUtcOffset(ms, zone)})`;
}

/** "16:04": the wall clock in `zone`, 24-hour. */
export function clockAt(instantMs: number, zone: string): string {
  const w = wallTimeAt(instantMs, zone);
  return `${String(w.hour).padStart(2, '0')}:${String(w.minute).padStart(2, '0')}`;
}
