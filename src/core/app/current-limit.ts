// The limit that is stopping work right now: what a checkpoint's resume prompt names.
import type { LimitWindowKind, Status, WindowId } from '../../shared/status.js';

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
  const nowMs = Date.parse(status.now);
  const blocking = hit.resetsAt ? Date.parse(hit.resetsAt) > nowMs : nowMs - Date.parse(hit.at) < 5 * 3_600_000;
  return blocking ? { windowLabel: LIMIT_LABELS[hit.window] ?? 'usage limit', resetsAt: hit.resetsAt, hitText: hit.text, hitAt: hit.at, window: hit.window } : null;
}

const PAUSABLE_WINDOWS: Partial<Record<LimitWindowKind, WindowId>> = { five_hour: 'five_hour', weekly: 'seven_day', opus: 'seven_day_opus', sonnet: 'seven_day_sonnet' };

/** The window a pause waits for: the one whose limit stopped the work, else the 5-hour window. */
export function windowToPause(limit: CurrentLimit | null): WindowId {
  return (limit && PAUSABLE_WINDOWS[limit.window as LimitWindowKind]) ?? 'five_hour';
}

/** Every window a pause can mute, for un-muting them all on resume. */
export const PAUSABLE_WINDOW_IDS: readonly WindowId[] = ['five_hour', 'seven_day', 'seven_day_opus', 'seven_day_sonnet'];
