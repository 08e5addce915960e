import { windowLine } from '../../../src/cli/status-text.js';
import { describe, expect, it } from 'vitest';
import {
  emptyAlertState,
  evaluateAlerts,
  formatDuration,
  isWithinQuietHours,
  pauseWindow,
  primeAlertState,
  resumeWindow,
  snoozeAlerts,
  type AlertState,
} from '../../../src/core/alerts/alert-engine.js';
import { defaultAlertSettings, type AlertSettings } from '../../../src/shared/settings.js';
import type { LimitHit, Status, WindowId, WindowStatus } from '../../../src/shared/status.js';
import { statusWith, windowStatus } from '../../support/status-fixture.js';

const MIN = 60_000;
const T0 = Date.parse('2026-11-27T12:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * MIN);
const isoAt = (minutes: number) => at(minutes).toISOString();

/** A 5-hour window 10:00–15:00Z unless told otherwise. */
function win(usedPercent: number | null, overrides: Partial<WindowStatus> = {}, id: WindowId = 'five_hour'): WindowStatus {
  return windowStatus({
    id,
    usedPercent,
    source: 'statusline',
    startsAt: '2026-11-27T10:00:00.000Z',
    resetsAt: '2026-11-27T15:00:00.000Z',
    anchor: 'statusline',
    tokens: 0,
    costUSD: 0,
    ...overrides,
  });
}

function status(windows: WindowStatus[], lastLimitHit: LimitHit | null = null, now = at(0)): Status {
  return statusWith(windows, { now: now.toISOString(), lastLimitHit });
}

const settings = (overrides: Partial<AlertSettings> = {}): AlertSettings => ({ ...defaultAlertSettings(), ...overrides });

/** Runs evaluations in order, threading the state; returns each step's alerts. */
function run(steps: { status: Status; now: Date }[], alertSettings = settings(), initial: AlertState = emptyAlertState()) {
  let state = initial;
  const results = [];
  for (const step of steps) {
    const result = evaluateAlerts(step.status, alertSettings, state, step.now);
    state = result.nextState;
    results.push(result);
  }
  return { results, state };
}

const ids = (result: { alerts: { id: string }[] }) => result.alerts.map((alert) => alert.id);

describe('threshold crossings', () => {
  it('fire once per crossing, with stable ids', () => {
    const { results } = run([
      { status: status([win(40)]), now: at(0) },
      { status: status([win(55)]), now: at(10) },
      { status: status([win(60)]), now: at(20) },
      { status: status([win(76)]), now: at(30) },
      { status: status([win(76)]), now: at(31) },
    ]);
    expect(results.map(ids)).toEqual([
      [],
      ['five_hour:2026-11-27T15:00Z:threshold:50'],
      [],
      ['five_hour:2026-11-27T15:00Z:threshold:75'],
      [],
    ]);
  });

  it('tell the percentage, the source and the time to reset', () => {
    const [alert] = evaluateAlerts(status([win(91.4)]), settings(), emptyAlertState(), at(0)).alerts;
    expect(alert).toMatchObject({ kind: 'threshold', window: 'five_hour', title: '5-hour limit: 91% used', actions: ['checkpoint', 'snooze'] });
    expect(alert?.body).toContain('91%');
    expect(alert?.body).toContain('official figure from Claude Code');
    expect(alert?.body).toContain('resets in 3 h');
  });

  it('a dip and a rise within the same window does not re-fire', () => {
    const { results } = run([
      { status: status([win(80)]), now: at(0) },
      { status: status([win(60)]), now: at(10) },
      { status: status([win(80)]), now: at(20) },
      { status: status([win(92)]), now: at(30) },
    ]);
    expect(results.map(ids)).toEqual([
      ['five_hour:2026-11-27T15:00Z:threshold:75'],
      [],
      [],
      ['five_hour:2026-11-27T15:00Z:threshold:90'],
    ]);
  });

  it('a first run on old history fires only the highest crossed threshold, once', () => {
    const { results } = run([
      { status: status([win(93), win(80, { resetsAt: '2026-12-01T08:00:00.000Z', startsAt: null }, 'seven_day')]), now: at(0) },
      { status: status([win(93), win(80, { resetsAt: '2026-12-01T08:00:00.000Z', startsAt: null }, 'seven_day')]), now: at(1) },
    ]);
    expect(results.map(ids)).toEqual([['five_hour:2026-11-27T15:00Z:threshold:90', 'seven_day:2026-12-01T08:00Z:threshold:75'], []]);
  });

  it('a jump past several thresholds fires only the highest', () => {
    const { results } = run([
      { status: status([win(40)]), now: at(0) },
      { status: status([win(97)]), now: at(5) },
      { status: status([win(99)]), now: at(6) },
    ]);
    expect(results.map(ids)).toEqual([[], ['five_hour:2026-11-27T15:00Z:threshold:95'], []]);
  });

  it('re-arm when the window resets', () => {
    const next = win(55, { startsAt: '2026-11-27T15:10:00.000Z', resetsAt: '2026-11-27T20:10:00.000Z' });
    const { results } = run([
      { status: status([win(55)]), now: at(0) },
      { status: status([next]), now: at(200) },
    ]);
    expect(ids(results[0]!)).toEqual(['five_hour:2026-11-27T15:00Z:threshold:50']);
    expect(ids(results[1]!)).toEqual(['five_hour:2026-11-27T15:00Z:reset', 'five_hour:2026-11-27T20:10Z:threshold:50']);
  });

  it('a wobbling or corrected reset estimate is still the same window', () => {
    const { results } = run([
      { status: status([win(55, { source: 'learned', anchor: 'block' })]), now: at(0) },
      { status: status([win(56, { source: 'learned', anchor: 'block', resetsAt: '2026-11-27T15:03:00.000Z' })]), now: at(1) },
      // The official figure arrives with a different reset, before the old one passed.
      { status: status([win(58, { resetsAt: '2026-11-27T16:00:00.000Z', startsAt: '2026-11-27T11:00:00.000Z' })]), now: at(2) },
    ]);
    expect(results.map(ids)).toEqual([['five_hour:2026-11-27T15:00Z:threshold:50'], [], []]);
  });

  it('a stale window whose reset has passed raises nothing', () => {
    const result = evaluateAlerts(status([win(97)]), settings(), emptyAlertState(), at(181));
    expect(result.alerts).toEqual([]);
  });

  it('null percentages (no cap known) raise nothing', () => {
    expect(evaluateAlerts(status([win(null)]), settings(), emptyAlertState(), at(0)).alerts).toEqual([]);
  });

  it('a rolling window re-arms only after usage falls well below a threshold', () => {
    const rolling = (percent: number) => win(percent, { anchor: 'rolling', resetsAt: null, startsAt: null }, 'seven_day');
    const { results } = run([
      { status: status([rolling(76)]), now: at(0) },
      { status: status([rolling(70)]), now: at(60) },
      { status: status([rolling(77)]), now: at(120) },
      { status: status([rolling(50)]), now: at(180) },
      { status: status([rolling(78)]), now: at(240) },
    ]);
    expect(results.map(ids)).toEqual([['seven_day:rolling:threshold:75'], [], [], [], ['seven_day:rolling:threshold:75']]);
  });

  it('uses the thresholds from the settings', () => {
    const custom = settings({ thresholds: { ...defaultAlertSettings().thresholds, five_hour: [30] } });
    expect(ids(evaluateAlerts(status([win(35)]), custom, emptyAlertState(), at(0)))).toEqual(['five_hour:2026-11-27T15:00Z:threshold:30']);
  });
});

describe('predictive alerts', () => {
  const pacing = (runsOutInMinutes: number, percent = 70) => win(percent, { runsOutAt: isoAt(runsOutInMinutes) });

  it('fire once per window when the pace runs out within the horizon, before the reset', () => {
    const { results } = run([
      { status: status([pacing(45)]), now: at(0) },
      { status: status([pacing(15)]), now: at(0) },
      { status: status([pacing(10)]), now: at(5) },
    ]);
    expect(ids(results[0]!)).toEqual(['five_hour:2026-11-27T15:00Z:threshold:50']);
    expect(results[1]!.alerts).toHaveLength(1);
    expect(results[1]!.alerts[0]).toMatchObject({
      id: 'five_hour:2026-11-27T15:00Z:predictive',
      kind: 'predictive',
      title: '5-hour limit runs out in about 15 min',
      actions: ['checkpoint', 'snooze'],
    });
    expect(results[1]!.alerts[0]!.body).toContain('2 h 45 min before it resets');
    expect(results[2]!.alerts).toEqual([]);
  });

  it('not when the window resets about when it would run out', () => {
    const result = evaluateAlerts(status([win(70, { runsOutAt: isoAt(178) })]), settings(), emptyAlertState(), at(170));
    expect(result.alerts.filter((alert) => alert.kind === 'predictive')).toEqual([]);
  });

  it('not when turned off', () => {
    const result = evaluateAlerts(status([pacing(10, 10)]), settings({ predictiveMinutes: 0 }), emptyAlertState(), at(0));
    expect(result.alerts).toEqual([]);
  });

  it('re-arm in the next window', () => {
    const nextWindow = win(20, { startsAt: '2026-11-27T15:00:00.000Z', resetsAt: '2026-11-27T20:00:00.000Z', runsOutAt: isoAt(200) });
    const { results } = run(
      [
        { status: status([pacing(10, 10)]), now: at(0) },
        { status: status([nextWindow]), now: at(190) },
      ],
      settings({ resetNotice: false }),
    );
    expect(ids(results[0]!)).toEqual(['five_hour:2026-11-27T15:00Z:predictive']);
    expect(ids(results[1]!)).toEqual(['five_hour:2026-11-27T20:00Z:predictive']);
  });
});

describe('limit reached', () => {
  const hit = (minutes: number, overrides: Partial<LimitHit> = {}): LimitHit => ({
    at: isoAt(minutes),
    window: 'five_hour',
    resetsAt: '2026-11-27T15:00:00.000Z',
    text: "You've hit your session limit · resets 3pm (Europe/London)",
    sessionId: 's1',
    cwd: '/home/me/work/shop',
    ...overrides,
  });

  it('fires once per hit and says what Claude Code said', () => {
    const { results } = run([
      { status: status([win(60)], hit(-1)), now: at(0) },
      { status: status([win(60)], hit(-1)), now: at(1) },
      { status: status([win(60)], hit(30)), now: at(31) },
    ]);
    expect(results.map(ids)).toEqual([
      ['five_hour:2026-11-27T11:59:00.000Z:limit-reached'],
      [],
      ['five_hour:2026-11-27T12:30:00.000Z:limit-reached'],
    ]);
    const alert = results[0]!.alerts[0]!;
    expect(alert).toMatchObject({ kind: 'limit-reached', title: '5-hour limit reached', actions: ['checkpoint'] });
    expect(alert.body).toContain("You've hit your session limit");
    expect(alert.body).toContain('in shop');
    expect(alert.body).toContain('resets in 3 h');
  });

  it('swallows the threshold crossing that comes with the hit', () => {
    const { results } = run([
      { status: status([win(40)]), now: at(0) },
      { status: status([win(100)], hit(10)), now: at(10) },
      { status: status([win(100)], hit(10)), now: at(11) },
    ]);
    expect(results.map((result) => result.alerts.map((alert) => alert.kind))).toEqual([[], ['limit-reached'], []]);
  });

  it('an old hit (already reset) is remembered but not announced', () => {
    const old = hit(-600, { resetsAt: isoAt(-300) });
    const result = evaluateAlerts(status([], old), settings(), emptyAlertState(), at(0));
    expect(result.alerts).toEqual([]);
    expect(result.nextState.lastLimitHitAt).toBe(old.at);
  });

  it('a hit without a reset time is announced while recent', () => {
    const result = evaluateAlerts(status([], hit(-5, { resetsAt: null, window: 'unknown' })), settings(), emptyAlertState(), at(0));
    expect(result.alerts).toMatchObject([{ kind: 'limit-reached', window: null, title: 'Usage limit reached' }]);
  });

  it('extra usage has its own title', () => {
    const result = evaluateAlerts(status([], hit(-5, { window: 'overage', text: "You're out of extra usage" })), settings(), emptyAlertState(), at(0));
    expect(result.alerts[0]?.title).toBe('Out of extra usage');
  });

  it('can be turned off', () => {
    const result = evaluateAlerts(status([], hit(-1)), settings({ limitReachedNotice: false }), emptyAlertState(), at(0));
    expect(result.alerts).toEqual([]);
  });

  it('is followed by a reset notice when the window resets, even with no window in the status', () => {
    const { results } = run([
      { status: status([], hit(-1)), now: at(0) },
      { status: status([], hit(-1)), now: at(100) },
      { status: status([], hit(-1)), now: at(180) },
      { status: status([], hit(-1)), now: at(181) },
    ]);
    expect(results.map((result) => result.alerts.map((alert) => alert.kind))).toEqual([['limit-reached'], [], ['reset'], []]);
    expect(results[2]!.alerts[0]).toMatchObject({ id: 'five_hour:2026-11-27T15:00Z:reset', title: 'Your 5-hour window has reset' });
  });
});

describe('reset notices', () => {
  it('once, after a window that had alerts', () => {
    const { results } = run([
      { status: status([win(80)]), now: at(0) },
      { status: status([win(80)]), now: at(181) },
      { status: status([]), now: at(182) },
    ]);
    expect(results.map(ids)).toEqual([['five_hour:2026-11-27T15:00Z:threshold:75'], ['five_hour:2026-11-27T15:00Z:reset'], []]);
  });

  it('not after a quiet window', () => {
    const { results } = run([
      { status: status([win(20)]), now: at(0) },
      { status: status([]), now: at(181) },
    ]);
    expect(results.map(ids)).toEqual([[], []]);
  });

  it('not when turned off', () => {
    const { results } = run(
      [
        { status: status([win(80)]), now: at(0) },
        { status: status([]), now: at(181) },
      ],
      settings({ resetNotice: false }),
    );
    expect(results[1]!.alerts).toEqual([]);
  });

  it('names the weekly window', () => {
    const weekly = win(80, { resetsAt: '2026-11-28T08:00:00.000Z', startsAt: null }, 'seven_day');
    const { results } = run([
      { status: status([weekly]), now: at(0) },
      { status: status([]), now: at(24 * 60) },
    ]);
    expect(results[1]!.alerts[0]).toMatchObject({ kind: 'reset', window: 'seven_day', title: 'Your weekly limit has reset' });
  });
});

describe('snooze', () => {
  it('for the rest of the window: suppressed but marked, then normal again after the reset', () => {
    const first = evaluateAlerts(status([win(55)]), settings(), emptyAlertState(), at(0));
    const snoozed = snoozeAlerts(first.nextState, { window: 'five_hour', restOfWindow: true }, status([win(55)]), at(1));
    expect(snoozed.snoozes).toEqual([{ window: 'five_hour', until: '2026-11-27T15:00:00.000Z', instanceKey: '2026-11-27T15:00Z' }]);

    const during = evaluateAlerts(status([win(91)]), settings(), snoozed, at(60));
    expect(during.alerts).toEqual([]);
    expect(during.suppressed.map((entry) => [entry.alert.id, entry.reason])).toEqual([['five_hour:2026-11-27T15:00Z:threshold:90', 'snoozed']]);

    const later = evaluateAlerts(status([win(96)]), settings(), during.nextState, at(61));
    expect(ids(later)).toEqual([]);
    expect(later.suppressed.map((entry) => entry.alert.id)).toEqual(['five_hour:2026-11-27T15:00Z:threshold:95']);

    const next = win(60, { startsAt: '2026-11-27T15:05:00.000Z', resetsAt: '2026-11-27T20:05:00.000Z' });
    const after = evaluateAlerts(status([next]), settings(), later.nextState, at(185));
    expect(ids(after)).toEqual(['five_hour:2026-11-27T15:00Z:reset', 'five_hour:2026-11-27T20:05Z:threshold:50']);
    expect(after.nextState.snoozes).toEqual([]);
  });

  it('for N minutes: suppressed inside, no burst afterwards', () => {
    const state = snoozeAlerts(emptyAlertState(), { window: 'all', minutes: 30 }, status([]), at(0));
    const during = evaluateAlerts(status([win(80)]), settings(), state, at(10));
    expect(during.alerts).toEqual([]);
    expect(during.suppressed).toHaveLength(1);
    const afterwards = evaluateAlerts(status([win(80)]), settings(), during.nextState, at(40));
    expect(afterwards.alerts).toEqual([]);
    expect(afterwards.nextState.snoozes).toEqual([]);
    const rising = evaluateAlerts(status([win(91)]), settings(), afterwards.nextState, at(41));
    expect(ids(rising)).toEqual(['five_hour:2026-11-27T15:00Z:threshold:90']);
  });

  it('of one window leaves the others alone', () => {
    const state = snoozeAlerts(emptyAlertState(), { window: 'seven_day', minutes: 60 }, status([]), at(0));
    const result = evaluateAlerts(status([win(80)]), settings(), state, at(1));
    expect(ids(result)).toEqual(['five_hour:2026-11-27T15:00Z:threshold:75']);
  });
});

describe('quiet hours', () => {
  const overnight = settings({ quietHours: { start: '22:00', end: '07:00', timeZone: 'Europe/London' } });
  const londonMinutesToUtc = (hhmm: string) => new Date(`2026-11-27T${hhmm}:00Z`); // London is on GMT in November

  it('wrap midnight', () => {
    expect(isWithinQuietHours(overnight, londonMinutesToUtc('23:30'))).toBe(true);
    expect(isWithinQuietHours(overnight, londonMinutesToUtc('00:15'))).toBe(true);
    expect(isWithinQuietHours(overnight, londonMinutesToUtc('06:59'))).toBe(true);
    expect(isWithinQuietHours(overnight, londonMinutesToUtc('07:00'))).toBe(false);
    expect(isWithinQuietHours(overnight, londonMinutesToUtc('12:00'))).toBe(false);
    expect(isWithinQuietHours(overnight, londonMinutesToUtc('21:59'))).toBe(false);
    expect(isWithinQuietHours(overnight, londonMinutesToUtc('22:00'))).toBe(true);
  });

  it('use the given zone', () => {
    const tokyoNight = settings({ quietHours: { start: '22:00', end: '07:00', timeZone: 'Asia/Tokyo' } });
    // 14:00Z is 23:00 in Tokyo.
    expect(isWithinQuietHours(tokyoNight, londonMinutesToUtc('14:00'))).toBe(true);
    const machineZone = settings({ quietHours: { start: '22:00', end: '07:00', timeZone: null } });
    expect(isWithinQuietHours(machineZone, londonMinutesToUtc('14:00'), 'Asia/Tokyo')).toBe(true);
    expect(isWithinQuietHours(machineZone, londonMinutesToUtc('14:00'), 'Europe/London')).toBe(false);
  });

  it('suppress alerts and mark them, so morning brings no burst', () => {
    const night = new Date('2026-11-27T23:30:00Z');
    const nightWindow = win(92, { startsAt: '2026-11-27T22:00:00.000Z', resetsAt: '2026-11-28T03:00:00.000Z' });
    const quiet = evaluateAlerts(status([nightWindow]), overnight, emptyAlertState(), night);
    expect(quiet.alerts).toEqual([]);
    expect(quiet.suppressed.map((entry) => entry.reason)).toEqual(['quiet-hours']);
    const stillNight = evaluateAlerts(status([nightWindow]), overnight, quiet.nextState, new Date('2026-11-27T23:45:00Z'));
    expect(stillNight.suppressed).toEqual([]);
  });

  it('a non-wrapping range and an empty one', () => {
    const lunch = settings({ quietHours: { start: '12:00', end: '13:00', timeZone: 'UTC' } });
    expect(isWithinQuietHours(lunch, new Date('2026-11-27T12:30:00Z'))).toBe(true);
    expect(isWithinQuietHours(lunch, new Date('2026-11-27T13:30:00Z'))).toBe(false);
    const none = settings({ quietHours: { start: '12:00', end: '12:00', timeZone: 'UTC' } });
    expect(isWithinQuietHours(none, new Date('2026-11-27T12:00:00Z'))).toBe(false);
  });
});

describe('paused windows', () => {
  it('are muted until the window ends, then the reset is announced', () => {
    const first = evaluateAlerts(status([win(80)]), settings(), emptyAlertState(), at(0));
    const paused = pauseWindow(first.nextState, 'five_hour', status([win(80)]), at(1));
    const during = evaluateAlerts(status([win(93)]), settings(), paused, at(30));
    expect(during.alerts).toEqual([]);
    expect(during.suppressed.map((entry) => entry.reason)).toEqual(['paused']);
    const reset = evaluateAlerts(status([]), settings(), during.nextState, at(181));
    expect(ids(reset)).toEqual(['five_hour:2026-11-27T15:00Z:reset']);
    expect(reset.nextState.mutedWindows).toEqual([]);
  });

  it('can be resumed', () => {
    const paused = pauseWindow(emptyAlertState(), 'five_hour', status([win(10)]), at(0));
    const resumed = resumeWindow(paused, 'five_hour');
    expect(ids(evaluateAlerts(status([win(60)]), settings(), resumed, at(1)))).toEqual(['five_hour:2026-11-27T15:00Z:threshold:50']);
  });

  it('can be given as an input', () => {
    const result = evaluateAlerts(status([win(60)]), settings(), emptyAlertState(), at(0), { mutedWindows: ['five_hour'] });
    expect(result.alerts).toEqual([]);
    expect(result.suppressed.map((entry) => entry.reason)).toEqual(['paused']);
  });
});

describe('state', () => {
  it('is plain JSON and versioned', () => {
    let state = evaluateAlerts(status([win(92, { runsOutAt: isoAt(10) })]), settings(), emptyAlertState(), at(0)).nextState;
    state = snoozeAlerts(state, { window: 'five_hour', minutes: 15 }, status([]), at(0));
    expect(state.version).toBe(1);
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });

  it('does not mutate the state it was given', () => {
    const state = emptyAlertState();
    evaluateAlerts(status([win(92)]), settings(), state, at(0));
    expect(state).toEqual(emptyAlertState());
  });

  it('primeAlertState marks the current situation as alerted', () => {
    const now = status([win(93, { runsOutAt: isoAt(10) })], {
      at: isoAt(-1),
      window: 'five_hour',
      resetsAt: '2026-11-27T15:00:00.000Z',
      text: 'Session limit reached',
      sessionId: null,
      cwd: null,
    });
    const primed = primeAlertState(now, settings(), at(0));
    expect(primed.windows.five_hour?.firedThresholds).toEqual([50, 75, 90]);
    expect(primed.windows.five_hour?.predictiveFired).toBe(true);
    expect(evaluateAlerts(now, settings(), primed, at(1)).alerts).toEqual([]);
  });
});

describe('alert wording and status agree', () => {
  it('a run-out under a minute away is "under a minute", never "about less than a minute", as status says it', () => {
    const soon = win(70, { runsOutAt: new Date(T0 + 20_000).toISOString() });
    const result = evaluateAlerts(status([soon]), settings(), emptyAlertState(), at(0));
    const predictive = result.alerts.find((alert) => alert.kind === 'predictive');
    expect(predictive?.title).toBe('5-hour limit runs out in under a minute');
    expect(predictive?.body).not.toMatch(/about (less|under)/);
    const line = windowLine(soon, { nowMs: T0, zone: 'UTC' });
    expect(line).toContain(`(in ${formatDuration(Date.parse(soon.resetsAt!) - T0)})`);
  });
});

describe('formatDuration', () => {
  it('reads naturally', () => {
    expect(formatDuration(20_000)).toBe('under a minute');
    expect(formatDuration(25 * MIN)).toBe('25 min');
    expect(formatDuration(72 * MIN)).toBe('1 h 12 min');
    expect(formatDuration(120 * MIN)).toBe('2 h');
    expect(formatDuration((3 * 24 + 4) * 60 * MIN)).toBe('3 d 4 h');
  });
});
