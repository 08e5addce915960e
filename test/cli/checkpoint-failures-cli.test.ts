// Issue #10 item 5 and the weaker points: a state folder that cannot be
// written after the stash exists, `config set` on one, exit code 3 when
// nothing was saved, bare repositories, and untracked files that look like
// secrets left out of the stash.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckpointRecord } from '../../src/core/checkpoint/checkpoint-store.js';
import { cli, cliJson, makeWorld, stashEntries, worldRepo } from '../support/checkpoint-world.js';
import { divergedRepo, makeTempDir, removeTempDirs } from '../support/temp-repo.js';

afterAll(removeTempDirs);

const STACK_LINE = /\n\s+at /;

describe('a state folder that cannot be written', () => {
  // Root ignores permission bits, so the failure is made portable: the folder
  // the records go in is a regular file (ENOTDIR / EEXIST, like EACCES or ENOSPC, a write error).
  it('still names the stash, its ref and the restore command, on stdout and in JSON, and exits 1', async () => {
    const world = makeWorld();
    writeFileSync(join(world.breatherHome, 'checkpoints'), 'not a folder\n');
    const repo = worldRepo(world, { 'a.txt': 'a\n' });
    repo.write('a.txt', 'work in progress\n');

    const json = await cli(world, ['checkpoint', '--project', repo.root, '--json', '--data-dir', world.claudeRoot]);
    expect(json.code).toBe(1);
    expect(json.stderr).not.toMatch(STACK_LINE);
    expect(json.stderr).toContain('the checkpoint was not fully recorded');
    const parsed = JSON.parse(json.stdout) as { checkpoint: CheckpointRecord; error: string; stashes: string[] };
    const project = parsed.checkpoint.projects[0]!;
    expect(project.status).toBe('stashed');
    const [stash] = stashEntries(repo);
    expect(project.stashSha).toBe(stash!.sha);
    expect(repo.git(['rev-parse', project.privateRef!])).toBe(stash!.sha);
    expect(parsed.error).toContain('could not be added');
    expect(parsed.stashes[0]).toContain(`git stash apply --index ${stash!.sha}`);
    expect(parsed.stashes[0]).toContain(project.privateRef);

    const text = await cli(world, ['checkpoint', '--project', repo.root, '--data-dir', world.claudeRoot]);
    expect(text.code).toBe(1);
    expect(text.stderr).not.toMatch(STACK_LINE);
    const second = stashEntries(repo)[0]!.sha;
    expect(text.stdout).toContain(`git stash apply --index ${second}`);
    expect(text.stdout).toContain('refs/breather/checkpoints/');
  });

  it('config set explains instead of printing a stack trace', async () => {
    const base = makeTempDir();
    writeFileSync(join(base, 'file'), '');
    const world = makeWorld();
    world.cliEnv.BREATHER_HOME = join(base, 'file', 'state');
    const result = await cli(world, ['config', 'set', 'checkpoint.untrackedSizeCapMB', '5']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('the settings could not be saved');
    expect(result.stderr).not.toMatch(STACK_LINE);
  });
});

describe('exit codes and odd repositories', () => {
  const world = makeWorld();

  it('exits 3 when nothing at all was saved (unborn HEAD, conflicts)', async () => {
    const unborn = worldRepo(world);
    unborn.write('draft.txt', 'draft\n');
    const unbornRun = await cli(world, ['checkpoint', '--project', unborn.root, '--data-dir', world.claudeRoot]);
    expect(unbornRun.code, unbornRun.stderr).toBe(3);
    expect(unbornRun.stdout).toContain('unborn HEAD');

    const conflicted = divergedRepo('main', { env: world.gitEnv });
    conflicted.gitFailing(['merge', '-q', 'feature']);
    const json = await cli(world, ['checkpoint', '--project', conflicted.root, '--json', '--data-dir', world.claudeRoot]);
    expect(json.code).toBe(3);
    expect((JSON.parse(json.stdout) as { checkpoint: CheckpointRecord }).checkpoint.projects[0]!.status).toBe('refused');
  });

  it('exits 0 when the tree is clean (nothing needed saving)', async () => {
    const clean = worldRepo(world, { 'a.txt': 'a\n' });
    expect((await cli(world, ['checkpoint', '--project', clean.root, '--data-dir', world.claudeRoot])).code).toBe(0);
  });

  it('reports a bare repository as such', async () => {
    const bare = join(makeTempDir(), 'bare.git');
    execFileSync('git', ['init', '-q', '--bare', bare], { env: world.gitEnv });
    const result = await cliJson<{ checkpoint: CheckpointRecord }>(world, ['checkpoint', '--project', bare, '--json', '--data-dir', world.claudeRoot], { code: 3 });
    expect(result.checkpoint.projects[0]).toMatchObject({ status: 'bare-repo', stashSha: null });
    expect((await cli(world, ['checkpoint', '--project', bare, '--data-dir', world.claudeRoot])).stdout).toContain('bare repository');
  });

  it('leaves out untracked files that look like secrets, names them, and includes them when the setting is off', async () => {
    const secrets = ['.env.local', 'keys/id_rsa', 'server.pem', 'aws/credentials.json'];
    const repo = worldRepo(world, { 'app.js': '1\n' });
    for (const path of secrets) repo.write(path, 'hunter2-not-for-a-stash\n');
    repo.write('notes.txt', 'ordinary untracked file\n');
    const project = (await cliJson<{ checkpoint: CheckpointRecord }>(world, ['checkpoint', '--project', repo.root, '--json', '--data-dir', world.claudeRoot])).checkpoint.projects[0]!;
    expect(repo.treePaths(`${project.stashSha}^3`)).toEqual(['notes.txt']);
    expect(project.skippedFiles.filter((f) => f.reason === 'secret-looking').map((f) => f.path).sort()).toEqual([...secrets].sort());
    for (const path of secrets) expect(project.notCaptured.some((n) => n.startsWith(`${path} looks like a secret`))).toBe(true);

    expect((await cli(world, ['config', 'set', 'checkpoint.skipSecretLookingFiles', 'false'])).code).toBe(0);
    const included = (await cliJson<{ checkpoint: CheckpointRecord }>(world, ['checkpoint', '--project', repo.root, '--json', '--data-dir', world.claudeRoot])).checkpoint.projects[0]!;
    expect(repo.treePaths(`${included.stashSha}^3`).sort()).toEqual([...secrets, 'notes.txt'].sort());
  });
});
