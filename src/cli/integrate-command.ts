// breather integrate install | uninstall | status: Breather's statusline bridge
// and hooks in Claude Code's settings.json, added and taken out again.
import { fileURLToPath } from 'node:url';
import { type BreatherCommands, HOOK_EVENTS, SettingsFileError } from '../core/integration/claude-settings-merge.js';
import { breatherCommands, hookEntryPoint } from '../core/integration/hook-commands.js';
import { readStdinText } from '../core/integration/hook-runtime.js';
import { type IntegrationStatus, installIntegration, integrationStatus, uninstallIntegration } from '../core/integration/integration-service.js';
import { runStatuslineBridge } from '../core/integration/statusline-bridge.js';
import { resolveStateDir } from '../core/state-dir.js';
import { UsageError } from './cli-error.js';
import { openSettingsForCli } from './usage-session.js';

/** Built next to the CLI bundle by scripts/build.mjs. */
const HOOK_SCRIPT = fileURLToPath(new URL('./breather-hook.mjs', import.meta.url));

function context(): { stateDir: string; commands: BreatherCommands; pauseEndsAt: string } {
  const stateDir = resolveStateDir();
  const settings = openSettingsForCli(stateDir).settings;
  const commands = breatherCommands(hookEntryPoint(HOOK_SCRIPT), { sessionStart: settings.integration.sessionStartContext });
  return { stateDir, commands, pauseEndsAt: settings.pause.endsAt };
}

/** A settings file Breather must not change is the user's to fix: exit 2, nothing touched. */
async function refusingBadFiles<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof SettingsFileError) throw new UsageError(error.message);
    throw error;
  }
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export async function integrateInstall(options: { json?: boolean }): Promise<void> {
  const { stateDir, commands } = context();
  const result = await refusingBadFiles(() => installIntegration({ stateDir }, commands));
  if (options.json) return print(result);
  if (!result.changed) {
    process.stdout.write(`Already installed in ${result.settingsPath}; nothing changed.\n`);
    return;
  }
  const lines = [`Installed in ${result.settingsPath}:`, `  statusLine   ${commands.statusline}`];
  for (const event of HOOK_EVENTS) if (commands.hooks[event]) lines.push(`  ${event.padEnd(12)} ${commands.hooks[event]}`);
  if (result.replacedStatusLine) lines.push(`Your statusLine still shows: Breather runs ${JSON.stringify(result.replacedStatusLine.command ?? null)} and passes its output through.`);
  if (result.backupPath) lines.push(`Backup of the previous file: ${result.backupPath}`);
  lines.push('Undo with `breather integrate uninstall`.');
  process.stdout.write(`${lines.join('\n')}\n`);
}

export async function integrateUninstall(options: { json?: boolean }): Promise<void> {
  const { stateDir } = context();
  const result = await refusingBadFiles(() => uninstallIntegration({ stateDir }));
  if (options.json) return print(result);
  if (!result.changed) {
    process.stdout.write(`Nothing of Breather's in ${result.settingsPath}; nothing changed.\n`);
    return;
  }
  const how = result.method === 'restored-original' ? 'the file is back exactly as it was before install' : "Breather's statusLine and hooks were taken out; your other changes stay";
  const lines = [`Uninstalled from ${result.settingsPath}: ${how}.`];
  if (result.restoredStatusLine) lines.push(`Your statusLine is back: ${JSON.stringify(result.restoredStatusLine.command ?? result.restoredStatusLine)}.`);
  if (result.backupPath) lines.push(`Backup of the file before uninstall: ${result.backupPath}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

function statusText(s: IntegrationStatus, pauseEndsAt: string): string {
  const state = s.installed === 'yes' ? (s.upToDate ? 'yes' : 'yes, with other paths (run install again to update)') : s.installed === 'partly' ? 'partly (run install again)' : 'no';
  const lines = [`Claude Code settings: ${s.settingsPath}${s.settingsExists ? '' : ' (no file yet)'}`, `Installed: ${state}`];
  if (s.problem) lines.push(`Problem: ${s.problem}`);
  lines.push(`  statusLine   ${s.parts.statusLine?.command ?? (s.parts.foreignStatusLine ? `not Breather's (${JSON.stringify(s.parts.foreignStatusLine.command ?? null)})` : 'not installed')}`);
  for (const event of HOOK_EVENTS) {
    const hook = s.parts.hooks[event];
    const optIn = event === 'SessionStart' && !s.expected.hooks.SessionStart ? ' (opt-in: integration.sessionStartContext)' : '';
    lines.push(`  ${event.padEnd(12)} ${hook ? `${hook.command} (timeout ${hook.timeout ?? '-'} s)` : `not installed${optIn}`}`);
  }
  if (s.previousStatusLine) lines.push(`Replaced statusLine (uninstall restores it): ${JSON.stringify(s.previousStatusLine.command ?? s.previousStatusLine)}`);
  if (s.bridge.lastReportAt) {
    lines.push(`Bridge: last report ${s.bridge.lastReportAt}${s.bridge.claudeCodeVersion ? ` from Claude Code ${s.bridge.claudeCodeVersion}` : ''}`);
    lines.push(`  official figures: ${s.bridge.figuresReceivedAt ? `from ${s.bridge.figuresReceivedAt}` : 'none yet (needs Claude Code 2.1.80+, Pro/Max)'}`);
  } else {
    lines.push('Bridge: no report yet (it runs when Claude Code draws its status line)');
  }
  const auto = s.autoContinue;
  lines.push(`Claude Code auto-continue at usage limit: ${auto.state === 'unknown' ? 'not shown in its config' : `${auto.state}`}`);
  if (auto.where) lines.push(`  (${auto.key} in ${auto.where})`);
  lines.push(`A pause ends: ${pauseEndsAt === 'manual' ? 'only with `breather resume` (pause.endsAt manual)' : 'at the reset of its window (pause.endsAt reset)'}`);
  return `${lines.join('\n')}\n`;
}

export async function integrateStatus(options: { json?: boolean }): Promise<void> {
  const { stateDir, commands, pauseEndsAt } = context();
  const status = await integrationStatus({ stateDir }, commands);
  if (options.json) return print({ ...status, pauseEndsAt });
  process.stdout.write(statusText(status, pauseEndsAt));
}

/** `breather statusline`: the bridge, from the full CLI (Claude Code runs the same code from the small hook bundle). */
export async function statuslineCommand(): Promise<void> {
  const stateDir = resolveStateDir();
  const settings = openSettingsForCli(stateDir).settings;
  const run = await runStatuslineBridge(await readStdinText(), stateDir, settings.integration.statuslineTimeoutMs, new Date());
  if (run.problem) process.stderr.write(`breather: ${run.problem}\n`);
  process.stdout.write(run.output);
}
