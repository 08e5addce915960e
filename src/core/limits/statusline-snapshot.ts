// The statusline feed: Claude Code (2.1.80+) hands its statusline command the
// server's own rate-limit percentages on stdin. The bridge records them here
// with writeStatuslineSnapshot; Breather reads them back with
// readStatuslineSnapshot. Official figures, no credentials, no network.
//
// File `<stateDir>/statusline.json`:
//   { "version": 1, "receivedAt": ISO, "session_id": string|null, "cwd": string|null,
//     "rate_limits": { "five_hour": { "used_percentage": 0..100, "resets_at": unix seconds|null }, ... },
//     "model", "claudeCodeVersion", "context_window", "cost": as that report carried them,
//     "lastReport": { "at": ISO, "session_id", "claudeCodeVersion" } }
// The top-level figures are those of the newest report that carried
// rate_limits; `lastReport` is the newest bridge run of any kind (a report
// without rate_limits never erases a figure).
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-file.js';
import type { WindowId } from '../../shared/status.js';
import {
  type OfficialLimits,
  WINDOW_IDS,
  WINDOW_LENGTH_MS,
  clampPercent,
  epochMsFromUnix,
  withoutElapsedWindows,
} from './official-limits.js';
import { isRecord, parseJsonObject } from '../json-object.js';

export const STATUSLINE_SNAPSHOT_FILE = 'statusline.json';
export const STATUSLINE_SNAPSHOT_VERSION = 1;

/** One window as Claude Code gives it, after validation. */
export interface StatuslineRateWindow {
  used_percentage: number;
  /** Unix seconds; null when Claude Code sent none (or garbage). */
  resets_at: number | null;
}

export type StatuslineRateLimits = Partial<Record<WindowId, StatuslineRateWindow>>;

export interface StatuslineSnapshot {
  version: typeof STATUSLINE_SNAPSHOT_VERSION;
  receivedAt: string;
  session_id: string | null;
  cwd: string | null;
  rate_limits: StatuslineRateLimits;
  model?: unknown;
  claudeCodeVersion?: string | null;
  context_window?: unknown;
  cost?: unknown;
  lastReport?: StatuslineReport;
  /** Earlier figures, oldest first (what calibration learns from): pushed when a new figure differs. */
  history?: StatuslineHistoryEntry[];
}

export interface StatuslineHistoryEntry {
  receivedAt: string;
  rate_limits: StatuslineRateLimits;
}

/** Enough for a day of figures that move a few percent at a time. */
const HISTORY_LENGTH = 48;

/** The newest bridge run, with or without figures: proof the bridge works, and which Claude Code ran it. */
export interface StatuslineReport {
  at: string;
  session_id: string | null;
  claudeCodeVersion: string | null;
}

/** What the file holds before any report carried rate_limits: only `lastReport`. */
export interface StatuslineReportOnly {
  version: typeof STATUSLINE_SNAPSHOT_VERSION;
  receivedAt: null;
  rate_limits: Record<string, never>;
  lastReport: StatuslineReport;
}

export function statuslineSnapshotPath(stateDir: string): string {
  return join(stateDir, STATUSLINE_SNAPSHOT_FILE);
}


/**
 * The usable windows of a `rate_limits` object: a window needs a numeric
 * used_percentage (clamped to 0..100); a bad resets_at becomes null. Only known
 * window ids are kept, so a future key Breather cannot interpret is not stored.
 * null when no window is usable.
 */
export function sanitizeRateLimits(value: unknown): StatuslineRateLimits | null {
  if (!isRecord(value)) return null;
  const limits: StatuslineRateLimits = {};
  let usable = 0;
  for (const id of WINDOW_IDS) {
    const window = value[id];
    if (!isRecord(window)) continue;
    const usedPercent = clampPercent(window.used_percentage);
    if (usedPercent === null) continue;
    const resetsAtMs = epochMsFromUnix(window.resets_at);
    limits[id] = { used_percentage: usedPercent, resets_at: resetsAtMs === null ? null : resetsAtMs / 1000 };
    usable += 1;
  }
  return usable > 0 ? limits : null;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/**
 * The snapshot to record for one statusline invocation, or null when the
 * input carries no usable rate limits (older Claude Code, API-key users, the
 * first render of a session): then the previous snapshot stays.
 * Accepts the parsed stdin object or its raw text.
 */
export function statuslineSnapshotFromStdin(stdinJson: unknown, now: Date): StatuslineSnapshot | null {
  let input = stdinJson;
  if (typeof input === 'string') {
    try {
      input = JSON.parse(input);
    } catch {
      return null;
    }
  }
  if (!isRecord(input)) return null;
  const rateLimits = sanitizeRateLimits(input.rate_limits);
  if (rateLimits === null) return null;
  return {
    version: STATUSLINE_SNAPSHOT_VERSION,
    receivedAt: now.toISOString(),
    session_id: stringOrNull(input.session_id),
    cwd: stringOrNull(input.cwd),
    rate_limits: rateLimits,
    model: input.model ?? null,
    claudeCodeVersion: stringOrNull(input.version),
    context_window: input.context_window ?? null,
    cost: input.cost ?? null,
  };
}

function parsedObject(value: unknown): Record<string, unknown> | null {
  if (typeof value === 'string') return parseJsonObject(value);
  return isRecord(value) ? value : null;
}

/**
 * The file content after one bridge run: the newest figures by receive time
 * win (several sessions report at once), a report without rate_limits keeps
 * the figures there are, and `lastReport` always moves on. null when stdin is
 * not a JSON object (nothing to record).
 */
export function mergeStatuslineReport(previous: unknown, stdinJson: unknown, now: Date): StatuslineSnapshot | StatuslineReportOnly | null {
  const input = parsedObject(stdinJson);
  if (input === null) return null;
  const lastReport: StatuslineReport = { at: now.toISOString(), session_id: stringOrNull(input.session_id), claudeCodeVersion: stringOrNull(input.version) };
  const fresh = statuslineSnapshotFromStdin(input, now);
  const prior = isRecord(previous) && previous.version === STATUSLINE_SNAPSHOT_VERSION && typeof previous.receivedAt === 'string' && sanitizeRateLimits(previous.rate_limits) ? previous : null;
  const priorReport = isRecord(previous) && isRecord(previous.lastReport) && typeof previous.lastReport.at === 'string' ? (previous.lastReport as unknown as StatuslineReport) : null;
  const report = priorReport && Date.parse(priorReport.at) > now.getTime() ? priorReport : lastReport;
  const priorIsNewer = prior !== null && Date.parse(prior.receivedAt as string) > now.getTime();
  if (fresh && !priorIsNewer) {
    const earlier = prior ? historyOf(prior) : [];
    const moved = prior && JSON.stringify(prior.rate_limits) !== JSON.stringify(fresh.rate_limits);
    const history = moved ? [...earlier, { receivedAt: prior.receivedAt as string, rate_limits: sanitizeRateLimits(prior.rate_limits)! }].slice(-HISTORY_LENGTH) : earlier;
    return { ...fresh, lastReport: report, ...(history.length > 0 ? { history } : {}) };
  }
  if (prior) return { ...(prior as unknown as StatuslineSnapshot), lastReport: report };
  return { version: STATUSLINE_SNAPSHOT_VERSION, receivedAt: null, rate_limits: {}, lastReport: report };
}

function historyOf(content: Record<string, unknown>): StatuslineHistoryEntry[] {
  if (!Array.isArray(content.history)) return [];
  const entries: StatuslineHistoryEntry[] = [];
  for (const entry of content.history) {
    if (!isRecord(entry) || typeof entry.receivedAt !== 'string' || Number.isNaN(Date.parse(entry.receivedAt))) continue;
    const limits = sanitizeRateLimits(entry.rate_limits);
    if (limits) entries.push({ receivedAt: entry.receivedAt, rate_limits: limits });
  }
  return entries;
}

/** The newest bridge run recorded in the snapshot file, and when its figures were received. */
export async function readStatuslineReport(stateDir: string): Promise<{ lastReport: StatuslineReport | null; figuresReceivedAt: string | null }> {
  try {
    const content: unknown = JSON.parse(await readFile(statuslineSnapshotPath(stateDir), 'utf8'));
    if (!isRecord(content)) return { lastReport: null, figuresReceivedAt: null };
    const report = isRecord(content.lastReport) && typeof content.lastReport.at === 'string' ? (content.lastReport as unknown as StatuslineReport) : null;
    return { lastReport: report, figuresReceivedAt: typeof content.receivedAt === 'string' ? content.receivedAt : null };
  } catch {
    return { lastReport: null, figuresReceivedAt: null };
  }
}

/**
 * Records the rate limits from one statusline stdin payload. Returns whether a
 * snapshot was written; invalid input writes nothing and never throws. Rejects
 * only on a file-system error (the bridge should catch it: a statusline must
 * not break because Breather could not write).
 */
export async function writeStatuslineSnapshot(stateDir: string, stdinJson: unknown, now: Date): Promise<boolean> {
  const snapshot = statuslineSnapshotFromStdin(stdinJson, now);
  if (snapshot === null) return false;
  await mkdir(stateDir, { recursive: true });
  await writeFileAtomic(statuslineSnapshotPath(stateDir), JSON.stringify(snapshot, null, 2) + '\n');
  return true;
}

/**
 * Official limits from a parsed snapshot file, validated again (the file may
 * be hand-edited or from another version). A window that has reset since
 * reads 0 as of its reset, until that is older than the window (then it is
 * dropped, as is a figure with no reset time older than the window). null when
 * the content is not a version-1 snapshot.
 */
export function officialLimitsFromSnapshot(content: unknown, now: Date): OfficialLimits | null {
  if (!isRecord(content) || content.version !== STATUSLINE_SNAPSHOT_VERSION) return null;
  if (typeof content.receivedAt !== 'string') return null;
  const receivedAtMs = Date.parse(content.receivedAt);
  if (Number.isNaN(receivedAtMs)) return null;
  const asOf = new Date(receivedAtMs).toISOString();
  const rateLimits = sanitizeRateLimits(content.rate_limits);
  if (rateLimits === null) return null;
  const limits: OfficialLimits = { source: 'statusline', windows: {} };
  const history: NonNullable<OfficialLimits['history']> = {};
  const points = [...historyOf(content), { receivedAt: asOf, rate_limits: rateLimits }];
  for (const id of WINDOW_IDS) {
    const window = rateLimits[id];
    if (!window) continue;
    const resetsAt = window.resets_at === null ? null : new Date(window.resets_at * 1000).toISOString();
    limits.windows[id] = { usedPercent: window.used_percentage, resetsAt, asOf };
    const resetMs = window.resets_at === null ? null : window.resets_at * 1000;
    if (resetMs !== null && resetMs <= now.getTime()) {
      // The window has reset since: it starts again at 0 (exact at the reset), not at the stale figure. A weekly
      // window's next reset is a week on; a 5-hour window's starts with the next message, so it is unknown.
      const next = id === 'five_hour' ? null : new Date(resetMs + WINDOW_LENGTH_MS[id]).toISOString();
      limits.windows[id] = { usedPercent: 0, resetsAt: next, asOf: new Date(resetMs).toISOString() };
    }
    history[id] = points.flatMap((p) => {
      const w = p.rate_limits[id];
      return w ? [{ atMs: Date.parse(p.receivedAt), usedPercent: w.used_percentage, resetsAtMs: w.resets_at === null ? null : w.resets_at * 1000 }] : [];
    });
  }
  return { ...withoutElapsedWindows(limits, now), history };
}

/**
 * The last recorded official limits, minus windows that have reset since.
 * A snapshot whose windows have all reset gives empty `windows` (the feed
 * works; it has nothing current). Missing or corrupt file: null. Never throws.
 */
export async function readStatuslineSnapshot(stateDir: string, now: Date): Promise<OfficialLimits | null> {
  try {
    const text = await readFile(statuslineSnapshotPath(stateDir), 'utf8');
    return officialLimitsFromSnapshot(JSON.parse(text), now);
  } catch {
    return null;
  }
}
