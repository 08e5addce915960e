// Parsing the account usage endpoint's answer (pure): the flat per-window
// shape and the newer limits[] array.
import type { WindowId } from '../../shared/status.js';
import { isRecord } from '../json-object.js';
import { type OfficialLimits, type OfficialWindow, WINDOW_IDS, clampPercent, epochMsFromUnix, isWindowId } from './official-limits.js';

// ---------------------------------------------------------------------------
// Parsing (pure)

/** ISO reset time from an ISO string or a unix timestamp; null when absent or unreadable. */
function resetTimeIso(value: unknown): string | null {
  if (typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? null : new Date(ms).toISOString();
  }
  const ms = epochMsFromUnix(value);
  return ms === null ? null : new Date(ms).toISOString();
}

const WINDOW_ALIASES: Readonly<Record<string, WindowId>> = {
  '5h': 'five_hour',
  five_hours: 'five_hour',
  session: 'five_hour',
  '7d': 'seven_day',
  weekly: 'seven_day',
  week: 'seven_day',
  opus: 'seven_day_opus',
  weekly_opus: 'seven_day_opus',
  opus_weekly: 'seven_day_opus',
  '7d_opus': 'seven_day_opus',
  sonnet: 'seven_day_sonnet',
  weekly_sonnet: 'seven_day_sonnet',
  sonnet_weekly: 'seven_day_sonnet',
  '7d_sonnet': 'seven_day_sonnet',
};

/** A window id from a limits[] label such as "five_hour", "Five-Hour" or "weekly_opus"; null otherwise. */
export function windowIdFromLabel(label: unknown): WindowId | null {
  if (typeof label !== 'string') return null;
  const key = label.trim().toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  if (isWindowId(key)) return key;
  return WINDOW_ALIASES[key] ?? null;
}

function firstPresent(item: Record<string, unknown>, keys: readonly string[]): unknown {
  for (const key of keys) if (item[key] !== undefined && item[key] !== null) return item[key];
  return undefined;
}

const LABEL_KEYS = ['id', 'type', 'window', 'name', 'kind'] as const;
const PERCENT_KEYS = ['utilization', 'used_percentage', 'used_percent', 'percent', 'percentage'] as const;
const RESET_KEYS = ['resets_at', 'resetsAt', 'reset_at', 'resetAt'] as const;

/**
 * A per-model weekly window of the newer limits[] form:
 * `{kind: "weekly_scoped", percent, resets_at, scope: {model: {display_name}}, is_active}`.
 * Opus and Sonnet map to their windows; other models (a "Fable") have no window here.
 */
function scopedWindowId(item: Record<string, unknown>): WindowId | null {
  if (item.kind !== 'weekly_scoped' || !isRecord(item.scope) || !isRecord(item.scope.model)) return null;
  const name = item.scope.model.display_name ?? item.scope.model.name ?? item.scope.model.id;
  if (typeof name !== 'string') return null;
  if (/opus/i.test(name)) return 'seven_day_opus';
  if (/sonnet/i.test(name)) return 'seven_day_sonnet';
  return null;
}

function windowFrom(item: Record<string, unknown>, asOf: string): OfficialWindow | null {
  const usedPercent = clampPercent(firstPresent(item, PERCENT_KEYS));
  if (usedPercent === null) return null;
  return { usedPercent, resetsAt: resetTimeIso(firstPresent(item, RESET_KEYS)), asOf };
}

/**
 * Official limits from the endpoint's JSON. Reads the flat shape
 * (`five_hour: {utilization, resets_at}`, …; null windows and unknown keys
 * ignored) and the newer `limits[]` array (labels and field names vary, so
 * several spellings are tried; items that map to no window are ignored).
 * Where both give a window, the flat shape wins: it is the documented one.
 * null when the body is not a JSON object.
 */
export function parseAccountUsage(body: unknown, asOf: Date): OfficialLimits | null {
  if (!isRecord(body)) return null;
  const at = asOf.toISOString();
  const windows: OfficialLimits['windows'] = {};
  for (const id of WINDOW_IDS) {
    const item = body[id];
    if (!isRecord(item)) continue;
    const window = windowFrom(item, at);
    if (window) windows[id] = window;
  }
  if (Array.isArray(body.limits)) {
    for (const item of body.limits) {
      if (!isRecord(item)) continue;
      const id = scopedWindowId(item) ?? LABEL_KEYS.map((key) => windowIdFromLabel(item[key])).find((found) => found !== null);
      if (!id || windows[id]) continue;
      const window = windowFrom(item, at);
      if (window) windows[id] = window;
    }
  }
  return { source: 'account', windows };
}

