// The server's own limit percentages, from either official source: the
// statusline feed (no network) or the opt-in account usage endpoint. Both
// readers return this one shape so the status builder can treat them alike.
import type { LimitWindowKind, WindowId } from '../../shared/status.js';

export type OfficialLimitSource = 'statusline' | 'account';

export interface OfficialWindow {
  /** 0..100, as the server reported it. */
  usedPercent: number;
  /** ISO time the window resets; null when the source did not say. */
  resetsAt: string | null;
  /** ISO time the figure was true (received or fetched). */
  asOf: string;
}

/** One official figure in a series (the statusline keeps the recent ones): what calibration learns from. */
export interface OfficialPoint {
  atMs: number;
  usedPercent: number;
  resetsAtMs: number | null;
}

export interface OfficialLimits {
  source: OfficialLimitSource;
  windows: Partial<Record<WindowId, OfficialWindow>>;
  /** Consecutive figures per window, oldest first, the current one last (statusline only). */
  history?: Partial<Record<WindowId, OfficialPoint[]>>;
}

export const WINDOW_IDS: readonly WindowId[] = ['five_hour', 'seven_day', 'seven_day_opus', 'seven_day_sonnet'];

/** The window a limit-hit message names; extra usage and unnamed limits belong to none. */
export const WINDOW_OF_HIT: Readonly<Record<LimitWindowKind, WindowId | null>> = {
  five_hour: 'five_hour',
  weekly: 'seven_day',
  opus: 'seven_day_opus',
  sonnet: 'seven_day_sonnet',
  overage: null,
  unknown: null,
};

/** The limit-hit kind of each window (what its hits, and caps learned from them, are called). */
export const HIT_KIND_OF_WINDOW: Readonly<Record<WindowId, LimitWindowKind>> = {
  five_hour: 'five_hour',
  seven_day: 'weekly',
  seven_day_opus: 'opus',
  seven_day_sonnet: 'sonnet',
};

const HOUR_MS = 3_600_000;

/** Each window's length: an upper bound on how long any one figure can stay true. */
export const WINDOW_LENGTH_MS: Readonly<Record<WindowId, number>> = {
  five_hour: 5 * HOUR_MS,
  seven_day: 7 * 24 * HOUR_MS,
  seven_day_opus: 7 * 24 * HOUR_MS,
  seven_day_sonnet: 7 * 24 * HOUR_MS,
};

export function isWindowId(value: unknown): value is WindowId {
  return typeof value === 'string' && (WINDOW_IDS as readonly string[]).includes(value);
}

/** A finite number clamped to 0..100; anything else (strings, NaN, null) is no percentage. */
export function clampPercent(value: unknown): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  return Math.min(100, Math.max(0, value));
}

/**
 * Epoch milliseconds from a unix timestamp. Claude Code sends seconds; a value
 * of 1e12 or more can only be milliseconds (seconds that large are year 33658).
 */
export function epochMsFromUnix(value: unknown): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return null;
  return value >= 1e12 ? value : value * 1000;
}

/**
 * Drops windows that have certainly reset since their figure was taken: the
 * reset time has passed, or (reset unknown) the figure is older than the window.
 */
export function withoutElapsedWindows(limits: OfficialLimits, now: Date): OfficialLimits {
  const nowMs = now.getTime();
  const windows: OfficialLimits['windows'] = {};
  for (const id of WINDOW_IDS) {
    const window = limits.windows[id];
    if (!window) continue;
    if (window.resetsAt !== null) {
      if (Date.parse(window.resetsAt) <= nowMs) continue;
    } else if (nowMs - Date.parse(window.asOf) >= WINDOW_LENGTH_MS[id]) {
      continue;
    }
    windows[id] = window;
  }
  return { source: limits.source, windows };
}
