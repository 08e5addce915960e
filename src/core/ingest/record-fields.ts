// Strict readers for the two fields every count depends on: the timestamp and
// the token numbers. A hostile or damaged value is a skip reason, never a
// silent 0, a NaN or a date JavaScript can't print.

/** Claude Code did not exist before this; an earlier date is damage. */
export const EARLIEST_TIMESTAMP_MS = Date.UTC(2023, 0, 1);
/** How far past "now" a clock may drift before a record is treated as damaged. */
export const FUTURE_SLACK_MS = 24 * 60 * 60 * 1000;
/** No single response reads or writes a billion tokens in one field. */
export const MAX_TOKENS_PER_FIELD = 1_000_000_000;

// RFC 3339 with a zone: what Claude Code writes (toISOString). No zone is ambiguous, so invalid.
const ISO_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/**
 * Milliseconds since the epoch, or null when the text is not a real instant
 * (a 30th of February, 25:00, no zone, an expanded year such as +275760).
 * Fractions beyond milliseconds are truncated, as Date.parse does.
 */
export function parseStrictTimestamp(text: string): number | null {
  const m = ISO_TIMESTAMP.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const midnight = Date.UTC(year, month - 1, day);
  if (new Date(midnight).getUTCDate() !== day) return null; // 2026-02-30 rolls over to March
  const millis = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  let offsetMinutes = 0;
  if (m[8] !== undefined) {
    const offsetHours = Number(m[9]);
    const offsetMins = Number(m[10]);
    if (offsetHours > 23 || offsetMins > 59) return null;
    offsetMinutes = (m[8] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  return midnight + ((hour * 60 + minute) * 60 + second) * 1000 + millis - offsetMinutes * 60_000;
}

export type TimestampCheck = { ok: true; ms: number } | { ok: false; reason: 'invalid-timestamp' | 'out-of-range-timestamp' };

/** A record's time, accepted only between 2023-01-01 and `latestMs` (now plus a day's clock drift). */
export function checkTimestamp(value: unknown, latestMs: number): TimestampCheck {
  const ms = typeof value === 'string' ? parseStrictTimestamp(value) : null;
  if (ms === null) return { ok: false, reason: 'invalid-timestamp' };
  if (ms < EARLIEST_TIMESTAMP_MS || ms > latestMs) return { ok: false, reason: 'out-of-range-timestamp' };
  return { ok: true, ms };
}

/** An absent field is 0; anything but a plausible non-negative integer is -1 (implausible). */
export function tokenField(value: unknown): number {
  if (value === undefined) return 0;
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= MAX_TOKENS_PER_FIELD ? value + 0 : -1;
}

export interface TokenCounts {
  input: number;
  output: number;
  cacheCreation: number;
  cacheCreation1h: number;
  cacheRead: number;
}

/** The usage numbers of one response, or null when any of them is implausible. */
export function readTokenCounts(usage: Record<string, unknown>): TokenCounts | null {
  const input = tokenField(usage.input_tokens);
  const output = tokenField(usage.output_tokens);
  const cacheCreation = tokenField(usage.cache_creation_input_tokens);
  const cacheRead = tokenField(usage.cache_read_input_tokens);
  const split = usage.cache_creation;
  let cacheCreation1h = 0;
  if (split !== undefined && split !== null) {
    if (typeof split !== 'object' || Array.isArray(split)) return null;
    cacheCreation1h = tokenField((split as Record<string, unknown>).ephemeral_1h_input_tokens);
  }
  if (input < 0 || output < 0 || cacheCreation < 0 || cacheRead < 0 || cacheCreation1h < 0) return null;
  return { input, output, cacheCreation, cacheCreation1h, cacheRead };
}
