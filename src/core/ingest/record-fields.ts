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
  // What Claude Code writes (toISOString) is read digit by digit, as the scan reads it from the bytes.
  if (text.length === 24 && isToIsoStringShape(text)) {
    ISO_SCRATCH.write(text, 'latin1'); // ASCII only: the shape was checked on the text
    return isoInstantAt(ISO_SCRATCH, 0);
  }
  const m = ISO_TIMESTAMP.exec(text);
  if (!m) return null;
  const millis = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  let offsetMinutes = 0;
  if (m[8] !== undefined) {
    const offsetHours = Number(m[9]);
    const offsetMins = Number(m[10]);
    if (offsetHours > 23 || offsetMins > 59) return null;
    offsetMinutes = (m[8] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  return instantOf(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), millis, offsetMinutes);
}

/** What toISOString writes, `dddd-dd-ddTdd:dd:dd.dddZ`: the character code at each place, -1 for a digit. */
const ISO_SHAPE = Array.from('dddd-dd-ddTdd:dd:dd.dddZ', (c) => (c === 'd' ? -1 : c.charCodeAt(0)));
const ISO_SCRATCH = Buffer.alloc(ISO_SHAPE.length);

function fitsIsoShape(code: number | undefined, i: number): boolean {
  const expected = ISO_SHAPE[i]!;
  return expected === -1 ? code !== undefined && code >= 0x30 && code <= 0x39 : code === expected;
}

function isToIsoStringShape(text: string): boolean {
  for (let i = 0; i < ISO_SHAPE.length; i++) if (!fitsIsoShape(text.charCodeAt(i), i)) return false;
  return true;
}

function isToIsoStringBytes(buffer: Uint8Array, start: number): boolean {
  for (let i = 0; i < ISO_SHAPE.length; i++) if (!fitsIsoShape(buffer[start + i], i)) return false;
  return true;
}

/**
 * parseStrictTimestamp of the text at buffer[start, end) (no escapes in it):
 * the toISOString shape is read from the bytes, anything else as text.
 */
export function parseStrictTimestampAt(buffer: Uint8Array, start: number, end: number): number | null {
  if (end - start !== ISO_SHAPE.length || !isToIsoStringBytes(buffer, start)) return parseStrictTimestamp(Buffer.from(buffer.buffer, buffer.byteOffset + start, end - start).toString('latin1'));
  return isoInstantAt(buffer, start);
}

// Thousands of timestamps of the same few days: the last day's midnight is kept.
let cachedDay = -1;
let cachedMidnight: number | null = null;

/** The instant of a toISOString text at buffer[start…] whose shape was checked. */
function isoInstantAt(buffer: Uint8Array, start: number): number | null {
  const year = digitsAt(buffer, start, 4);
  const month = digitsAt(buffer, start + 5, 2);
  const day = digitsAt(buffer, start + 8, 2);
  const hour = digitsAt(buffer, start + 11, 2);
  const minute = digitsAt(buffer, start + 14, 2);
  const second = digitsAt(buffer, start + 17, 2);
  if (hour > 23 || minute > 59 || second > 59) return null;
  const dayKey = (year * 100 + month) * 100 + day;
  if (dayKey !== cachedDay) {
    cachedMidnight = instantOf(year, month, day, 0, 0, 0, 0, 0);
    cachedDay = dayKey;
  }
  return cachedMidnight === null ? null : cachedMidnight + ((hour * 60 + minute) * 60 + second) * 1000 + digitsAt(buffer, start + 20, 3);
}

function digitsAt(buffer: Uint8Array, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) n = n * 10 + buffer[i]! - 0x30;
  return n;
}

function instantOf(year: number, month: number, day: number, hour: number, minute: number, second: number, millis: number, offsetMinutes: number): number | null {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const midnight = Date.UTC(year, month - 1, day);
  if (new Date(midnight).getUTCDate() !== day) return null; // 2026-02-30 rolls over to March
  return midnight + ((hour * 60 + minute) * 60 + second) * 1000 + millis - offsetMinutes * 60_000;
}

export type TimestampCheck = { ok: true; ms: number } | { ok: false; reason: 'invalid-timestamp' | 'out-of-range-timestamp' };

/** A record's time, accepted only between 2023-01-01 and `latestMs` (now plus a day's clock drift). */
export function checkTimestamp(value: unknown, latestMs: number): TimestampCheck {
  const ms = typeof value === 'string' ? parseStrictTimestamp(value) : null;
  const reason = timestampSkipReason(ms, latestMs);
  return reason === null ? { ok: true, ms: ms! } : { ok: false, reason };
}

/** Why a parsed time (null: not a real instant) is no record's time, or null when it is one; no object made, for the scan. */
export function timestampSkipReason(ms: number | null, latestMs: number): 'invalid-timestamp' | 'out-of-range-timestamp' | null {
  if (ms === null) return 'invalid-timestamp';
  return ms < EARLIEST_TIMESTAMP_MS || ms > latestMs ? 'out-of-range-timestamp' : null;
}

/** How one API response is told apart: message.id + requestId, message.id alone without a requestId; null without message.id. */
export function responseKey(messageId: string | null, requestId: string | null): string | null {
  return messageId === null ? null : requestId === null ? messageId : `${messageId}:${requestId}`;
}

/** An absent field is 0; anything but a plausible non-negative integer is -1 (implausible). */
function tokenField(value: unknown): number {
  if (value === undefined) return 0;
  return typeof value === 'number' ? tokenCount(value) : -1;
}

/** A number as a token count: itself when a plausible non-negative integer, else -1. */
export function tokenCount(value: number): number {
  return Number.isSafeInteger(value) && value >= 0 && value <= MAX_TOKENS_PER_FIELD ? value + 0 : -1;
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
