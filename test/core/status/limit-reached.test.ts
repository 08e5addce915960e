// A limit hit inside the current window is the truth about that window, until
// its reset or a newer official figure; every face reads the same state.
import { describe, expect, it } from 'vitest';
import { currentLimit } from '../../../src/core/app/current-limit.js';
import { trayModel } from '../../../src/core/app/tray-model.js';
import { evaluateAlerts, emptyAlertState } from '../../../src/core/alerts/alert-engine.js';
import type { OfficialLimits } from '../../../src/core/limits/official-limits.js';
import { buildStatusSnapshot } from '../../../src/core/status/status-snapshot.js';
import { defaultAlertSettings } from '../../../src/shared/settings.js';
import type { DataHealth } from '../../../src/shared/status.js';
import { HOUR, MIN, fakeBucket, fakeHit, iso, sortedBuckets } from '../../support/fake-buckets.js';

const NOW = Date.parse('2026-11-27T12:00:00.000Z');
const health: DataHealth = { roots: [], files: 0, bytesIndexed: 0, skippedLines: {}, unfinishedLines: 0, index: 'fresh', diagnostics: [] };
// A past hit taught a cap of $20; this window has used $7 so far.
const pastWindow = [fakeBucket(NOW - 30 * HOUR, { costUSD: 20 })];
const thisWindow = [fakeBucket(NOW - 90 * MIN, { costUSD: 4 }), fakeBucket(NOW - 40 * MIN, { costUSD: 3 })];
const buckets = sortedBuckets([...pastWindow, ...thisWindow]);
const pastHit = fakeHit(NOW - 29 * HOUR, 'five_hour', NOW - 27 * HOUR);
const reset = NOW + 80 * MIN;

function status(hits = [pastHit, fakeHit(NOW - 2 * MIN, 'five_hour', reset)], official: OfficialLimits[] = []) {
  return buildStatusSnapshot({ buckets, limitHits: hits, health, nowMs: NOW, official, timeZone: 'UTC' });
}

describe('a limit hit in the current window', () => {
  it('puts the window at 100 % with limitReached and the reset from the hit, whatever the learned cap says', () => {
    const before = status([pastHit]).windows.five_hour!;
    expect(before.source).toBe('learned');
    expect(before.usedPercent).toBeCloseTo((7 / 20) * 100, 1);
    const w = status().windows.five_hour!;
    expect(w).toMatchObject({ usedPercent: 100, limitReached: true, source: 'limit-hit', resetsAt: iso(reset), runsOutAt: null });
  });

  it('recalibrates the learned cap: the window that just ran out is a new sample', () => {
    const hits = [pastHit, fakeHit(NOW - 2 * MIN, 'five_hour', reset)];
    const next = sortedBuckets([...buckets, fakeBucket(reset + 5 * MIN, { costUSD: 1.35 })]);
    const after = buildStatusSnapshot({ buckets: next, limitHits: hits, health, nowMs: reset + 10 * MIN, timeZone: 'UTC' });
    expect(after.lastLimitHit?.usageUpToHit?.costUSD).toBeCloseTo(7, 6);
    // Two samples now, $20 and the $7 this window held at its hit: the cap is their median.
    const cap = (20 + 7) / 2;
    expect(after.windows.five_hour).toMatchObject({ source: 'learned', limitReached: false });
    expect(after.windows.five_hour!.usedPercent).toBeCloseTo((1.35 / cap) * 100, 1);
  });

  it('ends at the reset', () => {
    const later = buildStatusSnapshot({ buckets, limitHits: [pastHit, fakeHit(NOW - 2 * MIN, 'five_hour', reset)], health, nowMs: reset + MIN, timeZone: 'UTC' });
    expect(later.windows.five_hour?.limitReached).toBe(false);
    expect(later.windows.five_hour?.source).not.toBe('limit-hit');
  });

  it('yields to an official figure taken after the hit, but not to one taken before', () => {
    const older: OfficialLimits = { source: 'statusline', windows: { five_hour: { usedPercent: 35, resetsAt: iso(reset), asOf: iso(NOW - 10 * MIN) } } };
    expect(status(undefined, [older]).windows.five_hour).toMatchObject({ usedPercent: 100, limitReached: true });
    const newer: OfficialLimits = { source: 'statusline', windows: { five_hour: { usedPercent: 12, resetsAt: iso(NOW + 5 * HOUR), asOf: iso(NOW - MIN) } } };
    expect(status(undefined, [newer]).windows.five_hour).toMatchObject({ usedPercent: 12, limitReached: false, source: 'statusline' });
  });

  it('tray, checkpoint and alerts agree', () => {
    const s = status();
    // The tray's title carries the countdown; its lines give the reset as a clock time too.
    expect(trayModel(s)).toMatchObject({ title: 'limit · 1 h 20 min', level: 'limited' });
    expect(trayModel(s).summaryLines[0]).toMatch(/^5-hour: limit reached, resets \d\d:\d\d \(in 1 h 20 min\)$/);
    expect(trayModel(s).summaryLines.filter((line) => /limit reached/i.test(line))).toHaveLength(1);
    expect(currentLimit(s)).toMatchObject({ window: 'five_hour', resetsAt: iso(reset) });
    const evaluation = evaluateAlerts(s, defaultAlertSettings(), emptyAlertState(), new Date(NOW));
    expect(evaluation.alerts.map((a) => a.kind)).toEqual(['limit-reached']);
    expect(evaluation.alerts[0]!.body).toContain('It resets in 1 h 20 min.');
  });
});

describe('active sessions', () => {
  const activity = (sessionId: string, lastMs: number, cwd: string | null = '/work/a') => ({ sessionId, cwd, lastMs, path: `/p/${sessionId}.jsonl` });

  it('count any record, not only usage; a limit keeps its session active until the reset', () => {
    const s = buildStatusSnapshot({
      buckets: [fakeBucket(NOW - 3 * HOUR, { sessionId: 'stopped', cwd: '/work/b' })],
      limitHits: [fakeHit(NOW - 2 * HOUR, 'five_hour', NOW + HOUR, { sessionId: 'stopped', cwd: '/work/b' })],
      health,
      nowMs: NOW,
      activeWithinMs: 30 * MIN,
      timeZone: 'UTC',
      activity: [activity('typing', NOW - 5 * MIN), activity('idle', NOW - 2 * HOUR), activity('stopped', NOW - 2 * HOUR, null)],
    });
    expect(s.activeSessions).toEqual([
      { sessionId: 'typing', cwd: '/work/a', lastActivity: iso(NOW - 5 * MIN) },
      { sessionId: 'stopped', cwd: '/work/b', lastActivity: iso(NOW - 2 * HOUR), limitResetsAt: iso(NOW + HOUR) },
    ]);
  });
});
