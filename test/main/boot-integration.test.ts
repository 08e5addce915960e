// The built tray app's Settings window connects Claude Code: integration:install
// over IPC writes the real settings.json under CLAUDE_CONFIG_DIR (statusLine
// and hooks running the built hook bundle), integration:status reports it, and
// integration:uninstall gives back the file's original bytes. The popover's
// nudge opens Settings and tells the page which section to show.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntegrationActionResult, IntegrationView } from '../../src/shared/ipc-contract.js';
import { type CheckpointWorld, makeWorld } from '../support/checkpoint-world.js';
import { waitFor } from '../support/fake-electron.js';
import { removeTempDirs } from '../support/temp-repo.js';
import { type BootedApp, NO_SESSION_BUS, ROOT, bootMain, flatten, withEnv } from './boot-harness.js';

let world: CheckpointWorld;
let booted: BootedApp;
let restoreEnv: () => void;
let settingsPath: string;
// The user's own file: comments-free JSON with their formatting, a statusLine of theirs and a hook of theirs.
const ORIGINAL = '{\n    "model": "opus",\n    "statusLine": { "type": "command", "command": "~/bin/my-status" },\n    "hooks": { "PreToolUse": [ { "matcher": "Bash", "hooks": [ { "type": "command", "command": "~/bin/guard" } ] } ] }\n}\n';
const HOOK_BUNDLE = join(ROOT, 'dist/cli/breather-hook.mjs');

beforeAll(async () => {
  world = makeWorld();
  settingsPath = join(world.claudeRoot, 'settings.json');
  writeFileSync(settingsPath, ORIGINAL);
  restoreEnv = withEnv({ ...Object.fromEntries(Object.entries(world.cliEnv).map(([k, v]) => [k, v === '' ? undefined : v])), CLAUDE_CONFIG_DIR: world.claudeRoot, TZ: 'UTC', ...NO_SESSION_BUS });
  booted = bootMain('linux');
  booted.fake.ready();
}, 120_000);

afterAll(async () => {
  await booted?.quit();
  restoreEnv?.();
  removeTempDirs();
});

async function settingsWindow() {
  const tray = await waitFor(() => booted.fake.trays[0], 'the tray');
  await waitFor(() => tray.menu, 'the tray menu');
  flatten(tray.menu!.items).find((i) => i.label === 'Settings…')!.click!();
  const win = await waitFor(() => booted.fake.windows.find((w) => String(w.loaded ?? '').endsWith('settings.html')), 'the settings window');
  return { win, sender: { sender: { id: win.webContents.id }, senderFrame: { url: `file://${join(ROOT, 'dist/renderer/settings.html')}` } } };
}

const call = async <T>(channel: string, sender: unknown): Promise<T> => (await waitFor(() => booted.fake.handlers.get(channel), channel))(sender) as Promise<T>;

describe('the built tray app: Install / Uninstall of the Claude Code integration', () => {
  it('installs into the real settings.json, reports it, and uninstall restores the original bytes', async () => {
    const { sender } = await settingsWindow();
    const before = await call<IntegrationView>('integration:status', sender);
    expect(before).toMatchObject({ settingsPath, installed: 'no', problem: null });
    expect(before.commands[0]).toMatchObject({ name: 'statusLine', command: null, note: "another program's: ~/bin/my-status" });

    const installed = await call<IntegrationActionResult>('integration:install', sender);
    expect(installed).toMatchObject({ ok: true, changed: true });
    expect(installed.message).toMatch(new RegExp(`^Installed in ${settingsPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\. Your own statusLine still shows`));
    const written = JSON.parse(readFileSync(settingsPath, 'utf8')) as { model: string; statusLine: { command: string }; hooks: Record<string, { matcher?: string; hooks: { command: string }[] }[]> };
    expect(written.model).toBe('opus');
    // Each command runs the built hook bundle with the Node running the app.
    expect(written.statusLine.command).toContain(HOOK_BUNDLE);
    expect(written.statusLine.command).toMatch(/ statusline$/);
    const commands = (event: string) => (written.hooks[event] ?? []).flatMap((m) => m.hooks.map((h) => h.command));
    expect(commands('PreToolUse')).toContain('~/bin/guard');
    expect(commands('PreToolUse').some((c) => c.includes(HOOK_BUNDLE) && c.endsWith(' pre-tool-use'))).toBe(true);
    expect(commands('StopFailure').some((c) => c.includes(HOOK_BUNDLE) && c.endsWith(' stop-failure'))).toBe(true);
    expect(installed.view).toMatchObject({ installed: 'yes', upToDate: true, wrappedStatusLine: '~/bin/my-status' });
    expect(installed.view!.commands.find((c) => c.name === 'statusLine')!.command).toBe(written.statusLine.command);

    const removed = await call<IntegrationActionResult>('integration:uninstall', sender);
    expect(removed).toMatchObject({ ok: true, changed: true, view: { installed: 'no' } });
    expect(removed.message).toContain('the file is back exactly as it was before install');
    expect(readFileSync(settingsPath, 'utf8')).toBe(ORIGINAL);
  });

  it('refuses a settings.json with invalid JSON, says why, and leaves its bytes alone', async () => {
    const { sender } = await settingsWindow();
    const broken = '{ "model": "opus", }\n';
    writeFileSync(settingsPath, broken);
    const answer = await call<IntegrationActionResult>('integration:install', sender);
    expect(answer.ok).toBe(false);
    expect(answer.message).toContain(settingsPath);
    expect(answer.message).toMatch(/Nothing was changed\.$/);
    expect(answer.view?.problem).toBe(answer.message);
    expect(readFileSync(settingsPath, 'utf8')).toBe(broken);
    writeFileSync(settingsPath, ORIGINAL);
  });

  it("the popover's nudge opens Settings and tells the page to show the Claude Code section", async () => {
    const { win, sender } = await settingsWindow();
    await call('integration:open-settings', sender);
    await waitFor(() => win.webContents.sent.find((m) => m.channel === 'settings:show-section'), 'the section message');
    expect(win.webContents.sent.filter((m) => m.channel === 'settings:show-section').map((m) => m.args)).toEqual([['integration']]);
    expect(win.shown).toBe(true);
  });
});
