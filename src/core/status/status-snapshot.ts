// Builds the one status snapshot every face shows (tray, popover, CLI, alerts).
import type { ActiveSession, DataHealth, LimitHit, Status, WindowStatus } from '../../shared/status.js';
import type { UsageBucket } from '../ingest/usage-index.js';
import { activeBlock, blockBurnRate, buildBlocks } from '../usage/session-blocks.js';
import { totalTokensOf } from '../usage/usage-reports.js';

export interface StatusInput {
  buckets: readonly UsageBucket[];
  limitHits: readonly LimitHit[];
  health: DataHealth;
  nowMs: number;
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

export function fiveHourWindowFromBlocks(buckets: readonly UsageBucket[], nowMs: number): WindowStatus {
  const block = activeBlock(buildBlocks(buckets, nowMs));
  const rate = block ? blockBurnRate(block) : null;
  return {
    id: 'five_hour',
    usedPercent: null,
    source: 'none',
    asOf: block ? new Date(block.usage.lastMs).toISOString() : null,
    startsAt: block ? new Date(block.startMs).toISOString() : null,
    resetsAt: block ? new Date(block.endMs).toISOString() : null,
    anchor: 'block',
    tokens: block ? totalTokensOf(block.usage) : 0,
    costUSD: block ? block.usage.costUSD : 0,
    burnRate: rate ? { tokensPerMinute: rate.tokensPerMinute, costPerHour: rate.costPerHour } : null,
    runsOutAt: null,
    minutesLeft: block ? Math.max(0, Math.round((block.endMs - nowMs) / 60_000)) : null,
  };
}

export function buildStatusSnapshot(input: StatusInput): Status {
  return {
    now: new Date(input.nowMs).toISOString(),
    windows: { five_hour: fiveHourWindowFromBlocks(input.buckets, input.nowMs) },
    lastLimitHit: input.limitHits.at(-1) ?? null,
    activeSessions: activeSessionsOf(input.buckets, input.nowMs, input.activeWithinMs ?? DEFAULT_ACTIVE_WITHIN_MS),
    health: input.health,
  };
}
