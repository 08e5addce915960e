// Between statusline updates: the calibration from consecutive official
// figures, the figure carried forward, and its agreement with the cap learned
// from limit hits on the same data.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type LimitHitSample, learnCaps } from '../../../src/core/limits/learned-caps.js';
import type { OfficialPoint } from '../../../src/core/limits/official-limits.js';
import { calibrate, costBetween } from '../../../src/core/limits/statusline-calibration.js';
import { mergeStatuslineReport, readStatuslineSnapshot, statuslineSnapshotPath } from '../../../src/core/limits/statusline-snapshot.js';
import { buildWindow, withUsageUpToHit } from '../../../src/core/limits/usage-windows.js';
import { DAY, HOUR, MIN, fakeBucket, fakeHit, sortedBuckets } from '../../support/fake-buckets.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A plan where the 5-hour window holds $40 of cost-weighted usage: 1 % costs $0.40. */
const CAP_USD = 40;
const PER_PERCENT = CAP_USD / 100;
const now = Date.parse('2026-03-02T12:00:00.000Z');
const reset = now + 2 * HOUR;

/** Usage in the window: $4 (10 %) in each of the three hours before now, spread over quarter hours. */
function windowBuckets(extraAfterMs: number[] = []) {
  const buckets = [];
  for (let hour = 3; hour >= 1; hour--) {
    for (let q = 0; q < 4; q++) buckets.push(fakeBucket(now - hour * HOUR + q * 15 * MIN + 7 * MIN, { costUSD: (10 * PER_PERCENT) / 4 }));
  }
  for (const at of extraAfterMs) buckets.push(fakeBucket(at, { costUSD: PER_PERCENT }));
  return sortedBuckets(buckets);
}

/** The official figure at each hour boundary: what the server would have said. */
const points: OfficialPoint[] = [3, 2, 1].map((h, i) => ({ atMs: now - h * HOUR, usedPercent: 10 * i, resetsAtMs: reset }));
points.push({ atMs: now - 1, usedPercent: 30, resetsAtMs: reset });

describe('statusline calibration', () => {
  it('learns what 1 % costs from consecutive figures and the usage between them', () => {
    const calibration = calibrate(points, windowBuckets(), 5 * HOUR);
    expect(calibration?.samples).toBe(3);
    expect(calibration?.costPerPercent).toBeCloseTo(PER_PERCENT, 6);
  });

  it('ignores pairs across a reset and steps under 1 %; falls back to the current figure alone', () => {
    const acrossReset: OfficialPoint[] = [
      { atMs: now - 2 * HOUR, usedPercent: 80, resetsAtMs: now - HOUR },
      { atMs: now - HOUR / 2, usedPercent: 0.5, resetsAtMs: reset },
      { atMs: now - 1, usedPercent: 0.9, resetsAtMs: reset },
    ];
    expect(calibrate(acrossReset, windowBuckets(), 5 * HOUR)).toBeNull();
    const single = calibrate([{ atMs: now - 1, usedPercent: 30, resetsAtMs: reset }], windowBuckets(), 5 * HOUR);
    expect(single).toEqual({ costPerPercent: (30 * PER_PERCENT) / 30, samples: 0 });
  });

  it('shows official + usage since, labelled statusline, with asOf and extrapolatedFrom', () => {
    const asOf = new Date(now - 1).toISOString();
    // Five more quarter hours of use after the last figure: +5 %.
    const later = now + 75 * MIN;
    const buckets = windowBuckets([1, 2, 3, 4, 5].map((q) => now + q * 15 * MIN - 7 * MIN));
    const window = buildWindow('five_hour', {
      buckets,
      limitHits: [],
      official: [{ source: 'statusline', windows: { five_hour: { usedPercent: 30, resetsAt: new Date(reset).toISOString(), asOf } }, history: { five_hour: points } }],
      learned: {},
      plan: null,
      weeklyAnchor: null,
      nowMs: later,
    });
    expect(window).toMatchObject({ source: 'statusline', asOf, usedPercent: 35, extrapolatedFrom: { usedPercent: 30, asOf } });
  });

  it('the cap learned from limit hits and the calibration agree within 10 % on the same data; the official figure wins', () => {
    // Three past 5-hour windows that each ran out at the same $40.
    const hits = [1, 2, 3].map((d) => fakeHit(now - d * DAY, 'five_hour', now - d * DAY + HOUR));
    const history = sortedBuckets([
      ...windowBuckets(),
      ...hits.flatMap((h) => [0, 1, 2, 3].map((q) => fakeBucket(Date.parse(h.at) - (q + 1) * 30 * MIN, { costUSD: CAP_USD / 4 }))),
    ]);
    const learned = learnCaps(withUsageUpToHit(hits, history) as LimitHitSample[]);
    const learnedCap = learned.five_hour!.capCostUSD!;
    const calibratedCap = calibrate(points, history, 5 * HOUR)!.costPerPercent * 100;
    expect(Math.abs(calibratedCap - learnedCap) / learnedCap).toBeLessThan(0.1);

    // They disagree (a learned cap twice as big): the official figure is what shows.
    const window = buildWindow('five_hour', {
      buckets: history,
      limitHits: hits,
      official: [{ source: 'statusline', windows: { five_hour: { usedPercent: 30, resetsAt: new Date(reset).toISOString(), asOf: new Date(now - 1).toISOString() } } }],
      learned: { five_hour: { ...learned.five_hour!, capCostUSD: learnedCap * 2 } },
      plan: null,
      weeklyAnchor: null,
      nowMs: now,
    });
    expect(window).toMatchObject({ source: 'statusline', usedPercent: 30 });
  });

  it('the snapshot file keeps earlier figures as history for calibration', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'breather-calibration-'));
    dirs.push(dir);
    let content: unknown = null;
    for (const p of points) {
      const stdin = { session_id: 's', rate_limits: { five_hour: { used_percentage: p.usedPercent, resets_at: reset / 1000 } } };
      content = mergeStatuslineReport(content, stdin, new Date(p.atMs));
      // The same figure again adds nothing.
      content = mergeStatuslineReport(content, stdin, new Date(p.atMs + 1000));
    }
    writeFileSync(statuslineSnapshotPath(dir), JSON.stringify(content));
    const limits = await readStatuslineSnapshot(dir, new Date(now));
    expect(limits?.history?.five_hour?.map((p) => p.usedPercent)).toEqual(points.map((p) => p.usedPercent));
  });

  it('a bucket straddling a figure counts only for its share after it', () => {
    const bucket = { ...fakeBucket(now - 10 * MIN, { costUSD: 3 }), lastMs: now + 5 * MIN };
    expect(costBetween([bucket], now, now + HOUR)).toBeCloseTo(1, 9);
    expect(costBetween([bucket], now - HOUR, now)).toBeCloseTo(2, 9);
    expect(costBetween([bucket], now + 5 * MIN, now + HOUR)).toBe(0);
  });
});
