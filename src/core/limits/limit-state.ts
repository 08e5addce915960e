// Whether a limit hit still stops work, shared by every face (status, tray,
// checkpoint, alerts), so they never disagree about "limit reached".
import type { LimitHit } from '../../shared/status.js';

const FIVE_HOURS_MS = 5 * 3_600_000;

/** A hit blocks until its reset; one without a reset time blocks for five hours. */
export function hitBlocksUntilMs(hit: LimitHit): number {
  return hit.resetsAt ? Date.parse(hit.resetsAt) : Date.parse(hit.at) + FIVE_HOURS_MS;
}

/** Clocks of writer and reader may differ a little: a hit stamped this far ahead already counts. */
const CLOCK_SKEW_MS = 5 * 60_000;

export function isHitBlocking(hit: LimitHit, nowMs: number): boolean {
  return Date.parse(hit.at) <= nowMs + CLOCK_SKEW_MS && hitBlocksUntilMs(hit) > nowMs;
}

/** The newest hit still blocking, among hits sorted oldest first. */
export function latestBlockingHit(hits: readonly LimitHit[], nowMs: number): LimitHit | null {
  for (let i = hits.length - 1; i >= 0; i--) if (isHitBlocking(hits[i]!, nowMs)) return hits[i]!;
  return null;
}
