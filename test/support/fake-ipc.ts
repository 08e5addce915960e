// Typed fakes for main's IPC layer: an ipcMain that records handlers and calls
// them, a settings store, our window and a foreign one as senders, every
// AppActionDeps answer canned (asked-for effects recorded), and Claude Code's
// integration as a small in-memory settings.json that can be made unwritable.
import { type AppActionDeps, invokeHandlers } from '../../src/main/app-actions.js';
import type { AppSettingsStore } from '../../src/main/electron-settings-store.js';
import type { IntegrationPort } from '../../src/main/integration-actions.js';
import { type IpcMainPort, registerIpc } from '../../src/main/ipc.js';
import type { IpcSenderInfo } from '../../src/main/windows.js';
import { SettingsFileError } from '../../src/core/integration/claude-settings-merge.js';
import { breatherCommands, hookEntryPoint } from '../../src/core/integration/hook-commands.js';
import type { IntegrationStatus } from '../../src/core/integration/integration-service.js';
import { defaultSettings, type Settings } from '../../src/shared/settings.js';
import { statusWith, windowStatus } from './status-fixture.js';

type Handler = (event: IpcSenderInfo, ...args: unknown[]) => unknown;

export class FakeIpcMain implements IpcMainPort {
  readonly handlers = new Map<string, Handler>();
  handle(channel: string, listener: Handler): void {
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  call(channel: string, event: IpcSenderInfo, ...args: unknown[]): Promise<unknown> {
    return Promise.resolve().then(() => this.handlers.get(channel)!(event, ...args));
  }
}

export function fakeSettings(): AppSettingsStore & { written: Settings[] } {
  let current = defaultSettings();
  const written: Settings[] = [];
  return {
    written,
    get settings() {
      return current;
    },
    notice: undefined,
    path: '/state/settings.json',
    replace(next) {
      written.push(next);
      current = next;
      return next;
    },
    reload: () => current,
    onChange: () => () => undefined,
  };
}

export const OURS: IpcSenderInfo = { sender: { id: 1 }, senderFrame: { url: 'file:///app/dist/renderer/popover.html' } };
export const FOREIGN: IpcSenderInfo = { sender: { id: 2 }, senderFrame: { url: 'https://evil.example/' } };

/** The commands this app would write, from the same core builder main uses. */
export const FAKE_COMMANDS = breatherCommands(hookEntryPoint('/app/dist/cli/breather-hook.mjs', '/usr/bin/node', {} as NodeJS.ProcessVersions), { sessionStart: false }, 'linux');

/** An in-memory settings.json with Breather's parts in or out; `problem` makes it one Breather must not touch. */
export class FakeIntegration implements IntegrationPort {
  installed = false;
  problem: SettingsFileError | null = null;
  readonly settingsPath = '/home/dev/.claude/settings.json';
  lastReportAt: string | null = null;

  async status(): Promise<IntegrationStatus> {
    const on = this.installed;
    return {
      settingsPath: this.settingsPath,
      settingsExists: true,
      problem: this.problem?.message ?? null,
      installed: on ? 'yes' : 'no',
      upToDate: on,
      parts: { statusLine: on ? { command: FAKE_COMMANDS.statusline } : null, foreignStatusLine: null, hooks: on ? { PreToolUse: { command: FAKE_COMMANDS.hooks.PreToolUse!, timeout: 5 }, StopFailure: { command: FAKE_COMMANDS.hooks.StopFailure!, timeout: 5 } } : {} },
      expected: FAKE_COMMANDS,
      previousStatusLine: null,
      bridge: { lastReportAt: this.lastReportAt, claudeCodeVersion: this.lastReportAt ? '2.1.90' : null, figuresReceivedAt: this.lastReportAt },
      autoContinue: { state: 'unknown', where: null, key: null },
    };
  }

  async install() {
    if (this.problem) throw this.problem;
    const changed = !this.installed;
    this.installed = true;
    return { settingsPath: this.settingsPath, changed, backupPath: changed ? '/state/claude-settings-backups/settings-1.json' : null, commands: FAKE_COMMANDS, replacedStatusLine: null };
  }

  async uninstall() {
    if (this.problem) throw this.problem;
    const changed = this.installed;
    this.installed = false;
    return { settingsPath: this.settingsPath, changed, backupPath: null, method: changed ? ('restored-original' as const) : ('nothing-installed' as const), restoredStatusLine: null };
  }
}

/** Every channel registered against canned deps; `asked` records the effects asked for, in order. */
export function ipcWorld(overrides: Partial<AppActionDeps> = {}) {
  const ipcMain = new FakeIpcMain();
  const settings = fakeSettings();
  const integration = new FakeIntegration();
  const asked: string[] = [];
  const refused: string[] = [];
  const status = statusWith([windowStatus({ id: 'five_hour', usedPercent: 40, source: 'plan' })]);
  const deps: AppActionDeps = {
    status: () => status,
    checkpoint: async (trigger, options) => {
      asked.push(`checkpoint:${trigger}:${Boolean(options.pause)}`);
      return { record: null, skipped: 'nothing to checkpoint', prompts: [] };
    },
    snooze: async (minutes) => (asked.push(`snooze:${minutes}`), null),
    settings,
    hotkey: () => ({ status: 'taken', accelerator: 'Alt+F1', message: 'The hotkey Alt+F1 is already used by another application.', kept: null }),
    showWindow: (kind) => asked.push(`show:${kind}`),
    dashboard: async () => null,
    resume: async () => (asked.push('resume'), ['/work/shop']),
    checkpoints: async () => [],
    copyText: (text) => asked.push(`copy:${text}`),
    openPath: async (path) => (asked.push(`open:${path}`), ''),
    closeWindowOf: (id) => asked.push(`close:${id}`),
    applySettings: async (next, previous) => (next.globalHotkey !== previous.globalHotkey ? [`The hotkey ${next.globalHotkey} is already used by another application.`] : []),
    discoveredRoots: () => [],
    integration,
    showSettingsSection: (section) => asked.push(`show:settings#${section}`),
    ...overrides,
  };
  const dispose = registerIpc({ ipcMain, isTrusted: (event) => event.sender.id === 1, onRefused: (channel) => refused.push(channel), handlers: invokeHandlers(deps) });
  return { ipcMain, settings, integration, asked, refused, status, dispose };
}
