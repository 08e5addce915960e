// Times as a person reads them in a terminal: "today 16:04", "Tue 09:00",
// "Nov 12 09:00", in the user's zone (--timezone, else TZ, else the machine's).
// --json keeps ISO UTC; only human output goes through here.
import { clockAt, isValidTimeZone, machineTimeZone, wallTimeAt } from '../core/limits/zoned-time.js';
import { UsageError } from './cli-error.js';

export interface TimeContext {
  nowMs: number;
  zone: string;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The zone for human output; a name that is no IANA zone is a usage error. */
export function cliTimeZone(option?: string): string {
  if (option === undefined) return machineTimeZone();
  if (!isValidTimeZone(option)) throw new UsageError(`Unknown time zone "${option}" (use an IANA name such as Europe/London).`);
  return option;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Whole calendar days from now's date to the instant's date, in the zone. */
function dayDistance(ms: number, ctx: TimeContext): number {
  const a = wallTimeAt(ctx.nowMs, ctx.zone);
  const b = wallTimeAt(ms, ctx.zone);
  return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000);
}

/** "today 16:04", "tomorrow 09:00", "yesterday 23:10", "Tue 09:00" within a week, "Nov 12 09:00", "2025-11-12 09:00". */
export function formatWhen(iso: string | null, ctx: TimeContext): string {
  if (!iso) return 'unknown';
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  const w = wallTimeAt(ms, ctx.zone);
  const clock = `${pad(w.hour)}:${pad(w.minute)}`;
  const days = dayDistance(ms, ctx);
  if (days === 0) return `today ${clock}`;
  if (days === 1) return `tomorrow ${clock}`;
  if (days === -1) return `yesterday ${clock}`;
  if (Math.abs(days) < 7) return `${WEEKDAYS[w.weekday]} ${clock}`;
  const now = wallTimeAt(ctx.nowMs, ctx.zone);
  if (w.year === now.year) return `${MONTHS[w.month - 1]} ${w.day} ${clock}`;
  return `${w.year}-${pad(w.month)}-${pad(w.day)} ${clock}`;
}

/** "16:04" when it is today, else as formatWhen: for times the reader expects soon. */
export function formatSoon(iso: string | null, ctx: TimeContext): string {
  if (!iso) return 'unknown';
  const ms = Date.parse(iso);
  return Number.isFinite(ms) && dayDistance(ms, ctx) === 0 ? clockAt(ms, ctx.zone) : formatWhen(iso, ctx);
}

