// The popover's details from usage buckets, checkpoint records and pause
// marks: the chart series, the daily bars, the breakdown, the checkpoints.
import { describe, expect, it } from 'vitest';
import { dashboardData, restoreCommandFor } from '../../src/core/app/tray-dashboard.js';
import { DayKeyer } from '../../src/core/usage/calendar.js';
import { POPOVER_STATES, STATE_NOW, syntheticBuckets } from '../support/popover-states.js';

describe('dashboardData', () => {
  const { status, dashboard } = POPOVER_STATES.warning!();
  const data = dashboard!;
  const five = status!.windows.five_hour!;

  it('draws the 5-hour window as cumulative % of the cap, from 0 at its start to its percentage now', () => {
    expect(data.fiveHour.unit).toBe('percent');
    const points = data.fiveHour.points;
    expect(points[0]).toEqual([Date.parse(five.startsAt!), 0]);
    expect(points.at(-1)![0]).toBe(STATE_NOW);
    expect(points.at(-1)![1]).toBeCloseTo(five.usedPercent!, 6);
    for (let i = 1; i < points.length; i++) {
      expect(points[i]![0]).toBeGreaterThanOrEqual(points[i - 1]![0]);
      expect(points[i]![1]).toBeGreaterThanOrEqual(points[i - 1]![1] - 1e-9);
    }
  });

  it('projects to the reset at the current pace', () => {
    const hours = (Date.parse(five.resetsAt!) - STATE_NOW) / 3_600_000;
    const perUsd = five.usedPercent! / five.costUSD;
    expect(data.fiveHour.projection[0]).toEqual([STATE_NOW, expect.closeTo(five.usedPercent!, 6)]);
    expect(data.fiveHour.projection[1]![0]).toBe(Date.parse(five.resetsAt!));
    expect(data.fiveHour.projection[1]![1]).toBeCloseTo(five.usedPercent! + five.burnRate!.costPerHour * hours * perUsd, 6);
    // Past a reached limit there is nothing to project.
    expect(POPOVER_STATES['limit-reached']!().dashboard!.fiveHour.projection).toEqual([]);
  });

  it('sums the last 7 local days, oldest first, ending today', () => {
    const days = new DayKeyer('UTC');
    expect(data.days.map((d) => d.day)).toEqual(Array.from({ length: 7 }, (_, i) => days.dayOf(STATE_NOW - (6 - i) * 86_400_000)));
    const byDay = new Map<string, number>();
    for (const b of syntheticBuckets()) if (b.lastMs >= STATE_NOW - 7 * 86_400_000) byDay.set(days.dayOf(b.quarterMs), (byDay.get(days.dayOf(b.quarterMs)) ?? 0) + b.costUSD);
    for (const d of data.days) expect(d.costUSD).toBeCloseTo(byDay.get(d.day) ?? 0, 6);
  });

  it('breaks the window and the week down by project and model: the top three, then the rest', () => {
    for (const part of [data.breakdown.window, data.breakdown.week]) {
      for (const shares of [part.byProject, part.byModel]) {
        expect(shares.reduce((sum, s) => sum + s.share, 0)).toBeCloseTo(1, 6);
        expect(shares.length).toBeLessThanOrEqual(4);
        const named = shares.filter((s) => !/ more$/.test(s.name));
        expect(named.map((s) => s.costUSD)).toEqual([...named.map((s) => s.costUSD)].sort((a, b) => b - a));
      }
    }
    expect(data.breakdown.week.byProject.at(-1)!.name).toBe('2 more');
    expect(data.breakdown.window.byModel.map((m) => m.name)).toContain('sonnet-4-5');
  });

  it('lists the last three checkpoints newest first, with a restore command only where something was stashed', () => {
    expect(data.checkpoints.map((c) => c.createdAt)).toEqual([...data.checkpoints.map((c) => c.createdAt)].sort().reverse());
    const [newest, , oldest] = data.checkpoints;
    expect(newest!.projects[0]!.restoreCommand).toBe(restoreCommandFor(newest!.id, newest!.projects[0]!.projectDir));
    expect(oldest!.projects[0]!.restoreCommand).toBeNull();
    expect(restoreCommandFor('cp-1', "/w/it's")).toBe("breather restore cp-1 --project '/w/it'\\''s' --apply");
  });

  it('without a cap the chart is in USD; with no usage it is empty but present', () => {
    const noCap = { ...status!, windows: { five_hour: { ...five, usedPercent: null, source: 'none' as const } } };
    expect(dashboardData({ status: noCap, buckets: syntheticBuckets(), checkpoints: [], pauses: [], timeZone: 'UTC' }).fiveHour.unit).toBe('usd');
    const empty = POPOVER_STATES['no-data']!().dashboard!;
    expect(empty.fiveHour.points).toEqual([]);
    expect(empty.days.every((d) => d.costUSD === 0)).toBe(true);
    expect(empty.headline).toBe('No Claude Code usage yet');
  });
});
