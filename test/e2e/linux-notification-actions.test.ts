// Linux notifications carry their actions: a notice offering "Checkpoint now"
// goes to dunst on a private D-Bus with notify-send --action; dunst invokes
// the action (its context menu, answered by a scripted dmenu) and a real stash
// follows in a real repository, through the same service the tray app uses.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDesktopNotifier } from '../../src/core/alerts/desktop-notifier.js';
import { BreatherService } from '../../src/core/app/breather-service.js';
import { defaultSettings } from '../../src/shared/settings.js';
import { makeWorld, stashEntries, worldRepo, writeSession } from '../support/checkpoint-world.js';
import { PrivateDesktop, pollUntil, requireBinaries } from '../support/linux-desktop.js';
import { makeTempDir, removeTempDirs } from '../support/temp-repo.js';
import { withEnv } from '../main/boot-harness.js';

const desktop = new PrivateDesktop();
let service: BreatherService | null = null;
let restoreEnv: (() => void) | null = null;

afterAll(async () => {
  await service?.stop();
  restoreEnv?.();
  await desktop.stopAll();
  removeTempDirs();
}, 30_000);

describe('Linux notification actions (real D-Bus, dunst)', () => {
  it('"Checkpoint now" invoked from dunst makes a real stash; the default action opens the dashboard', { timeout: 120_000 }, async () => {
    expect(process.platform).toBe('linux');
    requireBinaries();
    // dunst draws no buttons: its context menu (dmenu) lists the actions. This dmenu picks "Checkpoint now".
    const dir = makeTempDir('breather-dunst-');
    const dmenu = join(dir, 'pick-checkpoint');
    writeFileSync(dmenu, '#!/bin/sh\ngrep -m1 "Checkpoint now"\n');
    chmodSync(dmenu, 0o755);
    const config = join(dir, 'dunstrc');
    writeFileSync(config, `[global]\n    dmenu = ${dmenu}\n`);
    await desktop.startBus();
    await desktop.startDisplay();
    await desktop.startDunst(['-config', config]);

    const world = makeWorld();
    const repo = worldRepo(world, { 'README.md': '# shop\n', 'src/cart.ts': 'export const total = 1;\n' });
    repo.write('src/cart.ts', 'export const total = 2; // unfinished\n');
    await writeSession(world, { cwd: repo.root, minutesAgo: 5, prompts: ['Fix the cart total.'] });
    restoreEnv = withEnv({ ...Object.fromEntries(Object.entries(world.cliEnv).map(([k, v]) => [k, v === '' ? undefined : v])), ...desktop.env });
    service = new BreatherService({ stateDir: world.breatherHome, settings: () => defaultSettings(), notifier: null, roots: [world.claudeRoot] });
    await service.start();

    const chosen: string[] = [];
    const notifier = createDesktopNotifier({
      appName: 'Breather',
      platform: 'linux',
      actions: true,
      onAction: (action) => {
        chosen.push(action);
        if (action === 'checkpoint') void service!.checkpoint('notification');
      },
      onClick: () => chosen.push('dashboard'),
      onError: (error) => chosen.push(`error: ${error.message}`),
    });
    const before = await repo.fingerprint();
    await notifier.notify({ title: '5-hour limit: 92% used', body: 'Runs out in about 20 min.', tag: 'five_hour:x:threshold:90', actions: [{ id: 'checkpoint', label: 'Checkpoint now' }, { id: 'snooze', label: 'Snooze' }] });
    await pollUntil(async () => Number((await desktop.run('dunstctl', ['count', 'displayed'])).stdout.trim()) >= 1, 'dunst to show the notice', 20_000);
    // The notice has a default action too (open the dashboard): invoke the named one through the context menu.
    const context = await desktop.run('dunstctl', ['context']);
    expect(context.code, context.stderr).toBe(0);
    await pollUntil(() => chosen.length > 0, 'notify-send to report the chosen action', 20_000);
    expect(chosen).toEqual(['checkpoint']);
    const stashes = await pollUntil(() => (stashEntries(repo).length > 0 ? stashEntries(repo) : null), 'a stash in the repository', 60_000);
    expect(repo.git(['show', `${stashes[0]!.sha}:src/cart.ts`])).toContain('unfinished');
    expect(await repo.fingerprint()).toEqual(before);

    // The default action (`dunstctl action 0`, a click on the body) opens the dashboard.
    await notifier.notify({ title: 'Weekly limit: 80% used', body: 'Resets Friday.', tag: 'seven_day:x:threshold:80', actions: [{ id: 'snooze', label: 'Snooze' }] });
    await pollUntil(async () => Number((await desktop.run('dunstctl', ['count', 'displayed'])).stdout.trim()) >= 1, 'dunst to show the second notice', 20_000);
    await desktop.run('dunstctl', ['action', '0']);
    await pollUntil(() => chosen.includes('dashboard'), 'the default action', 20_000);
  });
});
