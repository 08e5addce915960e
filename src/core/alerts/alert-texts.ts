// The words of each notification: titles and bodies for threshold, run-out,
// limit-reached and reset alerts. Pure; alert-engine.ts decides which fire.
import type { Alert, AlertAction, LimitHit, LimitSource, WindowId, WindowStatus } from '../../shared/status.js';
import { formatApproxDuration, formatDuration } from '../status/duration-format.js';
import type { WindowAlertState } from './alert-engine.js';

const WINDOW_LABELS: Record<WindowId, string> = {
  five_hour: '5-hour limit',
  seven_day: 'weekly limit',
  seven_day_opus: 'weekly Opus limit',
  seven_day_sonnet: 'weekly Sonnet limit',
};

const RESET_TITLES: Record<WindowId, string> = {
  five_hour: 'Your 5-hour window has reset',
  seven_day: 'Your weekly limit has reset',
  seven_day_opus: 'Your weekly Opus limit has reset',
  seven_day_sonnet: 'Your weekly Sonnet limit has reset',
};

const SOURCE_TEXT: Record<LimitSource, string> = {
  statusline: 'official figure from Claude Code',
  account: 'official figure from your account',
  'limit-hit': 'Claude Code reported the limit',
  learned: 'estimated from your past limit hits',
  plan: 'rough estimate from your plan',
  none: 'no cap known',
};

/** Parses an ISO time; null when absent or invalid. */
export function ms(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const value = Date.parse(iso);
  return Number.isFinite(value) ? value : null;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function resetsInText(resetsAt: string | null, nowMs: number): string {
  const reset = ms(resetsAt);
  if (reset === null) return '';
  return reset > nowMs ? ` It resets in ${formatDuration(reset - nowMs)}.` : '';
}

function basename(path: string | null): string | null {
  if (!path) return null;
  const parts = path.split(/[\\/]+/).filter(Boolean);
  return parts[parts.length - 1] ?? null;
}

// ─── Alert texts ────────────────────────────────────────────────────────────

export function thresholdAlert(id: WindowId, entry: WindowAlertState, window: WindowStatus, threshold: number, nowMs: number): Alert {
  const label = WINDOW_LABELS[id];
  const percent = Math.floor(window.usedPercent ?? threshold);
  let body = `You've used ${percent}% of your ${label} (${SOURCE_TEXT[window.source]}).${resetsInText(window.resetsAt, nowMs)}`;
  const runOut = ms(window.runsOutAt);
  const reset = ms(window.resetsAt);
  if (runOut !== null && runOut > nowMs && (reset === null || runOut < reset)) {
    body += ` At this pace it runs out in ${formatDuration(runOut - nowMs)}.`;
  }
  const actions: AlertAction[] = threshold >= 90 ? ['checkpoint', 'snooze'] : ['snooze'];
  return {
    id: `${id}:${entry.instanceKey ?? 'rolling'}:threshold:${threshold}`,
    kind: 'threshold',
    window: id,
    title: `${capitalise(label)}: ${percent}% used`,
    body,
    actions,
  };
}

export function predictiveAlert(id: WindowId, entry: WindowAlertState, window: WindowStatus, runOutMs: number, nowMs: number): Alert {
  const label = WINDOW_LABELS[id];
  const reset = ms(window.resetsAt);
  const used = window.usedPercent === null ? '' : ` (${Math.floor(window.usedPercent)}% used, ${SOURCE_TEXT[window.source]})`;
  const beforeReset = reset === null ? '' : `, ${formatDuration(reset - runOutMs)} before it resets`;
  return {
    id: `${id}:${entry.instanceKey ?? 'rolling'}:predictive`,
    kind: 'predictive',
    window: id,
    title: `${capitalise(label)} runs out in ${formatApproxDuration(runOutMs - nowMs)}`,
    body: `At the current pace you'll hit your ${label}${used} in ${formatApproxDuration(runOutMs - nowMs)}${beforeReset}. A checkpoint now saves your place.`,
    actions: ['checkpoint', 'snooze'],
  };
}

export function limitReachedAlert(hit: LimitHit, window: WindowId | null, nowMs: number): Alert {
  const title =
    hit.window === 'overage' ? 'Out of extra usage' : window ? `${capitalise(WINDOW_LABELS[window])} reached` : 'Usage limit reached';
  const project = basename(hit.cwd);
  const where = project ? ` in ${project}` : '';
  return {
    id: `${window ?? hit.window}:${hit.at}:limit-reached`,
    kind: 'limit-reached',
    window,
    title,
    body: `Claude Code stopped${where}: "${hit.text}".${resetsInText(hit.resetsAt, nowMs)} Checkpoint your work to pick it up later.`,
    actions: ['checkpoint'],
  };
}

export function resetAlert(id: WindowId, entry: WindowAlertState): Alert {
  return {
    id: `${id}:${entry.instanceKey ?? 'rolling'}:reset`,
    kind: 'reset',
    window: id,
    title: RESET_TITLES[id],
    body: `Your ${WINDOW_LABELS[id]} is available in full again.`,
  };
}
