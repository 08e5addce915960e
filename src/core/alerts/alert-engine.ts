// Decides which notifications to show for a status snapshot. Pure: the state it
// returns is the only memory, so the caller persists it (alert-state-store.ts)
// and evaluates on every status change and on a timer (resets happen with no
// new data). Rules:
// - a threshold fires once per window instance; a dip and rise does not re-fire;
// - several thresholds crossed at once (first run, a gap) fire only the highest;
// - suppressed alerts (paused, snoozed, quiet hours) still count as fired, so
//   they never arrive in a burst later.
import type { AlertSettings } from '../../shared/settings.js';
import type { Alert, LimitHit, Status, WindowId, WindowStatus } from '../../shared/status.js';
import { WINDOW_IDS, WINDOW_OF_HIT } from '../limits/official-limits.js';
import { machineTimeZone, minuteOfDay } from '../limits/zoned-time.js';
import { limitReachedAlert, ms, predictiveAlert, resetAlert, thresholdAlert } from './alert-texts.js';

export const ALERT_STATE_VERSION = 1;

export interface WindowAlertState {
  /** The instance's identity at first sight ("2026-11-27T15:00Z", its reset or start); null: a rolling window without boundaries. */
  instanceKey: string | null;
  resetsAt: string | null;
  startsAt: string | null;
  firedThresholds: number[];
  predictiveFired: boolean;
  /** Some alert (shown or suppressed) concerned this instance, so its reset deserves a notice. */
  alerted: boolean;
}

/** A snooze or a pause. Active until `until`, and only while the window instance `instanceKey` lasts. */
export interface AlertSuppression {
  window: WindowId | 'all';
  until: string | null;
  instanceKey: string | null;
}

export interface AlertState {
  version: typeof ALERT_STATE_VERSION;
  windows: Partial<Record<WindowId, WindowAlertState>>;
  /** The newest limit hit already handled. */
  lastLimitHitAt: string | null;
  snoozes: AlertSuppression[];
  /** Windows paused after a checkpoint ("I'll wait for the reset"): muted. */
  mutedWindows: AlertSuppression[];
}

export type SuppressionReason = 'paused' | 'snoozed' | 'quiet-hours';

export interface SuppressedAlert {
  alert: Alert;
  reason: SuppressionReason;
}

export interface AlertEvaluation {
  alerts: Alert[];
  /** Decided but not shown; already marked as fired. */
  suppressed: SuppressedAlert[];
  nextState: AlertState;
}

export interface EvaluateOptions {
  /** Extra windows to mute for this evaluation (e.g. paused by the app). */
  mutedWindows?: readonly WindowId[];
  /** Zone for quiet hours without their own; default: the machine's. */
  timeZone?: string;
}

/** Reset times from estimates wobble; closer than this is the same instant. */
const SAME_INSTANT_TOLERANCE_MS = 10 * 60_000;
/** A rolling window has no reset: a threshold re-arms after usage falls this far below it. */
const ROLLING_REARM_MARGIN = 20;
/** Running out a few minutes before the reset blocks nobody: no predictive alert. */
const MIN_BLOCKED_MS = 5 * 60_000;
/** A hit without a reset time still matters for this long. */
const HIT_RELEVANCE_MS = 5 * 3_600_000;

export function emptyAlertState(): AlertState {
  return { version: ALERT_STATE_VERSION, windows: {}, lastLimitHitAt: null, snoozes: [], mutedWindows: [] };
}

// ─── Small helpers ──────────────────────────────────────────────────────────

/** "2026-11-27T15:00Z": minute precision keeps ids short and stable. */
export function instantKey(iso: string): string {
  const value = ms(iso);
  return value === null ? iso : new Date(value).toISOString().slice(0, 16) + 'Z';
}

// Shared with the tray and the CLI so every face rounds alike.
export { formatDuration } from '../status/duration-format.js';

function boundariesOf(window: WindowStatus): { key: string | null; resetsAt: string | null; startsAt: string | null } {
  if (window.anchor === 'rolling') return { key: null, resetsAt: null, startsAt: null };
  const resetsAt = ms(window.resetsAt) === null ? null : window.resetsAt;
  const startsAt = ms(window.startsAt) === null ? null : window.startsAt;
  const key = resetsAt ? instantKey(resetsAt) : startsAt ? instantKey(startsAt) : null;
  return { key, resetsAt, startsAt };
}

/** A window whose reset has passed is stale data, not the current instance. */
function isLive(window: WindowStatus, nowMs: number): boolean {
  const reset = ms(window.resetsAt);
  return reset === null || reset > nowMs;
}

function sameInstance(entry: WindowAlertState, current: ReturnType<typeof boundariesOf>): boolean {
  const entryEnd = ms(entry.resetsAt);
  const currentStart = ms(current.startsAt);
  if (entryEnd !== null) {
    // Starting at or after the known end: a new window. Otherwise the old one
    // still runs and the reset estimate merely moved.
    return !(currentStart !== null && currentStart >= entryEnd - SAME_INSTANT_TOLERANCE_MS);
  }
  const entryStart = ms(entry.startsAt);
  if (entryStart !== null && currentStart !== null) return Math.abs(currentStart - entryStart) <= SAME_INSTANT_TOLERANCE_MS;
  // Missing identity on one side: cannot tell, so keep what was fired.
  return true;
}

function newWindowEntry(boundaries: ReturnType<typeof boundariesOf>): WindowAlertState {
  return {
    instanceKey: boundaries.key,
    resetsAt: boundaries.resetsAt,
    startsAt: boundaries.startsAt,
    firedThresholds: [],
    predictiveFired: false,
    alerted: false,
  };
}

function isSuppressionActive(suppression: AlertSuppression, state: AlertState, nowMs: number): boolean {
  const until = ms(suppression.until);
  if (until !== null && until <= nowMs) return false;
  if (suppression.instanceKey !== null) {
    if (suppression.window === 'all') return false;
    return state.windows[suppression.window]?.instanceKey === suppression.instanceKey;
  }
  // Neither an end time nor an instance: malformed, drop it.
  return until !== null;
}

function suppressionCovers(suppression: AlertSuppression, window: WindowId | null): boolean {
  return suppression.window === 'all' || suppression.window === window;
}

function parseLocalTime(text: string): number | null {
  const match = /^(\d{2}):(\d{2})$/.exec(text);
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}

/** Quiet hours in local time; start after end wraps midnight; start equal to end is off. */
export function isWithinQuietHours(settings: AlertSettings, now: Date, fallbackZone?: string): boolean {
  const quiet = settings.quietHours;
  if (!quiet) return false;
  const start = parseLocalTime(quiet.start);
  const end = parseLocalTime(quiet.end);
  if (start === null || end === null || start === end) return false;
  const minute = minuteOfDay(now.getTime(), quiet.timeZone ?? fallbackZone ?? machineTimeZone());
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

function thresholdsFor(settings: AlertSettings, window: WindowId): number[] {
  return [...new Set(settings.thresholds[window] ?? [])].sort((a, b) => a - b);
}

// ─── Evaluation ─────────────────────────────────────────────────────────────

function isCurrentHit(hit: LimitHit, nowMs: number): boolean {
  const at = ms(hit.at);
  if (at === null) return false;
  const reset = ms(hit.resetsAt);
  return reset !== null ? reset > nowMs : nowMs - at < HIT_RELEVANCE_MS;
}

export function evaluateAlerts(
  status: Status,
  settings: AlertSettings,
  state: AlertState,
  now: Date,
  options: EvaluateOptions = {},
): AlertEvaluation {
  const nowMs = now.getTime();
  const next: AlertState = structuredClone(state);
  const decided: Alert[] = [];

  // 1. Window instances: notice ends (resets), follow the current instance.
  for (const id of WINDOW_IDS) {
    let entry = next.windows[id];
    const window = status.windows[id];
    const live = window && isLive(window, nowMs) ? window : undefined;
    const boundaries = live ? boundariesOf(live) : null;
    const entryEnd = ms(entry?.resetsAt);
    const ended = entry && ((entryEnd !== null && nowMs >= entryEnd) || (boundaries && !sameInstance(entry, boundaries)));
    if (entry && ended) {
      if (entry.alerted && settings.resetNotice) decided.push(resetAlert(id, entry));
      delete next.windows[id];
      entry = undefined;
    }
    if (!boundaries) continue;
    if (!entry) {
      next.windows[id] = newWindowEntry(boundaries);
    } else {
      // Same instance: keep its first-seen key (ids stay stable), follow moved estimates.
      entry.instanceKey ??= boundaries.key;
      entry.resetsAt = boundaries.resetsAt ?? entry.resetsAt;
      entry.startsAt = boundaries.startsAt ?? entry.startsAt;
    }
  }

  // 2. A new limit hit: once per hit, and only while it still blocks.
  const hitWindows = new Set<WindowId>();
  const hit = status.lastLimitHit;
  const hitMs = ms(hit?.at);
  if (hit && hitMs !== null && hitMs > (ms(next.lastLimitHitAt) ?? Number.NEGATIVE_INFINITY)) {
    next.lastLimitHitAt = hit.at;
    if (isCurrentHit(hit, nowMs)) {
      const windowId = WINDOW_OF_HIT[hit.window];
      if (windowId) {
        hitWindows.add(windowId);
        let entry = next.windows[windowId];
        if (!entry && hit.resetsAt) {
          entry = newWindowEntry({ key: instantKey(hit.resetsAt), resetsAt: hit.resetsAt, startsAt: null });
          next.windows[windowId] = entry;
        }
        if (entry) {
          entry.alerted = true;
          if (entry.instanceKey !== null && entry.resetsAt === null) entry.resetsAt = hit.resetsAt;
        }
      }
      if (settings.limitReachedNotice) decided.push(limitReachedAlert(hit, windowId, nowMs));
    }
  }

  // 3. Thresholds and pace, per live window.
  for (const id of WINDOW_IDS) {
    const entry = next.windows[id];
    const window = status.windows[id];
    if (!entry || !window || !isLive(window, nowMs)) continue;
    const percent = window.usedPercent;

    if (percent !== null && Number.isFinite(percent)) {
      if (entry.instanceKey === null) {
        entry.firedThresholds = entry.firedThresholds.filter((threshold) => percent >= threshold - ROLLING_REARM_MARGIN);
      }
      const crossed = thresholdsFor(settings, id).filter((threshold) => percent >= threshold && !entry.firedThresholds.includes(threshold));
      const highest = crossed[crossed.length - 1];
      if (highest !== undefined) {
        entry.firedThresholds = [...entry.firedThresholds, ...crossed].sort((a, b) => a - b);
        entry.alerted = true;
        // The limit-reached notice already says more.
        if (!hitWindows.has(id)) decided.push(thresholdAlert(id, entry, window, highest, nowMs));
      }
    }

    const runOut = ms(window.runsOutAt);
    const reset = ms(window.resetsAt);
    const horizonMs = settings.predictiveMinutes * 60_000;
    if (entry.instanceKey === null && entry.predictiveFired && (runOut === null || runOut - nowMs > 2 * horizonMs)) {
      entry.predictiveFired = false;
    }
    if (horizonMs > 0 && !entry.predictiveFired && runOut !== null && (percent === null || percent < 100)) {
      const untilRunOut = runOut - nowMs;
      const blocksUser = reset === null || reset - runOut >= MIN_BLOCKED_MS;
      if (untilRunOut > 0 && untilRunOut <= horizonMs && blocksUser) {
        entry.predictiveFired = true;
        entry.alerted = true;
        if (!hitWindows.has(id)) decided.push(predictiveAlert(id, entry, window, runOut, nowMs));
      }
    }
  }

  // 4. Drop expired snoozes and pauses, then suppress what they cover.
  next.snoozes = next.snoozes.filter((snooze) => isSuppressionActive(snooze, next, nowMs));
  next.mutedWindows = next.mutedWindows.filter((mute) => isSuppressionActive(mute, next, nowMs));
  const quiet = isWithinQuietHours(settings, now, options.timeZone);
  const alerts: Alert[] = [];
  const suppressed: SuppressedAlert[] = [];
  for (const alert of decided) {
    let reason: SuppressionReason | null = null;
    if (
      (alert.window && options.mutedWindows?.includes(alert.window)) ||
      next.mutedWindows.some((mute) => suppressionCovers(mute, alert.window))
    ) {
      reason = 'paused';
    } else if (next.snoozes.some((snooze) => suppressionCovers(snooze, alert.window))) {
      reason = 'snoozed';
    } else if (quiet) {
      reason = 'quiet-hours';
    }
    if (reason) suppressed.push({ alert, reason });
    else alerts.push(alert);
  }
  return { alerts, suppressed, nextState: next };
}

/**
 * A state in which everything true right now has already been alerted: after
 * a lost or corrupt state file, a restart must not replay old alerts.
 */
export function primeAlertState(status: Status, settings: AlertSettings, now: Date): AlertState {
  return evaluateAlerts(status, settings, emptyAlertState(), now).nextState;
}

// ─── Snooze and pause ───────────────────────────────────────────────────────

export type SnoozeRequest =
  | { window: WindowId | 'all'; minutes: number }
  | { window: WindowId; restOfWindow: true };

/** The current instance of a window: from the state when it has one, else from the status. */
function currentInstance(state: AlertState, status: Status, window: WindowId, nowMs: number): { key: string | null; resetsAt: string | null } {
  const entry = state.windows[window];
  if (entry && (ms(entry.resetsAt) ?? Number.POSITIVE_INFINITY) > nowMs) return { key: entry.instanceKey, resetsAt: entry.resetsAt };
  const live = status.windows[window];
  if (live && isLive(live, nowMs)) {
    const boundaries = boundariesOf(live);
    return { key: boundaries.key, resetsAt: boundaries.resetsAt };
  }
  return { key: null, resetsAt: null };
}

/**
 * Snoozes alerts for N minutes, or for the rest of the window's current
 * instance. A window without known boundaries falls back to `fallbackMinutes`.
 */
export function snoozeAlerts(state: AlertState, request: SnoozeRequest, status: Status, now: Date, fallbackMinutes = 60): AlertState {
  const nowMs = now.getTime();
  const next = structuredClone(state);
  let suppression: AlertSuppression;
  if ('minutes' in request) {
    suppression = { window: request.window, until: new Date(nowMs + Math.max(1, request.minutes) * 60_000).toISOString(), instanceKey: null };
  } else {
    const instance = currentInstance(state, status, request.window, nowMs);
    suppression =
      instance.key === null && instance.resetsAt === null
        ? { window: request.window, until: new Date(nowMs + fallbackMinutes * 60_000).toISOString(), instanceKey: null }
        : { window: request.window, until: instance.resetsAt, instanceKey: instance.key };
  }
  next.snoozes = [...next.snoozes.filter((snooze) => snooze.window !== request.window), suppression];
  return next;
}

export function clearSnoozes(state: AlertState): AlertState {
  return { ...structuredClone(state), snoozes: [] };
}

/** Mutes a window until its current instance ends (or until `until`): set when the user checkpoints and waits. */
export function pauseWindow(state: AlertState, window: WindowId, status: Status, now: Date, until?: Date): AlertState {
  const nowMs = now.getTime();
  const next = structuredClone(state);
  const instance = currentInstance(state, status, window, nowMs);
  const mute: AlertSuppression = until
    ? { window, until: until.toISOString(), instanceKey: null }
    : { window, until: instance.resetsAt ?? new Date(nowMs + HIT_RELEVANCE_MS).toISOString(), instanceKey: instance.key };
  next.mutedWindows = [...next.mutedWindows.filter((entry) => entry.window !== window), mute];
  return next;
}

export function resumeWindow(state: AlertState, window: WindowId): AlertState {
  const next = structuredClone(state);
  next.mutedWindows = next.mutedWindows.filter((entry) => entry.window !== window);
  return next;
}
