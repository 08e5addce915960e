// Human tables fit the terminal: at 80 columns the stated columns give way
// (cache parts, then input/output, models, project…) and text is cut with "…";
// at 120 more is shown. Snapshots of generated data, times in a fixed zone.
import { describe, expect, it } from 'vitest';
import { blocksTable, dailyTable, limitsTable, sessionTable } from '../../src/cli/report-tables.js';
import { buildBlocks } from '../../src/core/usage/session-blocks.js';
import { dailyUsage, sessionUsage, sumGroups } from '../../src/core/usage/usage-reports.js';
import { DAY, HOUR, MIN, fakeBucket, fakeHit, sortedBuckets } from '../support/fake-buckets.js';

const NOW = Date.parse('2026-11-27T16:04:00.000Z');
const buckets = sortedBuckets([
  fakeBucket(NOW - 2 * DAY, { tokens: 1_234_567, costUSD: 12.5, model: 'claude-opus-4-5-20251101', sessionId: 'a1b2c3d4-aaaa', cwd: '/home/dev/projects/a-very-long-project-name/packages/web' }),
  fakeBucket(NOW - DAY - 3 * HOUR, { tokens: 98_000, costUSD: 1.25, sessionId: 'e5f6a7b8-bbbb', cwd: '/home/dev/shop' }),
  fakeBucket(NOW - 50 * MIN, { tokens: 45_000_000, costUSD: 230.75, model: 'claude-opus-4-5-20251101', sessionId: 'e5f6a7b8-bbbb', cwd: '/home/dev/shop' }),
]);
const hits = [
  { ...fakeHit(NOW - DAY, 'five_hour', NOW - DAY + 2 * HOUR, { sessionId: 'e5f6a7b8-bbbb', cwd: '/home/dev/shop' }), text: "You've hit your session limit · resets 3pm (Europe/London) · /upgrade to Max or turn on /extra-usage", usageUpToHit: { tokens: 3_456_789, costUSD: 48.2 } },
  { ...fakeHit(NOW - 3 * HOUR, 'weekly', NOW + 3 * DAY, { sessionId: 'a1b2c3d4-aaaa', cwd: '/home/dev/projects/a-very-long-project-name' }), text: "You've hit your weekly limit · resets Mon 12:00am (UTC)", resetEstimated: true },
];

const widest = (table: string) => Math.max(...table.split('\n').map((line) => [...line].length));

describe.each([80, 120])('tables at %i columns', (columns) => {
  const options = { nowMs: NOW, zone: 'America/New_York', columns };

  it('daily', () => {
    const days = dailyUsage(buckets, { timeZone: 'America/New_York' });
    const table = dailyTable(days, sumGroups(days), options);
    expect(widest(table)).toBeLessThanOrEqual(columns);
    expect(table).toMatchSnapshot();
  });

  it('session', () => {
    const sessions = sessionUsage(buckets, { timeZone: 'America/New_York' });
    const table = sessionTable(sessions, sumGroups(sessions), options);
    expect(widest(table)).toBeLessThanOrEqual(columns);
    expect(table).toMatchSnapshot();
  });

  it('blocks', () => {
    const table = blocksTable(buildBlocks(buckets, NOW), options);
    expect(widest(table)).toBeLessThanOrEqual(columns);
    expect(table).toMatchSnapshot();
  });

  it('limits', () => {
    const table = limitsTable(hits, options);
    expect(widest(table)).toBeLessThanOrEqual(columns);
    expect(table).toMatchSnapshot();
  });
});

it('limits fits in 100 columns, keeping when, which window, the reset, the usage and the message', () => {
  const table = limitsTable(hits, { nowMs: NOW, zone: 'UTC', columns: 100 });
  expect(widest(table)).toBeLessThanOrEqual(100);
  for (const head of ['Hit at', 'Window', 'Resets', 'Used before', 'Message']) expect(table).toContain(head);
});
