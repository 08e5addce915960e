// `breather restore`: which checkpoint an id names (latest, a unique prefix, the
// short tail, never a guess), restoring into another clone of the repository,
// and dirty submodules brought back in their own repositories.
import { readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckpointRecord } from '../../src/core/checkpoint/checkpoint-store.js';
import { type CheckpointWorld, cli, cliJson, makeWorld, worldRepo } from '../support/checkpoint-world.js';
import { makeTempDir, removeTempDirs, TempRepo } from '../support/temp-repo.js';

let world: CheckpointWorld;

function dirtyRepo(label: string): TempRepo {
  const repo = worldRepo(world, { 'a.txt': `${label}\n` });
  repo.write('a.txt', `${label} in progress\n`);
  return repo;
}

async function checkpoint(dir: string): Promise<CheckpointRecord> {
  return (await cliJson<{ checkpoint: CheckpointRecord }>(world, ['checkpoint', '--project', dir, '--json', '--data-dir', world.claudeRoot])).checkpoint;
}

function cloneOf(repo: TempRepo): TempRepo {
  const root = join(makeTempDir('breather-clone-'), 'clone');
  // --no-local: only reachable objects travel, as with any remote clone.
  repo.git(['clone', '-q', '--no-local', repo.root, root]);
  return new TempRepo(root, repo.env);
}

beforeAll(() => {
  world = makeWorld();
});
afterAll(removeTempDirs);

describe('checkpoint ids', () => {
  const repos: TempRepo[] = [];
  const records: CheckpointRecord[] = [];
  beforeAll(async () => {
    for (const label of ['one', 'two', 'three']) {
      const repo = dirtyRepo(label);
      repos.push(repo);
      records.push(await checkpoint(repo.root));
    }
  });
  const restoredIds = async (id: string) => (await cliJson<{ checkpoint: string }>(world, ['restore', id, '--json'])).checkpoint;

  it('latest, a unique prefix and the short tail each name one checkpoint', async () => {
    const newest = [...records].sort((a, b) => a.createdAt.localeCompare(b.createdAt)).at(-1)!;
    expect(await restoredIds('latest')).toBe(newest.id);
    for (const record of records) {
      expect(await restoredIds(record.id)).toBe(record.id);
      expect(await restoredIds(record.id.slice(0, -2))).toBe(record.id);
      expect(await restoredIds(record.id.slice(-8))).toBe(record.id);
    }
  });

  it('an empty or ambiguous id restores nothing, even with --apply, and lists the candidates', async () => {
    for (const repo of repos) repo.git(['checkout', '--', 'a.txt']);
    const shared = records[0]!.id.slice(0, 4);
    for (const id of ['', shared]) {
      const result = await cli(world, ['restore', id, '--apply']);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('nothing was restored');
      for (const record of records) expect(result.stderr).toContain(record.id);
    }
    for (const [i, repo] of repos.entries()) expect(readFileSync(repo.path('a.txt'), 'utf8')).toBe(`${['one', 'two', 'three'][i]}\n`);
  });
});

describe('restoring into another clone', () => {
  it('fetches the stash from the original repository when the clone lacks it', async () => {
    const origin = dirtyRepo('origin');
    const record = await checkpoint(origin.root);
    const clone = cloneOf(origin);
    const printed = await cliJson<{ projects: { projectDir: string; commands: string[] }[] }>(world, ['restore', record.id, '--json', '--project', clone.root]);
    expect(printed.projects.map((p) => p.projectDir)).toEqual([clone.root]);
    expect(printed.projects[0]!.commands.join('\n')).toContain(`git fetch --no-tags -q ${origin.root}`);
    const applied = await cli(world, ['restore', record.id, '--apply', '--project', clone.root]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(readFileSync(clone.path('a.txt'), 'utf8')).toBe('origin in progress\n');
  });

  it('uses the stash already reachable in the clone, with no fetch', async () => {
    const origin = dirtyRepo('reachable');
    const record = await checkpoint(origin.root);
    const clone = cloneOf(origin);
    const ref = record.projects[0]!.privateRef!;
    clone.git(['fetch', '-q', 'origin', `+${ref}:${ref}`]);
    const printed = await cliJson<{ projects: { commands: string[] }[] }>(world, ['restore', record.id, '--json', '--project', clone.root]);
    expect(printed.projects[0]!.commands.join('\n')).not.toContain('git fetch');
    expect((await cli(world, ['restore', record.id, '--apply', '--project', clone.root])).code).toBe(0);
    expect(readFileSync(clone.path('a.txt'), 'utf8')).toBe('reachable in progress\n');
  });

  it('names both repositories when the stash is in neither', async () => {
    const origin = dirtyRepo('gone');
    const record = await checkpoint(origin.root);
    const clone = cloneOf(origin);
    renameSync(origin.root, `${origin.root}-moved`);
    const result = await cli(world, ['restore', record.id, '--apply', '--project', clone.root]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`The stash commit ${record.projects[0]!.stashSha} is not in ${clone.root}`);
    expect(result.stderr).toContain(`fetched from ${origin.root}`);
    expect(readFileSync(clone.path('a.txt'), 'utf8')).toBe('gone\n');
  });
});

describe('dirty submodules', () => {
  let parent: TempRepo;
  let sub: TempRepo;
  let record: CheckpointRecord;
  beforeAll(async () => {
    const library = worldRepo(world, { 'lib.txt': 'library\n' });
    parent = worldRepo(world, { 'app.txt': 'app\n' });
    parent.git(['-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', library.root, 'lib']);
    parent.commitAll('add the submodule');
    sub = new TempRepo(parent.path('lib'), parent.env);
    sub.git(['config', 'user.name', 'Test User']);
    sub.git(['config', 'user.email', 'test@example.com']);
    sub.write('lib.txt', 'library in progress\n');
    parent.write('app.txt', 'app in progress\n');
    record = await checkpoint(parent.root);
  });

  it('records the submodule stash and names its restore command in the listing and the resume prompt', async () => {
    const project = record.projects[0]!;
    const [entry] = project.submodules;
    expect(entry).toMatchObject({ repoRoot: sub.root, status: 'stashed', head: sub.git(['rev-parse', 'HEAD']) });
    const command = `git stash apply --index ${entry!.stashSha}`;
    const printed = await cli(world, ['restore', record.id]);
    expect(printed.stdout).toContain(`cd ${sub.root} && test "$(git rev-parse HEAD)" = ${entry!.head} && ${command}`);
    const prompt = readFileSync(project.promptPath, 'utf8');
    expect(prompt).toContain(`git -C ${sub.root} stash apply --index ${entry!.stashSha}`);
    // The prompt's restore block carries the same HEAD-checked line as the CLI listing.
    const restoreBlock = prompt.slice(prompt.indexOf('To restore the work, run:'));
    expect(restoreBlock).toContain(`cd ${sub.root} && test "$(git rev-parse HEAD)" = ${entry!.head} && ${command}`);
  });

  it('restore --apply brings back the submodule changes too', async () => {
    sub.git(['checkout', '--', 'lib.txt']);
    parent.git(['checkout', '--', 'app.txt']);
    const result = await cli(world, ['restore', record.id, '--apply']);
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(parent.path('app.txt'), 'utf8')).toBe('app in progress\n');
    expect(readFileSync(sub.path('lib.txt'), 'utf8')).toBe('library in progress\n');
  });

  it('refuses, touching nothing, when the submodule HEAD has moved', async () => {
    sub.git(['checkout', '--', 'lib.txt']);
    parent.git(['checkout', '--', 'app.txt']);
    sub.write('other.txt', 'new commit\n');
    sub.commitAll('move the submodule');
    parent.commitAll('record the moved submodule');
    const result = await cli(world, ['restore', record.id, '--apply']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`Refusing to restore submodule ${sub.root}`);
    expect(readFileSync(parent.path('app.txt'), 'utf8')).toBe('app\n');
  });
});
