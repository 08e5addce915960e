import { chmodSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { takeGitSnapshot } from '../../../src/core/checkpoint/git-snapshot.js';
import type { GitRunner } from '../../../src/core/ports.js';
import {
  expectRestoresInFreshClone,
  makeTempDir,
  makeTempRepo,
  nativeStashTreesOfCopy,
  removeTempDirs,
  snapshotUntouched,
  stashTrees,
  TempRepo,
} from '../../support/temp-repo.js';

afterAll(removeTempDirs);

const NOW = new Date('2025-03-04T05:06:07.000Z');

/** A repo with staged, unstaged and untracked work, a deletion, a mode change, a symlink and ignored files. */
function repoWithWork(): TempRepo {
  const repo = makeTempRepo({
    files: {
      'README.md': '# demo\n',
      'src/app.ts': 'export const a = 1;\n',
      'src/old.ts': 'old\n',
      'run.sh': 'echo hi\n',
      '.gitignore': '.env\nbuild/\n',
    },
  });
  repo.write('src/app.ts', 'export const a = 2;\n');
  repo.git(['add', 'src/app.ts']); // staged
  repo.write('src/app.ts', 'export const a = 3;\n'); // and unstaged on top
  repo.write('README.md', '# demo\nmore\n'); // unstaged only
  repo.write('src/new.ts', 'new file\n');
  repo.git(['add', 'src/new.ts']); // staged new file
  rmSync(repo.path('src/old.ts')); // unstaged deletion
  chmodSync(repo.path('run.sh'), 0o755); // mode change
  repo.write('notes/todo.txt', 'untracked\n');
  symlinkSync('README.md', repo.path('link-to-readme'));
  repo.write('.env', 'API_KEY=secret\n');
  repo.write('build/out.js', 'built\n');
  return repo;
}

describe('takeGitSnapshot: a normal repository', () => {
  it('records staged, unstaged and untracked work without touching files or the index', async () => {
    const repo = repoWithWork();
    const head = repo.git(['rev-parse', 'HEAD']);
    const result = await snapshotUntouched(repo, { now: NOW, message: 'before limit' });

    expect(result.status).toBe('stashed');
    expect(result.repoRoot).toBe(repo.root);
    expect(result.gitDir).toBe(join(repo.root, '.git'));
    expect(result.branch).toBe('main');
    expect(result.head).toBe(head);
    expect(result.refusal).toBeUndefined();
    expect(result.notCaptured).toEqual([]);
    expect(result.skippedFiles).toEqual([]);
    expect(result.ignoredSecretsMentioned).toEqual(['.env']);
    expect(result.submodules).toEqual([]);
    expect(result.changedFiles.sort()).toEqual(
      ['README.md', 'link-to-readme', 'notes/todo.txt', 'run.sh', 'src/app.ts', 'src/new.ts', 'src/old.ts'].sort(),
    );
    expect(result.diffStat).toMatch(/7 files changed/);
    expect(result.diffStat).toContain('notes/todo.txt');

    const stash = result.stashSha!;
    expect(repo.git(['rev-parse', 'stash@{0}'])).toBe(stash);
    expect(repo.git(['rev-parse', result.privateRef!])).toBe(stash);
    expect(result.privateRef).toBe(`refs/breather/checkpoints/2025-03-04T05-06-07-000Z-${stash.slice(0, 12)}`);
    expect(repo.git(['stash', 'list'])).toBe(
      'stash@{0}: On main: breather checkpoint 2025-03-04T05:06:07.000Z - before limit',
    );

    const parents = repo.git(['rev-list', '--parents', '-n', '1', stash]).split(' ');
    expect(parents.slice(1, 2)).toEqual([head]);
    expect(parents).toHaveLength(4);
    const short = repo.git(['rev-parse', '--short', 'HEAD']);
    expect(repo.git(['log', '-1', '--format=%s', `${stash}^2`])).toBe(`index on main: ${short} initial commit`);
    expect(repo.git(['log', '-1', '--format=%s', `${stash}^3`])).toBe(`untracked files on main: ${short} initial commit`);
    expect(repo.git(['rev-list', '--parents', '-n', '1', `${stash}^3`]).split(' ')).toHaveLength(1);

    // Ignored files are in none of the three parts.
    for (const part of [stash, `${stash}^2`, `${stash}^3`]) {
      expect(repo.treePaths(part)).not.toContain('.env');
      expect(repo.treePaths(part).filter((path) => path.startsWith('build/'))).toEqual([]);
    }

    await expectRestoresInFreshClone(repo, stash);
  });

  it('produces the same trees as native `git stash push -u`', async () => {
    const repo = repoWithWork();
    const native = nativeStashTreesOfCopy(repo);
    const result = await snapshotUntouched(repo, { now: NOW });
    expect(result.status).toBe('stashed');
    expect(stashTrees(repo, result.stashSha!)).toEqual(native);
    expect(native.untracked).not.toBeNull();
  });

  it("runs none of the user's hooks (post-index-change fires even for a temporary index)", async () => {
    const repo = makeTempRepo({ files: { 'a.txt': 'a\n' } });
    const hook = join(repo.gitDir(), 'hooks', 'post-index-change');
    writeFileSync(hook, `#!/bin/sh\necho ran >> "${repo.path('hook-ran.txt')}"\n`, { mode: 0o755 });
    repo.write('a.txt', 'changed\n');
    repo.write('new.txt', 'untracked\n');
    const result = await snapshotUntouched(repo, { now: NOW });
    expect(result.status).toBe('stashed');
    expect(existsSync(repo.path('hook-ran.txt'))).toBe(false);
  });

  it('reports nothing to stash on a clean tree and stores nothing', async () => {
    const repo = makeTempRepo({ files: { 'a.txt': 'a\n', '.gitignore': '.env.local\n' } });
    repo.write('.env.local', 'TOKEN=x\n');
    const result = await snapshotUntouched(repo, { now: NOW });
    expect(result.status).toBe('nothing-to-stash');
    expect(result.stashSha).toBeUndefined();
    expect(result.privateRef).toBeUndefined();
    expect(result.changedFiles).toEqual([]);
    expect(result.diffStat).toBe('');
    expect(result.ignoredSecretsMentioned).toEqual(['.env.local']);
    expect(repo.git(['for-each-ref', 'refs/stash', 'refs/breather/'])).toBe('');
  });

  it('refuses on an unborn HEAD and leaves the staged files alone', async () => {
    const repo = makeTempRepo();
    repo.write('first.txt', 'hello\n');
    repo.git(['add', 'first.txt']);
    const result = await snapshotUntouched(repo, { now: NOW });
    expect(result.status).toBe('refused');
    expect(result.refusal).toMatch(/no commit yet/);
    expect(result.head).toBeNull();
    expect(result.branch).toBe('main');
    expect(repo.git(['for-each-ref'])).toBe('');
  });

  it('stashes on a detached HEAD with branch null and "(no branch)" in the messages', async () => {
    const repo = makeTempRepo({ files: { 'a.txt': 'a\n' } });
    repo.write('a.txt', 'b\n');
    repo.commitAll('second');
    repo.git(['checkout', '-q', '--detach', 'HEAD~1']);
    repo.write('a.txt', 'detached change\n');
    const result = await snapshotUntouched(repo, { now: NOW });
    expect(result.status).toBe('stashed');
    expect(result.branch).toBeNull();
    expect(result.head).toBe(repo.git(['rev-parse', 'HEAD']));
    expect(repo.git(['stash', 'list'])).toBe(
      'stash@{0}: On (no branch): breather checkpoint 2025-03-04T05:06:07.000Z',
    );
    expect(repo.git(['log', '-1', '--format=%s', `${result.stashSha}^2`])).toMatch(/^index on \(no branch\): /);
    await expectRestoresInFreshClone(repo, result.stashSha!);
  });

  it('works from a subdirectory and uses the given id and ref prefix', async () => {
    const repo = makeTempRepo({ files: { 'deep/dir/a.txt': 'a\n' } });
    repo.write('deep/dir/a.txt', 'changed\n');
    const before = await repo.fingerprint();
    const result = await takeGitSnapshot(repo.path('deep/dir'), repo.runner, {
      now: NOW,
      id: 'my-id',
      privateRefPrefix: 'refs/custom/',
    });
    expect(await repo.fingerprint()).toEqual(before);
    expect(result.status).toBe('stashed');
    expect(result.repoRoot).toBe(repo.root);
    expect(result.privateRef).toBe('refs/custom/my-id');
    expect(repo.git(['rev-parse', 'refs/custom/my-id'])).toBe(result.stashSha);
    expect(result.changedFiles).toEqual(['deep/dir/a.txt']);
  });

  it('refuses a second snapshot under an id that already exists, keeping the first', async () => {
    const repo = makeTempRepo({ files: { 'a.txt': 'a\n' } });
    repo.write('a.txt', 'one\n');
    const first = await snapshotUntouched(repo, { now: NOW, id: 'same' });
    repo.write('a.txt', 'two\n');
    const second = await snapshotUntouched(repo, { now: NOW, id: 'same' });
    expect(first.status).toBe('stashed');
    expect(second.status).toBe('refused');
    expect(second.refusal).toMatch(/update-ref/);
    expect(repo.git(['rev-parse', 'refs/breather/checkpoints/same'])).toBe(first.stashSha);
    expect(repo.git(['stash', 'list']).split('\n')).toHaveLength(1);
  });

  it('rejects an unsafe id or prefix before touching the repository', async () => {
    const repo = makeTempRepo({ files: { 'a.txt': 'a\n' } });
    repo.write('a.txt', 'x\n');
    await expect(takeGitSnapshot(repo.root, repo.runner, { id: '../escape' })).rejects.toThrow(/checkpoint id/);
    await expect(takeGitSnapshot(repo.root, repo.runner, { privateRefPrefix: 'heads/' })).rejects.toThrow(
      /privateRefPrefix/,
    );
    expect(repo.git(['for-each-ref', 'refs/stash', 'refs/breather/'])).toBe('');
  });

  it('refuses outside a repository and for a missing directory', async () => {
    const dir = makeTempDir();
    const repo = makeTempRepo({ files: { 'a.txt': 'a\n' } });
    const outside = await takeGitSnapshot(dir, repo.runner);
    expect(outside.status).toBe('refused');
    expect(outside.refusal).toMatch(/not inside a git working tree/);
    expect(outside.gitDir).toBe('');
    const missing = await takeGitSnapshot(join(dir, 'nope'), repo.runner);
    expect(missing.status).toBe('refused');
    expect(missing.refusal).toMatch(/does not exist/);
  });

  it('refuses and stores nothing when HEAD moves during the snapshot', async () => {
    const repo = makeTempRepo({ files: { 'a.txt': 'a\n' } });
    repo.write('a.txt', 'work\n');
    const other = repo.git(['commit-tree', 'HEAD^{tree}', '-p', 'HEAD', '-m', 'elsewhere']);
    let moved = false;
    // Moves the branch just before the final stash commit is written.
    const racing: GitRunner = {
      async run(args, options) {
        if (!moved && args.includes('commit-tree') && args.filter((arg) => arg === '-p').length >= 2) {
          moved = true;
          repo.git(['update-ref', 'refs/heads/main', other]);
        }
        return repo.runner.run(args, options);
      },
    };
    const result = await takeGitSnapshot(repo.root, racing, { now: NOW });
    expect(moved).toBe(true);
    expect(result.status).toBe('refused');
    expect(result.refusal).toMatch(/HEAD moved/);
    expect(result.stashSha).toBeUndefined();
    expect(repo.git(['for-each-ref', 'refs/stash', 'refs/breather/'])).toBe('');
  });
});

describe('takeGitSnapshot: git identity', () => {
  const authorOf = (repo: TempRepo, commit: string): string => repo.git(['log', '-1', '--format=%an <%ae>|%cn <%ce>', commit]);

  it('falls back to "git stash <git@stash>" when no identity can be found', async () => {
    const repo = makeTempRepo({ identity: false });
    // HOME is empty and system config is off; useConfigOnly stops git guessing
    // one from the host name, so "no identity" holds on every machine.
    repo.git(['config', 'user.useConfigOnly', 'true']);
    repo.write('a.txt', 'a\n');
    repo.git(['-c', 'user.name=Setup', '-c', 'user.email=setup@example.com', 'add', 'a.txt']);
    repo.git(['-c', 'user.name=Setup', '-c', 'user.email=setup@example.com', 'commit', '-q', '-m', 'init']);
    repo.write('a.txt', 'changed\n');
    expect(() => repo.gitBytes(['var', 'GIT_AUTHOR_IDENT'])).toThrow();

    const result = await snapshotUntouched(repo, { now: NOW });
    expect(result.status).toBe('stashed');
    expect(authorOf(repo, result.stashSha!)).toBe('git stash <git@stash>|git stash <git@stash>');
    expect(authorOf(repo, `${result.stashSha}^2`)).toBe('git stash <git@stash>|git stash <git@stash>');
    expect(repo.git(['config', '--get-regexp', '^user\\.'])).toBe('user.useconfigonly true');
  });

  it('with only HOME emptied, uses whatever git can determine, else the fallback', async () => {
    const repo = makeTempRepo({ identity: false });
    repo.write('a.txt', 'a\n');
    repo.git(['add', 'a.txt']);
    repo.git(['-c', 'user.name=Setup', '-c', 'user.email=setup@example.com', 'commit', '-q', '-m', 'init']);
    repo.write('a.txt', 'changed\n');
    let expected = 'git stash <git@stash>';
    try {
      expected = repo.git(['var', 'GIT_AUTHOR_IDENT']).replace(/ \d+ [+-]\d{4}$/, '');
    } catch {
      // No identity on this machine either: the fallback applies.
    }
    const result = await snapshotUntouched(repo, { now: NOW });
    expect(result.status).toBe('stashed');
    expect(authorOf(repo, result.stashSha!).split('|')[0]).toBe(expected);
  });

  it('keeps the configured identity when there is one', async () => {
    const repo = makeTempRepo({ files: { 'a.txt': 'a\n' } });
    repo.write('a.txt', 'changed\n');
    const result = await snapshotUntouched(repo, { now: NOW });
    expect(authorOf(repo, result.stashSha!)).toBe('Test User <test@example.com>|Test User <test@example.com>');
  });
});

describe('takeGitSnapshot: empty directories and odd trees', () => {
  it('stashes an untracked file inside an otherwise empty new directory', async () => {
    const repo = makeTempRepo({ files: { 'a.txt': 'a\n' } });
    mkdirSync(repo.path('empty-dir'));
    repo.write('new-dir/only.txt', 'x\n');
    const result = await snapshotUntouched(repo, { now: NOW });
    expect(result.status).toBe('stashed');
    expect(repo.treePaths(`${result.stashSha}^3`)).toEqual(['new-dir/only.txt']);
    await expectRestoresInFreshClone(repo, result.stashSha!, ['empty-dir']);
  });
});
