// Calendar days in a chosen IANA time zone, cached per 15-minute bucket start.

export function assertTimeZone(timeZone: string): void {
  // Always valid; and checking it would load ICU's zone data (about 10 ms), which `blocks` in UTC never needs.
  if (timeZone === 'UTC') return;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new RangeError(`Unknown time zone "${timeZone}". Use an IANA name such as UTC or Europe/London.`);
  }
}

export function localTimeZone(env: NodeJS.ProcessEnv = process.env): string {
  return env.TZ && env.TZ.trim() !== '' ? env.TZ : Intl.DateTimeFormat().resolvedOptions().timeZone;
}

export class DayKeyer {
  private readonly format: Intl.DateTimeFormat;
  private readonly cache = new Map<number, string>();

  constructor(readonly timeZone: string) {
    assertTimeZone(timeZone);
    // en-CA formats as YYYY-MM-DD.
    this.format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  }

  dayOf(ms: number): string {
    let day = this.cache.get(ms);
    if (day === undefined) {
      day = this.format.format(new Date(ms));
      this.cache.set(ms, day);
    }
    return day;
  }
}

const DAY_PATTERN = /^(\d{4})-?(\d{2})-?(\d{2})$/;

/** Accepts YYYY-MM-DD (and ccusage's YYYYMMDD); returns YYYY-MM-DD or throws a clear error. */
export function parseDayOption(value: string, flag: string): string {
  const m = DAY_PATTERN.exec(value.trim());
  if (!m) throw new RangeError(`${flag} expects a date as YYYY-MM-DD, got "${value}".`);
  const [, y, mo, d] = m;
  const iso = `${y}-${mo}-${d}`;
  const check = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(check.getTime()) || check.toISOString().slice(0, 10) !== iso) {
    throw new RangeError(`${flag} is not a real date: "${value}".`);
  }
  return iso;
}
