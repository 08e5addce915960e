// Recognises Claude Code's "usage limit reached" texts, in every wording since
// 1.0.30, and resolves their reset time to an instant. Facts: docs section 4.
// Anchored at the start of the text: a file or log that merely quotes such a
// message (a Read of this very file, say) must not count as a limit hit.
import type { LimitHit, LimitWindowKind } from '../../shared/status.js';
import { addDays, isValidTimeZone, machineTimeZone, resolveWallTime, wallTimeAt } from './zoned-time.js';
import { isRecord } from '../json-object.js';

export interface ParsedLimitHit {
  window: LimitWindowKind;
  resetsAt: Date | null;
  /** The message line as written (trimmed). */
  text: string;
  /** The reset phrase as written ("3pm", "Mon 12:00am (UTC)"); null for none or the unix form. */
  resetPhrase: string | null;
  /** The IANA zone the text names for its reset; null: a bare time, read in the machine's zone. */
  zone: string | null;
}

/** The valid IANA zone in a reset phrase's parentheses, if any. */
export function explicitZoneOf(phrase: string | null): string | null {
  const named = phrase ? ZONE_SUFFIX.exec(phrase.trim())?.[1]?.trim() : undefined;
  return named && isValidTimeZone(named) ? named : null;
}

/** Limit messages are one short line; anything longer is not one. */
const MAX_LIMIT_TEXT = 400;
const FIVE_HOURS_MS = 5 * 3_600_000;

/**
 * Cheap test before JSON.parse: false means the line cannot hold a limit text.
 * ASCII needles only, so JSON escapes of ’ ∙ · do not hide a match.
 */
const PREFILTER_NEEDLES = ['limit reached', 'limit resets', 'hit your', 'reached your', 'extra usage', 'usage credit', 'spend limit'];
export function mayContainLimitHit(line: string): boolean {
  for (const needle of PREFILTER_NEEDLES) if (line.includes(needle)) return true;
  return false;
}

// ─── Text recognition ───────────────────────────────────────────────────────

/** Curly apostrophes become straight; ∙ (U+2219), · (U+00B7) and • become one separator. */
function normalise(text: string): string {
  return text.replace(/[\u2018\u2019\u02bc\u2032]/g, "'").replace(/\s*[\u2219\u00b7\u2022]\s*/g, ' · ');
}

// 1.0.30–1.0.64, and a fallback later: reset as unix seconds after a pipe.
const PIPE_FORM = /^claude(?: ai)? usage limit reached(?:\s*\|\s*(\d{9,13}))?$/i;
// 2.0.76+: "You've hit your session limit", "You've hit your limit", native "… your 5-hour limit".
const HIT_YOUR_FORM = /^you(?:'ve| have) hit your(?: ([\w .-]{1,40}?))? limit$/i;
// 2026 builds, model-scoped and spend limits: "You've reached your Fable 5 limit. Run /usage-credits…".
const REACHED_YOUR_FORM = /^you(?:'ve| have) reached your ([\w .-]{1,40}?) limit(?:[.!:,;]\s.*)?$/i;
// 2.0.76+: "You're out of extra usage"; native builds: usage credits.
const OUT_OF_FORM = /^you(?:'re| are) out of (extra usage|usage credits?)$/i;
const USED_UP_FORM = /^you(?:'ve| have) (?:used (?:up |all )?|run out of )(?:your )?(extra usage|usage credits?)$/i;
// 1.0.88–2.0.53: "5-hour limit reached", "Opus weekly limit reached", "Session limit reached".
const REACHED_FORM = /^([\w .-]{1,40}?) limit reached$/i;
// 1.0.88 team plans: "5-hour limit resets 3pm (America/New_York)".
const TEAM_FORM = /^([\w .-]{1,40}?) limit resets (.+)$/i;
// The older forms put a span word before "limit"; without one it is some other limit.
const SPAN_WORD = /\b(?:5-hour|five-hour|5 hour|session|weekly|week|opus|sonnet)\b/i;
// "resets 3pm", and on spend-limit messages "your session limit resets 3pm".
const RESETS_SEGMENT = /^(?:(?:your )?[\w -]{0,20}?limit )?resets?(?: at| on)?\s+(.+)$/i;
// Advice that may follow the reset on the same segment ("… (UTC). Run /login to switch").
const RESET_TRAILER = /(?:\.\s|\s\/|\s+-\s).*$/;

function classifyKind(kind: string | undefined): LimitWindowKind {
  const words = (kind ?? '').trim().toLowerCase();
  if (words === '') return 'unknown';
  if (/\bopus\b/.test(words)) return 'opus';
  if (/\bsonnet\b/.test(words)) return 'sonnet';
  if (/extra usage|usage credit|overage|spend|credit/.test(words)) return 'overage';
  if (/\b(?:5-hour|five-hour|5 hour|session)\b/.test(words)) return 'five_hour';
  if (/\bweekly\b|\bweek\b/.test(words)) return 'weekly';
  // Model-specific limits of newer builds (e.g. "Fable") map to no window we track.
  return 'unknown';
}

interface Recognised {
  window: LimitWindowKind;
  /** The reset phrase after "resets", if any. */
  resetPhrase: string | null;
  /** Unix seconds from the pipe form. */
  resetUnix: number | null;
}

function recognise(line: string): Recognised | null {
  const segments = normalise(line).split(' · ').map((segment) => segment.trim());
  // A trailing full stop would not change the meaning.
  const head = (segments[0] ?? '').replace(/[.!]+$/, '');
  const resetSegment = segments.slice(1).map((segment) => RESETS_SEGMENT.exec(segment)?.[1]).find((phrase) => phrase !== undefined);
  const resetPhrase = resetSegment === undefined ? null : resetSegment.replace(RESET_TRAILER, '').trim();

  const pipe = PIPE_FORM.exec(head);
  if (pipe) return { window: 'unknown', resetPhrase: null, resetUnix: pipe[1] ? Number(pipe[1]) : null };

  const hitYour = HIT_YOUR_FORM.exec(head);
  if (hitYour) return { window: classifyKind(hitYour[1]), resetPhrase, resetUnix: null };

  if (OUT_OF_FORM.test(head) || USED_UP_FORM.test(head)) return { window: 'overage', resetPhrase, resetUnix: null };

  const reachedYour = REACHED_YOUR_FORM.exec(head);
  if (reachedYour) return { window: classifyKind(reachedYour[1]), resetPhrase, resetUnix: null };

  const reached = REACHED_FORM.exec(head);
  if (reached?.[1] && SPAN_WORD.test(reached[1])) return { window: classifyKind(reached[1]), resetPhrase, resetUnix: null };

  const team = TEAM_FORM.exec(head);
  if (team?.[1] && team[2] && SPAN_WORD.test(team[1])) return { window: classifyKind(team[1]), resetPhrase: team[2], resetUnix: null };

  return null;
}

// ─── Reset time resolution ──────────────────────────────────────────────────

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAY_PREFIXES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const CLOCK = String.raw`(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?`;
const TIME_ONLY = new RegExp(String.raw`^(?:(sun|mon|tue|wed|thu|fri|sat)[a-z]*\.?,?\s+)?(?:at\s+)?${CLOCK}$`, 'i');
const MONTH_DAY = new RegExp(
  String.raw`^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?,?\s+(?:at\s+)?${CLOCK}$`,
  'i',
);
const RELATIVE = /^in\s+(?:(\d+)\s*(?:d|days?)\s*)?(?:(\d+)\s*(?:h|hrs?|hours?)\s*)?(?:(\d+)\s*(?:m|mins?|minutes?))?$/i;
const ZONE_SUFFIX = /\s*\(([^()]+)\)\s*$/;

/** 12-hour clock to 24-hour; null when the numbers are not a time. */
function toHour24(hourText: string, meridiem: string | undefined): number | null {
  const hour = Number(hourText);
  if (!meridiem) return hour <= 23 ? hour : null;
  if (hour < 1 || hour > 12) return null;
  const pm = meridiem.toLowerCase().startsWith('p');
  return (hour % 12) + (pm ? 12 : 0);
}

/**
 * Resolves "3pm", "3:45pm", "Oct 12, 8am", "Mon 12:00am", optionally followed by
 * "(IANA/Zone)", to the next such moment strictly after `after`.
 */
export function resolveResetPhrase(phrase: string, after: Date, localTimeZone: string = machineTimeZone()): Date | null {
  let text = phrase.trim();
  let zone = isValidTimeZone(localTimeZone) ? localTimeZone : machineTimeZone();
  const zoneMatch = ZONE_SUFFIX.exec(text);
  if (zoneMatch?.[1]) {
    const named = zoneMatch[1].trim();
    if (isValidTimeZone(named)) zone = named;
    text = text.slice(0, zoneMatch.index).trim();
  }
  const afterMs = after.getTime();
  if (!Number.isFinite(afterMs)) return null;

  const relative = RELATIVE.exec(text);
  if (relative && (relative[1] || relative[2] || relative[3])) {
    const minutes = Number(relative[1] ?? 0) * 1440 + Number(relative[2] ?? 0) * 60 + Number(relative[3] ?? 0);
    return new Date(afterMs + minutes * 60_000);
  }

  const today = wallTimeAt(afterMs, zone);

  const timeOnly = TIME_ONLY.exec(text);
  if (timeOnly?.[2]) {
    const hour = toHour24(timeOnly[2], timeOnly[4]);
    const minute = Number(timeOnly[3] ?? 0);
    if (hour === null || minute > 59) return null;
    const weekday = timeOnly[1] ? WEEKDAY_PREFIXES.indexOf(timeOnly[1].toLowerCase()) : -1;
    // Eight days covers "same weekday, but the time has passed" plus a DST shift.
    for (let offset = 0; offset <= 8; offset++) {
      const date = addDays(today.year, today.month, today.day, offset);
      if (weekday >= 0 && date.weekday !== weekday) continue;
      const instant = resolveWallTime(date.year, date.month, date.day, hour, minute, zone, afterMs);
      if (instant !== null) return new Date(instant);
    }
    return null;
  }

  const monthDay = MONTH_DAY.exec(text);
  if (monthDay?.[1] && monthDay[2] && monthDay[4]) {
    const month = MONTHS.indexOf(monthDay[1].toLowerCase()) + 1;
    const day = Number(monthDay[2]);
    const hour = toHour24(monthDay[4], monthDay[6]);
    const minute = Number(monthDay[5] ?? 0);
    if (hour === null || minute > 59 || day < 1 || day > 31) return null;
    const isRealDate = (year: number) => addDays(year, month, day, 0).month === month;
    if (monthDay[3]) {
      const year = Number(monthDay[3]);
      if (!isRealDate(year)) return null;
      const instant = resolveWallTime(year, month, day, hour, minute, zone);
      return instant === null ? null : new Date(instant);
    }
    // Without a year: the next such date (Feb 29 may be up to eight years away).
    for (let year = today.year; year <= today.year + 8; year++) {
      if (!isRealDate(year)) continue;
      const instant = resolveWallTime(year, month, day, hour, minute, zone, afterMs);
      if (instant !== null) return new Date(instant);
    }
    return null;
  }
  return null;
}

/**
 * Recognises a usage-limit message and resolves its reset time.
 * `recordTime` is the transcript record's timestamp; a bare time without a zone
 * is read in `localTimeZone` (default: this machine's zone).
 * Server throttles ("not your usage limit", "Request rejected (429)", "Credit
 * balance is too low") return null.
 */
export function parseLimitHitText(text: string, recordTime: Date, localTimeZone?: string): ParsedLimitHit | null {
  const line = text.trim().split(/\r?\n/, 1)[0]?.trim() ?? '';
  if (line.length === 0 || line.length > MAX_LIMIT_TEXT) return null;
  const recognised = recognise(line);
  if (!recognised) return null;

  let resetsAt: Date | null = null;
  let window = recognised.window;
  if (recognised.resetUnix !== null) {
    // 13 digits: somebody wrote milliseconds.
    const ms = recognised.resetUnix > 1e11 ? recognised.resetUnix : recognised.resetUnix * 1000;
    resetsAt = new Date(ms);
    // Before weekly limits existed this form only meant the 5-hour window; a
    // reset within five hours of the hit says the same later on.
    const untilReset = ms - recordTime.getTime();
    if (untilReset > 0 && untilReset <= FIVE_HOURS_MS + 60_000) window = 'five_hour';
  } else if (recognised.resetPhrase !== null) {
    resetsAt = resolveResetPhrase(recognised.resetPhrase, recordTime, localTimeZone);
  }
  const resetPhrase = recognised.resetUnix === null ? recognised.resetPhrase : null;
  return { window, resetsAt, text: line, resetPhrase, zone: explicitZoneOf(resetPhrase) };
}

// ─── Transcript records ─────────────────────────────────────────────────────

type JsonObject = Record<string, unknown>;


/** Text of a string or of the text blocks of a content array. */
function textBlocks(content: unknown): string[] {
  if (typeof content === 'string') return [content];
  if (!Array.isArray(content)) return [];
  const texts: string[] = [];
  for (const block of content) {
    if (typeof block === 'string') texts.push(block);
    else if (isRecord(block) && block.type === 'text' && typeof block.text === 'string') texts.push(block.text);
  }
  return texts;
}

/** Claude Code writes the limit message as a fake assistant reply. */
function isSyntheticAssistant(record: JsonObject, message: JsonObject | null): boolean {
  return record.isApiErrorMessage === true || message?.model === '<synthetic>' || record.error === 'rate_limit';
}

/** Texts that may carry a limit message: a synthetic reply, or a subagent's result handed to its parent. */
function candidateTexts(record: JsonObject): string[] {
  const message = isRecord(record.message) ? record.message : null;
  if (record.type === 'assistant') return isSyntheticAssistant(record, message) ? textBlocks(message?.content) : [];
  if (record.type === 'user' && message && Array.isArray(message.content)) {
    const texts: string[] = [];
    for (const block of message.content) {
      if (isRecord(block) && block.type === 'tool_result') texts.push(...textBlocks(block.content));
    }
    return texts;
  }
  return [];
}

/**
 * A parsed transcript record to a LimitHit, or null. Only synthetic assistant
 * records and tool results count: Claude or the user typing such a sentence
 * does not.
 */
export function recordToLimitHit(record: unknown, localTimeZone?: string): LimitHit | null {
  if (!isRecord(record)) return null;
  const texts = candidateTexts(record);
  if (texts.length === 0) return null;
  const at = typeof record.timestamp === 'string' ? new Date(record.timestamp) : null;
  if (!at || !Number.isFinite(at.getTime())) return null;
  for (const text of texts) {
    const parsed = parseLimitHitText(text, at, localTimeZone);
    if (!parsed) continue;
    return {
      at: at.toISOString(),
      window: parsed.window,
      resetsAt: parsed.resetsAt ? parsed.resetsAt.toISOString() : null,
      text: parsed.text,
      sessionId: typeof record.sessionId === 'string' ? record.sessionId : null,
      cwd: typeof record.cwd === 'string' ? record.cwd : null,
    };
  }
  return null;
}
