// The built main bundle under macOS and Windows (process.platform faked): the
// click/menu split, the template icon and title, the AppUserModelId, the login
// item, and userData without $BREATHER_HOME.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { APP_ID } from '../../src/core/alerts/desktop-notifier.js';
import { resolveStateDir } from '../../src/core/state-dir.js';
import { type FakeImage, waitFor } from '../support/fake-electron.js';
import { makeTempDir, removeTempDirs } from '../support/temp-repo.js';
import { type BootedApp, NO_SESSION_BUS, bootMain, flatten, imageSizes, withEnv } from './boot-harness.js';

let booted: BootedApp | null = null;
let restoreEnv: (() => void) | null = null;

afterEach(async () => {
  await booted?.quit();
  booted = null;
  restoreEnv?.();
  restoreEnv = null;
});

function sandbox(extra: Record<string, string | undefined> = {}) {
  const base = makeTempDir('breather-boot-');
  const claude = join(base, 'claude');
  mkdirSync(join(claude, 'projects'), { recursive: true });
  const state = join(base, 'state');
  restoreEnv = withEnv({ BREATHER_HOME: state, CLAUDE_CONFIG_DIR: claude, HOME: join(base, 'home'), XDG_CONFIG_HOME: join(base, 'xdg'), APPDATA: join(base, 'appdata'), ...NO_SESSION_BUS, ...extra });
  return { base, state };
}

describe('macOS', () => {
  it('left click toggles the popover by the icon, right click pops the menu up; no context menu is set; template icon, title', async () => {
    const { state } = sandbox();
    mkdirSync(state, { recursive: true });
    writeFileSync(join(state, 'settings.json'), JSON.stringify({ version: 1, launchAtLogin: true }));
    booted = bootMain('darwin');
    booted.fake.ready();
    const tray = await waitFor(() => booted!.fake.trays[0], 'the tray');
    expect(imageSizes(tray.image)).toEqual([16, 32]);
    expect((tray.image as FakeImage).template).toBe(true);
    expect(booted.fake.applicationMenus).toEqual([]);
    tray.emit('right-click', {}, tray.bounds);
    expect(tray.popups).toHaveLength(1);
    expect(flatten(tray.popups[0]!.items).map((i) => i.label)).toEqual(expect.arrayContaining(['Checkpoint now', 'Open dashboard', 'Launch at login']));
    expect(tray.menu).toBeNull();
    tray.emit('click', {}, tray.bounds);
    const win = await waitFor(() => booted!.fake.windows[0], 'the popover');
    expect(win.options.frame).toBe(false);
    // Centred under the icon (x 1200, width 22), below the menu bar.
    expect(win.position).toEqual([1200 + 11 - 200, Math.max(22, 28) + 6]);
    await waitFor(() => win.shown, 'the popover to show');
    tray.emit('click', {}, tray.bounds);
    expect(win.shown).toBe(false);
    expect(tray.menu).toBeNull();
    // The login item follows the setting at start.
    await waitFor(() => booted!.fake.app.loginItems.length > 0, 'the login item');
    expect(booted.fake.app.loginItems[0]).toMatchObject({ openAtLogin: true });
    expect(booted.fake.app.appUserModelId).toBeNull();
    await waitFor(() => !tray.toolTip.includes('reading'), 'the first status');
  });
});

describe('Windows', () => {
  it('sets the AppUserModelId to the app id before ready, drops the application menu, splits click and menu', async () => {
    sandbox();
    booted = bootMain('win32');
    expect(booted.fake.app.appUserModelId).toBe(APP_ID);
    booted.fake.ready();
    const tray = await waitFor(() => booted!.fake.trays[0], 'the tray');
    expect(booted.fake.applicationMenus).toEqual([null]);
    expect((tray.image as FakeImage).template).toBe(false);
    tray.emit('right-click', {}, tray.bounds);
    expect(tray.popups).toHaveLength(1);
    expect(tray.menu).toBeNull();
    expect(tray.toolTip.length).toBeLessThanOrEqual(127);
    // The login item is the Run key named by the app id.
    flatten(tray.popups[0]!.items).find((i) => i.label === 'Launch at login')!.click!();
    await waitFor(() => booted!.fake.app.loginItems.length > 0, 'the login item');
    expect(booted.fake.app.loginItems[0]).toMatchObject({ openAtLogin: true, name: APP_ID, path: process.execPath });
    await waitFor(() => !tray.toolTip.includes('reading'), 'the first status');
  });
});

describe('userData without $BREATHER_HOME', () => {
  it.each(['linux', 'darwin', 'win32'] as const)('is the folder the CLI resolves on %s', (platform) => {
    const { base } = sandbox({ BREATHER_HOME: undefined });
    booted = bootMain(platform);
    const expected = resolveStateDir(process.env, platform, join(base, 'home'));
    expect(booted.fake.app.getPath('userData')).toBe(expected);
    expect(expected).toContain('Breather');
  });
});

afterEach(() => removeTempDirs());
