import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLAN_PRESETS } from '../../src/core/limits/plan-presets.js';
import { costOfResponse } from '../../src/core/usage/pricing.js';
import { statusText } from '../../src/cli/status-text.js';
import { formatWhen } from '../../src/cli/time-format.js';
import { defaultSettings } from '../../src/shared/settings.js';
import type { Status, WindowStatus } from '../../src/shared/status.js';
import { limitHitLine } from '../support/live-monitor-harness.js';
import { runCli } from '../support/run-cli.js';
import { tempDir, usageLine, writeTranscript } from '../support/usage-lines.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const SONNET = 'claude-sonnet-4-5-20250929';

interface Spec {
  atMs: number;
  input: number;
  output: number;
  session: string;
  cwd: string;
}
const costOf = (s: Spec) => costOfResponse(SONNET, { input: s.input, output: s.output, cacheCreation: 0, cacheCreation1h: 0, cacheRead: 0 })!;
const tokensOf = (s: Spec) => s.input + s.output;
const line = (s: Spec) => usageLine({ at: new Date(s.atMs).toISOString(), model: SONNET, input: s.input, output: s.output, sessionId: s.session, cwd: s.cwd });
const iso = (ms: number) => new Date(ms).toISOString();

/** A Claude root with a past 5-hour hit (also copied into a resumed session), a weekly hit, and a current window. */
function corpus(nowMs = Date.now()) {
  const root = tempDir('breather-limits-root-');
  const home = tempDir('breather-limits-home-');
  const a = '/work/project-a';
  const b = '/work/project-b';
  // Whole minutes keep every line away from 15-minute bucket edges that matter.
  const now = Math.floor(nowMs / MIN) * MIN;
  const hit1 = now - 3 * DAY; // "Claude AI usage limit reached|<unix>": reset 2 h later, window hit1-3h … hit1+2h
  const hit1Reset = hit1 + 2 * HOUR;
  const hit2 = now - DAY - 7 * HOUR; // weekly, text with a zone
  const past: Spec[] = [
    { atMs: hit1 - 4 * HOUR, input: 1000, output: 100_000, session: 'old', cwd: a }, // before hit1's window
    { atMs: hit1 - 2 * HOUR, input: 2000, output: 400_000, session: 'old', cwd: a },
    { atMs: hit1 - 30 * MIN, input: 3000, output: 400_000, session: 'old', cwd: a },
    { atMs: hit2 - HOUR, input: 500, output: 200_000, session: 'week', cwd: b },
  ];
  // The current 5-hour window: $0.60 early on, then $3 within the last 30 minutes.
  const current: Spec[] = [
    { atMs: now - 100 * MIN, input: 1000, output: 40_000, session: 'live', cwd: a },
    { atMs: now - 20 * MIN, input: 1000, output: 130_000, session: 'live', cwd: a },
    { atMs: now - 5 * MIN, input: 1000, output: 70_000, session: 'live', cwd: a },
  ];
  const hit1Text = `Claude AI usage limit reached|${hit1Reset / 1000}`;
  const hit2Text = "You've hit your weekly limit · resets Mon 12:00am (UTC)";
  const hit1Line = limitHitLine(hit1, hit1Text, { sessionId: 'old', cwd: a });
  const oldLines = [...past.filter((s) => s.session === 'old').map(line), hit1Line];
  writeTranscript(root, '-work-project-a/old.jsonl', oldLines);
  // A resumed session copies the earlier lines (ids, timestamps, limit message and all) into a new file.
  writeTranscript(root, '-work-project-a/resumed.jsonl', oldLines.map((l) => l.replace(/"sessionId":"old"/, '"sessionId":"resumed"')));
  writeTranscript(root, '-work-project-b/week.jsonl', [...past.filter((s) => s.session === 'week').map(line), limitHitLine(hit2, hit2Text, { sessionId: 'week', cwd: b })]);
  writeTranscript(root, '-work-project-a/live.jsonl', current.map(line));

  // Oracles, from the specs.
  const all = [...past, ...current];
  const usageIn = (fromMs: number, toMs: number) => {
    const inside = all.filter((s) => s.atMs >= fromMs && s.atMs <= toMs);
    return { tokens: inside.reduce((t, s) => t + tokensOf(s), 0), costUSD: inside.reduce((t, s) => t + costOf(s), 0) };
  };
  // Next Monday 00:00 UTC strictly after hit2.
  const day0 = Date.UTC(new Date(hit2).getUTCFullYear(), new Date(hit2).getUTCMonth(), new Date(hit2).getUTCDate());
  let hit2Reset = day0;
  while (new Date(hit2Reset).getUTCDay() !== 1 || hit2Reset <= hit2) hit2Reset += DAY;
  return {
    root,
    home,
    env: { BREATHER_HOME: home },
    now,
    hit1: { at: hit1, resetsAt: hit1Reset, text: hit1Text, usage: usageIn(hit1Reset - 5 * HOUR, hit1) },
    hit2: { at: hit2, resetsAt: hit2Reset, text: hit2Text, usage: usageIn(hit2Reset - 7 * DAY, hit2) },
    current: { tokens: current.reduce((t, s) => t + tokensOf(s), 0), costUSD: current.reduce((t, s) => t + costOf(s), 0), specs: current },
  };
}

/** Percentages are rounded to one decimal. */
function expectPercent(actual: number, expected: number) {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(0.05 + 1e-9);
}

function expectUsage(actual: { tokens: number; costUSD: number }, expected: { tokens: number; costUSD: number }) {
  expect(actual.tokens).toBe(expected.tokens);
  expect(actual.costUSD).toBeCloseTo(expected.costUSD, 9);
}

describe('breather limits', () => {
  it('--json lists each hit once with time, window, reset, text, session, cwd and the usage up to it', async () => {
    const c = corpus();
    const result = await runCli(['limits', '--json', '--data-dir', c.root], c.env);
    expect(result.code, result.stderr).toBe(0);
    const { limitHits } = JSON.parse(result.stdout) as { limitHits: Record<string, unknown>[] };
    expect(limitHits).toHaveLength(2); // the copy in the resumed session counts once
    expect(limitHits[0]).toMatchObject({ at: iso(c.hit1.at), window: 'five_hour', resetsAt: iso(c.hit1.resetsAt), text: c.hit1.text, cwd: '/work/project-a' });
    expect(['old', 'resumed']).toContain(limitHits[0]!.sessionId);
    expect(limitHits[1]).toMatchObject({ at: iso(c.hit2.at), window: 'weekly', resetsAt: iso(c.hit2.resetsAt), text: c.hit2.text, sessionId: 'week', cwd: '/work/project-b' });
    expectUsage(limitHits[0]!.usageUpToHit as { tokens: number; costUSD: number }, c.hit1.usage);
    expectUsage(limitHits[1]!.usageUpToHit as { tokens: number; costUSD: number }, c.hit2.usage);
    // The usage before hit 1's window (4 h before it) is not part of its sample.
    expect(c.hit1.usage.tokens).toBe(2000 + 400_000 + 3000 + 400_000);
  });

  it('prints a table, or says when there are none', async () => {
    const c = corpus();
    const table = await runCli(['limits', '--timezone', 'UTC', '--data-dir', c.root], c.env);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain(formatWhen(iso(c.hit1.at), { nowMs: Date.now(), zone: 'UTC' }));
    expect(table.stdout).toContain('weekly');
    // The message column is what is left of 80 columns: its width moves with the time labels ("today 00:00").
    expect(table.stdout).toMatch(/weekly +│[^\n]*You've hit your/);
    for (const line of table.stdout.trimEnd().split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
    const empty = tempDir();
    writeTranscript(empty, '-p/s.jsonl', [usageLine({ at: iso(c.now - HOUR) })]);
    const none = await runCli(['limits', '--data-dir', empty], c.env);
    expect(none.stdout.trim()).toBe('No usage-limit hits found.');
  });
});

describe('breather status', () => {
  it('--json has the five_hour window with every field of the issue, seven_day, the last hit, active sessions and health', async () => {
    const c = corpus();
    const before = Date.now();
    const result = await runCli(['status', '--json', '--data-dir', c.root], c.env);
    const after = Date.now();
    expect(result.code, result.stderr).toBe(0);
    const status = JSON.parse(result.stdout);
    const statusNow = Date.parse(status.now);
    expect(statusNow).toBeGreaterThanOrEqual(before - 1000);
    expect(statusNow).toBeLessThanOrEqual(after + 1000);

    const w = status.windows.five_hour;
    for (const key of ['usedPercent', 'source', 'asOf', 'startsAt', 'resetsAt', 'tokens', 'costUSD', 'burnRate', 'runsOutAt']) expect(w).toHaveProperty(key);
    // The one past 5-hour hit is the learned cap: percentage = window cost / cap.
    expect(w.source).toBe('learned');
    expectPercent(w.usedPercent, (c.current.costUSD / c.hit1.usage.costUSD) * 100);
    expect(w.confidence).toBe(0.5);
    expect(Date.parse(w.asOf)).toBe(statusNow);
    // ccusage block: first activity 100 min ago, floored to the hour; 5 h long.
    const blockStart = Math.floor((c.now - 100 * MIN) / HOUR) * HOUR;
    expect(w.startsAt).toBe(iso(blockStart));
    expect(w.resetsAt).toBe(iso(blockStart + 5 * HOUR));
    expect(w.tokens).toBe(c.current.tokens);
    expect(w.costUSD).toBeCloseTo(c.current.costUSD, 9);
    // Trailing 30 minutes: the two recent lines, since the first of them.
    const recent = c.current.specs.slice(1);
    const minutes = (statusNow - recent[0]!.atMs) / MIN;
    expect(w.burnRate.tokensPerMinute).toBeCloseTo(recent.reduce((t, s) => t + tokensOf(s), 0) / minutes, 0);
    expect(w.burnRate.costPerHour).toBeCloseTo((recent.reduce((t, s) => t + costOf(s), 0) / minutes) * 60, 2);
    // Cap $12.x, $3.6 used, ~$9/h: it runs out in well under the ~3 h left.
    const expectedOut = statusNow + ((c.hit1.usage.costUSD - c.current.costUSD) / w.burnRate.costPerHour) * HOUR;
    expect(Math.abs(Date.parse(w.runsOutAt) - expectedOut)).toBeLessThan(1000);
    expect(w.minutesLeft).toBe(Math.round((expectedOut - statusNow) / MIN));

    expect(status.windows.seven_day).toMatchObject({ id: 'seven_day' });
    expect(status.windows.seven_day.tokens).toBeGreaterThanOrEqual(c.current.tokens);
    expect(status.lastLimitHit).toMatchObject({ at: iso(c.hit2.at), window: 'weekly', text: c.hit2.text, sessionId: 'week' });
    // The weekly limit keeps its session active until it resets: the user is waiting for it.
    const waiting = c.hit2.resetsAt > statusNow ? [{ sessionId: 'week', cwd: '/work/project-b', lastActivity: iso(c.hit2.at), limitResetsAt: iso(c.hit2.resetsAt) }] : [];
    expect(status.activeSessions).toEqual([{ sessionId: 'live', cwd: '/work/project-a', lastActivity: iso(c.now - 5 * MIN) }, ...waiting]);
    expect(status.health).toMatchObject({ roots: [{ path: c.root, exists: true }], files: 4 });
  });

  it('uses the plan preset set with `config set` when nothing better is known; text output shows the reset countdown', async () => {
    const c = corpus();
    const root = tempDir();
    writeTranscript(root, '-work-project-a/live.jsonl', c.current.specs.map(line));
    expect((await runCli(['config', 'set', 'plan.preset', 'pro'], c.env)).code).toBe(0);
    const status = JSON.parse((await runCli(['status', '--json', '--data-dir', root], c.env)).stdout);
    expect(status.windows.five_hour).toMatchObject({ source: 'plan' });
    expectPercent(status.windows.five_hour.usedPercent, (c.current.costUSD / PLAN_PRESETS.pro.caps.five_hour!) * 100);
    expect(status.windows.five_hour.confidence).toBeUndefined();
    expect(status.windows.seven_day).toMatchObject({ source: 'plan', anchor: 'rolling', resetsAt: null });

    const text = await runCli(['status', '--timezone', 'UTC', '--data-dir', root], c.env);
    expect(text.code).toBe(0);
    const lead = text.stdout.split('\n')[0]!;
    const match = /^5-hour: (\d+)% \(plan estimate\) · resets (?:today |tomorrow )?(\d{2}:\d{2}) \(in (?:(\d+) h ?)?(?:(\d+) min)?\)/.exec(lead);
    expect(match, text.stdout).not.toBeNull();
    expect(match![2]).toBe(status.windows.five_hour.resetsAt.slice(11, 16));
    const countdown = Number(match![3] ?? 0) * 60 + Number(match![4] ?? 0);
    expect(Math.abs(countdown - (Date.parse(status.windows.five_hour.resetsAt) - Date.now()) / MIN)).toBeLessThanOrEqual(1.5);
    // The week has activity but no known reset: say so, not "no activity".
    // (The run-out part follows on the same line or, when the line is too long for 80 columns, the next.)
    expect(text.stdout).toMatch(/\nWeekly: \d+% \(plan estimate\) · rolling 7 days(\n| · at this pace runs out )/);
    expect(text.stdout).not.toContain('no activity');
    expect(text.stdout).toContain('active sessions');
    expect(text.stdout).not.toMatch(/\d{2}:\d{2}:\d{2}\.\d{3}Z/);
  });
});

describe('statusText', () => {
  it('names every window readably, with its countdown, a rolling week as rolling, and a window without activity', () => {
    const now = Date.parse('2026-11-27T12:00:00.000Z');
    const win = (id: WindowStatus['id'], resetsAt: string | null, anchor: string, tokens: number): WindowStatus => ({
      id, usedPercent: 40, source: 'learned', confidence: 0.75, asOf: iso(now), startsAt: null, resetsAt, anchor, tokens, costUSD: 1, burnRate: null, runsOutAt: null, minutesLeft: null,
    });
    const status: Status = {
      now: iso(now),
      windows: {
        five_hour: win('five_hour', null, 'block', 0),
        seven_day: win('seven_day', null, 'rolling', 5000),
        seven_day_opus: win('seven_day_opus', '2026-11-30T14:30:00.000Z', 'limit-hit', 100),
      },
      lastLimitHit: null,
      activeSessions: [],
      health: { roots: [], files: 0, bytesIndexed: 0, skippedLines: {}, unfinishedLines: 0, index: 'fresh', diagnostics: [] },
    };
    const text = statusText(status, { nowMs: now, zone: 'UTC', columns: 80 });
    const lines = text.split('\n');
    expect(lines[0]).toBe('5-hour: no activity in the current window');
    expect(lines[1]).toBe('Weekly: 40% (learned, 75% sure) · rolling 7 days');
    expect(lines[2]).toBe('Weekly Opus: 40% (learned, 75% sure) · resets Mon 14:30 (in 3 d 2 h)');
    const newYork = statusText(status, { nowMs: now, zone: 'America/New_York', columns: 80 });
    expect(newYork.split('\n')[2]).toBe('Weekly Opus: 40% (learned, 75% sure) · resets Mon 09:30 (in 3 d 2 h)');
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(80);
  });
});

describe('breather config', () => {
  const env = () => ({ BREATHER_HOME: tempDir('breather-config-home-') });

  it('get prints every setting (the defaults on a fresh state dir), --json too', async () => {
    const e = env();
    const result = await runCli(['config', 'get', '--json'], e);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(defaultSettings());
    expect(JSON.parse((await runCli(['config', 'get'], e)).stdout)).toEqual(defaultSettings());
  });

  it('set and get round-trip, in text and JSON, and persist to settings.json', async () => {
    const e = env();
    const set = await runCli(['config', 'set', 'plan.preset', 'max_5x'], e);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout.trim()).toBe(`plan.preset = "max_5x" (saved in ${join(e.BREATHER_HOME, 'settings.json')})`);
    expect((await runCli(['config', 'get', 'plan.preset'], e)).stdout.trim()).toBe('max_5x');
    expect(JSON.parse((await runCli(['config', 'get', 'plan.preset', '--json'], e)).stdout)).toBe('max_5x');
    expect(JSON.parse(readFileSync(join(e.BREATHER_HOME, 'settings.json'), 'utf8')).plan.preset).toBe('max_5x');

    const json = await runCli(['config', 'set', 'alerts.thresholds.five_hour', '[60,80]', '--json'], e);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ ...defaultSettings(), plan: { ...defaultSettings().plan, preset: 'max_5x' }, alerts: { ...defaultSettings().alerts, thresholds: { ...defaultSettings().alerts.thresholds, five_hour: [60, 80] } } });
    expect(JSON.parse((await runCli(['config', 'get', 'alerts.thresholds.five_hour'], e)).stdout)).toEqual([60, 80]);

    await runCli(['config', 'set', 'alerts.quietHours', '{"start":"22:00","end":"07:30"}'], e);
    expect(JSON.parse((await runCli(['config', 'get', 'alerts.quietHours', '--json'], e)).stdout)).toEqual({ start: '22:00', end: '07:30', timeZone: null });
    await runCli(['config', 'set', 'alerts.quietHours.timeZone', 'Europe/London'], e);
    expect((await runCli(['config', 'get', 'alerts.quietHours.timeZone'], e)).stdout.trim()).toBe('Europe/London');
    await runCli(['config', 'set', 'alerts.predictiveMinutes', '0'], e);
    expect(JSON.parse((await runCli(['config', 'get', 'alerts.predictiveMinutes', '--json'], e)).stdout)).toBe(0);
  });

  it('get of a value below a section that is not set prints null; version is readable', async () => {
    const e = env();
    const result = await runCli(['config', 'get', 'alerts.quietHours.start'], e);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe('null');
    expect(JSON.parse((await runCli(['config', 'get', 'alerts.quietHours.start', '--json'], e)).stdout)).toBeNull();
    expect((await runCli(['config', 'get', 'version'], e)).stdout.trim()).toBe('1');
  });

  it('reset restores one default, or all', async () => {
    const e = env();
    await runCli(['config', 'set', 'plan.preset', 'pro'], e);
    await runCli(['config', 'set', 'alerts.thresholds.five_hour', '[60]'], e);
    const one = await runCli(['config', 'reset', 'alerts.thresholds.five_hour'], e);
    expect(one.code).toBe(0);
    expect(one.stdout.trim()).toBe('alerts.thresholds.five_hour reset to [50,75,90,95]');
    expect((await runCli(['config', 'get', 'plan.preset'], e)).stdout.trim()).toBe('pro');
    const all = await runCli(['config', 'reset', '--json'], e);
    expect(all.code).toBe(0);
    expect(JSON.parse(all.stdout)).toEqual(defaultSettings());
    expect(JSON.parse((await runCli(['config', 'get', '--json'], e)).stdout)).toEqual(defaultSettings());
  });

  it.each([
    [['set', 'alerts.thresholds.five_hour', '[50,150]'], /Invalid value for alerts\.thresholds\.five_hour: .*100/],
    [['set', 'alerts.thresholds.five_hour', '[50,50]'], /thresholds must not repeat/],
    [['set', 'plan.preset', 'gold'], /Invalid value for plan\.preset/],
    [['set', 'alerts.predictiveMinutes', 'soon'], /Invalid value for alerts\.predictiveMinutes/],
    [['set', 'weeklyResetAnchor', '{"weekday":"mon","time":"25:00"}'], /^breather: Invalid value for weeklyResetAnchor: time: expected a 24-hour time "HH:MM"\n$/],
    // Not JSON: a hint shaped like the current value; the path is said once.
    [['set', 'alerts.thresholds.five_hour', '60,80'], /^breather: Invalid value for alerts\.thresholds\.five_hour: Invalid input: expected array, received string\. Use JSON, e\.g\. '\[50,75,90,95\]'\n$/],
    [['set', 'alerts.quietHours', '{"start":"22:00","end":"07:00","timeZone":"Mars/Base"}'], /not a known IANA time zone/],
    [['set', 'alerts.quietHours.start', '22:00'], /"alerts\.quietHours" is not set; set "alerts\.quietHours" as a whole first/],
    [['set', 'no.such.setting', '1'], /"no\.such\.setting" is not a setting/],
    [['set', 'version', '2'], /"version" is managed by Breather/],
    [['get', 'no.such.setting'], /"no\.such\.setting" is not a setting/],
    [['get', 'alerts.thresholds.five_hour.0'], /"alerts\.thresholds\.five_hour\.0" is not a setting/],
    [['get', 'plan.__proto__'], /"plan\.__proto__" is not a setting/],
    [['reset', 'alerts.bogus'], /"alerts\.bogus" is not a setting/],
  ])('rejects config %j with exit code 2 and a clear message, changing nothing', async (args, message) => {
    const e = env();
    await runCli(['config', 'set', 'plan.preset', 'pro'], e);
    const before = readFileSync(join(e.BREATHER_HOME, 'settings.json'), 'utf8');
    const result = await runCli(['config', ...args], e);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/^breather: /);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(result.stdout).toBe('');
    expect(readFileSync(join(e.BREATHER_HOME, 'settings.json'), 'utf8')).toBe(before);
  });

  it('backs up a corrupt settings file, says so on stderr, and carries on with defaults', async () => {
    const e = env();
    const path = join(e.BREATHER_HOME, 'settings.json');
    const garbage = '{"version":1,"plan":{"preset":"pro"'; // truncated JSON
    writeFileSync(path, garbage);
    const result = await runCli(['config', 'get', 'plan.preset', '--json'], e);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toBeNull();
    expect(result.stderr).toMatch(/^breather: Your settings file was not valid JSON .*It was saved as .*settings\.json\.corrupt-/);
    const backups = readdirSync(e.BREATHER_HOME).filter((f) => f.startsWith('settings.json.corrupt-'));
    expect(backups).toHaveLength(1);
    expect(readFileSync(join(e.BREATHER_HOME, backups[0]!), 'utf8')).toBe(garbage);
    expect(result.stderr).toContain(backups[0]);
    // Repaired: the next run is quiet.
    const next = await runCli(['config', 'get', 'plan.preset'], e);
    expect(next.stderr).toBe('');
    expect(existsSync(path)).toBe(true);
  });

  it('repairs a file with an invalid value, keeping the rest, with a notice and a backup', async () => {
    const e = env();
    const path = join(e.BREATHER_HOME, 'settings.json');
    writeFileSync(path, JSON.stringify({ version: 1, plan: { preset: 'pro' }, alerts: { predictiveMinutes: -5 } }));
    const result = await runCli(['config', 'get', '--json'], e);
    expect(result.code).toBe(0);
    const settings = JSON.parse(result.stdout);
    expect(settings.plan.preset).toBe('pro');
    expect(settings.alerts.predictiveMinutes).toBe(defaultSettings().alerts.predictiveMinutes);
    expect(result.stderr).toMatch(/needed attention: .*alerts\.predictiveMinutes/);
    expect(readdirSync(e.BREATHER_HOME).some((f) => f.startsWith('settings.json.corrupt-'))).toBe(true);
  });
});
