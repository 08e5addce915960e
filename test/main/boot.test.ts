// Boots the BUILT tray app (dist/main/main.cjs) in plain Node against a
// recording fake of `electron`, on a real state dir, a real Claude data root and
// a real git repository with uncommitted work; then presses the global hotkey.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CheckpointWorld, makeWorld, stashEntries, worldRepo, writeSession } from '../support/checkpoint-world.js';
import { type FakeMenuItem, installFakeElectron, waitFor } from '../support/fake-electron.js';
import { removeTempDirs, type TempRepo } from '../support/temp-repo.js';

const ROOT = resolve(import.meta.dirname, '../..');
const MAIN = join(ROOT, 'dist/main/main.cjs');

let world: CheckpointWorld;
let repo: TempRepo;
let installed: ReturnType<typeof installFakeElectron>;
const savedEnv = new Map<string, string | undefined>();

function setEnv(name: string, value: string | undefined): void {
  if (!savedEnv.has(name)) savedEnv.set(name, process.env[name]);
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

function flatten(items: FakeMenuItem[]): FakeMenuItem[] {
  return items.flatMap((item) => [item, ...flatten(item.submenu ?? [])]);
}

beforeAll(async () => {
  expect(existsSync(MAIN), 'run `node scripts/build.mjs` first').toBe(true);
  world = makeWorld();
  repo = worldRepo(world, { 'README.md': '# app\n', 'src/app.ts': 'export const a = 1;\n' });
  repo.write('src/app.ts', 'export const a = 2; // work in progress\n');
  repo.write('notes.txt', 'untracked notes\n');
  await writeSession(world, { cwd: repo.root, minutesAgo: 10, prompts: ['Refactor the app module.'] });
  // The app reads its state dir, Claude root and git config from the environment.
  for (const [name, value] of Object.entries(world.cliEnv)) setEnv(name, value === '' ? undefined : value);
  setEnv('CLAUDE_CONFIG_DIR', world.claudeRoot);
  installed = installFakeElectron();
  createRequire(import.meta.url)(MAIN);
}, 120_000);

afterAll(async () => {
  if (installed) {
    if (installed.fake.app.exitCode === null) installed.fake.app.quit();
    await waitFor(() => installed.fake.app.exitCode !== null, 'the app to exit', 30_000).catch(() => undefined);
    installed.restore();
  }
  for (const [name, value] of savedEnv) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  removeTempDirs();
});

describe('the built tray app', () => {
  it('names itself Breather and uses the CLI state dir as userData, before ready', () => {
    const { app } = installed.fake;
    expect(app.getName()).toBe('Breather');
    expect(app.getPath('userData')).toBe(world.breatherHome);
    expect(installed.fake.trays).toHaveLength(0);
  });

  it('on ready: creates the tray with the template icon and registers the default hotkey', async () => {
    installed.fake.ready();
    const tray = await waitFor(() => installed.fake.trays[0], 'the tray');
    expect(String(tray.image)).toBe(join(ROOT, 'assets', 'trayTemplate.png'));
    expect(statSync(String(tray.image)).isFile()).toBe(true);
    await waitFor(() => installed.fake.shortcuts.size > 0, 'the global shortcut');
    expect([...installed.fake.shortcuts.keys()]).toEqual(['CommandOrControl+Shift+H']);
    const labels = flatten(tray.menu?.items ?? []).map((i) => i.label);
    expect(labels).toEqual(expect.arrayContaining(['Checkpoint now', 'Pause and checkpoint', 'Snooze alerts…', 'Open dashboard', 'Settings…', 'Quit Breather']));
    // Every contract channel has a handler, and every permission request is denied.
    expect([...installed.fake.handlers.keys()].sort()).toEqual(['alerts:snooze', 'app:open-settings', 'checkpoint:now', 'settings:get', 'settings:set', 'status:get']);
    let granted: boolean | null = null;
    installed.fake.permissionHandler?.({}, 'media', (ok: boolean) => (granted = ok));
    expect(granted).toBe(false);
  });

  it('shows the status of the real transcripts in the tray once the first scan is done', async () => {
    const tray = installed.fake.trays[0]!;
    await waitFor(() => tray.toolTip.includes('5-hour'), 'the tray tooltip to show the 5-hour window');
    expect(flatten(tray.menu!.items).some((i) => i.enabled === false && i.label?.startsWith('5-hour:'))).toBe(true);
  });

  it('the hotkey checkpoints the active repository as a stash and a resume prompt, leaving the files alone', async () => {
    const before = await repo.fingerprint();
    expect(stashEntries(repo)).toHaveLength(0);
    installed.fake.shortcuts.get('CommandOrControl+Shift+H')!();
    const stashes = await waitFor(() => (stashEntries(repo).length > 0 ? stashEntries(repo) : null), 'a stash in the repository', 60_000);
    expect(stashes).toHaveLength(1);
    const checkpointsDir = join(world.breatherHome, 'checkpoints');
    const prompts = await waitFor(() => {
      const found: string[] = [];
      const walk = (dir: string) => {
        for (const name of readdirSync(dir)) {
          const full = join(dir, name);
          if (statSync(full).isDirectory()) walk(full);
          else if (name.endsWith('.md')) found.push(full);
        }
      };
      if (existsSync(checkpointsDir)) walk(checkpointsDir);
      return found.length > 0 ? found : null;
    }, 'a resume prompt');
    expect(readFileSync(prompts[0]!, 'utf8')).toContain('Refactor the app module.');
    // The stash holds the uncommitted change; the working tree and index are untouched.
    expect(repo.git(['show', `${stashes[0]!.sha}:src/app.ts`])).toContain('work in progress');
    expect(await repo.fingerprint()).toEqual(before);
    expect(readFileSync(repo.path('src/app.ts'), 'utf8')).toContain('work in progress');
  });

  it('opens the dashboard from the menu in a locked-down window, and answers IPC only from it', async () => {
    const tray = installed.fake.trays[0]!;
    flatten(tray.menu!.items).find((i) => i.label === 'Open dashboard')!.click!();
    const win = await waitFor(() => installed.fake.windows[0], 'the dashboard window');
    expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, preload: join(ROOT, 'dist/preload/preload.cjs') });
    expect(win.loaded).toBe(join(ROOT, 'dist/renderer/popover.html'));
    expect(win.webContents.openHandler?.({ url: 'https://example.com' })).toEqual({ action: 'deny' });
    const statusGet = installed.fake.handlers.get('status:get')!;
    const ours = { sender: { id: win.webContents.id }, senderFrame: { url: `file://${join(ROOT, 'dist/renderer/popover.html')}` } };
    const status = (await statusGet(ours)) as { windows: Record<string, unknown> };
    expect(status.windows.five_hour).toBeDefined();
    await expect(async () => statusGet({ sender: { id: 9999 }, senderFrame: { url: 'https://evil.example/' } })).rejects.toThrow(/refused/);
  });

  it('quits cleanly: stops the monitor and exits', async () => {
    installed.fake.app.quit();
    await waitFor(() => installed.fake.app.exitCode !== null, 'the app to exit');
    expect(installed.fake.app.exitCode).toBe(0);
    expect(installed.fake.shortcuts.size).toBe(0);
    expect(installed.fake.trays[0]!.destroyed).toBe(true);
  });
});
