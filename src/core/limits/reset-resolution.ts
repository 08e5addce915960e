// Resolves each limit hit's reset time when it is read, not when it was
// indexed: a bare "resets 9pm" means 9pm in the machine's zone, and that zone
// may have changed since the index was written. The index keeps the raw text
// and time; this turns them into an instant, in the zone of this run.
//
// A bare time that makes no sense (a 5-hour limit resetting 22 h after the hit)
// is not trusted: the zones named by nearby hits are tried, else the latest
// reset the window allows is taken, and the hit is marked resetEstimated.
import type { LimitHit, LimitWindowKind } from '../../shared/status.js';
import { parseLimitHitText } from './limit-hit-parser.js';
import { machineTimeZone } from './zoned-time.js';

const HOUR_MS = 3_600_000;
/** The longest a reset can plausibly be after its hit, per kind of limit (a little slack for clocks). */
const MAX_RESET_AFTER_HIT_MS: Partial<Record<LimitWindowKind, number>> = {
  five_hour: 5 * HOUR_MS + 10 * 60_000,
  weekly: 7 * 24 * HOUR_MS + HOUR_MS,
  opus: 7 * 24 * HOUR_MS + HOUR_MS,
  sonnet: 7 * 24 * HOUR_MS + HOUR_MS,
};
/** How far apart a hit naming its zone may be to lend that zone to a bare one. */
const NEARBY_MS = 7 * 24 * HOUR_MS;

function plausible(window: LimitWindowKind, atMs: number, resetMs: number): boolean {
  const max = MAX_RESET_AFTER_HIT_MS[window];
  return resetMs > atMs && (max === undefined || resetMs - atMs <= max);
}

/** The latest reset the window allows: its length after the hit, down to the hour (windows start on the hour). */
function hourCeiling(window: LimitWindowKind, atMs: number): number | null {
  const max = MAX_RESET_AFTER_HIT_MS[window];
  if (max === undefined) return null;
  const length = window === 'five_hour' ? 5 * HOUR_MS : 7 * 24 * HOUR_MS;
  return Math.floor((atMs + length) / HOUR_MS) * HOUR_MS;
}

interface Parsed {
  hit: LimitHit;
  atMs: number;
  zone: string | null;
}

/**
 * Each hit with its reset (and window) resolved from its text in `zone`
 * (default: this machine's, now). Hits whose text no longer parses keep what
 * they had.
 */
export function resolveHitResets(hits: readonly LimitHit[], zone: string = machineTimeZone()): LimitHit[] {
  return resolveResetTimes(hits, zone).map(assignGenericHit);
}

/**
 * "You've hit your limit · resets 11pm" names no window. Its reset says which one
 * stopped the work: within five hours of the hit only the 5-hour window can
 * reset, later only the weekly one. Without a reset it stays unassigned.
 */
function assignGenericHit(hit: LimitHit): LimitHit {
  if (hit.window !== 'unknown' || !hit.resetsAt) return hit;
  const atMs = Date.parse(hit.at);
  const resetMs = Date.parse(hit.resetsAt);
  if (plausible('five_hour', atMs, resetMs)) return { ...hit, window: 'five_hour' };
  if (plausible('weekly', atMs, resetMs)) return { ...hit, window: 'weekly' };
  return hit;
}

function resolveResetTimes(hits: readonly LimitHit[], zone: string): LimitHit[] {
  const parsed: Parsed[] = hits.map((hit) => {
    const atMs = Date.parse(hit.at);
    const result = Number.isFinite(atMs) ? parseLimitHitText(hit.text, new Date(atMs), zone) : null;
    // Nothing to resolve (no text we read, or no reset in it): keep what was recorded.
    if (!result || (!result.resetsAt && result.resetPhrase === null)) return { hit, atMs, zone: null };
    const { resetEstimated: _stale, ...rest } = hit;
    return { hit: { ...rest, window: result.window, resetsAt: result.resetsAt ? result.resetsAt.toISOString() : null }, atMs, zone: result.zone };
  });
  const zoned = parsed.filter((p) => p.zone !== null);
  return parsed.map(({ hit, atMs, zone: named }) => {
    if (named !== null || !hit.resetsAt || plausible(hit.window, atMs, Date.parse(hit.resetsAt))) return hit;
    // A bare time read in the wrong zone: the nearest hits that named theirs say which zone Claude Code meant.
    const nearby = zoned.filter((z) => Math.abs(z.atMs - atMs) <= NEARBY_MS).sort((a, b) => Math.abs(a.atMs - atMs) - Math.abs(b.atMs - atMs));
    for (const candidate of new Set(nearby.map((z) => z.zone as string))) {
      const retry = parseLimitHitText(hit.text, new Date(atMs), candidate);
      if (retry?.resetsAt && plausible(hit.window, atMs, retry.resetsAt.getTime())) return { ...hit, resetsAt: retry.resetsAt.toISOString(), resetEstimated: true };
    }
    const ceiling = hourCeiling(hit.window, atMs);
    return ceiling === null ? hit : { ...hit, resetsAt: new Date(ceiling).toISOString(), resetEstimated: true };
  });
}
