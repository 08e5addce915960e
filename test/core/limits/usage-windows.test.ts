import { describe, expect, it } from 'vitest';
import type { UsageBucket } from '../../../src/core/ingest/usage-index.js';
import { learnCaps } from '../../../src/core/limits/learned-caps.js';
import type { OfficialLimits } from '../../../src/core/limits/official-limits.js';
import { PLAN_PRESETS } from '../../../src/core/limits/plan-presets.js';
import {
  buildWindow,
  buildWindows,
  distinctHits,
  nextWeeklyAnchor,
  trailingBurnRate,
  withUsageUpToHit,
  type WindowInputs,
} from '../../../src/core/limits/usage-windows.js';
import { activeBlock, buildBlocks } from '../../../src/core/usage/session-blocks.js';
import { buildStatusSnapshot } from '../../../src/core/status/status-snapshot.js';
import type { WeeklyResetAnchor } from '../../../src/shared/settings.js';
import type { DataHealth } from '../../../src/shared/status.js';
import { DAY, HOUR, MIN, fakeBucket, fakeHit, iso, sortedBuckets } from '../../support/fake-buckets.js';

/** Friday 2026-11-27 12:00 UTC (London is on UTC then, New York on UTC-5). */
const NOW = Date.parse('2026-11-27T12:00:00.000Z');

function inputs(overrides: Partial<WindowInputs> = {}): WindowInputs {
  return { buckets: [], limitHits: [], official: [], learned: {}, plan: null, weeklyAnchor: null, nowMs: NOW, ...overrides };
}

function official(source: OfficialLimits['source'], windows: OfficialLimits['windows']): OfficialLimits {
  return { source, windows };
}

const asOf = iso(NOW - 2 * MIN);
const sum = (buckets: readonly UsageBucket[], key: 'costUSD' | 'input') => buckets.reduce((total, b) => total + b[key], 0);

// Activity 10:05–11:50 today: the ccusage block is 10:00–15:00.
const today = sortedBuckets([
  fakeBucket(NOW - 115 * MIN, { tokens: 4000, costUSD: 4 }),
  fakeBucket(NOW - 60 * MIN, { tokens: 2000, costUSD: 2 }),
  fakeBucket(NOW - 10 * MIN, { tokens: 1000, costUSD: 1 }),
]);
// Two days ago (in the week, not in the 5-hour window).
const earlierThisWeek = fakeBucket(NOW - 2 * DAY, { tokens: 50_000, costUSD: 50 });
// Eight days ago (outside every window).
const lastWeek = fakeBucket(NOW - 8 * DAY, { tokens: 70_000, costUSD: 70 });

describe('five_hour window boundaries', () => {
  it('anchors on the statusline reset, which beats the account endpoint', () => {
    const statuslineReset = NOW + 90 * MIN;
    const accountReset = NOW + 100 * MIN;
    const w = buildWindow(
      'five_hour',
      inputs({
        buckets: today,
        official: [
          official('statusline', { five_hour: { usedPercent: 40, resetsAt: iso(statuslineReset), asOf } }),
          official('account', { five_hour: { usedPercent: 70, resetsAt: iso(accountReset), asOf: iso(NOW) } }),
        ],
      }),
    );
    expect(w).toMatchObject({ anchor: 'statusline', source: 'statusline', usedPercent: 40, asOf, confidence: 1 });
    expect(w.resetsAt).toBe(iso(statuslineReset));
    expect(w.startsAt).toBe(iso(statuslineReset - 5 * HOUR));
  });

  it('falls back to the account figure when the statusline has no current five_hour window', () => {
    const accountReset = NOW + 100 * MIN;
    const account = official('account', { five_hour: { usedPercent: 70, resetsAt: iso(accountReset), asOf: iso(NOW) } });
    // Statusline only knows the week; and a statusline five_hour that already reset says nothing.
    for (const statusline of [
      official('statusline', { seven_day: { usedPercent: 10, resetsAt: iso(NOW + 3 * DAY), asOf } }),
      official('statusline', { five_hour: { usedPercent: 99, resetsAt: iso(NOW - MIN), asOf } }),
    ]) {
      const w = buildWindow('five_hour', inputs({ buckets: today, official: [statusline, account] }));
      expect(w).toMatchObject({ anchor: 'account', source: 'account', usedPercent: 70, resetsAt: iso(accountReset), confidence: 1 });
    }
  });

  it('without an official reset, anchors on a limit hit whose reset is still ahead', () => {
    const reset = NOW + 3 * HOUR;
    const w = buildWindow('five_hour', inputs({ buckets: today, limitHits: [fakeHit(NOW - 5 * MIN, 'five_hour', reset)] }));
    expect(w).toMatchObject({ anchor: 'limit-hit', resetsAt: iso(reset), startsAt: iso(reset - 5 * HOUR) });
  });

  it('ignores hits whose reset passed, and weekly hits, then uses the active ccusage block', () => {
    const w = buildWindow(
      'five_hour',
      inputs({
        buckets: today,
        limitHits: [fakeHit(NOW - 7 * HOUR, 'five_hour', NOW - 3 * HOUR), fakeHit(NOW - HOUR, 'weekly', NOW + 2 * DAY)],
      }),
    );
    // Oracle: the ccusage block builder on the same buckets.
    const block = activeBlock(buildBlocks(today, NOW))!;
    expect(w.anchor).toBe('block');
    expect(w.startsAt).toBe(iso(block.startMs));
    expect(w.resetsAt).toBe(iso(block.endMs));
    expect(w.startsAt).toBe('2026-11-27T10:00:00.000Z');
    expect(w.tokens).toBe(sum(today, 'input'));
    expect(w.costUSD).toBeCloseTo(sum(today, 'costUSD'), 10);
  });

  it('has no boundaries and no usage when nothing is active', () => {
    const w = buildWindow('five_hour', inputs({ buckets: [fakeBucket(NOW - 6 * HOUR)] }));
    expect(w).toMatchObject({ anchor: 'block', startsAt: null, resetsAt: null, tokens: 0, costUSD: 0, burnRate: null, runsOutAt: null, minutesLeft: null });
  });
});

describe('seven_day window boundaries', () => {
  const week = sortedBuckets([lastWeek, earlierThisWeek, ...today]);

  it('anchors on the official reset first', () => {
    const reset = NOW + 2 * DAY;
    const w = buildWindow(
      'seven_day',
      inputs({
        buckets: week,
        limitHits: [fakeHit(NOW - HOUR, 'weekly', NOW + 4 * DAY)],
        weeklyAnchor: { weekday: 'mon', time: '09:00', timeZone: 'UTC' },
        official: [official('account', { seven_day: { usedPercent: 33, resetsAt: iso(reset), asOf } })],
      }),
    );
    expect(w).toMatchObject({ anchor: 'account', source: 'account', resetsAt: iso(reset), startsAt: iso(reset - 7 * DAY), usedPercent: 33 });
  });

  it('then on a weekly hit whose reset is ahead (before the user anchor)', () => {
    const reset = NOW + 4 * DAY;
    const w = buildWindow(
      'seven_day',
      inputs({ buckets: week, limitHits: [fakeHit(NOW - HOUR, 'weekly', reset)], weeklyAnchor: { weekday: 'mon', time: '09:00', timeZone: 'UTC' } }),
    );
    expect(w).toMatchObject({ anchor: 'limit-hit', resetsAt: iso(reset), startsAt: iso(reset - 7 * DAY) });
  });

  it('then on the user weekly anchor, in its own zone', () => {
    // Monday 09:00 in New York (EST, UTC-5) = 14:00 UTC, three days after Friday.
    const w = buildWindow('seven_day', inputs({ buckets: week, weeklyAnchor: { weekday: 'mon', time: '09:00', timeZone: 'America/New_York' } }));
    expect(w).toMatchObject({ anchor: 'user-anchor', resetsAt: '2026-11-30T14:00:00.000Z', startsAt: '2026-11-23T14:00:00.000Z' });
    // The window covers this week's usage but not last week's.
    expect(w.tokens).toBe(earlierThisWeek.input + sum(today, 'input'));
  });

  it('else is a rolling 7 days with no reset', () => {
    const w = buildWindow('seven_day', inputs({ buckets: week, limitHits: [fakeHit(NOW - 9 * DAY, 'weekly', NOW - 2 * DAY)] }));
    expect(w).toMatchObject({ anchor: 'rolling', resetsAt: null, startsAt: iso(NOW - 7 * DAY) });
    expect(w.tokens).toBe(earlierThisWeek.input + sum(today, 'input'));
    expect(w.costUSD).toBeCloseTo(earlierThisWeek.costUSD + sum(today, 'costUSD'), 10);
  });
});

describe('nextWeeklyAnchor', () => {
  /** Independent oracle: the wall clock in a zone, from Intl. */
  function wall(ms: number, zone: string): { weekday: string; time: string } {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-GB', { timeZone: zone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
        .formatToParts(new Date(ms))
        .map((p) => [p.type, p.value]),
    );
    return { weekday: String(parts.weekday).toLowerCase().slice(0, 3), time: `${parts.hour}:${parts.minute}` };
  }

  it('is the next instant whose wall clock in the zone matches, within a week', () => {
    const anchors: WeeklyResetAnchor[] = [
      { weekday: 'mon', time: '09:00', timeZone: 'America/New_York' },
      { weekday: 'fri', time: '13:30', timeZone: 'Europe/London' }, // today, still ahead
      { weekday: 'fri', time: '11:00', timeZone: 'Europe/London' }, // today, passed: next week
      { weekday: 'sat', time: '00:00', timeZone: 'Asia/Tokyo' },
      { weekday: 'sun', time: '02:30', timeZone: 'Australia/Sydney' },
    ];
    const nows = [NOW, Date.parse('2027-03-27T12:00:00Z'), Date.parse('2027-10-30T23:59:00Z')]; // incl. DST weekends
    for (const nowMs of nows) {
      for (const anchor of anchors) {
        const next = nextWeeklyAnchor(anchor, nowMs)!;
        expect(next, JSON.stringify({ anchor, now: iso(nowMs) })).not.toBeNull();
        expect(next).toBeGreaterThan(nowMs);
        expect(next - nowMs).toBeLessThanOrEqual(7 * DAY + HOUR);
        expect(wall(next, anchor.timeZone!)).toEqual({ weekday: anchor.weekday, time: anchor.time });
        // Nothing earlier qualifies: the same wall time a week before (± a DST hour) is not ahead.
        expect(next - 7 * DAY).toBeLessThanOrEqual(nowMs + HOUR);
      }
    }
  });

  it('picks today when the time is still ahead and next week when it has passed', () => {
    expect(nextWeeklyAnchor({ weekday: 'fri', time: '13:30', timeZone: 'Europe/London' }, NOW)).toBe(Date.parse('2026-11-27T13:30:00Z'));
    expect(nextWeeklyAnchor({ weekday: 'fri', time: '11:00', timeZone: 'Europe/London' }, NOW)).toBe(Date.parse('2026-12-04T11:00:00Z'));
    expect(nextWeeklyAnchor({ weekday: 'fri', time: '12:00', timeZone: 'UTC' }, NOW)).toBe(NOW + 7 * DAY);
  });
});

describe('per-model weekly windows', () => {
  const mixed = sortedBuckets([
    fakeBucket(NOW - 2 * DAY, { tokens: 10_000, costUSD: 30, model: 'claude-opus-4-1-20250805' }),
    fakeBucket(NOW - DAY, { tokens: 20_000, costUSD: 6, model: 'claude-sonnet-4-5-20250929' }),
    fakeBucket(NOW - 30 * MIN, { tokens: 3000, costUSD: 9, model: 'claude-opus-4-1-20250805' }),
  ]);

  it('exist only where the data names them', () => {
    expect(Object.keys(buildWindows(inputs({ buckets: mixed, plan: PLAN_PRESETS.pro })))).toEqual(['five_hour', 'seven_day']);
  });

  it('an official opus window names the opus window only', () => {
    const windows = buildWindows(
      inputs({ buckets: mixed, official: [official('statusline', { seven_day_opus: { usedPercent: 12, resetsAt: iso(NOW + 3 * DAY), asOf } })] }),
    );
    expect(Object.keys(windows).sort()).toEqual(['five_hour', 'seven_day', 'seven_day_opus']);
    expect(windows.seven_day_opus).toMatchObject({ source: 'statusline', usedPercent: 12, anchor: 'statusline' });
    // Only Opus usage counts in the Opus window.
    expect(windows.seven_day_opus!.tokens).toBe(13_000);
    expect(windows.seven_day_opus!.costUSD).toBeCloseTo(39, 10);
  });

  it('an opus hit or a learned sonnet cap name their windows', () => {
    const fromHit = buildWindows(inputs({ buckets: mixed, limitHits: [fakeHit(NOW - HOUR, 'opus', NOW + 2 * DAY)] }));
    expect(Object.keys(fromHit).sort()).toEqual(['five_hour', 'seven_day', 'seven_day_opus']);
    expect(fromHit.seven_day_opus).toMatchObject({ anchor: 'limit-hit', resetsAt: iso(NOW + 2 * DAY) });

    const fromCap = buildWindows(inputs({ buckets: mixed, learned: learnCaps([{ window: 'sonnet', usageUpToHit: { costUSD: 24, tokens: 1 } }]) }));
    expect(Object.keys(fromCap).sort()).toEqual(['five_hour', 'seven_day', 'seven_day_sonnet']);
    expect(fromCap.seven_day_sonnet).toMatchObject({ source: 'learned', tokens: 20_000 });
    expect(fromCap.seven_day_sonnet!.usedPercent).toBeCloseTo((6 / 24) * 100, 1);
  });
});

describe('source precedence: statusline > account > learned > plan > none', () => {
  const buckets = today; // $7 in the 5-hour window
  const statusline = official('statusline', { five_hour: { usedPercent: 41, resetsAt: iso(NOW + 3 * HOUR), asOf } });
  const account = official('account', { five_hour: { usedPercent: 52, resetsAt: iso(NOW + 3 * HOUR), asOf: iso(NOW - MIN) } });
  const learned = learnCaps([10, 20, 60].map((costUSD) => ({ window: 'five_hour' as const, usageUpToHit: { costUSD, tokens: costUSD * 1000 } })));
  const plan = PLAN_PRESETS.pro;

  it.each([
    ['statusline', { official: [statusline, account], learned, plan }, { usedPercent: 41, asOf, confidence: 1 }],
    ['account', { official: [account], learned, plan }, { usedPercent: 52, asOf: iso(NOW - MIN), confidence: 1 }],
    // learned: window cost / median cap ($7 / $20), with the learned confidence.
    ['learned', { learned, plan }, { usedPercent: 35, asOf: iso(NOW), confidence: 0.75 }],
    // plan: window cost / the preset's cap ($7 / $18).
    ['plan', { plan }, { usedPercent: Math.round((7 / 18) * 1000) / 10, asOf: iso(NOW) }],
    ['none', {}, { usedPercent: null, asOf: null }],
  ] as const)('%s', (source, extra, expected) => {
    const w = buildWindow('five_hour', inputs({ buckets, ...extra }));
    expect(w.source).toBe(source);
    expect(w).toMatchObject(expected);
    if (!('confidence' in expected)) expect(w.confidence).toBeUndefined();
  });

  it('plan caps apply to five_hour and seven_day only', () => {
    const windows = buildWindows(inputs({ buckets, plan, limitHits: [fakeHit(NOW - 9 * DAY, 'opus', NOW - 3 * DAY)] }));
    expect(windows.seven_day!.source).toBe('plan');
    expect(windows.seven_day!.usedPercent).toBeCloseTo((7 / plan.caps.seven_day!) * 100, 1);
    expect(windows.seven_day_opus).toMatchObject({ source: 'none', usedPercent: null });
  });

  it('learned percentages come from the median usage before past hits (through the status snapshot)', () => {
    // Three past 5-hour hits (resets long gone), preceded by $10, $20 and $60 of usage.
    const past = [10, 20, 60].flatMap((cost, i) => {
      const hitMs = NOW - (i + 2) * DAY;
      return { bucket: fakeBucket(hitMs - HOUR, { tokens: cost * 1000, costUSD: cost }), hit: fakeHit(hitMs, 'five_hour', hitMs + HOUR) };
    });
    const health: DataHealth = { roots: [], files: 0, bytesIndexed: 0, skippedLines: {}, unfinishedLines: 0, index: 'fresh', diagnostics: [] };
    const status = buildStatusSnapshot({
      buckets: sortedBuckets([...past.map((p) => p.bucket), ...today]),
      limitHits: past.map((p) => p.hit),
      health,
      nowMs: NOW,
      plan: PLAN_PRESETS.pro,
    });
    expect(status.windows.five_hour).toMatchObject({ source: 'learned', usedPercent: 35, confidence: 0.75 });
  });
});

describe('burn rate and run-out projection', () => {
  it('is the pace over the trailing 30 minutes, not the whole-window average', () => {
    const buckets = sortedBuckets([
      fakeBucket(NOW - 4 * HOUR, { tokens: 900_000, costUSD: 90 }),
      fakeBucket(NOW - 20 * MIN, { tokens: 1000, costUSD: 1 }),
      fakeBucket(NOW - 5 * MIN, { tokens: 1000, costUSD: 1 }),
    ]);
    const w = buildWindow('five_hour', inputs({ buckets }));
    // 2000 tokens and $2 between the first recent activity (20 min ago) and now.
    expect(w.burnRate!.tokensPerMinute).toBeCloseTo(2000 / 20, 6);
    expect(w.burnRate!.costPerHour).toBeCloseTo((2 / 20) * 60, 6);
    const wholeWindow = (w.tokens / (Date.parse(iso(NOW)) - Date.parse(w.startsAt!))) * MIN;
    expect(w.burnRate!.tokensPerMinute).not.toBeCloseTo(wholeWindow, 0);
  });

  it('is null without activity in the last 30 minutes, and never divides by less than five minutes', () => {
    expect(trailingBurnRate([fakeBucket(NOW - 45 * MIN)], NOW - 2 * HOUR, NOW)).toBeNull();
    const rate = trailingBurnRate([fakeBucket(NOW - 30 * 1000, { tokens: 500, costUSD: 0.5 })], NOW - HOUR, NOW)!;
    expect(rate.tokensPerMinute).toBeCloseTo(100, 6);
    expect(rate.costPerHour).toBeCloseTo(6, 6);
  });

  it('does not count usage from before the window start', () => {
    const rate = trailingBurnRate([fakeBucket(NOW - 25 * MIN, { tokens: 9000 }), fakeBucket(NOW - 10 * MIN, { tokens: 1000 })], NOW - 15 * MIN, NOW)!;
    expect(rate.tokensPerMinute).toBeCloseTo(1000 / 10, 6);
  });

  it('gives runsOutAt and minutesLeft when the pace runs out before the reset', () => {
    // Pro: $18 per 5 h. $9 used; the last 30 min burnt $3 → $6/h → $9 left lasts 90 min; the block resets at 15:00 (180 min).
    const buckets = sortedBuckets([fakeBucket(NOW - 100 * MIN, { costUSD: 6 }), fakeBucket(NOW - 30 * MIN, { costUSD: 3 })]);
    const w = buildWindow('five_hour', inputs({ buckets, plan: PLAN_PRESETS.pro }));
    expect(w.usedPercent).toBe(50);
    expect(w.resetsAt).toBe('2026-11-27T15:00:00.000Z');
    expect(w.burnRate!.costPerHour).toBeCloseTo(6, 6);
    expect(w.runsOutAt).toBe(iso(NOW + 90 * MIN));
    expect(w.minutesLeft).toBe(90);
  });

  it('gives no runsOutAt when the window resets first, or when no cap is known', () => {
    // $1 in the last 30 minutes: $2/h; the $9 left would last 4.5 h, the block resets in 3 h.
    const slow = sortedBuckets([fakeBucket(NOW - 100 * MIN, { costUSD: 8 }), fakeBucket(NOW - 30 * MIN, { costUSD: 1 })]);
    expect(buildWindow('five_hour', inputs({ buckets: slow, plan: PLAN_PRESETS.pro }))).toMatchObject({ usedPercent: 50, runsOutAt: null, minutesLeft: null });
    expect(buildWindow('five_hour', inputs({ buckets: slow }))).toMatchObject({ source: 'none', runsOutAt: null, minutesLeft: null });
  });

  it('projects from the cap implied by an official percentage', () => {
    // 50% official with $9 in the window: cap $18; $6/h over the last 30 minutes → 90 min.
    const buckets = sortedBuckets([fakeBucket(NOW - 100 * MIN, { costUSD: 6 }), fakeBucket(NOW - 30 * MIN, { costUSD: 3 })]);
    const w = buildWindow(
      'five_hour',
      inputs({ buckets, official: [official('statusline', { five_hour: { usedPercent: 50, resetsAt: iso(NOW + 3 * HOUR), asOf } })] }),
    );
    expect(w.runsOutAt).toBe(iso(NOW + 90 * MIN));
    expect(w.minutesLeft).toBe(90);
  });
});

describe('limit hits: usage up to the hit, and distinct hits', () => {
  const hitMs = NOW - HOUR;

  it('measures a 5-hour hit from its window start (reset − 5 h) to the hit', () => {
    const reset = hitMs + 2 * HOUR; // window 08:00–13:00
    const buckets = sortedBuckets([
      fakeBucket(reset - 5 * HOUR - 20 * MIN, { tokens: 111, costUSD: 100 }), // before the window
      fakeBucket(reset - 4 * HOUR, { tokens: 2000, costUSD: 2 }),
      fakeBucket(hitMs - 20 * MIN, { tokens: 3000, costUSD: 3 }),
      fakeBucket(hitMs + 40 * MIN, { tokens: 5000, costUSD: 5 }), // after the hit
    ]);
    const [annotated] = withUsageUpToHit([fakeHit(hitMs, 'five_hour', reset)], buckets);
    expect(annotated!.usageUpToHit!.tokens).toBe(5000);
    expect(annotated!.usageUpToHit!.costUSD).toBeCloseTo(5, 10);
    expect(annotated).toMatchObject({ window: 'five_hour', resetsAt: iso(reset) });
  });

  it('measures weekly hits over 7 days, model hits over their model, and a hit without reset back from the hit', () => {
    const buckets = sortedBuckets([
      fakeBucket(hitMs - 8 * DAY, { tokens: 1, costUSD: 1000 }),
      fakeBucket(hitMs - 6 * DAY, { tokens: 10_000, costUSD: 10, model: 'claude-opus-4-1-20250805' }),
      fakeBucket(hitMs - 3 * HOUR, { tokens: 20_000, costUSD: 20 }),
      fakeBucket(hitMs - 6 * HOUR, { tokens: 40_000, costUSD: 40 }),
    ]);
    const [weekly, opus, noReset] = withUsageUpToHit(
      [fakeHit(hitMs, 'weekly', hitMs + DAY), fakeHit(hitMs, 'opus', hitMs + DAY), fakeHit(hitMs, 'five_hour', null)],
      buckets,
    );
    expect(weekly!.usageUpToHit!.tokens).toBe(70_000);
    expect(weekly!.usageUpToHit!.costUSD).toBeCloseTo(70, 10);
    expect(opus!.usageUpToHit).toEqual({ tokens: 10_000, costUSD: 10 });
    expect(noReset!.usageUpToHit).toEqual({ tokens: 20_000, costUSD: 20 });
  });

  it('counts a hit copied into a resumed session once, keeps different hits, sorts by time', () => {
    const original = fakeHit(hitMs, 'five_hour', NOW + HOUR, { sessionId: 'first' });
    const copy = { ...original, sessionId: 'resumed' };
    const later = fakeHit(hitMs + 10 * MIN, 'five_hour', NOW + HOUR, { text: "You've hit your session limit · resets 1pm" });
    const earlierWeekly = fakeHit(hitMs - DAY, 'weekly', NOW + DAY);
    const distinct = distinctHits([later, copy, original, earlierWeekly]);
    expect(distinct.map((h) => [h.at, h.window])).toEqual([
      [earlierWeekly.at, 'weekly'],
      [original.at, 'five_hour'],
      [later.at, 'five_hour'],
    ]);
  });
});
