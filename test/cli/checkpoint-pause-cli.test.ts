// `breather pause` and `breather resume`, end to end, plus the opt-in
// `checkpoint.writePromptIntoRepo`. The world holds a repository with a linked
// worktree nested inside it (where Claude Code puts its own worktrees) and a
// second repository.
import { formatWhen } from '../../src/cli/time-format.js';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckpointProjectRecord, CheckpointRecord, PauseMark } from '../../src/core/checkpoint/checkpoint-store.js';
import { type CheckpointWorld, cli, cliJson, linkedWorktree, makeWorld, readText, stashEntries, worldRepo, writeSession } from '../support/checkpoint-world.js';
import { removeTempDirs, type TempRepo } from '../support/temp-repo.js';
import type { Fingerprint } from '../support/tree-fingerprint.js';

let world: CheckpointWorld;
let app: TempRepo;
let nested: TempRepo;
let lib: TempRepo;
let record: CheckpointRecord;
let before: Fingerprint[];
let after: Fingerprint[];

const entry = (dir: string): CheckpointProjectRecord => {
  const found = record.projects.find((p) => p.projectDir === dir);
  expect(found, `no entry for ${dir}`).toBeDefined();
  return found!;
};
const pausedDirs = async (): Promise<string[]> =>
  (await cliJson<{ paused: PauseMark[] }>(world, ['checkpoints', '--json'])).paused.map((m) => m.projectDir).sort();

beforeAll(async () => {
  world = makeWorld();
  app = worldRepo(world, { '.gitignore': '.claude/\n', 'src/app.ts': 'export const app = 1;\n' });
  nested = linkedWorktree(app, 'experiment', app.path('.claude/worktrees/experiment'));
  lib = worldRepo(world, { 'lib.ts': 'export const lib = 1;\n' });
  app.write('src/app.ts', 'export const app = 2;\n');
  nested.write('src/app.ts', 'export const app = 99; // experiment\n');
  lib.write('lib.ts', 'export const lib = 2;\n');
  // The newest activity is in the outer repository, so it comes first in the checkpoint.
  await writeSession(world, { cwd: nested.root, minutesAgo: 9, prompts: ['Try the experimental approach.'] });
  await writeSession(world, { cwd: lib.root, minutesAgo: 7, prompts: ['Bump the library.'] });
  await writeSession(world, { cwd: app.path('src'), minutesAgo: 4, prompts: ['Ship the app change.'] });

  before = [await app.fingerprint(), await nested.fingerprint(), await lib.fingerprint()];
  record = (await cliJson<{ checkpoint: CheckpointRecord }>(world, ['pause', '--json', '--data-dir', world.claudeRoot])).checkpoint;
  after = [await app.fingerprint(), await nested.fingerprint(), await lib.fingerprint()];
});

afterAll(removeTempDirs);

describe('breather pause / resume', () => {
  it('pause checkpoints every active project (files untouched) and marks each one paused', async () => {
    expect(after).toEqual(before);
    expect(record.paused).toBe(true);
    expect(record.projects.map((p) => p.projectDir).sort()).toEqual([app.root, nested.root, lib.root].sort());
    for (const p of record.projects) expect(p.status).toBe('stashed');
    expect(entry(nested.root).branch).toBe('experiment');

    const listed = await cliJson<{ checkpoints: CheckpointRecord[]; paused: PauseMark[] }>(world, ['checkpoints', '--json']);
    expect(listed.checkpoints.map((c) => [c.id, c.paused])).toEqual([[record.id, true]]);
    expect(listed.paused.map((m) => m.projectDir).sort()).toEqual([app.root, nested.root, lib.root].sort());
    for (const mark of listed.paused) expect(mark).toMatchObject({ checkpointId: record.id, since: record.createdAt });
    expect((await cli(world, ['checkpoints', '--timezone', 'UTC'])).stdout).toContain(`paused: ${lib.root} since ${formatWhen(record.createdAt, { nowMs: Date.now(), zone: 'UTC' })}`);
  });

  it('resume --project on the nested worktree clears only its pause and prints its own prompt', async () => {
    const result = await cli(world, ['resume', '--project', nested.root]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`Resumed ${nested.root}.`);
    expect(result.stdout).toBe(readText(entry(nested.root).promptPath));
    expect(result.stdout).toContain(`git stash apply --index ${entry(nested.root).stashSha}`);
    expect(result.stdout).toContain('Try the experimental approach.');
    expect(await pausedDirs()).toEqual([app.root, lib.root].sort());
  });

  it('resume --project . from a subdirectory clears that project and prints its latest prompt', async () => {
    const result = await cli(world, ['resume', '--project', '.'], { cwd: app.path('src') });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`Resumed ${app.root}.`);
    expect(result.stdout).toBe(readText(entry(app.root).promptPath));
    expect(result.stdout).toContain(`git stash apply --index ${entry(app.root).stashSha}`);
    expect(await pausedDirs()).toEqual([lib.root]);
  });

  it('resume (no project) clears the rest; --json reports what it cleared and the prompt', async () => {
    const result = await cliJson<{ resumed: string[]; checkpoint: string; promptPath: string; prompt: string }>(world, ['resume', '--json']);
    expect(result.resumed).toEqual([lib.root]);
    expect(result.checkpoint).toBe(record.id);
    expect(result.prompt).toBe(readText(result.promptPath));
    expect(await pausedDirs()).toEqual([]);
    const again = await cli(world, ['resume', '--project', lib.root]);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('Nothing was paused.');
    expect(again.stdout).toBe(readText(entry(lib.root).promptPath));
  });
});

describe('checkpoint.writePromptIntoRepo', () => {
  it('is off by default; when set, the prompt also goes into the repository (and still into BREATHER_HOME)', async () => {
    expect(existsSync(lib.path('.breather'))).toBe(false);
    expect((await cli(world, ['config', 'set', 'checkpoint.writePromptIntoRepo', 'true'])).code).toBe(0);
    const stashesBefore = stashEntries(lib).length;
    const fingerprintBefore = await lib.fingerprint();
    const only = (await cliJson<{ checkpoint: CheckpointRecord }>(world, ['checkpoint', '--project', lib.root, '--json', '--data-dir', world.claudeRoot])).checkpoint;
    expect(only.projects).toHaveLength(1);
    const project = only.projects[0]!;
    expect(project.status).toBe('stashed');
    expect(stashEntries(lib)).toHaveLength(stashesBefore + 1);

    const inRepo = lib.path('.breather/RESUME.md');
    expect(readText(inRepo)).toBe(readText(project.promptPath));
    expect(readText(inRepo)).toContain(`git stash apply --index ${project.stashSha}`);
    expect(readdirSync(lib.path('.breather'))).toEqual(['RESUME.md']);
    // Apart from the new .breather folder (and the root's mtime), nothing changed; the index is untouched.
    const strip = (f: Fingerprint): Fingerprint => Object.fromEntries(Object.entries(f).filter(([k]) => k !== '.' && k !== '.breather' && !k.startsWith('.breather/')));
    expect(strip(await lib.fingerprint())).toEqual(strip(fingerprintBefore));
    // The snapshot was taken before the prompt was written: the stash does not contain it.
    expect(lib.treePaths(project.stashSha!)).not.toContain('.breather/RESUME.md');
    expect(existsSync(join(app.root, '.breather'))).toBe(false);
  });
});
