// Hand-made usage buckets and limit hits for pure window / status tests.
import { QUARTER_MS, type UsageBucket } from '../../src/core/ingest/usage-index.js';
import type { LimitHit } from '../../src/shared/status.js';

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

export interface FakeBucketOptions {
  /** Total tokens (all counted as input). */
  tokens?: number;
  costUSD?: number;
  model?: string;
  sessionId?: string;
  cwd?: string;
  /** Last activity in the bucket; default: the same instant as `at`. */
  lastMs?: number;
}

/** One bucket with activity at `atMs` (its quarter hour is derived). */
export function fakeBucket(atMs: number, o: FakeBucketOptions = {}): UsageBucket {
  const tokens = o.tokens ?? 1000;
  return {
    quarterMs: Math.floor(atMs / QUARTER_MS) * QUARTER_MS,
    model: o.model ?? 'claude-sonnet-4-5-20250929',
    cwd: o.cwd ?? '/work/project-a',
    sessionId: o.sessionId ?? 'session-1',
    input: tokens,
    output: 0,
    cacheCreation: 0,
    cacheCreation1h: 0,
    cacheRead: 0,
    costUSD: o.costUSD ?? tokens / 1000,
    entries: 1,
    firstMs: atMs,
    lastMs: o.lastMs ?? atMs,
    unpriced: false,
  };
}

/** Sorted by time, as UsageEngine.buckets() returns them. */
export function sortedBuckets(buckets: UsageBucket[]): UsageBucket[] {
  return [...buckets].sort((a, b) => a.quarterMs - b.quarterMs || a.firstMs - b.firstMs);
}

export function fakeHit(atMs: number, window: LimitHit['window'], resetsAtMs: number | null, extra: Partial<LimitHit> = {}): LimitHit {
  return {
    at: new Date(atMs).toISOString(),
    window,
    resetsAt: resetsAtMs === null ? null : new Date(resetsAtMs).toISOString(),
    text: `You've hit your ${window === 'five_hour' ? 'session' : window} limit`,
    sessionId: 'session-1',
    cwd: '/work/project-a',
    ...extra,
  };
}

export const iso = (ms: number): string => new Date(ms).toISOString();
