// The limit that is stopping work right now: what a checkpoint's resume prompt names.
import type { LimitWindowKind, Status, WindowId } from '../../shared/status.js';
import { isHitBlocking } from '../limits/limit-state.js';
import { WINDOW_OF_HIT } from '../limits/official-limits.js';

const LIMIT_LABELS: Record<string, string> = { five_hour: '5-hour limit', weekly: 'weekly limit', opus: 'weekly Opus limit', sonnet: 'weekly Sonnet limit', overage: 'extra usage', unknown: 'usage limit' };

export interface CurrentLimit {
  windowLabel: string;
  resetsAt: string | null;
  hitText: string;
  hitAt: string;
  window: string;
}

/** The last limit hit, if its window has not reset yet (a hit without a reset time blocks for 5 hours). */
export function currentLimit(status: Status): CurrentLimit | null {
  const hit = status.lastLimitHit;
  if (!hit) return null;
  return isHitBlocking(hit, Date.parse(status.now)) ? { windowLabel: LIMIT_LABELS[hit.window] ?? 'usage limit', resetsAt: hit.resetsAt, hitText: hit.text, hitAt: hit.at, window: hit.window } : null;
}

/** The window a pause waits for: the one whose limit stopped the work, else the 5-hour window. */
export function windowToPause(limit: CurrentLimit | null): WindowId {
  return (limit && WINDOW_OF_HIT[limit.window as LimitWindowKind]) ?? 'five_hour';
}

