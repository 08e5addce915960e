// Snapshots of unusual working trees: submodules, nested repositories, big,
// ignored and oddly named files, linked worktrees, files still being written.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { takeGitSnapshot } from '../../../src/core/checkpoint/git-snapshot.js';
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
import { fingerprintTree } from '../../support/tree-fingerprint.js';

afterAll(removeTempDirs);

const NOW = new Date('2025-03-04T05:06:07.000Z');

describe('takeGitSnapshot with submodules', () => {
  it('snapshots inside each initialized submodule with changes and lists them', async () => {
    const dirtyUpstream = makeTempRepo({ files: { 's.txt': 'sub\n' } });
    const cleanUpstream = makeTempRepo({ files: { 'c.txt': 'clean\n' } });
    const parent = makeTempRepo({ files: { 'p.txt': 'parent\n' } });
    for (const [upstream, path] of [
      [dirtyUpstream, 'libs/dirty'],
      [cleanUpstream, 'libs/clean'],
    ] as const) {
      parent.git(['-c', 'protocol.file.allow=always', 'submodule', '-q', 'add', upstream.root, path]);
    }
    parent.git(['commit', '-q', '-m', 'add submodules']);
    const dirty = new TempRepo(parent.path('libs/dirty'), parent.env);
    dirty.git(['config', 'user.name', 'Test User']);
    dirty.git(['config', 'user.email', 'test@example.com']);
    dirty.write('s.txt', 'changed inside the submodule\n');
    dirty.write('inner-new.txt', 'untracked inside\n');
    parent.write('p.txt', 'parent change\n');

    const submoduleIndexes = ['libs/dirty', 'libs/clean'].map((path) => join(parent.gitDir(), 'modules', path, 'index'));
    const result = await snapshotUntouched(parent, { now: NOW }, submoduleIndexes);

    expect(result.status).toBe('stashed');
    expect(result.changedFiles).toEqual(['p.txt']);
    expect(result.submodules).toHaveLength(1);
    const inner = result.submodules[0]!;
    expect(inner.status).toBe('stashed');
    expect(inner.repoRoot).toBe(dirty.root);
    expect(inner.gitDir).toBe(join(parent.gitDir(), 'modules', 'libs', 'dirty'));
    expect(inner.changedFiles.sort()).toEqual(['inner-new.txt', 's.txt']);
    expect(dirty.git(['rev-parse', 'stash@{0}'])).toBe(inner.stashSha);
    expect(dirty.git(['rev-parse', inner.privateRef!])).toBe(inner.stashSha);
    // The parent's stash holds only the submodule's commit pointer.
    expect(parent.git(['ls-tree', result.stashSha!, 'libs/dirty']).split(/\s/)[1]).toBe('commit');

    await expectRestoresInFreshClone(parent, result.stashSha!, ['libs']);
    await expectRestoresInFreshClone(dirty, inner.stashSha!);
  });

  it('snapshots a dirty submodule even when the parent has nothing to stash', async () => {
    const upstream = makeTempRepo({ files: { 's.txt': 'sub\n' } });
    const parent = makeTempRepo({ files: { 'p.txt': 'parent\n' } });
    parent.git(['-c', 'protocol.file.allow=always', 'submodule', '-q', 'add', upstream.root, 'sub']);
    parent.git(['commit', '-q', '-m', 'add submodule']);
    parent.write('sub/s.txt', 'dirty\n');
    const result = await snapshotUntouched(parent, { now: NOW }, [join(parent.gitDir(), 'modules', 'sub', 'index')]);
    expect(result.status).toBe('nothing-to-stash');
    expect(result.submodules.map((sub) => [sub.status, sub.changedFiles])).toEqual([['stashed', ['s.txt']]]);
  });
});

describe('takeGitSnapshot with untracked oddities', () => {
  it('skips and lists a nested repository, as git stash does', async () => {
    const repo = makeTempRepo({ files: { 'a.txt': 'a\n' } });
    repo.git(['init', '-q', 'nested']);
    repo.write('nested/inside.txt', 'inside a nested repo\n');
    repo.write('plain.txt', 'plain untracked\n');
    const native = nativeStashTreesOfCopy(repo);

    const result = await snapshotUntouched(repo, { now: NOW });
    expect(result.status).toBe('stashed');
    expect(result.skippedFiles).toEqual([{ path: 'nested', reason: 'nested-repo' }]);
    expect(repo.treePaths(`${result.stashSha}^3`)).toEqual(['plain.txt']);
    expect(stashTrees(repo, result.stashSha!)).toEqual(native);
    await expectRestoresInFreshClone(repo, result.stashSha!, ['nested']);
  });

  it('skips and lists untracked files over the size cap, with their size', async () => {
    const repo = makeTempRepo({ files: { 'a.txt': 'a\n' } });
    repo.write('big.bin', Buffer.alloc(5000, 1));
    repo.write('exactly-cap.bin', Buffer.alloc(1000, 2));
    repo.write('small.txt', 'small\n');
    const result = await snapshotUntouched(repo, { now: NOW, untrackedSizeCapBytes: 1000 });
    expect(result.status).toBe('stashed');
    expect(result.skippedFiles).toEqual([{ path: 'big.bin', reason: 'too-large', bytes: 5000 }]);
    expect(repo.treePaths(`${result.stashSha}^3`)).toEqual(['exactly-cap.bin', 'small.txt']);
    expect(result.changedFiles).not.toContain('big.bin');
  });

  it('uses a 10 MB cap by default', async () => {
    const repo = makeTempRepo({ files: { 'a.txt': 'a\n' } });
    repo.write('huge.bin', Buffer.alloc(10 * 1024 * 1024 + 1));
    const result = await snapshotUntouched(repo, { now: NOW });
    expect(result.status).toBe('nothing-to-stash');
    expect(result.skippedFiles).toEqual([{ path: 'huge.bin', reason: 'too-large', bytes: 10 * 1024 * 1024 + 1 }]);
  });

  it('never includes ignored files, and mentions the ones that look like secrets', async () => {
    const repo = makeTempRepo({
      files: { 'a.txt': 'a\n', '.gitignore': '.env*\n*.pem\nid_rsa\nsecrets/\nnode_modules/\nbuild/\n' },
    });
    for (const path of ['.env', '.env.local', 'config/key.pem', 'id_rsa', 'secrets/prod.json', 'node_modules/x/index.js', 'build/app.js', 'newdir/.env']) {
      repo.write(path, `ignored ${path}\n`);
    }
    repo.write('newdir/code.ts', 'untracked code\n');
    repo.write('a.txt', 'changed\n');
    const result = await snapshotUntouched(repo, { now: NOW });
    expect(result.status).toBe('stashed');
    expect(result.ignoredSecretsMentioned.sort()).toEqual(
      ['.env', '.env.local', 'config/key.pem', 'id_rsa', 'newdir/.env', 'secrets'].sort(),
    );
    const everything = [result.stashSha!, `${result.stashSha}^2`, `${result.stashSha}^3`].flatMap((part) =>
      repo.treePaths(part),
    );
    expect(new Set(everything)).toEqual(new Set(['.gitignore', 'a.txt', 'newdir/code.ts']));
  });

  it.skipIf(process.platform !== 'linux')('handles non-UTF-8 and newline-containing file names as raw bytes', async () => {
    const repo = makeTempRepo({ files: { 'line\nbreak.txt': 'one\n', 'plain.txt': 'p\n' } });
    const root = Buffer.from(`${repo.root}/`);
    const latin1Name = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2e, 0x74, 0x78, 0x74]); // "café.txt" in Latin-1
    const invalidDirName = Buffer.from([0x64, 0xff, 0x2f, 0x78]); // "d\xff/x"
    repo.write('line\nbreak.txt', 'two\n'); // tracked, modified
    writeFileSync(Buffer.concat([root, latin1Name]), 'untracked latin-1 name\n');
    mkdirSync(Buffer.concat([root, invalidDirName.subarray(0, 2)]));
    writeFileSync(Buffer.concat([root, invalidDirName]), 'in a non-UTF-8 directory\n');
    repo.write('staged\nnew.txt', 'staged new\n');
    repo.git(['add', 'staged\nnew.txt']);

    const result = await snapshotUntouched(repo, { now: NOW });
    expect(result.status).toBe('stashed');
    expect(result.changedFiles.sort()).toEqual(
      ['line\\nbreak.txt', 'caf\\xe9.txt', 'd\\xff/x', 'staged\\nnew.txt'].sort(),
    );
    const untrackedNames = repo.gitBytes(['ls-tree', '-r', '-z', '--name-only', `${result.stashSha}^3`]);
    expect(untrackedNames.includes(Buffer.concat([latin1Name, Buffer.from([0])]))).toBe(true);
    expect(untrackedNames.includes(Buffer.concat([invalidDirName, Buffer.from([0])]))).toBe(true);
    await expectRestoresInFreshClone(repo, result.stashSha!);
  });
});

describe('takeGitSnapshot in a linked worktree', () => {
  it("uses that worktree's own index and HEAD, and leaves the main worktree alone", async () => {
    const main = makeTempRepo({ files: { 'shared.txt': 'shared\n', 'wt-only.txt': 'base\n' } });
    const worktreeRoot = join(makeTempDir(), 'wt');
    main.git(['worktree', 'add', '-q', '-b', 'feature', worktreeRoot]);
    const worktree = new TempRepo(worktreeRoot, main.env);
    worktree.write('wt-only.txt', 'staged in the worktree\n');
    worktree.git(['add', 'wt-only.txt']);
    worktree.write('shared.txt', 'unstaged in the worktree\n');
    worktree.write('wt-untracked.txt', 'untracked in the worktree\n');
    main.write('shared.txt', 'main worktree change, not ours\n');
    main.write('main-untracked.txt', 'not ours either\n');
    const mainBefore = await main.fingerprint();

    const result = await snapshotUntouched(worktree, { now: NOW });
    expect(await main.fingerprint()).toEqual(mainBefore);
    expect(result.status).toBe('stashed');
    expect(result.repoRoot).toBe(worktreeRoot);
    expect(result.gitDir).toBe(join(main.gitDir(), 'worktrees', 'wt'));
    expect(result.branch).toBe('feature');
    expect(result.head).toBe(worktree.git(['rev-parse', 'HEAD']));
    expect(result.changedFiles.sort()).toEqual(['shared.txt', 'wt-only.txt', 'wt-untracked.txt']);
    expect(main.git(['stash', 'list'])).toBe('stash@{0}: On feature: breather checkpoint 2025-03-04T05:06:07.000Z');
    expect(main.git(['cat-file', '-p', `${result.stashSha}:shared.txt`])).toBe('unstaged in the worktree');
    await expectRestoresInFreshClone(worktree, result.stashSha!);
  });
});

describe('takeGitSnapshot while a file is being written', () => {
  it('does not crash and stores one consistent version of the growing file', async () => {
    const line = `${'x'.repeat(99)}\n`;
    const repo = makeTempRepo({ files: { 'log.txt': line.repeat(10), 'other.txt': 'other\n' } });
    const initial = line.repeat(20_000); // 2 MB, so hashing it takes a moment
    repo.write('log.txt', initial);
    repo.write('other.txt', 'other changed\n');
    const before = await fingerprintTree(repo.root, [join(repo.gitDir(), 'index')]);

    const logPath = repo.path('log.txt');
    const writer = spawn(
      process.execPath,
      ['-e', `const fs=require('fs');for(;;){fs.appendFileSync(${JSON.stringify(logPath)}, ${JSON.stringify(line)});}`],
      { stdio: 'ignore' },
    );
    // Start the snapshot only once the writer is really appending.
    for (const deadline = Date.now() + 10_000; statSync(logPath).size <= initial.length; ) {
      if (Date.now() > deadline) throw new Error('the writer never started appending');
      await new Promise((tick) => setTimeout(tick, 5));
    }
    try {
      const result = await takeGitSnapshot(repo.root, repo.runner, { now: NOW });
      expect(result.status).toBe('stashed');
      expect(result.changedFiles.sort()).toEqual(['log.txt', 'other.txt']);
      const stored = repo.gitBytes(['cat-file', 'blob', `${result.stashSha}:log.txt`]).toString('utf8');
      writer.kill();
      await new Promise((exited) => writer.once('exit', exited));
      const final = readFileSync(logPath, 'utf8');
      // One whole version: the file as it was at some instant during the snapshot.
      expect(stored.length).toBeGreaterThan(initial.length);
      expect(final.startsWith(stored)).toBe(true);
    } finally {
      if (writer.exitCode === null && writer.signalCode === null) writer.kill();
    }
    const after = await fingerprintTree(repo.root, [join(repo.gitDir(), 'index')]);
    const withoutLog = (print: Record<string, string>): Record<string, string> =>
      Object.fromEntries(Object.entries(print).filter(([path]) => path !== 'log.txt'));
    expect(withoutLog(after)).toEqual(withoutLog(before));
  });
});
