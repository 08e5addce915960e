// Boots the BUILT tray app (dist/main/main.cjs) in plain Node against a
// recording fake of `electron` (and of node-notifier), on a real state dir, a
// real Claude data root and a real git repository with uncommitted work; then
// drives it as a user would: the hotkey, the menu, the CLI beside it.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderTrayIcon } from '../../src/core/app/tray-icon.js';
import { trayModel } from '../../src/core/app/tray-model.js';
import { encodePng } from '../../src/core/app/tray-png.js';
import { INVOKE_CHANNELS } from '../../src/shared/ipc-contract.js';
import type { Status } from '../../src/shared/status.js';
import { type CheckpointWorld, cli, makeWorld, stashEntries, worldRepo, writeSession } from '../support/checkpoint-world.js';
import { type FakeImage, type FakeMenuItem, waitFor } from '../support/fake-electron.js';
import { removeTempDirs, type TempRepo } from '../support/temp-repo.js';
import { type BootedApp, NO_SESSION_BUS, ROOT, bootMain, flatten, imageSizes, withEnv } from './boot-harness.js';

let world: CheckpointWorld;
let repo: TempRepo;
let booted: BootedApp;
let restoreEnv: () => void;
let xdg: string;
const HOTKEY = 'CommandOrControl+Alt+Shift+B';

beforeAll(async () => {
  world = makeWorld();
  repo = worldRepo(world, { 'README.md': '# app\n', 'src/app.ts': 'export const a = 1;\n' });
  repo.write('src/app.ts', 'export const a = 2; // work in progress\n');
  repo.write('notes.txt', 'untracked notes\n');
  await writeSession(world, { cwd: repo.root, minutesAgo: 10, prompts: ['Refactor the app module.'] });
  // A plan preset gives the windows percentages, so the icon has bars to fill.
  writeFileSync(join(world.breatherHome, 'settings.json'), JSON.stringify({ version: 1, plan: { preset: 'pro' } }));
  xdg = join(world.base, 'xdg-config');
  world.cliEnv.XDG_CONFIG_HOME = xdg;
  // The app reads its state dir, Claude root and git config from the environment.
  restoreEnv = withEnv({ ...Object.fromEntries(Object.entries(world.cliEnv).map(([k, v]) => [k, v === '' ? undefined : v])), CLAUDE_CONFIG_DIR: world.claudeRoot, TZ: 'UTC', ...NO_SESSION_BUS });
  world.cliEnv.CLAUDE_CONFIG_DIR = world.claudeRoot;
  booted = bootMain('linux');
}, 120_000);

afterAll(async () => {
  await booted?.quit();
  restoreEnv?.();
  removeTempDirs();
});

const tray = () => booted.fake.trays[0]!;
const menuItem = (label: string) => flatten(tray().menu?.items ?? []).find((i) => i.label === label);
const pngOf = (image: unknown, scaleFactor: number) => (image as FakeImage).representations.find((r) => r.scaleFactor === scaleFactor)!.buffer;
const pauseMarks = () => {
  const path = join(world.breatherHome, 'paused.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { paused: unknown[] }).paused : [];
};

function trusted(win: { webContents: { id: number } }) {
  return { sender: { id: win.webContents.id }, senderFrame: { url: `file://${join(ROOT, 'dist/renderer/popover.html')}` } };
}

describe('the built tray app on Linux', () => {
  it('names itself Breather and uses the CLI state dir ($BREATHER_HOME) as userData, before ready', () => {
    const { app } = booted.fake;
    expect(app.getName()).toBe('Breather');
    expect(app.getPath('userData')).toBe(world.breatherHome);
    expect(app.appUserModelId).toBeNull();
    expect(booted.fake.trays).toHaveLength(0);
  });

  it('on ready: no application menu, a drawn 22/44 px no-data icon, the default hotkey, every IPC channel', async () => {
    booted.fake.ready();
    await waitFor(() => booted.fake.trays[0], 'the tray');
    expect(booted.fake.applicationMenus).toEqual([null]);
    expect(imageSizes(tray().image)).toEqual([22, 44]);
    const noData = renderTrayIcon(trayModel(null).icon, 22, 'color');
    expect(pngOf(tray().image, 1)).toEqual(encodePng(noData.rgba, 22, 22));
    await waitFor(() => booted.fake.shortcuts.size > 0, 'the global shortcut');
    expect([...booted.fake.shortcuts.keys()]).toEqual([HOTKEY]);
    const labels = flatten(tray().menu?.items ?? []).map((i) => i.label);
    expect(labels).toEqual(expect.arrayContaining(['Checkpoint now', 'Pause and checkpoint', 'Snooze alerts…', 'Open dashboard', 'Settings…', 'Launch at login', 'Quit Breather']));
    expect([...booted.fake.handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
    let granted: boolean | null = null;
    booted.fake.permissionHandler?.({}, 'media', (ok: boolean) => (granted = ok));
    expect(granted).toBe(false);
  });

  it('the status of the real transcripts reaches the menu (the numbers, on Linux) and redraws the icon', async () => {
    await waitFor(() => tray().menu?.items.some((i) => i.enabled === false && i.label?.startsWith('5-hour:')), 'the 5-hour line in the menu');
    expect(tray().toolTip.length).toBeLessThanOrEqual(127);
    await waitFor(() => tray().images.length > 1, 'the icon to be redrawn');
    // The icon drawn is the one the tray model asks for, for this very status.
    booted.fake.trays[0]!.menu!.items.find((i) => i.label === 'Open dashboard')!.click!();
    const win = await waitFor(() => booted.fake.windows[0], 'the popover');
    const status = (await booted.fake.handlers.get('status:get')!(trusted(win))) as Status;
    const expected = renderTrayIcon(trayModel(status, { timeZone: 'UTC' }).icon, 44, 'color');
    expect(pngOf(tray().images.at(-1), 2)).toEqual(encodePng(expected.rgba, 44, 44));
  });

  it('the popover is frameless, placed at the top right of the work area, and hides on request (Escape)', async () => {
    const win = booted.fake.windows[0]!;
    expect(win.options).toMatchObject({ frame: false, resizable: false, skipTaskbar: true, width: 400, height: 600 });
    expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, preload: join(ROOT, 'dist/preload/preload.cjs') });
    expect(win.loaded).toBe(join(ROOT, 'dist/renderer/popover.html'));
    expect(win.position).toEqual([1600 - 400 - 6, 28 + 6]);
    await waitFor(() => win.shown, 'the popover to show');
    await booted.fake.handlers.get('window:close')!(trusted(win));
    expect(win.shown).toBe(false);
    await expect(async () => booted.fake.handlers.get('status:get')!({ sender: { id: 9999 }, senderFrame: { url: 'https://evil.example/' } })).rejects.toThrow(/refused/);
  });

  it('the hotkey checkpoints the active repository as a stash, leaves the files alone, and says so in a notification', async () => {
    const before = await repo.fingerprint();
    expect(stashEntries(repo)).toHaveLength(0);
    booted.fake.shortcuts.get(HOTKEY)!();
    const stashes = await waitFor(() => (stashEntries(repo).length > 0 ? stashEntries(repo) : null), 'a stash in the repository', 60_000);
    expect(stashes).toHaveLength(1);
    const notice = await waitFor(() => booted.fake.notifications.find((n) => String(n.title).startsWith('Checkpointed')), 'the checkpoint notification');
    const promptPath = /Resume prompt: (.+)$/m.exec(String(notice.message))?.[1];
    expect(promptPath).toBeDefined();
    expect(notice.title).toContain('from the hotkey');
    expect(readFileSync(promptPath!, 'utf8')).toContain('Refactor the app module.');
    expect(repo.git(['show', `${stashes[0]!.sha}:src/app.ts`])).toContain('work in progress');
    expect(await repo.fingerprint()).toEqual(before);
  });

  it('a pause made by the CLI shows as Resume in the tray; Resume clears the CLI\'s pause marks', async () => {
    const paused = await cli(world, ['pause', '--json'], { cwd: repo.root });
    expect(paused.code, paused.stderr).toBe(0);
    expect(pauseMarks().length).toBeGreaterThan(0);
    await waitFor(() => menuItem('Resume'), 'the Resume item', 20_000);
    expect(tray().menu!.items.some((i) => i.label === 'Paused until the reset')).toBe(true);
    menuItem('Resume')!.click!();
    await waitFor(() => pauseMarks().length === 0, 'the pause marks to clear');
    await waitFor(() => menuItem('Pause and checkpoint'), 'Pause and checkpoint back in the menu');
    const status = await cli(world, ['checkpoints', '--json']);
    expect(JSON.parse(status.stdout).paused).toEqual([]);
  });

  it('Launch at login writes an XDG autostart entry and removes it when unchecked', async () => {
    const entry = join(xdg, 'autostart', 'dev.breather.app.desktop');
    expect(menuItem('Launch at login')).toMatchObject({ type: 'checkbox', checked: false });
    menuItem('Launch at login')!.click!();
    await waitFor(() => existsSync(entry), 'the autostart entry');
    expect(readFileSync(entry, 'utf8')).toContain(`Exec=${process.execPath}`);
    await waitFor(() => menuItem('Launch at login')?.checked === true, 'the box to be checked');
    expect(JSON.parse(readFileSync(join(world.breatherHome, 'settings.json'), 'utf8')).launchAtLogin).toBe(true);
    menuItem('Launch at login')!.click!();
    await waitFor(() => !existsSync(entry), 'the autostart entry to go');
  });

  it('waking from sleep re-evaluates at once', async () => {
    const win = booted.fake.windows[0]!;
    const pushes = () => win.webContents.sent.filter((s) => s.channel === 'status:changed').length;
    const before = pushes();
    booted.fake.powerMonitor.emit('resume');
    await waitFor(() => pushes() > before, 'a fresh status after resume');
  });

  it('the dashboard data lists the checkpoints, and the prompt opens only from the index', async () => {
    const win = booted.fake.windows[0]!;
    const data = (await booted.fake.handlers.get('dashboard:get')!(trusted(win))) as { checkpoints: { id: string; projects: { projectDir: string }[] }[] };
    expect(data.checkpoints.length).toBeGreaterThanOrEqual(2);
    const ref = { checkpointId: data.checkpoints[0]!.id, projectDir: data.checkpoints[0]!.projects[0]!.projectDir };
    expect(await booted.fake.handlers.get('checkpoint:open-prompt')!(trusted(win), ref)).toMatchObject({ ok: true });
    expect(booted.fake.openedPaths.at(-1)).toMatch(/\.md$/);
    const copied = (await booted.fake.handlers.get('checkpoint:copy-restore')!(trusted(win), ref)) as { command: string };
    expect(booted.fake.clipboard.at(-1)).toBe(copied.command);
    expect(copied.command).toContain(`breather restore ${ref.checkpointId}`);
    expect(await booted.fake.handlers.get('checkpoint:open-prompt')!(trusted(win), { checkpointId: 'nope', projectDir: '/etc' })).toMatchObject({ ok: false });
  });

  it('quits cleanly: stops the monitor and exits', async () => {
    booted.fake.app.quit();
    await waitFor(() => booted.fake.app.exitCode !== null, 'the app to exit');
    expect(booted.fake.app.exitCode).toBe(0);
    expect(booted.fake.shortcuts.size).toBe(0);
    expect(tray().destroyed).toBe(true);
  });
});
