import { describe, expect, it } from 'vitest';
import { QUARTER_MS, type UsageBucket } from '../../../src/core/ingest/usage-index.js';
import { parseDayOption } from '../../../src/core/usage/calendar.js';
import { costOfResponse, normaliseModelName } from '../../../src/core/usage/pricing.js';
import { dailyUsage, sessionUsage, sumGroups } from '../../../src/core/usage/usage-reports.js';

function bucket(at: string, input: number, model = 'claude-sonnet-4-5', sessionId = 's1'): UsageBucket {
  const ms = Date.parse(at);
  return { quarterMs: Math.floor(ms / QUARTER_MS) * QUARTER_MS, model, cwd: '/p', sessionId, input, output: 1, cacheCreation: 0, cacheCreation1h: 0, cacheRead: 0, costUSD: 0.5, entries: 1, firstMs: ms, lastMs: ms, unpriced: false };
}

describe('dailyUsage', () => {
  const buckets = [bucket('2026-11-01T18:20:00Z', 1), bucket('2026-11-01T18:40:00Z', 2, 'claude-opus-4-1'), bucket('2026-11-02T01:00:00Z', 4)];

  it('groups by calendar day in the chosen time zone, half-hour offsets included', () => {
    expect(dailyUsage(buckets, { timeZone: 'UTC' }).map((d) => [d.key, d.input])).toEqual([['2026-11-01', 3], ['2026-11-02', 4]]);
    // India is UTC+5:30: 18:20Z is 23:50 on the 1st, 18:40Z is 00:10 on the 2nd.
    expect(dailyUsage(buckets, { timeZone: 'Asia/Kolkata' }).map((d) => [d.key, d.input])).toEqual([['2026-11-01', 1], ['2026-11-02', 6]]);
  });

  it('filters by --since and --until, inclusive', () => {
    expect(dailyUsage(buckets, { timeZone: 'UTC', since: '2026-11-02' }).map((d) => d.key)).toEqual(['2026-11-02']);
    expect(dailyUsage(buckets, { timeZone: 'UTC', until: '2026-11-01' }).map((d) => d.key)).toEqual(['2026-11-01']);
  });

  it('breaks days down by model and sums totals', () => {
    const days = dailyUsage(buckets, { timeZone: 'UTC' });
    expect(days[0]!.models.map((m) => [m.model, m.input])).toEqual([['claude-sonnet-4-5', 1], ['claude-opus-4-1', 2]]);
    expect(sumGroups(days).input).toBe(7);
    expect(sumGroups(days).costUSD).toBeCloseTo(1.5);
  });

  it('groups sessions', () => {
    const sessions = sessionUsage([bucket('2026-11-01T10:00:00Z', 1, 'm', 'a'), bucket('2026-11-01T11:00:00Z', 2, 'm', 'b'), bucket('2026-11-01T12:00:00Z', 4, 'm', 'a')], { timeZone: 'UTC' });
    expect(sessions.map((s) => [s.key, s.input])).toEqual([['b', 2], ['a', 5]]);
  });
});

describe('parseDayOption', () => {
  it('accepts YYYY-MM-DD and YYYYMMDD and rejects impossible dates', () => {
    expect(parseDayOption('2026-02-28', '--since')).toBe('2026-02-28');
    expect(parseDayOption('20260228', '--since')).toBe('2026-02-28');
    expect(() => parseDayOption('2026-02-30', '--since')).toThrow(/not a real date/);
    expect(() => parseDayOption('last week', '--until')).toThrow(/--until expects/);
  });
});

describe('pricing', () => {
  const usage = { input: 1_000_000, output: 0, cacheCreation: 0, cacheCreation1h: 0, cacheRead: 0 };

  it('prices by model family, dated or provider-prefixed', () => {
    expect(costOfResponse('claude-opus-4-1-20250805', usage)).toBeCloseTo(15);
    expect(costOfResponse('us.anthropic.claude-haiku-4-5-20251001-v1:0', usage)).toBeCloseTo(1);
    expect(normaliseModelName('claude-sonnet-4-5@20250929')).toBe('claude-sonnet-4-5');
  });

  it('reports an unknown model as unpriced, not $0', () => {
    expect(costOfResponse('claude-fable-1', usage)).toBeNull();
  });

  it('bills 1-hour cache writes at the 1-hour rate and 5-minute ones at the 5-minute rate', () => {
    const cost = costOfResponse('claude-sonnet-4-5', { input: 0, output: 0, cacheCreation: 100_000, cacheCreation1h: 25_000, cacheRead: 0 });
    expect(cost).toBeCloseTo((75_000 * 3.75 + 25_000 * 6) / 1e6);
  });

  it('bills a whole request above 200k input tokens at the long-context rates where the model has them', () => {
    const big = { input: 150_000, output: 1_000, cacheCreation: 0, cacheCreation1h: 0, cacheRead: 100_000 };
    expect(costOfResponse('claude-sonnet-4-5', big)).toBeCloseTo((150_000 * 6 + 1_000 * 22.5 + 100_000 * 0.6) / 1e6);
    expect(costOfResponse('claude-sonnet-4-6', big)).toBeCloseTo((150_000 * 3 + 1_000 * 15 + 100_000 * 0.3) / 1e6);
  });
});
