// `pause` mutes alerts for the window that stopped the work; `resume` lets them speak again.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, makeWorld, worldRepo, writeSession } from '../support/checkpoint-world.js';
import { removeTempDirs } from '../support/temp-repo.js';

afterAll(removeTempDirs);

describe('pause and resume mute and unmute alerts', () => {
  it('records the paused window in the alert state and clears it on resume', async () => {
    const world = makeWorld();
    const repo = worldRepo(world, { 'a.txt': 'one\n' });
    repo.write('a.txt', 'two\n');
    await writeSession(world, { cwd: repo.root, minutesAgo: 3, prompts: ['Change a.txt.'] });
    const muted = () => JSON.parse(readFileSync(join(world.breatherHome, 'alert-state.json'), 'utf8')).mutedWindows.map((m: { window: string }) => m.window);

    expect((await cli(world, ['pause', '--data-dir', world.claudeRoot])).code).toBe(0);
    expect(muted()).toEqual(['five_hour']);
    expect((await cli(world, ['resume'])).code).toBe(0);
    expect(muted()).toEqual([]);
  });

  it('refuses a project directory that does not exist', async () => {
    const world = makeWorld();
    const result = await cli(world, ['checkpoint', '--project', join(world.breatherHome, 'nope')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Project directory .*nope does not exist/);
  });
});
