// What the tray shows for a status: the title next to the icon (macOS), the
// tooltip, the summary lines at the top of the menu, and how urgent it looks.
// Pure: the tray controller only copies this onto the real Tray.
import type { Status, WindowId, WindowStatus } from '../../shared/status.js';
import { isHitBlocking } from '../limits/limit-state.js';
import { WINDOW_OF_HIT } from '../limits/official-limits.js';
import { formatDuration } from '../status/duration-format.js';

export type TrayLevel = 'idle' | 'ok' | 'warn' | 'critical' | 'limited';

export interface TrayModel {
  /** Short text beside the icon, e.g. "62%"; "" when there is nothing to say. */
  title: string;
  tooltip: string;
  /** One line per window, then the limit and paused states (disabled menu items). */
  summaryLines: string[];
  level: TrayLevel;
}

export const WINDOW_LABELS: Record<WindowId, string> = {
  five_hour: '5-hour',
  seven_day: 'Weekly',
  seven_day_opus: 'Weekly Opus',
  seven_day_sonnet: 'Weekly Sonnet',
};

const WINDOW_ORDER: WindowId[] = ['five_hour', 'seven_day', 'seven_day_opus', 'seven_day_sonnet'];

/** Time until an instant, rounded like the alerts ("1 h 12 min"); "unknown" without one. */
export function formatCountdown(toIso: string | null, nowMs: number): string {
  return toIso ? formatDuration(Math.max(0, Date.parse(toIso) - nowMs)) : 'unknown';
}

function windowLine(w: WindowStatus, nowMs: number): string {
  const label = WINDOW_LABELS[w.id];
  const used = w.limitReached ? 'limit reached' : w.usedPercent === null ? `$${w.costUSD.toFixed(2)} used, no cap known` : `${Math.round(w.usedPercent)}% (${w.source})`;
  const reset = w.resetsAt ? `, resets in ${formatCountdown(w.resetsAt, nowMs)}` : ', no activity';
  return `${label}: ${used}${reset}`;
}

function levelFor(percent: number | null): TrayLevel {
  if (percent === null) return 'ok';
  if (percent >= 90) return 'critical';
  if (percent >= 75) return 'warn';
  return 'ok';
}

/** The blocking limit hit, if its window has not reset yet. */
function blockingHit(status: Status, nowMs: number): Status['lastLimitHit'] {
  const hit = status.lastLimitHit;
  return hit && isHitBlocking(hit, nowMs) ? hit : null;
}

export function trayModel(status: Status | null, options: { paused?: boolean } = {}): TrayModel {
  if (!status) return { title: '', tooltip: 'Breather: reading Claude Code usage…', summaryLines: ['Reading Claude Code usage…'], level: 'idle' };
  const nowMs = Date.parse(status.now);
  const windows = WINDOW_ORDER.map((id) => status.windows[id]).filter((w): w is WindowStatus => w !== undefined);
  const lines = windows.map((w) => windowLine(w, nowMs));
  const hit = blockingHit(status, nowMs);
  // The window's own line already says "limit reached" when the hit is in a tracked window.
  const saidByWindow = hit !== null && windows.some((w) => w.limitReached && WINDOW_OF_HIT[hit.window] === w.id);
  if (hit && !saidByWindow) lines.push(`Limit reached${hit.resetsAt ? `, resets in ${formatCountdown(hit.resetsAt, nowMs)}` : ''}`);
  if (options.paused) lines.push('Paused until the reset');
  if (windows.length === 0 && !hit) lines.push('No Claude Code usage yet');

  const five = status.windows.five_hour;
  const withPercent = windows.filter((w) => w.usedPercent !== null);
  const highest = withPercent.reduce<WindowStatus | null>((top, w) => (top === null || (w.usedPercent ?? 0) > (top.usedPercent ?? 0) ? w : top), null);
  let level: TrayLevel = windows.some((w) => w.resetsAt) ? levelFor(highest?.usedPercent ?? null) : 'idle';
  if (hit || windows.some((w) => w.limitReached)) level = 'limited';

  // The title is the 5-hour figure (what people watch), or the fullest window when it is the weekly one.
  let title = '';
  if (hit || five?.limitReached) title = 'limit';
  else if (five?.usedPercent !== null && five?.usedPercent !== undefined) title = `${Math.round(five.usedPercent)}%`;
  else if (highest?.usedPercent !== null && highest?.usedPercent !== undefined) title = `${Math.round(highest.usedPercent)}% ${WINDOW_LABELS[highest.id].toLowerCase()}`;
  if (title !== '' && !hit && highest && five && highest.id !== five.id && (highest.usedPercent ?? 0) >= 75 && (highest.usedPercent ?? 0) > (five.usedPercent ?? 0)) {
    title = `${title} · ${WINDOW_LABELS[highest.id].toLowerCase()} ${Math.round(highest.usedPercent ?? 0)}%`;
  }
  const tooltip = ['Breather', ...lines].join('\n');
  return { title, tooltip, summaryLines: lines, level };
}
