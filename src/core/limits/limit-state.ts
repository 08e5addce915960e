// Whether a limit hit still stops work, shared by every face (status, tray,
// checkpoint, alerts), so they never disagree about "limit reached".
import type { LimitHit } from '../../shared/status.js';
import { WINDOW_LENGTH_MS } from './official-limits.js';

/** A hit blocks until its reset; one without a reset time blocks for five hours. */
export function hitBlocksUntilMs(hit: LimitHit): number {
  return hit.resetsAt ? Date.parse(hit.resetsAt) : Date.parse(hit.at) + WINDOW_LENGTH_MS.five_hour;
}

/** Clocks of writer and reader may differ a little: a hit stamped this far ahead already counts. */
const CLOCK_SKEW_MS = 5 * 60_000;

export function isHitBlocking(hit: LimitHit, nowMs: number): boolean {
  return Date.parse(hit.at) <= nowMs + CLOCK_SKEW_MS && hitBlocksUntilMs(hit) > nowMs;
}

