// The one IPC contract between the tray app's main process, the preload bridge
// and the renderer pages. Main's handlers and the preload's bridge are typed
// against these maps, so a channel or payload that drifts fails to compile.
// This module is the renderer's only runtime import from shared: it re-exports
// the settings schema so the settings page validates exactly as main does.
import type { Settings } from './settings.js';
import type { Status, WindowId } from './status.js';

export { SettingsSchema, PLAN_PRESET_IDS, WEEKDAYS } from './settings.js';
export type { Settings } from './settings.js';
export type { Status, WindowStatus, WindowId, LimitSource } from './status.js';

/** What a checkpoint did, in a shape a page can show. */
export interface CheckpointSummary {
  ok: boolean;
  /** null when nothing was checkpointed (no active project, or it failed). */
  id: string | null;
  paused: boolean;
  projects: { projectDir: string; status: string; promptPath: string }[];
  message: string;
}

export interface SettingsView {
  settings: Settings;
  path: string;
  /** A repair notice from opening the file, or a hotkey that could not be registered. */
  notices: string[];
}

/** A failed field: its dotted path in the settings and a sentence for a person. */
export interface SettingsIssue {
  path: string;
  message: string;
}

/** notices: what main could not apply (a hotkey another app holds, a login item refused), shown at once. */
export type SettingsSetResult = { ok: true; settings: Settings; notices: string[] } | { ok: false; issues: SettingsIssue[] };

/** A share of a window's cost-weighted usage. */
export interface UsageShare {
  name: string;
  costUSD: number;
  /** 0..1 of the period's total. */
  share: number;
}

export interface DashboardCheckpoint {
  id: string;
  createdAt: string;
  trigger: string;
  paused: boolean;
  projects: { name: string; projectDir: string; status: string; hasPrompt: boolean; restoreCommand: string | null }[];
}

/** The popover's details beyond the status: chart series, breakdowns, checkpoints, pauses. */
export interface DashboardData {
  now: string;
  /** The popover's first line: the window that will stop the user first (same as the tray's). */
  headline: string;
  lead: WindowId | null;
  /** A limit that is stopping work now. */
  limit: { resetsAt: string | null; text: string } | null;
  fiveHour: {
    /** percent: y is % of the cap (the cap line is 100); usd: no cap is known. */
    unit: 'percent' | 'usd';
    startsAt: string | null;
    resetsAt: string | null;
    /** [epoch ms, cumulative y] from the window's start to now. */
    points: [number, number][];
    /** [now, y now], [reset, y at the reset] at the current pace; empty when no pace is known. */
    projection: [number, number][];
  };
  /** The last 7 local days, oldest first. */
  days: { day: string; costUSD: number }[];
  breakdown: {
    window: { byProject: UsageShare[]; byModel: UsageShare[] };
    week: { byProject: UsageShare[]; byModel: UsageShare[] };
  };
  /** Newest first, at most 3. */
  checkpoints: DashboardCheckpoint[];
  paused: { projectDir: string; name: string; since: string; resetsAt: string | null }[];
}

/** A checkpoint's project, as the popover names it. */
export interface CheckpointProjectRef {
  checkpointId: string;
  projectDir: string;
}

/** Extra Claude data roots main found (WSL distributions on Windows). */
export interface DiscoveredRoot {
  path: string;
  label: string;
}

/** One command Breather puts in Claude Code's settings.json, as the Settings window lists it. */
export interface IntegrationCommandView {
  /** "statusLine", "PreToolUse", "StopFailure", "SessionStart". */
  name: string;
  /** The command installed now; null when this part is not installed. */
  command: string | null;
  /** Why it is absent or different, in a few words (opt-in, another program's statusLine, an older path). */
  note: string | null;
}

/** What `breather integrate status` says, in a shape the Settings window and the popover show. */
export interface IntegrationView {
  settingsPath: string;
  settingsExists: boolean;
  /** A settings.json Breather must not change (invalid JSON, read-only), as a sentence; null when fine. */
  problem: string | null;
  installed: 'yes' | 'partly' | 'no';
  /** Installed with exactly the commands this Breather would write. */
  upToDate: boolean;
  commands: IntegrationCommandView[];
  /** The user's own statusLine command Breather wraps (uninstall puts it back). */
  wrappedStatusLine: string | null;
  bridge: { lastReportAt: string | null; claudeCodeVersion: string | null; figuresReceivedAt: string | null };
  autoContinue: { state: 'on' | 'off' | 'unknown'; where: string | null };
}

/** The answer to Install / Uninstall: a sentence for a person, and the state afterwards. */
export interface IntegrationActionResult {
  ok: boolean;
  /** Whether settings.json was written. */
  changed: boolean;
  message: string;
  view: IntegrationView | null;
}

/** A section of the Settings window main can scroll to. */
export type SettingsSection = 'integration';

/** Request/response per invoke channel (renderer → main, answered). */
export interface InvokeMap {
  'status:get': { request: void; response: Status | null };
  'checkpoint:now': { request: { pause?: boolean }; response: CheckpointSummary };
  /** minutes: null snoozes until the 5-hour window resets. */
  'alerts:snooze': { request: { minutes: number | null }; response: { ok: true; until: string | null } };
  'settings:get': { request: void; response: SettingsView };
  'settings:set': { request: Settings; response: SettingsSetResult };
  'app:open-settings': { request: void; response: void };
  'dashboard:get': { request: void; response: DashboardData | null };
  /** Clears every pause mark (as `breather resume`) and un-mutes the paused windows. */
  'pause:resume': { request: void; response: { resumed: string[] } };
  'checkpoint:copy-restore': { request: CheckpointProjectRef; response: { ok: boolean; command: string | null } };
  'checkpoint:open-prompt': { request: CheckpointProjectRef; response: { ok: boolean; message: string } };
  /** Hides the calling window (Escape). */
  'window:close': { request: void; response: void };
  'roots:discovered': { request: void; response: DiscoveredRoot[] };
  /** What is installed in Claude Code's settings.json and when the bridge last reported. */
  'integration:status': { request: void; response: IntegrationView };
  /** Adds Breather's statusLine and hooks (a backup first; nothing changed on a file it must not touch). */
  'integration:install': { request: void; response: IntegrationActionResult };
  /** Takes them out again (the original bytes when the file is as install left it). */
  'integration:uninstall': { request: void; response: IntegrationActionResult };
  /** Opens the Settings window at its Claude Code section (the popover's nudge). */
  'integration:open-settings': { request: void; response: void };
}

/** Payload per push channel (main → renderer). */
export interface EventMap {
  'status:changed': Status;
  /** Checkpoints or pause marks changed (from any face, the CLI included). */
  'dashboard:changed': DashboardData;
  /** Scroll the Settings window to this section (sent to the settings page only). */
  'settings:show-section': SettingsSection;
}

export type InvokeChannel = keyof InvokeMap;
export type EventChannel = keyof EventMap;
export type InvokeRequest<C extends InvokeChannel> = InvokeMap[C]['request'];
export type InvokeResponse<C extends InvokeChannel> = InvokeMap[C]['response'];

/** Every invoke channel, checked against the map in both directions. */
export const INVOKE_CHANNELS = [
  'status:get',
  'checkpoint:now',
  'alerts:snooze',
  'settings:get',
  'settings:set',
  'app:open-settings',
  'dashboard:get',
  'pause:resume',
  'checkpoint:copy-restore',
  'checkpoint:open-prompt',
  'window:close',
  'roots:discovered',
  'integration:status',
  'integration:install',
  'integration:uninstall',
  'integration:open-settings',
] as const satisfies readonly InvokeChannel[];
type MissingInvoke = Exclude<InvokeChannel, (typeof INVOKE_CHANNELS)[number]>;
const _allInvoke: MissingInvoke extends never ? true : never = true;
void _allInvoke;

export const EVENT_CHANNELS = ['status:changed', 'dashboard:changed', 'settings:show-section'] as const satisfies readonly EventChannel[];

export function isInvokeChannel(value: unknown): value is InvokeChannel {
  return typeof value === 'string' && (INVOKE_CHANNELS as readonly string[]).includes(value);
}

export function isEventChannel(value: unknown): value is EventChannel {
  return typeof value === 'string' && (EVENT_CHANNELS as readonly string[]).includes(value);
}

/** What the preload exposes as `window.breather`: the contract, nothing else. */
export interface BreatherBridge {
  invoke<C extends InvokeChannel>(channel: C, ...request: InvokeRequest<C> extends void ? [] | [InvokeRequest<C>] : [InvokeRequest<C>]): Promise<InvokeResponse<C>>;
  /** Subscribes to a push channel; returns the unsubscribe function. */
  on<E extends EventChannel>(channel: E, listener: (payload: EventMap[E]) => void): () => void;
}

/** The name the bridge is exposed under. */
export const BRIDGE_KEY = 'breather';

/** The name of a setting as the settings page labels it, for error sentences. */
const SETTING_NAMES: [RegExp, string][] = [
  [/^alerts\.thresholds\.five_hour/, '5-hour thresholds'],
  [/^alerts\.thresholds\.seven_day_opus/, 'Weekly Opus thresholds'],
  [/^alerts\.thresholds\.seven_day_sonnet/, 'Weekly Sonnet thresholds'],
  [/^alerts\.thresholds\.seven_day/, 'Weekly thresholds'],
  [/^alerts\.predictiveMinutes/, 'The run-out warning'],
  [/^alerts\.snoozeDefaultMinutes/, 'The snooze length'],
  [/^alerts\.quietHours\.(start|end)/, 'Quiet hours'],
  [/^alerts\.quietHours\.timeZone|^weeklyResetAnchor\.timeZone/, 'The time zone'],
  [/^plan\.customCaps/, 'A custom cap'],
  [/^weeklyResetAnchor\.time/, 'The weekly reset time'],
  [/^dataRoots/, 'A data folder'],
  [/^accountEndpoint\.pollMinutes/, 'The account poll interval'],
  [/^ingest\.maxLineMB/, 'The line size limit'],
  [/^checkpoint\.autoOnThresholdPercent/, 'The automatic checkpoint percentage'],
  [/^checkpoint\.activeMinutes/, 'The active-session window'],
  [/^checkpoint\.untrackedSizeCapMB/, 'The untracked file size cap'],
  [/^checkpoint\.workingStretchHours/, 'The working stretch'],
  [/^checkpoint\.promptBudgetKB/, 'The resume prompt budget'],
  [/^integration\.statuslineTimeoutMs/, 'The statusline wait'],
  [/^globalHotkey/, 'The hotkey'],
];

interface SchemaIssueLike {
  code: string;
  path: readonly PropertyKey[];
  message: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  origin?: string;
  expected?: string;
}

/** Schema issues as sentences a person can act on, each tied to its setting's path. */
export function settingsIssues(issues: readonly SchemaIssueLike[]): SettingsIssue[] {
  return issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    const name = SETTING_NAMES.find(([pattern]) => pattern.test(path))?.[1] ?? 'This value';
    const list = issue.origin === 'array' || /thresholds/.test(path);
    let message: string;
    if (issue.code === 'too_small') message = list && issue.origin === 'array' ? `${name} needs at least ${issue.minimum} value.` : `${name} must be at least ${issue.minimum}.`;
    else if (issue.code === 'too_big') message = issue.origin === 'array' ? `${name} can hold at most ${issue.maximum} values.` : `${name} must be at most ${issue.maximum}.`;
    else if (issue.code === 'invalid_type') message = issue.expected === 'number' ? `${name} must be a number.` : `${name} is missing or has the wrong kind of value.`;
    else if (issue.code === 'invalid_format') message = `${name} must be a 24-hour time such as 09:30.`;
    else if (issue.code === 'custom') message = `${name}: ${issue.message.replace(/^./, (c) => c.toLowerCase())}.`.replace(/\.\.$/, '.');
    else if (issue.code === 'invalid_value') message = `${name} is not one of the offered choices.`;
    else message = `${name}: ${issue.message}.`;
    if (list && /\.\d+$/.test(path) && (issue.code === 'too_small' || issue.code === 'too_big' || issue.code === 'invalid_type')) {
      message = `${name} must be whole percentages from 1 to 100, separated by commas.`;
    }
    return { path, message };
  });
}
