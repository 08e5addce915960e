// Every state the popover must show well, as canned data for the fake bridge:
// a Status and the DashboardData core derives from synthetic usage buckets,
// checkpoint records and pause marks (dashboardData() itself, not hand-made).
import { dashboardData } from '../../src/core/app/tray-dashboard.js';
import type { CheckpointRecord, PauseMark } from '../../src/core/checkpoint/checkpoint-store.js';
import type { UsageBucket } from '../../src/core/ingest/usage-index.js';
import type { DashboardData, IntegrationView } from '../../src/shared/ipc-contract.js';
import type { Status, WindowStatus } from '../../src/shared/status.js';

export const STATE_NOW = Date.parse('2026-03-02T14:20:00.000Z');
const at = (minutes: number) => new Date(STATE_NOW + minutes * 60_000).toISOString();
const QUARTER = 15 * 60_000;

function win(id: WindowStatus['id'], usedPercent: number | null, extra: Partial<WindowStatus> = {}): WindowStatus {
  const five = id === 'five_hour';
  return {
    id,
    usedPercent,
    source: usedPercent === null ? 'none' : 'statusline',
    asOf: at(-0.7),
    startsAt: five ? at(-180) : at(-3 * 1440 - 200),
    resetsAt: five ? at(120) : at(4 * 1440 - 200),
    anchor: five ? 'statusline' : 'statusline',
    tokens: 2_400_000,
    costUSD: five ? 14.2 : 96,
    burnRate: five ? { tokensPerMinute: 5200, costPerHour: 4.1 } : null,
    runsOutAt: null,
    minutesLeft: null,
    confidence: 1,
    ...extra,
  };
}

const PROJECTS = ['/home/dev/projects/shop', '/home/dev/projects/blog', '/home/dev/work/api-gateway', '/home/dev/oss/parser', '/home/dev/scratch'];
const MODELS = ['claude-sonnet-4-5', 'claude-opus-4-1', 'claude-haiku-4-5'];

/** A week of usage: busier in the current 5-hour window, spread over projects and models. */
export function syntheticBuckets(): UsageBucket[] {
  const buckets: UsageBucket[] = [];
  const start = Math.floor((STATE_NOW - 7 * 86_400_000) / QUARTER) * QUARTER;
  let i = 0;
  for (let q = start; q <= STATE_NOW; q += QUARTER, i++) {
    const hour = new Date(q).getUTCHours();
    if (hour < 8 || hour > 22 || i % 3 === 1) continue;
    const recent = q > STATE_NOW - 180 * 60_000;
    const cost = (recent ? 0.9 : 0.35) * (1 + ((i * 7) % 5) / 4);
    buckets.push({
      quarterMs: q,
      model: MODELS[i % 5 === 0 ? 1 : i % 7 === 0 ? 2 : 0]!,
      cwd: PROJECTS[recent ? i % 3 : (i * 3) % 5]!,
      sessionId: `s-${i % 4}`,
      entries: 3,
      firstMs: q,
      lastMs: q + QUARTER - 1,
      unpriced: false,
      input: 1000,
      output: 4000,
      cacheCreation: 2000,
      cacheCreation1h: 0,
      cacheRead: 50_000,
      costUSD: cost,
    });
  }
  return buckets;
}

function checkpoint(id: string, minutesAgo: number, project: string, trigger: string, stashed = true, paused = false): CheckpointRecord {
  return {
    id,
    createdAt: at(-minutesAgo),
    trigger,
    paused,
    limit: null,
    projects: [
      {
        projectDir: project,
        repoRoot: project,
        isGitRepo: true,
        branch: 'main',
        head: 'abc1234',
        status: stashed ? 'stashed' : 'nothing-to-stash',
        stashSha: stashed ? 'f00dbabe' : null,
        privateRef: null,
        refusal: null,
        promptPath: `/state/checkpoints/${id}.md`,
        sessionIds: ['s-1'],
        notCaptured: [],
        skippedFiles: [],
        submodules: [],
        changedFiles: 3,
      },
    ],
  };
}

const CHECKPOINTS = [checkpoint('20260302-1102-a1', 200, PROJECTS[1]!, 'hotkey', false), checkpoint('20260302-1250-b2', 90, PROJECTS[2]!, 'menu'), checkpoint('20260302-1405-c3', 15, PROJECTS[0]!, 'limit-hit', true, true)];

function health(): Status['health'] {
  return {
    roots: [
      { path: '/home/dev/.claude', exists: true },
      { path: '/home/dev/.config/claude', exists: false },
    ],
    files: 214,
    bytesIndexed: 48 * 1024 * 1024,
    skippedLines: {},
    unfinishedLines: 0,
    index: 'updated',
    diagnostics: [],
  };
}

function status(windows: WindowStatus[], extra: Partial<Status> = {}): Status {
  return { now: at(0), windows: Object.fromEntries(windows.map((w) => [w.id, w])), lastLimitHit: null, activeSessions: [{ sessionId: 's-1', cwd: PROJECTS[0]!, lastActivity: at(-2) }], health: health(), ...extra };
}

export interface PopoverState {
  status: Status | null;
  dashboard: DashboardData | null;
  /** What main says is installed in Claude Code (the popover nudges when nothing is, and no official figure came). */
  integration: IntegrationView;
}

const HOOK = '/opt/Breather/resources/app.asar.unpacked/dist/cli/breather-hook.mjs';
const hookCommand = (sub: string) => `ELECTRON_RUN_AS_NODE=1 /opt/Breather/breather ${HOOK} ${sub}`;

/** Claude Code's settings as the Settings window shows them: Breather installed (and reporting) or not. */
export function integrationFixture(installed: boolean, extra: Partial<IntegrationView> = {}): IntegrationView {
  const names: [string, string | null][] = [['statusLine', 'statusline'], ['PreToolUse', 'pre-tool-use'], ['StopFailure', 'stop-failure'], ['SessionStart', null]];
  return {
    settingsPath: '/home/dev/.claude/settings.json',
    settingsExists: true,
    problem: null,
    installed: installed ? 'yes' : 'no',
    upToDate: installed,
    commands: names.map(([name, sub]) => ({ name, command: installed && sub ? hookCommand(sub) : null, note: sub ? null : 'opt-in, off' })),
    wrappedStatusLine: null,
    bridge: installed ? { lastReportAt: at(-0.7), claudeCodeVersion: '2.1.90', figuresReceivedAt: at(-0.7) } : { lastReportAt: null, claudeCodeVersion: null, figuresReceivedAt: null },
    autoContinue: { state: 'unknown', where: null },
    ...extra,
  };
}

function state(s: Status, options: { pauses?: PauseMark[]; checkpoints?: CheckpointRecord[]; buckets?: UsageBucket[] } = {}): PopoverState {
  const buckets = options.buckets ?? syntheticBuckets();
  // The windows' costs are what the buckets add up to, as the usage engine would report.
  for (const w of Object.values(s.windows)) {
    if (w?.startsAt) w.costUSD = buckets.filter((b) => b.lastMs >= Date.parse(w.startsAt!) && b.firstMs <= STATE_NOW).reduce((sum, b) => sum + b.costUSD, 0);
  }
  const dashboard = dashboardData({ status: s, buckets, checkpoints: options.checkpoints ?? CHECKPOINTS, pauses: options.pauses ?? [], timeZone: 'UTC' });
  // Official figures come from the installed bridge; without any, the integration is not installed.
  const official = Object.values(s.windows).some((w) => w?.source === 'statusline');
  return { status: s, dashboard, integration: integrationFixture(official) };
}

const limitHit = { at: at(-12), window: 'five_hour' as const, resetsAt: at(120), text: "You've hit your session limit · resets 4:20pm", sessionId: 's-1', cwd: PROJECTS[0]! };
const pause: PauseMark = { projectDir: PROJECTS[0]!, since: at(-12), checkpointId: '20260302-1405-c3', window: 'five_hour', resetsAt: at(120) };

export const POPOVER_STATES: Record<string, () => PopoverState> = {
  ok: () => state(status([win('five_hour', 34), win('seven_day', 21)])),
  warning: () => state(status([win('five_hour', 81, { runsOutAt: at(70), minutesLeft: 70 }), win('seven_day', 52)])),
  critical: () => state(status([win('five_hour', 94, { runsOutAt: at(18), minutesLeft: 18 }), win('seven_day', 71)])),
  'limit-reached': () => state(status([win('five_hour', 100), win('seven_day', 74)], { lastLimitHit: limitHit })),
  paused: () => state(status([win('five_hour', 100), win('seven_day', 74)], { lastLimitHit: limitHit }), { pauses: [pause] }),
  'no-data': () => state(status([], { activeSessions: [] }), { buckets: [], checkpoints: [] }),
  // The busiest popover with the nudge: limit banner, paused banner, estimates only.
  'paused-estimate': () =>
    state(status([win('five_hour', 100, { source: 'learned', confidence: 0.6, asOf: null }), win('seven_day', 74, { source: 'plan', confidence: 0.3, asOf: null })], { lastLimitHit: limitHit }), { pauses: [pause] }),
  estimate: () => state(status([win('five_hour', 58, { source: 'learned', confidence: 0.6, asOf: null }), win('seven_day', 33, { source: 'plan', confidence: 0.3, asOf: null })])),
  'four-windows': () =>
    state(
      status([
        win('five_hour', 46, { runsOutAt: null }),
        win('seven_day', 96, { runsOutAt: at(45), minutesLeft: 45 }),
        win('seven_day_opus', 88, { source: 'account' }),
        win('seven_day_sonnet', 41, { source: 'account' }),
      ]),
    ),
};

export const POPOVER_STATE_NAMES = Object.keys(POPOVER_STATES);
