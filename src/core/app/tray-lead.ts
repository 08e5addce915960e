// Which usage window will stop the user first, so the tray title, the icon's
// emphasis and the popover's first line all follow the same one: the window
// whose projected run-out comes soonest, else the fullest. Pure.
import type { Status, WindowStatus } from '../../shared/status.js';
import { WINDOW_IDS } from '../limits/official-limits.js';
import { clockAt, machineTimeZone } from '../limits/zoned-time.js';

export interface LeadWindow {
  window: WindowStatus;
  /** Why it leads: it runs out first, or it is simply the fullest. */
  reason: 'runs-out' | 'fullest';
  /** A weekly window that runs out before the 5-hour window next resets: waiting for the 5-hour reset won't help. */
  weeklyStopsFirst: boolean;
}

export function orderedWindows(status: Status): WindowStatus[] {
  return WINDOW_IDS.map((id) => status.windows[id]).filter((w): w is WindowStatus => w !== undefined);
}

function runOutMs(w: WindowStatus): number | null {
  if (!w.runsOutAt) return null;
  const ms = Date.parse(w.runsOutAt);
  return Number.isFinite(ms) ? ms : null;
}

export function leadWindow(status: Status): LeadWindow | null {
  const windows = orderedWindows(status);
  const runningOut = windows.filter((w) => runOutMs(w) !== null).sort((a, b) => runOutMs(a)! - runOutMs(b)!);
  const five = status.windows.five_hour;
  const fiveResetMs = five?.resetsAt ? Date.parse(five.resetsAt) : null;
  const weeklyStops = (w: WindowStatus, atMs: number | null): boolean =>
    w.id !== 'five_hour' && atMs !== null && (fiveResetMs === null || atMs < fiveResetMs);
  const first = runningOut[0];
  if (first) return { window: first, reason: 'runs-out', weeklyStopsFirst: weeklyStops(first, runOutMs(first)) };
  const withPercent = windows.filter((w) => w.usedPercent !== null);
  // Ties go to the earlier window in display order (the 5-hour one).
  const fullest = withPercent.reduce<WindowStatus | null>((top, w) => (top === null || (w.usedPercent ?? 0) > (top.usedPercent ?? 0) ? w : top), null);
  if (!fullest) return null;
  // A full weekly window stops you now, whatever the 5-hour window does.
  const full = (fullest.usedPercent ?? 0) >= 100;
  return { window: fullest, reason: 'fullest', weeklyStopsFirst: full && weeklyStops(fullest, Date.parse(status.now)) };
}

/** "15:40" in the given zone (the machine's by default), 24-hour. */
export function clockTime(iso: string, timeZone?: string): string {
  return clockAt(Date.parse(iso), timeZone ?? machineTimeZone());
}
