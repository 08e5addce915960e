// Builds the one status snapshot every face shows (tray, popover, CLI, alerts).
import type { WeeklyResetAnchor } from '../../shared/settings.js';
import type { ActiveSession, DataHealth, LimitHit, Status } from '../../shared/status.js';
import type { UsageBucket } from '../ingest/usage-index.js';
import { learnCaps } from '../limits/learned-caps.js';
import type { PlanPreset } from '../limits/plan-presets.js';
import type { OfficialLimits } from '../limits/official-limits.js';
import { buildWindows, distinctHits, withUsageUpToHit } from '../limits/usage-windows.js';
import { bucketsUpTo } from '../usage/session-blocks.js';

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
}

const DEFAULT_ACTIVE_WITHIN_MS = 30 * 60 * 1000;

export function activeSessionsOf(buckets: readonly UsageBucket[], nowMs: number, withinMs: number): ActiveSession[] {
  const latest = new Map<string, { cwd: string; lastMs: number }>();
  for (const b of buckets) {
    if (nowMs - b.lastMs > withinMs) continue;
    const seen = latest.get(b.sessionId);
    if (!seen || b.lastMs > seen.lastMs) latest.set(b.sessionId, { cwd: b.cwd, lastMs: b.lastMs });
  }
  return [...latest.entries()]
    .sort((a, b) => b[1].lastMs - a[1].lastMs)
    .map(([sessionId, s]) => ({ sessionId, cwd: s.cwd, lastActivity: new Date(s.lastMs).toISOString() }));
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

/** Limit hits, de-duplicated, each with its window's usage up to the hit. */
export function annotatedLimitHits(raw: readonly LimitHit[], buckets: readonly UsageBucket[]): LimitHit[] {
  return withUsageUpToHit(distinctHits(raw), buckets);
}

export function buildStatusSnapshot(input: StatusInput): Status {
  // A record stamped ahead of the clock counts once its time comes, never before.
  const buckets = bucketsUpTo(input.buckets, input.nowMs);
  const hits = annotatedLimitHits(input.limitHits, buckets);
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
    activeSessions: activeSessionsOf(buckets, input.nowMs, input.activeWithinMs ?? DEFAULT_ACTIVE_WITHIN_MS),
    health: input.health,
  };
}
