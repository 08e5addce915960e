// The Settings window's Claude Code section over IPC: status as the page shows
// it, Install / Uninstall answered with a sentence and the state afterwards, a
// settings.json Breather must not touch refused with its message (nothing
// changed), the popover's nudge opening Settings at that section.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SettingsFileError } from '../../src/core/integration/claude-settings-merge.js';
import { APPIMAGE_REFUSAL, integrationPort, runIntegrationAction } from '../../src/main/integration-actions.js';
import { defaultSettings } from '../../src/shared/settings.js';
import { makeTempDir, removeTempDirs } from '../support/temp-repo.js';
import type { IntegrationActionResult, IntegrationView } from '../../src/shared/ipc-contract.js';
import { FAKE_COMMANDS, FOREIGN, OURS, ipcWorld } from '../support/fake-ipc.js';

afterAll(() => removeTempDirs());

describe('integration IPC handlers', () => {
  it('status lists each command with its path, the bridge report and auto-continue', async () => {
    const { ipcMain, integration } = ipcWorld();
    const before = (await ipcMain.call('integration:status', OURS)) as IntegrationView;
    expect(before).toMatchObject({ installed: 'no', settingsPath: integration.settingsPath, problem: null, bridge: { lastReportAt: null, claudeCodeVersion: null }, autoContinue: { state: 'unknown' } });
    expect(before.commands.map((c) => [c.name, c.command])).toEqual([['statusLine', null], ['PreToolUse', null], ['StopFailure', null], ['SessionStart', null]]);
    // SessionStart is opt-in and off: the page says so instead of "missing".
    expect(before.commands.find((c) => c.name === 'SessionStart')!.note).toBe('opt-in, off');
    integration.installed = true;
    integration.lastReportAt = '2026-03-02T14:19:00.000Z';
    const after = (await ipcMain.call('integration:status', OURS)) as IntegrationView;
    expect(after).toMatchObject({ installed: 'yes', upToDate: true, bridge: { lastReportAt: '2026-03-02T14:19:00.000Z', claudeCodeVersion: '2.1.90' } });
    expect(after.commands.slice(0, 3)).toEqual([
      { name: 'statusLine', command: FAKE_COMMANDS.statusline, note: null },
      { name: 'PreToolUse', command: FAKE_COMMANDS.hooks.PreToolUse, note: null },
      { name: 'StopFailure', command: FAKE_COMMANDS.hooks.StopFailure, note: null },
    ]);
  });

  it('install and uninstall answer with a sentence and the state afterwards', async () => {
    const { ipcMain, integration } = ipcWorld();
    const installed = (await ipcMain.call('integration:install', OURS)) as IntegrationActionResult;
    expect(installed).toMatchObject({ ok: true, changed: true, view: { installed: 'yes' } });
    expect(installed.message).toBe(`Installed in ${integration.settingsPath}. Backup of the previous file: /state/claude-settings-backups/settings-1.json. Claude Code picks it up in its next session.`);
    expect(await ipcMain.call('integration:install', OURS)).toMatchObject({ ok: true, changed: false, message: `Already installed in ${integration.settingsPath}; nothing changed.` });
    const removed = (await ipcMain.call('integration:uninstall', OURS)) as IntegrationActionResult;
    expect(removed).toMatchObject({ ok: true, changed: true, message: `Uninstalled from ${integration.settingsPath}: the file is back exactly as it was before install.`, view: { installed: 'no' } });
    expect(await ipcMain.call('integration:uninstall', OURS)).toMatchObject({ ok: true, changed: false, message: `Nothing of Breather's in ${integration.settingsPath}; nothing changed.` });
  });

  it('a settings.json with invalid JSON is refused with its message, and nothing changes', async () => {
    const { ipcMain, integration } = ipcWorld();
    const message = `${integration.settingsPath} is not valid JSON (line 3): fix it or move it away. Nothing was changed.`;
    integration.problem = new SettingsFileError('invalid-json', message);
    const answer = (await ipcMain.call('integration:install', OURS)) as IntegrationActionResult;
    expect(answer).toMatchObject({ ok: false, changed: false, message, view: { installed: 'no', problem: message } });
    expect(integration.installed).toBe(false);
    expect(await ipcMain.call('integration:uninstall', OURS)).toMatchObject({ ok: false, changed: false, message });
  });

  it('another failure is answered, not thrown, and says what failed', async () => {
    const { ipcMain, integration } = ipcWorld();
    integration.install = async () => {
      throw new Error('ENOSPC: no space left on device');
    };
    expect(await ipcMain.call('integration:install', OURS)).toMatchObject({ ok: false, message: 'Install failed: ENOSPC: no space left on device.' });
  });

  it("the popover's nudge opens Settings at the Claude Code section; foreign senders and payloads are refused", async () => {
    const { ipcMain, integration, asked } = ipcWorld();
    await ipcMain.call('integration:open-settings', OURS);
    expect(asked).toEqual(['show:settings#integration']);
    for (const channel of ['integration:status', 'integration:install', 'integration:uninstall', 'integration:open-settings']) {
      await expect(ipcMain.call(channel, FOREIGN)).rejects.toThrow(/refused/);
      await expect(ipcMain.call(channel, OURS, { settingsPath: '/etc/passwd' })).rejects.toThrow(/no payload/);
    }
    expect(integration.installed).toBe(false);
    expect(asked).toEqual(['show:settings#integration']);
  });
});

describe("the app's integration port", () => {
  it('installs commands running the given hook bundle into CLAUDE_CONFIG_DIR, with the SessionStart opt-in read at each call', async () => {
    const base = makeTempDir('breather-port-');
    const settings = defaultSettings();
    const hookScript = join(base, 'app', 'dist', 'cli', 'breather-hook.mjs');
    const port = integrationPort({ stateDir: join(base, 'state'), settings: () => settings, hookScript, env: { CLAUDE_CONFIG_DIR: join(base, 'claude') } });
    await port.install();
    const written = JSON.parse(readFileSync(join(base, 'claude', 'settings.json'), 'utf8')) as { statusLine: { command: string }; hooks: Record<string, unknown> };
    expect(written.statusLine.command).toBe(`${process.execPath} ${hookScript} statusline`);
    expect(Object.keys(written.hooks).sort()).toEqual(['PreToolUse', 'StopFailure']);
    expect(await port.status()).toMatchObject({ installed: 'yes', upToDate: true });
    settings.integration.sessionStartContext = true;
    expect(await port.status()).toMatchObject({ installed: 'partly', upToDate: false });
    await port.install();
    expect(await port.status()).toMatchObject({ installed: 'yes', upToDate: true });
  });

  it('from an AppImage, install refuses with a sentence and writes nothing (its paths move at every launch)', async () => {
    const base = makeTempDir('breather-port-');
    const port = integrationPort({
      stateDir: join(base, 'state'),
      settings: () => defaultSettings(),
      hookScript: '/tmp/.mount_BreathXYZ/resources/app.asar.unpacked/dist/cli/breather-hook.mjs',
      env: { CLAUDE_CONFIG_DIR: join(base, 'claude') },
      appImage: '/home/me/Applications/Breather.AppImage',
    });
    const answer = await runIntegrationAction(port, 'install');
    expect(answer).toMatchObject({ ok: false, changed: false, message: APPIMAGE_REFUSAL });
    expect(existsSync(join(base, 'claude', 'settings.json'))).toBe(false);
    expect(answer.view).toMatchObject({ installed: 'no' });
  });
});
