import { describe, expect, it } from 'vitest';
import { QUARTER_MS, type UsageBucket } from '../../../src/core/ingest/usage-index.js';
import { activeBlock, blockBurnRate, blockProjection, buildBlocks, currentActiveBlock } from '../../../src/core/usage/session-blocks.js';

function bucket(at: string, tokens = 100, model = 'claude-sonnet-4-5'): UsageBucket {
  const ms = Date.parse(at);
  return { quarterMs: Math.floor(ms / QUARTER_MS) * QUARTER_MS, model, cwd: '/p', sessionId: 's', input: tokens, output: 0, cacheCreation: 0, cacheCreation1h: 0, cacheRead: 0, costUSD: tokens / 1000, entries: 1, firstMs: ms, lastMs: ms, unpriced: false };
}
const iso = (ms: number) => new Date(ms).toISOString();

describe('buildBlocks (ccusage rule)', () => {
  it('starts a block at the first activity floored to the hour and ends it 5 h later', () => {
    const [block] = buildBlocks([bucket('2026-11-01T10:47:12.000Z')], Date.parse('2026-11-03T00:00:00Z'));
    expect(iso(block!.startMs)).toBe('2026-11-01T10:00:00.000Z');
    expect(iso(block!.endMs)).toBe('2026-11-01T15:00:00.000Z');
    expect(iso(block!.actualEndMs!)).toBe('2026-11-01T10:47:12.000Z');
  });

  it('opens a new block more than 5 h after the block start even without a gap', () => {
    const times = ['2026-11-01T10:10:00Z', '2026-11-01T12:00:00Z', '2026-11-01T14:30:00Z', '2026-11-01T15:05:00Z'];
    const blocks = buildBlocks(times.map((t) => bucket(t)), Date.parse('2026-11-03T00:00:00Z'));
    expect(blocks.map((b) => [iso(b.startMs), b.isGap, b.usage.input])).toEqual([
      ['2026-11-01T10:00:00.000Z', false, 300],
      ['2026-11-01T15:00:00.000Z', false, 100],
    ]);
  });

  it('inserts a gap block after more than 5 h without activity', () => {
    const blocks = buildBlocks([bucket('2026-11-01T10:15:01Z'), bucket('2026-11-01T16:15:01Z')], Date.parse('2026-11-03T00:00:00Z'));
    expect(blocks.map((b) => [iso(b.startMs), iso(b.endMs), b.isGap])).toEqual([
      ['2026-11-01T10:00:00.000Z', '2026-11-01T15:00:00.000Z', false],
      ['2026-11-01T15:15:01.000Z', '2026-11-01T16:15:01.000Z', true],
      ['2026-11-01T16:00:00.000Z', '2026-11-01T21:00:00.000Z', false],
    ]);
  });

  it('marks the current block active and projects it from its burn rate', () => {
    const now = Date.parse('2026-11-01T11:00:00Z');
    const blocks = buildBlocks([bucket('2026-11-01T10:00:00Z', 600), bucket('2026-11-01T10:30:00Z', 600)], now);
    const active = activeBlock(blocks)!;
    expect(active.isActive).toBe(true);
    const rate = blockBurnRate(active)!;
    expect(rate.tokensPerMinute).toBeCloseTo(1200 / 30);
    expect(rate.costPerHour).toBeCloseTo((1.2 / 30) * 60);
    const projection = blockProjection(active, now)!;
    expect(projection.remainingMinutes).toBe(240);
    expect(projection.totalTokens).toBe(Math.round(1200 + (1200 / 30) * 240));
  });

  it('has no active block once 5 h passed since the last activity', () => {
    const blocks = buildBlocks([bucket('2026-11-01T10:00:00Z')], Date.parse('2026-11-01T15:00:01Z'));
    expect(activeBlock(blocks)).toBeNull();
  });
});

describe('currentActiveBlock', () => {
  it('finds the same active block as building every block, on random histories', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 200; round++) {
      const buckets: UsageBucket[] = [];
      let t = Date.parse('2026-11-01T00:00:00Z');
      const n = 1 + Math.floor(random() * 40);
      for (let i = 0; i < n; i++) {
        t += Math.floor(random() * (random() < 0.2 ? 7 : 1.5) * 3_600_000);
        buckets.push(bucket(new Date(t).toISOString(), 1 + Math.floor(random() * 100)));
      }
      buckets.sort((a, b) => a.quarterMs - b.quarterMs || a.firstMs - b.firstMs);
      const now = t + Math.floor(random() * 6 * 3_600_000);
      const expected = activeBlock(buildBlocks(buckets, now));
      const actual = currentActiveBlock(buckets, now);
      expect(actual === null ? null : [actual.startMs, actual.usage.input]).toEqual(expected === null ? null : [expected.startMs, expected.usage.input]);
    }
  });
});
