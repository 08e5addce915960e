// What the tray shows for a status: the title next to the icon (macOS), the
// tooltip, the lines at the top of the menu (the whole interface on Linux),
// the icon's drawing spec, and how urgent it looks. Everything follows the
// window that will stop the user first (tray-lead.ts). Pure: the tray
// controller only copies this onto the real Tray.
import type { LimitWindowKind, Status, WindowId, WindowStatus } from '../../shared/status.js';
import { WINDOW_OF_HIT } from '../limits/official-limits.js';
import { type TrayIconSpec, type IconBar, barLevel } from './tray-icon.js';
import { formatDuration } from '../status/duration-format.js';
import { currentLimit } from './current-limit.js';
import { clockTime, leadWindow, orderedWindows } from './tray-lead.js';

export type TrayLevel = 'idle' | 'ok' | 'warn' | 'critical' | 'limited';

export interface TrayModel {
  /** Short text beside the icon (macOS only), e.g. "62%"; "" when there is nothing to say. */
  title: string;
  /** Within Windows' 127-character limit. */
  tooltip: string;
  /** The headline, one line per window, then the limit and paused states (disabled menu items). */
  summaryLines: string[];
  /** The popover's first line: the window that stops you first. */
  headline: string;
  level: TrayLevel;
  lead: WindowId | null;
  icon: TrayIconSpec;
  /** The title holds a countdown, so it must be refreshed each minute while shown. */
  titleHasCountdown: boolean;
}

export interface TrayModelOptions {
  paused?: boolean;
  /** For clock times; the machine's zone by default. */
  timeZone?: string;
}

export const WINDOW_LABELS: Record<WindowId, string> = {
  five_hour: '5-hour',
  seven_day: 'Weekly',
  seven_day_opus: 'Weekly Opus',
  seven_day_sonnet: 'Weekly Sonnet',
};

/** Windows caps the tooltip (NOTIFYICONDATA.szTip) at 128 UTF-16 units including the terminator. */
export const TOOLTIP_MAX = 127;

/** Time until an instant, rounded like the alerts ("1 h 12 min"); "unknown" without one. */
export function formatCountdown(toIso: string | null, nowMs: number): string {
  return toIso ? formatDuration(Math.max(0, Date.parse(toIso) - nowMs)) : 'unknown';
}

const isOfficial = (w: WindowStatus) => w.source === 'statusline' || w.source === 'account';

function windowLine(w: WindowStatus, nowMs: number, timeZone?: string): string {
  const label = WINDOW_LABELS[w.id];
  const used = w.limitReached ? 'limit reached' : w.usedPercent === null ? `$${w.costUSD.toFixed(2)} used, no cap known` : `${Math.round(w.usedPercent)}% (${isOfficial(w) ? 'official' : 'estimate'})`;
  const reset = w.resetsAt ? `, resets ${w.resetEstimated ? '~' : ''}${clockTime(w.resetsAt, timeZone)} (in ${formatCountdown(w.resetsAt, nowMs)})` : ', no activity';
  return `${label}: ${used}${reset}`;
}

function iconBar(w: WindowStatus | undefined): IconBar {
  if (!w) return { percent: null, level: 'ok', estimate: false };
  return { percent: w.usedPercent, level: barLevel(w.usedPercent, w.runsOutAt !== null), estimate: w.usedPercent !== null && !isOfficial(w) };
}

/** The fullest weekly window (all models, Opus or Sonnet): the icon's bottom bar. */
function weeklyBar(status: Status): WindowStatus | undefined {
  const weekly = orderedWindows(status).filter((w) => w.id !== 'five_hour');
  return weekly.reduce<WindowStatus | undefined>((top, w) => (top === undefined || (w.usedPercent ?? -1) > (top.usedPercent ?? -1) ? w : top), undefined);
}

/** A limit stopping work now: the last hit if it still blocks, else a window a limit message said is used up. */
export function stoppingLimit(status: Status): { resetsAt: string | null; text: string; window: WindowId } | null {
  const hit = currentLimit(status);
  if (hit) return { resetsAt: hit.resetsAt, text: hit.hitText, window: WINDOW_OF_HIT[hit.window as LimitWindowKind] ?? 'five_hour' };
  const reached = orderedWindows(status).find((w) => w.limitReached);
  return reached ? { resetsAt: reached.resetsAt, text: `${WINDOW_LABELS[reached.id]} limit reached`, window: reached.id } : null;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function trayModel(status: Status | null, options: TrayModelOptions = {}): TrayModel {
  const { timeZone } = options;
  const emptyIcon: TrayIconSpec = { bars: [iconBar(undefined), iconBar(undefined)], lead: null, mark: 'no-data' };
  if (!status) {
    return { title: '', tooltip: 'Breather: reading Claude Code usage…', summaryLines: ['Reading Claude Code usage…'], headline: 'Reading Claude Code usage…', level: 'idle', lead: null, icon: emptyIcon, titleHasCountdown: false };
  }
  const nowMs = Date.parse(status.now);
  const windows = orderedWindows(status);
  const hit = stoppingLimit(status);
  const lead = leadWindow(status);
  const five = status.windows.five_hour;

  let headline: string;
  if (hit) headline = `Limit reached${hit.resetsAt ? `, resets ${clockTime(hit.resetsAt, timeZone)} (in ${formatCountdown(hit.resetsAt, nowMs)})` : ''}`;
  else if (lead?.weeklyStopsFirst) {
    const when = lead.window.runsOutAt ?? status.now;
    headline = `${WINDOW_LABELS[lead.window.id]} runs out ~${clockTime(when, timeZone)}, before the 5-hour window resets`;
  } else if (lead?.reason === 'runs-out') headline = `${WINDOW_LABELS[lead.window.id]} runs out ~${clockTime(lead.window.runsOutAt!, timeZone)}, before it resets`;
  else if (lead) headline = `${WINDOW_LABELS[lead.window.id]} at ${Math.round(lead.window.usedPercent ?? 0)}%${lead.window.resetsAt ? `, resets ${clockTime(lead.window.resetsAt, timeZone)}` : ''}`;
  else if (windows.length > 0) headline = 'No cap known yet: usage only';
  else headline = 'No Claude Code usage yet';

  // When the stopping limit's own window line says "limit reached", the headline would say it twice in the menu.
  const saidByWindow = hit !== null && windows.some((w) => w.limitReached && w.id === hit.window);
  const lines = [...(saidByWindow ? [] : [headline]), ...windows.map((w) => windowLine(w, nowMs, timeZone))];
  if (options.paused) lines.push('Paused until the reset');

  let level: TrayLevel = 'idle';
  if (hit) level = 'limited';
  else if (lead) {
    const top = Math.max(...windows.map((w) => w.usedPercent ?? 0));
    const barLevels = windows.map((w) => barLevel(w.usedPercent, w.runsOutAt !== null));
    level = barLevels.includes('critical') ? 'critical' : barLevels.includes('warn') ? 'warn' : top >= 0 ? 'ok' : 'idle';
  } else if (windows.some((w) => w.resetsAt)) level = 'ok';

  let title = '';
  let titleHasCountdown = false;
  if (hit) {
    title = hit.resetsAt ? `limit · ${formatCountdown(hit.resetsAt, nowMs)}` : 'limit';
    titleHasCountdown = hit.resetsAt !== null;
  } else if (lead?.window.usedPercent !== null && lead?.window.usedPercent !== undefined) {
    const percent = `${Math.round(lead.window.usedPercent)}%`;
    title = lead.window.id === 'five_hour' ? percent : `${WINDOW_LABELS[lead.window.id].toLowerCase()} ${percent}`;
  }

  const weekly = weeklyBar(status);
  const hasData = windows.some((w) => w.usedPercent !== null) || hit !== null;
  const icon: TrayIconSpec = {
    bars: [iconBar(five), iconBar(weekly)],
    lead: lead ? (lead.window.id === 'five_hour' ? 0 : 1) : null,
    mark: options.paused ? 'paused' : hit ? 'limit' : hasData ? 'none' : 'no-data',
  };
  if (hit) icon.bars[hit.window === 'five_hour' ? 0 : 1] = { percent: 100, level: 'critical', estimate: false };

  // Windows' tooltip is short: the headline and compact per-window figures.
  const compact = windows.map((w) => `${WINDOW_LABELS[w.id]} ${w.usedPercent === null ? '–' : `${Math.round(w.usedPercent)}%`}`).join(' · ');
  const tooltip = clip(['Breather', headline, compact, options.paused ? 'Paused' : ''].filter(Boolean).join('\n'), TOOLTIP_MAX);
  return { title, tooltip, summaryLines: lines, headline, level, lead: lead?.window.id ?? null, icon, titleHasCountdown };
}
