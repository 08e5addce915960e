// Builds the one status snapshot every face shows (tray, popover, CLI, alerts).
import type { WeeklyResetAnchor } from '../../shared/settings.js';
import type { ActiveSession, DataHealth, LimitHit, Status } from '../../shared/status.js';
import type { UsageBucket } from '../ingest/usage-index.js';
import { learnCaps } from '../limits/learned-caps.js';
import type { PlanPreset } from '../limits/plan-presets.js';
import type { OfficialLimits } from '../limits/official-limits.js';
import { isHitBlocking } from '../limits/limit-state.js';
import { resolveHitResets } from '../limits/reset-resolution.js';
import { buildWindows, distinctHits, withUsageUpToHit } from '../limits/usage-windows.js';
import { bucketsUpTo } from '../usage/session-blocks.js';
import type { SessionActivity } from './session-activity.js';

export interface StatusInput {
  buckets: readonly UsageBucket[];
  limitHits: readonly LimitHit[];
  health: DataHealth;
  nowMs: number;
  official?: readonly OfficialLimits[];
  plan?: PlanPreset | null;
  weeklyAnchor?: WeeklyResetAnchor | null;
  /** Sessions with activity this recent count as active. */
  activeWithinMs?: number;
  /**
   * Each session's newest record of any kind (session-activity.ts). Without it
   * only usage-bearing replies show activity (pure tests, old callers).
   */
  activity?: readonly SessionActivity[];
  /** The zone bare reset times are read in; default this machine's (now, not when indexed). */
  timeZone?: string;
}

const DEFAULT_ACTIVE_WITHIN_MS = 30 * 60 * 1000;

/** Each session's last usage-bearing reply, as activity (when no transcript tails were read). */
function bucketActivity(buckets: readonly UsageBucket[]): SessionActivity[] {
  const latest = new Map<string, SessionActivity>();
  for (const b of buckets) {
    const seen = latest.get(b.sessionId);
    if (!seen || b.lastMs > seen.lastMs) latest.set(b.sessionId, { sessionId: b.sessionId, cwd: b.cwd, lastMs: b.lastMs, path: '' });
  }
  return [...latest.values()];
}

/** Activity from transcript tails, a missing cwd filled in from the session's usage. */
function withBucketCwd(activity: readonly SessionActivity[] | undefined, buckets: readonly UsageBucket[]): SessionActivity[] {
  const fromBuckets = bucketActivity(buckets);
  if (!activity) return fromBuckets;
  const cwdOf = new Map(fromBuckets.map((a) => [a.sessionId, a.cwd]));
  return activity.map((a) => (a.cwd ? a : { ...a, cwd: cwdOf.get(a.sessionId) ?? null }));
}

/**
 * Active: a record within `withinMs`, or a limit message whose limit has not
 * reset yet (the user is waiting for it, however long ago the work stopped).
 * Newest first.
 */
export function activeSessionsFrom(activity: readonly SessionActivity[], hits: readonly LimitHit[], nowMs: number, withinMs: number): ActiveSession[] {
  const sessions = new Map<string, ActiveSession & { lastMs: number }>();
  const add = (sessionId: string, cwd: string | null, lastMs: number, limitResetsAt?: string | null) => {
    const seen = sessions.get(sessionId);
    if (seen) {
      if (lastMs > seen.lastMs) Object.assign(seen, { lastMs, lastActivity: new Date(lastMs).toISOString() });
      if (cwd && !seen.cwd) seen.cwd = cwd;
      if (limitResetsAt !== undefined) seen.limitResetsAt = limitResetsAt;
      return;
    }
    const session: ActiveSession & { lastMs: number } = { sessionId, cwd: cwd ?? '', lastActivity: new Date(lastMs).toISOString(), lastMs };
    if (limitResetsAt !== undefined) session.limitResetsAt = limitResetsAt;
    sessions.set(sessionId, session);
  };
  const byId = new Map(activity.map((a) => [a.sessionId, a]));
  for (const a of activity) if (nowMs - a.lastMs <= withinMs && a.lastMs <= nowMs + 60_000) add(a.sessionId, a.cwd, a.lastMs);
  for (const hit of hits) {
    if (!hit.sessionId || !isHitBlocking(hit, nowMs)) continue;
    const known = byId.get(hit.sessionId);
    add(hit.sessionId, known?.cwd ?? hit.cwd, Math.max(known?.lastMs ?? 0, Date.parse(hit.at)), hit.resetsAt);
  }
  return [...sessions.values()]
    .filter((s) => s.cwd !== '')
    .sort((a, b) => b.lastMs - a.lastMs)
    .map(({ lastMs: _lastMs, ...session }) => session);
}

/** Retries after a hit repeat it; only the first hit of each window instance is a sample of the cap. */
export function firstHitPerWindow(hits: readonly LimitHit[]): LimitHit[] {
  const seen = new Set<string>();
  return hits.filter((hit) => {
    const key = `${hit.window}\u0000${hit.resetsAt ?? hit.at}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Limit hits with their reset resolved now, in this run's zone (never the zone
 * of the run that indexed them), de-duplicated, each with its window's usage up to the hit.
 */
export function annotatedLimitHits(raw: readonly LimitHit[], buckets: readonly UsageBucket[], timeZone?: string): LimitHit[] {
  return withUsageUpToHit(distinctHits(resolveHitResets(raw, timeZone)), buckets);
}

export function buildStatusSnapshot(input: StatusInput): Status {
  // A record stamped ahead of the clock counts once its time comes, never before.
  const buckets = bucketsUpTo(input.buckets, input.nowMs);
  const hits = annotatedLimitHits(input.limitHits, buckets, input.timeZone);
  const learned = learnCaps(
    firstHitPerWindow(hits).map((hit) => ({ window: hit.window, usageUpToHit: hit.usageUpToHit ?? { tokens: 0, costUSD: 0 }, at: hit.at })),
  );
  return {
    now: new Date(input.nowMs).toISOString(),
    windows: buildWindows({
      buckets,
      limitHits: hits,
      official: input.official ?? [],
      learned,
      plan: input.plan ?? null,
      weeklyAnchor: input.weeklyAnchor ?? null,
      nowMs: input.nowMs,
    }),
    lastLimitHit: hits.at(-1) ?? null,
    activeSessions: activeSessionsFrom(withBucketCwd(input.activity, buckets), hits, input.nowMs, input.activeWithinMs ?? DEFAULT_ACTIVE_WITHIN_MS),
    health: input.health,
  };
}
