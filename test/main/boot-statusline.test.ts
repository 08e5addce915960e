// The built tray app with Claude Code connected: one run of the statusline
// bridge (the built hook bundle, JSON on stdin) and the running tray shows the
// official figure, through its file watch, in its tooltip and over IPC.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Status } from '../../src/shared/status.js';
import { type CheckpointWorld, makeWorld } from '../support/checkpoint-world.js';
import { installFakeElectron, waitFor } from '../support/fake-electron.js';
import { runHook } from '../support/run-hook.js';
import { NO_SESSION_BUS } from './boot-harness.js';
import { removeTempDirs } from '../support/temp-repo.js';

const MAIN = join(resolve(import.meta.dirname, '../..'), 'dist/main/main.cjs');

let world: CheckpointWorld;
let installed: ReturnType<typeof installFakeElectron>;
const savedEnv = new Map<string, string | undefined>();

function setEnv(name: string, value: string | undefined): void {
  if (!savedEnv.has(name)) savedEnv.set(name, process.env[name]);
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

beforeAll(async () => {
  expect(existsSync(MAIN), 'run `node scripts/build.mjs` first').toBe(true);
  world = makeWorld();
  for (const [name, value] of Object.entries(world.cliEnv)) setEnv(name, value === '' ? undefined : value);
  setEnv('CLAUDE_CONFIG_DIR', world.claudeRoot);
  for (const [name, value] of Object.entries(NO_SESSION_BUS)) setEnv(name, value);
  installed = installFakeElectron();
  createRequire(import.meta.url)(MAIN);
  installed.fake.ready();
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

describe('the built tray app, connected to Claude Code', () => {
  it('shows the official percentages one bridge run reported', async () => {
    const tray = await waitFor(() => installed.fake.trays[0], 'the tray');
    await waitFor(() => installed.fake.handlers.get('status:get'), 'the status handler');
    const resets = Math.floor(Date.now() / 1000) + 2 * 3600;
    const week = Math.floor(Date.now() / 1000) + 3 * 86_400;
    const bridge = await runHook(
      'statusline',
      { session_id: 'tray-s', cwd: world.base, version: '2.1.90', rate_limits: { five_hour: { used_percentage: 58, resets_at: resets }, seven_day: { used_percentage: 23, resets_at: week } } },
      { BREATHER_HOME: world.breatherHome },
    );
    expect(bridge.code).toBe(0);
    await waitFor(() => (tray.toolTip.includes('5-hour 58%') ? true : undefined), 'the tooltip to show the official figure', 15_000);
    expect(tray.menu!.items.some((i) => i.label?.startsWith('5-hour: 58% (official)'))).toBe(true);
    // Over IPC, as the dashboard asks for it.
    const menuItems = (items: { label?: string; click?: () => void; submenu?: unknown[] }[]): { label?: string; click?: () => void }[] =>
      items.flatMap((item) => [item, ...menuItems((item.submenu ?? []) as never)]);
    menuItems(tray.menu!.items as never).find((i) => i.label === 'Open dashboard')!.click!();
    const win = await waitFor(() => installed.fake.windows[0], 'the dashboard window');
    const sender = { sender: { id: win.webContents.id }, senderFrame: { url: `file://${join(resolve(import.meta.dirname, '../..'), 'dist/renderer/popover.html')}` } };
    const status = (await installed.fake.handlers.get('status:get')!(sender)) as Status;
    expect(status.windows.five_hour).toMatchObject({ source: 'statusline', usedPercent: 58, resetsAt: new Date(resets * 1000).toISOString() });
    expect(status.windows.seven_day).toMatchObject({ source: 'statusline', usedPercent: 23, resetsAt: new Date(week * 1000).toISOString() });
  });
});
