// Issue #10 item 1: git's output is read exactly. A folder whose name ends in a
// space, next to a sibling without it, or holding a newline, is the repository
// checkpointed and restored, never its sibling.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckpointRecord } from '../../src/core/checkpoint/checkpoint-store.js';
import { type CheckpointWorld, cli, cliJson, makeWorld, readText, stashEntries } from '../support/checkpoint-world.js';
import { removeTempDirs, TempRepo } from '../support/temp-repo.js';

let world: CheckpointWorld;

/** A repository at exactly `name` under the world, one commit, one uncommitted change. */
function repoNamed(name: string): TempRepo {
  const root = join(world.base, name);
  execFileSync('git', ['init', '-q', '-b', 'main', root], { env: world.gitEnv });
  const repo = new TempRepo(root, world.gitEnv);
  repo.git(['config', 'user.name', 'Test User']);
  repo.git(['config', 'user.email', 'test@example.com']);
  repo.write('f.txt', `committed in ${JSON.stringify(name)}\n`);
  repo.commitAll('initial');
  repo.write('f.txt', `changed in ${JSON.stringify(name)}\n`);
  return repo;
}

beforeAll(() => {
  world = makeWorld();
});
afterAll(removeTempDirs);

describe('odd folder names', () => {
  it('checkpoints and restores "proj " and not its sibling "proj"', async () => {
    const spaced = repoNamed('proj ');
    const sibling = repoNamed('proj');
    const record = (await cliJson<{ checkpoint: CheckpointRecord }>(world, ['checkpoint', '--project', spaced.root, '--json', '--data-dir', world.claudeRoot])).checkpoint;
    expect(record.projects.map((p) => p.projectDir)).toEqual([spaced.root]);
    expect(record.projects[0]!.status).toBe('stashed');
    expect(stashEntries(spaced)).toHaveLength(1);
    expect(stashEntries(sibling)).toHaveLength(0);

    // Restore --apply into "proj " once its change is gone; the sibling stays as it was.
    const siblingBefore = readText(sibling.path('f.txt'));
    spaced.git(['checkout', '--', 'f.txt']);
    const restored = await cli(world, ['restore', record.id, '--apply', '--project', spaced.root]);
    expect(restored.code, restored.stderr).toBe(0);
    expect(readText(spaced.path('f.txt'))).toBe('changed in "proj "\n');
    expect(readText(sibling.path('f.txt'))).toBe(siblingBefore);

    // The repair finds "proj " again from its prompt, and not the sibling.
    rmSync(join(world.breatherHome, 'checkpoints', 'index.json'));
    const repair = await cliJson<{ repositories: string[]; rebuilt: string[] }>(world, ['checkpoints', '--repair', '--json']);
    expect(repair.repositories).toEqual([spaced.root]);
    expect(repair.rebuilt).toEqual([record.id]);
  });

  it('checkpoints a folder whose name holds a newline', async () => {
    const name = 'nl\nproj';
    const repo = repoNamed(name);
    const result = await cli(world, ['checkpoint', '--project', repo.root, '--json', '--data-dir', world.claudeRoot]);
    expect(result.code, result.stderr).toBe(0);
    const record = (JSON.parse(result.stdout) as { checkpoint: CheckpointRecord }).checkpoint;
    expect(record.projects.map((p) => [p.projectDir, p.repoRoot, p.status])).toEqual([[repo.root, repo.root, 'stashed']]);
    expect(stashEntries(repo)).toHaveLength(1);
  });
});
