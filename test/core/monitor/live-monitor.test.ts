import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyAlertState, type AlertState } from '../../../src/core/alerts/alert-engine.js';
import { PLAN_PRESETS } from '../../../src/core/limits/plan-presets.js';
import { writeStatuslineSnapshot } from '../../../src/core/limits/statusline-snapshot.js';
import { nextWakeMs } from '../../../src/core/monitor/live-monitor.js';
import { openSettings } from '../../../src/core/settings/settings-file.js';
import { defaultSettings, type Settings } from '../../../src/shared/settings.js';
import type { Status, WindowStatus } from '../../../src/shared/status.js';
import { FakeClock, type MonitorHarness, costLine, limitHitLine, openMonitor, waitFor } from '../../support/live-monitor-harness.js';
import { appendTo, tempDir, writeTranscript } from '../../support/usage-lines.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
/** 12:00 UTC; the first usage at 10:05 makes the 5-hour block 10:00–15:00. */
const NOW = Date.parse('2026-11-27T12:00:00.000Z');
const BLOCK_END = Date.parse('2026-11-27T15:00:00.000Z');
const PRO_5H = PLAN_PRESETS.pro.caps.five_hour!;

/** What the alert title says for a cost in the Pro 5-hour window. */
const shownPercent = (costUSD: number) => Math.floor(Math.round((costUSD / PRO_5H) * 1000) / 10);

function proSettings(): Settings {
  const settings = defaultSettings();
  settings.plan.preset = 'pro';
  // Pace alerts have their own engine tests; here only thresholds and hits.
  settings.alerts.predictiveMinutes = 0;
  return settings;
}

const open: MonitorHarness[] = [];
afterEach(async () => {
  // Always stop what a test started, even when it failed.
  for (const harness of open.splice(0)) await harness.monitor.stop();
});

async function setup(initialUsd: number, options: { settings?: () => Settings; clock?: FakeClock } = {}) {
  const root = tempDir('breather-monitor-root-');
  const stateDir = tempDir('breather-monitor-state-');
  const first = costLine(NOW - 115 * MIN, initialUsd);
  const transcript = writeTranscript(root, '-work-project-a/session-1.jsonl', [first.line]);
  const clock = options.clock ?? new FakeClock(NOW);
  const settings = options.settings ?? (() => proSettings());
  let cost = first.costUSD;
  const harness = await start();

  async function start(): Promise<MonitorHarness> {
    const h = await openMonitor({ roots: [root], stateDir, settings, clock });
    open.push(h);
    await h.monitor.start();
    return h;
  }
  /** Appends usage to the transcript for real; returns the new window cost. */
  function append(usd: number, atMs: number): number {
    const next = costLine(atMs, usd);
    appendTo(transcript, `${next.line}\n`);
    cost += next.costUSD;
    return cost;
  }
  /** Until the running watcher has seen the window cost reach `expected`. */
  function seenCost(h: MonitorHarness, expected: number): Promise<Status> {
    return waitFor(() => {
      const latest = h.statuses.at(-1);
      return latest && Math.abs((latest.windows.five_hour?.costUSD ?? 0) - expected) < 1e-6 ? latest : null;
    }, `the watcher to pick up a window cost of $${expected.toFixed(4)}`);
  }
  return { root, stateDir, transcript, clock, harness, start, append, seenCost, cost: () => cost };
}

describe('LiveMonitor threshold alerts (real files, real watcher)', () => {
  it('fires a threshold once when usage crosses it; more usage does not re-fire it, the next threshold fires', async () => {
    const t = await setup(10); // ~$10 of $18: 55 %
    const { notifier, alerts } = t.harness;
    expect(t.harness.latest().windows.five_hour).toMatchObject({ source: 'plan', anchor: 'block', resetsAt: new Date(BLOCK_END).toISOString() });
    expect(notifier.sent).toHaveLength(1);
    expect(notifier.sent[0]).toMatchObject({ title: `5-hour limit: ${shownPercent(t.cost())}% used`, tag: 'five_hour:2026-11-27T15:00Z:threshold:50' });
    expect(notifier.sent[0]!.body).toContain('rough estimate from your plan');
    expect(alerts.map((a) => [a.alert.kind, a.suppressed])).toEqual([['threshold', null]]);

    // Still between 50 and 75 %: picked up by the watcher, nothing new to say.
    await t.seenCost(t.harness, t.append(1, NOW - 10 * MIN));
    expect(notifier.sent).toHaveLength(1);

    // Past 75 %: the next threshold, once.
    const cost = t.append(3.5, NOW - 5 * MIN);
    await t.seenCost(t.harness, cost);
    await waitFor(() => notifier.sent.length >= 2, 'the 75 % alert');
    expect(cost / PRO_5H).toBeGreaterThan(0.75);
    expect(notifier.sent.map((n) => n.tag)).toEqual(['five_hour:2026-11-27T15:00Z:threshold:50', 'five_hour:2026-11-27T15:00Z:threshold:75']);
    expect(notifier.sent[1]!.title).toBe(`5-hour limit: ${shownPercent(cost)}% used`);
    expect(t.harness.errors).toEqual([]);
  });

  it('a restart (new engine and monitor, same state dir, plan from the settings file) does not re-fire old alerts', async () => {
    const stateDirSettings = { current: null as null | ReturnType<typeof openSettings> };
    const settings = () => stateDirSettings.current!.settings;
    const root = tempDir('breather-monitor-root-');
    const stateDir = tempDir('breather-monitor-state-');
    stateDirSettings.current = openSettings(stateDir);
    await stateDirSettings.current.set('plan.preset', 'pro');
    await stateDirSettings.current.set('alerts.predictiveMinutes', 0);
    const first = costLine(NOW - 115 * MIN, 10);
    const transcript = writeTranscript(root, '-work-project-a/session-1.jsonl', [first.line]);
    const clock = new FakeClock(NOW);

    const before = await openMonitor({ roots: [root], stateDir, settings, clock });
    open.push(before);
    await before.monitor.start();
    expect(before.notifier.sent.map((n) => n.tag)).toEqual(['five_hour:2026-11-27T15:00Z:threshold:50']);
    await before.monitor.stop();
    open.splice(open.indexOf(before), 1);
    expect(existsSync(join(stateDir, 'alert-state.json'))).toBe(true);

    clock.set(NOW + 5 * MIN);
    stateDirSettings.current = openSettings(stateDir); // re-read from disk
    expect(stateDirSettings.current.settings.plan.preset).toBe('pro');
    const after = await openMonitor({ roots: [root], stateDir, settings, clock });
    open.push(after);
    await after.monitor.start();
    expect(after.latest().windows.five_hour!.usedPercent).toBeGreaterThan(50);
    expect(after.notifier.sent).toEqual([]);
    expect(after.alerts).toEqual([]);

    // It remembers what fired, not "everything": the next threshold still fires (targeted refresh path).
    appendTo(transcript, `${costLine(NOW + 4 * MIN, 4).line}\n`);
    await after.engine.refreshPaths([transcript]);
    await after.monitor.evaluate();
    expect(after.notifier.sent.map((n) => n.tag)).toEqual(['five_hour:2026-11-27T15:00Z:threshold:75']);
  });
});

describe('LiveMonitor official figures from the statusline snapshot', () => {
  it('switches the source to statusline when the snapshot is written, picked up by the running watcher', async () => {
    const t = await setup(4); // 22 %: no alert
    expect(t.harness.latest().windows.five_hour!.source).toBe('plan');
    expect(existsSync(join(t.stateDir, 'statusline.json'))).toBe(false);

    const fiveHourReset = NOW + 2 * HOUR;
    const weekReset = NOW + 3 * 24 * HOUR;
    const written = await writeStatuslineSnapshot(
      t.stateDir,
      {
        session_id: 'session-1',
        cwd: '/work/project-a',
        rate_limits: { five_hour: { used_percentage: 42, resets_at: fiveHourReset / 1000 }, seven_day: { used_percentage: 12.5, resets_at: weekReset / 1000 } },
      },
      new Date(NOW - MIN),
    );
    expect(written).toBe(true);
    const status = await waitFor(() => {
      const latest = t.harness.statuses.at(-1);
      return latest?.windows.five_hour?.source === 'statusline' ? latest : null;
    }, 'the statusline source');
    expect(status.windows.five_hour).toMatchObject({
      source: 'statusline',
      usedPercent: 42,
      confidence: 1,
      asOf: new Date(NOW - MIN).toISOString(),
      anchor: 'statusline',
      resetsAt: new Date(fiveHourReset).toISOString(),
      startsAt: new Date(fiveHourReset - 5 * HOUR).toISOString(),
    });
    expect(status.windows.seven_day).toMatchObject({ source: 'statusline', usedPercent: 12.5, resetsAt: new Date(weekReset).toISOString() });
    expect(t.harness.notifier.sent).toEqual([]);

    // A new snapshot at 91 % fires the 90 % threshold with the official wording.
    await writeStatuslineSnapshot(t.stateDir, { rate_limits: { five_hour: { used_percentage: 91, resets_at: fiveHourReset / 1000 } } }, new Date(NOW));
    await waitFor(() => t.harness.notifier.sent.length > 0, 'the 90 % alert from the official figure');
    expect(t.harness.notifier.sent).toHaveLength(1);
    // The window instance keeps the id it was first seen with (the block ending 15:00), so ids stay stable.
    expect(t.harness.notifier.sent[0]).toMatchObject({ title: '5-hour limit: 91% used', tag: 'five_hour:2026-11-27T15:00Z:threshold:90' });
    expect(t.harness.notifier.sent[0]!.body).toContain('official figure from Claude Code');
    expect(t.harness.notifier.sent[0]!.actions?.map((a) => a.id)).toEqual(['checkpoint', 'snooze']);
  });
});

describe('LiveMonitor limit hits', () => {
  it('raises limit-reached once for a hit appended to a transcript, and not again after more data or a restart', async () => {
    const t = await setup(5); // 27 %: no threshold alert
    expect(t.harness.notifier.sent).toEqual([]);

    const hitAt = NOW - MIN;
    appendTo(t.transcript, `${limitHitLine(hitAt, "You've hit your session limit · resets 3pm (Europe/London)")}\n`);
    await waitFor(() => t.harness.notifier.sent.length > 0, 'the limit-reached notification');
    const status = t.harness.latest();
    expect(status.lastLimitHit).toMatchObject({
      at: new Date(hitAt).toISOString(),
      window: 'five_hour',
      resetsAt: '2026-11-27T15:00:00.000Z', // 3pm London in November is 15:00 UTC
      sessionId: 'session-1',
      cwd: '/work/project-a',
    });
    expect(status.windows.five_hour).toMatchObject({ anchor: 'limit-hit', resetsAt: '2026-11-27T15:00:00.000Z' });
    expect(t.harness.notifier.sent).toHaveLength(1);
    expect(t.harness.notifier.sent[0]).toMatchObject({ title: '5-hour limit reached', tag: `five_hour:${new Date(hitAt).toISOString()}:limit-reached` });
    expect(t.harness.notifier.sent[0]!.body).toContain("You've hit your session limit · resets 3pm (Europe/London)");
    expect(t.harness.notifier.sent[0]!.body).toContain('project-a');
    expect(t.harness.alerts.filter((a) => a.alert.kind === 'limit-reached')).toHaveLength(1);

    // More data (the retry after the hit writes the same message again, later).
    await t.seenCost(t.harness, t.append(0.1, NOW - 30 * 1000));
    expect(t.harness.notifier.sent).toHaveLength(1);

    // Restart on the same state dir.
    await t.harness.monitor.stop();
    open.splice(open.indexOf(t.harness), 1);
    const again = await t.start();
    expect(again.latest().lastLimitHit?.at).toBe(new Date(hitAt).toISOString());
    expect(again.notifier.sent).toEqual([]);
  });
});

describe('LiveMonitor and quick successive writes', () => {
  it('does not lose a line written right after the one it just read (the limit message after a response)', async () => {
    const t = await setup(5);
    for (let round = 0; round < 3; round++) {
      // A response line, read by the running watcher...
      await t.seenCost(t.harness, t.append(0.01, NOW - (3 - round) * MIN));
      // ...and immediately the next line, within chokidar's 50 ms change throttle.
      const cost = t.append(0.01, NOW - (3 - round) * MIN + 1000);
      await t.seenCost(t.harness, cost);
    }
    await t.seenCost(t.harness, t.append(0.01, NOW - 30 * 1000));
    appendTo(t.transcript, `${limitHitLine(NOW - 20 * 1000, "You've hit your session limit · resets 3pm (Europe/London)")}\n`);
    await waitFor(() => t.harness.notifier.sent.length > 0, 'the limit-reached notification for the last line written');
    expect(t.harness.notifier.sent.map((n) => n.title)).toEqual(['5-hour limit reached']);
  });
});

describe('LiveMonitor and new transcripts', () => {
  it('picks up a session file created in a new project folder while it runs', async () => {
    const t = await setup(5);
    const extra = costLine(NOW - 2 * MIN, 5, { sessionId: 'session-2', cwd: '/work/project-b' });
    writeTranscript(t.root, '-work-project-b/session-2.jsonl', [extra.line]);
    const status = await t.seenCost(t.harness, t.cost() + extra.costUSD);
    expect(status.activeSessions.map((s) => s.sessionId)).toEqual(['session-2']); // session-1 was last active 115 min ago
    await waitFor(() => t.harness.notifier.sent.length > 0, 'the 50 % alert from the new session');
    expect(t.harness.notifier.sent.map((n) => n.tag)).toEqual(['five_hour:2026-11-27T15:00Z:threshold:50']);
  });
});

describe('LiveMonitor snooze', () => {
  it('suppresses alerts while snoozed (they count as fired), and alerts again after it ends', async () => {
    const t = await setup(5);
    await t.harness.monitor.snooze({ window: 'all', minutes: 30 });

    appendTo(t.transcript, `${costLine(NOW - 20 * MIN, 6).line}\n`); // ~61 %
    await t.harness.engine.refreshPaths([t.transcript]);
    await t.harness.monitor.evaluate();
    expect(t.harness.notifier.sent).toEqual([]);
    expect(t.harness.alerts.map((a) => [a.alert.id, a.suppressed])).toEqual([['five_hour:2026-11-27T15:00Z:threshold:50', 'snoozed']]);

    // After the snooze: the suppressed 50 % does not come back, a new 75 % does.
    t.clock.set(NOW + 31 * MIN);
    await t.harness.monitor.evaluate();
    expect(t.harness.notifier.sent).toEqual([]);
    appendTo(t.transcript, `${costLine(NOW + 30 * MIN, 3.5).line}\n`);
    await t.harness.engine.refreshPaths([t.transcript]);
    await t.harness.monitor.evaluate();
    expect(t.harness.notifier.sent.map((n) => n.tag)).toEqual(['five_hour:2026-11-27T15:00Z:threshold:75']);
  });

  it('wakes by itself at the window reset and says so (single timer, no new data)', async () => {
    const t = await setup(10);
    expect(t.harness.notifier.sent).toHaveLength(1);
    // Re-evaluate just before the reset so the one wake-up timer is ~1 s away, then let the clock pass it.
    t.clock.set(BLOCK_END - 200);
    await t.harness.monitor.evaluate();
    t.clock.set(BLOCK_END + MIN);
    await waitFor(() => t.harness.notifier.sent.length >= 2, 'the reset notice from the wake-up timer', 10_000);
    expect(t.harness.notifier.sent[1]).toMatchObject({ title: 'Your 5-hour window has reset', tag: 'five_hour:2026-11-27T15:00Z:reset' });
  });
});

describe('nextWakeMs', () => {
  const T = NOW;
  const iso = (ms: number) => new Date(ms).toISOString();
  function win(id: WindowStatus['id'], resetsAt: number | null, runsOutAt: number | null = null): WindowStatus {
    return { id, usedPercent: 10, source: 'plan', asOf: iso(T), startsAt: null, resetsAt: resetsAt === null ? null : iso(resetsAt), anchor: 'block', tokens: 0, costUSD: 0, burnRate: null, runsOutAt: runsOutAt === null ? null : iso(runsOutAt), minutesLeft: null };
  }
  function status(windows: WindowStatus[], hitReset: number | null = null): Status {
    return {
      now: iso(T),
      windows: Object.fromEntries(windows.map((w) => [w.id, w])),
      lastLimitHit: hitReset === null ? null : { at: iso(T - HOUR), window: 'five_hour', resetsAt: iso(hitReset), text: 'x', sessionId: null, cwd: null },
      activeSessions: [],
      health: { roots: [], files: 0, bytesIndexed: 0, skippedLines: {}, unfinishedLines: 0, index: 'fresh', diagnostics: [] },
    };
  }
  const state = (snoozeUntil: number | null, muteUntil: number | null): AlertState => ({
    ...emptyAlertState(),
    snoozes: snoozeUntil === null ? [] : [{ window: 'all', until: iso(snoozeUntil), instanceKey: null }],
    mutedWindows: muteUntil === null ? [] : [{ window: 'five_hour', until: iso(muteUntil), instanceKey: null }],
  });

  it('picks the earliest future transition among resets, run-outs, snoozes, pauses and the last hit', () => {
    const s = status([win('five_hour', T + 3 * HOUR, T + 50 * MIN), win('seven_day', T + 48 * HOUR)], T + 2 * HOUR);
    expect(nextWakeMs(s, state(T + 40 * MIN, T + 20 * MIN), T)).toBe(T + 20 * MIN);
    expect(nextWakeMs(s, state(T + 40 * MIN, null), T)).toBe(T + 40 * MIN);
    expect(nextWakeMs(s, state(null, null), T)).toBe(T + 50 * MIN);
    expect(nextWakeMs(status([win('five_hour', T + 3 * HOUR), win('seven_day', T + 48 * HOUR)], T + 2 * HOUR), state(null, null), T)).toBe(T + 2 * HOUR);
    expect(nextWakeMs(status([win('five_hour', T + 3 * HOUR), win('seven_day', T + 48 * HOUR)]), state(null, null), T)).toBe(T + 3 * HOUR);
  });

  it('ignores the past and the unknown; null when nothing is ahead', () => {
    const past = status([win('five_hour', T - MIN, T - 2 * MIN), win('seven_day', null)], T - HOUR);
    expect(nextWakeMs(past, state(T - 5 * MIN, T), T)).toBeNull();
    expect(nextWakeMs(past, state(T + 7 * MIN, T - MIN), T)).toBe(T + 7 * MIN);
  });
});
