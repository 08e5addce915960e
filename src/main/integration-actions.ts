// The tray's face of `breather integrate install | uninstall | status`: the
// same core calls the CLI makes (src/core/integration), with the commands
// pointing at the hook bundle this app ships, and their results turned into
// what the Settings window shows and says.
import { HOOK_EVENTS, SettingsFileError } from '../core/integration/claude-settings-merge.js';
import { breatherCommands, hookEntryPoint } from '../core/integration/hook-commands.js';
import { type InstallResult, type IntegrationStatus, type UninstallResult, installIntegration, integrationStatus, uninstallIntegration } from '../core/integration/integration-service.js';
import type { IntegrationActionResult, IntegrationCommandView, IntegrationView } from '../shared/ipc-contract.js';
import type { Settings } from '../shared/settings.js';

/** What the IPC handlers need: the three core calls, already aimed at this app's state folder and hook bundle. */
export interface IntegrationPort {
  status(): Promise<IntegrationStatus>;
  install(): Promise<InstallResult>;
  uninstall(): Promise<UninstallResult>;
}

export interface IntegrationPortOptions {
  stateDir: string;
  settings: () => Settings;
  /** dist/cli/breather-hook.mjs (inside app.asar when packaged: hookEntryPoint points Claude Code at the unpacked copy). */
  hookScript: string;
  env?: NodeJS.ProcessEnv;
  /** Set when the app runs from an AppImage: its mount path, and so every path inside it, changes at each launch. */
  appImage?: string | null;
}

/** A refusal whose message is already the sentence to show. */
export class IntegrationRefused extends Error {}

/** Why Claude Code's settings must not point into an AppImage, and what works instead. */
export const APPIMAGE_REFUSAL =
  'Claude Code cannot be connected from the AppImage: the files inside it move at every launch, so the commands would break after a restart. ' +
  'Install the .deb package, or run `breather integrate install` from the npm package. Nothing was changed.';

/** The CLI's calls, with this app's commands (the SessionStart opt-in read at each call). */
export function integrationPort(options: IntegrationPortOptions): IntegrationPort {
  const target = { stateDir: options.stateDir, ...(options.env ? { env: options.env } : {}) };
  const commands = () => breatherCommands(hookEntryPoint(options.hookScript), { sessionStart: options.settings().integration.sessionStartContext });
  return {
    status: () => integrationStatus(target, commands()),
    install: () => (options.appImage ? Promise.reject(new IntegrationRefused(APPIMAGE_REFUSAL)) : installIntegration(target, commands())),
    uninstall: () => uninstallIntegration(target),
  };
}

const shown = (statusLine: Record<string, unknown> | null): string | null => (statusLine ? (typeof statusLine.command === 'string' ? statusLine.command : JSON.stringify(statusLine)) : null);

export function integrationView(s: IntegrationStatus): IntegrationView {
  const statusLine: IntegrationCommandView = {
    name: 'statusLine',
    command: s.parts.statusLine?.command ?? null,
    note: s.parts.statusLine ? (s.parts.statusLine.command === s.expected.statusline ? null : 'an older path') : s.parts.foreignStatusLine ? `another program's: ${shown(s.parts.foreignStatusLine)}` : null,
  };
  const hooks = HOOK_EVENTS.map((event): IntegrationCommandView => {
    const hook = s.parts.hooks[event];
    const wanted = s.expected.hooks[event];
    const note = hook ? (hook.command === wanted ? null : wanted ? 'an older path' : 'opt-in is off') : wanted ? null : 'opt-in, off';
    return { name: event, command: hook?.command ?? null, note };
  });
  return {
    settingsPath: s.settingsPath,
    settingsExists: s.settingsExists,
    problem: s.problem,
    installed: s.installed,
    upToDate: s.upToDate,
    commands: [statusLine, ...hooks],
    wrappedStatusLine: shown(s.previousStatusLine),
    bridge: s.bridge,
    autoContinue: { state: s.autoContinue.state, where: s.autoContinue.where },
  };
}

export function installSentence(result: InstallResult): string {
  if (!result.changed) return `Already installed in ${result.settingsPath}; nothing changed.`;
  const parts = [`Installed in ${result.settingsPath}.`];
  if (result.replacedStatusLine) parts.push(`Your own statusLine still shows: Breather runs ${shown(result.replacedStatusLine)} and passes its output through.`);
  if (result.backupPath) parts.push(`Backup of the previous file: ${result.backupPath}.`);
  parts.push('Claude Code picks it up in its next session.');
  return parts.join(' ');
}

export function uninstallSentence(result: UninstallResult): string {
  if (!result.changed) return `Nothing of Breather's in ${result.settingsPath}; nothing changed.`;
  const how = result.method === 'restored-original' ? 'the file is back exactly as it was before install' : "Breather's statusLine and hooks were taken out, your other changes stay";
  const parts = [`Uninstalled from ${result.settingsPath}: ${how}.`];
  if (result.restoredStatusLine) parts.push(`Your statusLine is back: ${shown(result.restoredStatusLine)}.`);
  return parts.join(' ');
}

/**
 * Runs Install or Uninstall and answers with a sentence and the state after.
 * A settings.json Breather must not change (invalid JSON, read-only) is an
 * answer, not a crash: its message says what to fix and that nothing changed.
 */
export async function runIntegrationAction(port: IntegrationPort, action: 'install' | 'uninstall'): Promise<IntegrationActionResult> {
  let message: string;
  let changed = false;
  let ok = true;
  try {
    if (action === 'install') {
      const result = await port.install();
      ({ changed } = result);
      message = installSentence(result);
    } else {
      const result = await port.uninstall();
      ({ changed } = result);
      message = uninstallSentence(result);
    }
  } catch (error) {
    ok = false;
    const reason = (error as Error).message;
    message = error instanceof SettingsFileError || error instanceof IntegrationRefused ? reason : `${action === 'install' ? 'Install' : 'Uninstall'} failed: ${reason}.`;
  }
  const view = await port.status().then(integrationView, () => null);
  return { ok, changed, message, view };
}
