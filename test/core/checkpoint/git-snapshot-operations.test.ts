// Snapshots while git is mid-operation or locked.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  divergedRepo,
  expectRestoresInFreshClone,
  makeTempRepo,
  removeTempDirs,
  snapshotUntouched,
  TempRepo,
} from '../../support/temp-repo.js';

afterAll(removeTempDirs);

const NOW = new Date('2025-03-04T05:06:07.000Z');

interface Operation {
  name: string;
  checkout: 'main' | 'feature';
  start: string[];
  marker: string;
  note: RegExp;
}

const operations: Operation[] = [
  { name: 'merge', checkout: 'main', start: ['merge', 'feature'], marker: 'MERGE_HEAD', note: /merge is in progress \(MERGE_HEAD\)/ },
  { name: 'rebase', checkout: 'feature', start: ['rebase', 'main'], marker: 'rebase-merge', note: /rebase is in progress/ },
  {
    name: 'cherry-pick',
    checkout: 'main',
    start: ['cherry-pick', 'feature'],
    marker: 'CHERRY_PICK_HEAD',
    note: /cherry-pick is in progress \(CHERRY_PICK_HEAD\)/,
  },
];

describe.each(operations)('takeGitSnapshot during a $name', (operation) => {
  function startConflicted(): TempRepo {
    const repo = divergedRepo(operation.checkout);
    repo.gitFailing(operation.start);
    expect(existsSync(join(repo.gitDir(), operation.marker))).toBe(true);
    repo.write('other.txt', 'edited during the operation\n');
    return repo;
  }

  it('refuses while paths are unmerged, naming them', async () => {
    const repo = startConflicted();
    const result = await snapshotUntouched(repo, { now: NOW });
    expect(result.status).toBe('refused');
    expect(result.refusal).toMatch(/1 file\(s\) have unresolved conflicts \(conflict\.txt\)/);
    expect(result.stashSha).toBeUndefined();
    expect(repo.git(['for-each-ref', 'refs/stash', 'refs/breather/'])).toBe('');
  });

  it('stashes once conflicts are resolved, saying the operation itself is not captured', async () => {
    const repo = startConflicted();
    repo.write('conflict.txt', 'resolved\n');
    repo.git(['add', 'conflict.txt']);
    const result = await snapshotUntouched(repo, { now: NOW });
    expect(result.status).toBe('stashed');
    expect(result.notCaptured).toHaveLength(1);
    expect(result.notCaptured[0]).toMatch(operation.note);
    expect(result.changedFiles.sort()).toEqual(['conflict.txt', 'other.txt']);
    // Still mid-operation afterwards: the snapshot did not end or abort it.
    expect(existsSync(join(repo.gitDir(), operation.marker))).toBe(true);
    await expectRestoresInFreshClone(repo, result.stashSha!);
  });
});

describe('takeGitSnapshot with locks held', () => {
  it('works read-only while index.lock is held, and leaves the lock alone', async () => {
    const repo = makeTempRepo({ files: { 'a.txt': 'a\n' } });
    repo.write('a.txt', 'staged\n');
    repo.git(['add', 'a.txt']);
    repo.write('a.txt', 'unstaged\n');
    const lock = join(repo.gitDir(), 'index.lock');
    writeFileSync(lock, 'a half-written index from another git process');
    const result = await snapshotUntouched(repo, { now: NOW }, [lock]);
    expect(result.status).toBe('stashed');
    expect(result.notCaptured).toEqual([expect.stringMatching(/index\.lock/)]);
    expect(readFileSync(lock, 'utf8')).toBe('a half-written index from another git process');
    rmSync(lock); // only so the restore check can read the original's index state freely
    await expectRestoresInFreshClone(repo, result.stashSha!);
  });

  it('retries while refs/stash.lock is held, then refuses clearly but keeps the private ref', async () => {
    const repo = makeTempRepo({ files: { 'a.txt': 'a\n' } });
    repo.write('a.txt', 'precious work\n');
    const lock = join(repo.gitDir(), 'refs', 'stash.lock');
    writeFileSync(lock, '');
    const started = Date.now();
    const result = await snapshotUntouched(repo, { now: NOW, stashLockRetryDelaysMs: [20, 40, 80] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(result.status).toBe('refused');
    expect(result.refusal).toMatch(/refs\/stash\.lock is held/);
    expect(result.refusal).toContain(`git stash apply --index ${result.stashSha}`);
    expect(result.refusal).toContain(result.privateRef);
    expect(repo.git(['rev-parse', result.privateRef!])).toBe(result.stashSha);
    expect(existsSync(lock)).toBe(true);
    rmSync(lock);
    expect(repo.git(['for-each-ref', 'refs/stash'])).toBe('');
    await expectRestoresInFreshClone(repo, result.stashSha!);
  });

  it('gets into the stash list once refs/stash.lock is released during the retries', async () => {
    const repo = makeTempRepo({ files: { 'a.txt': 'a\n' } });
    repo.write('a.txt', 'work\n');
    const lock = join(repo.gitDir(), 'refs', 'stash.lock');
    writeFileSync(lock, '');
    const release = setTimeout(() => rmSync(lock), 30);
    const result = await snapshotUntouched(repo, { now: NOW, stashLockRetryDelaysMs: [20, 40, 80, 160, 320] });
    clearTimeout(release);
    expect(result.status).toBe('stashed');
    expect(repo.git(['rev-parse', 'stash@{0}'])).toBe(result.stashSha);
  });
});

describe('takeGitSnapshot with intent-to-add files', () => {
  it('refuses clearly, as git stash cannot save them either, without crashing', async () => {
    const repo = makeTempRepo({ files: { 'a.txt': 'a\n', 'empty.txt': '' } });
    repo.write('a.txt', 'changed\n');
    repo.write('planned.txt', 'content added with -N\n');
    repo.git(['add', '-N', 'planned.txt']);
    const result = await snapshotUntouched(repo, { now: NOW });
    expect(result.status).toBe('refused');
    expect(result.refusal).toMatch(/1 file\(s\) were added with `git add -N` \(planned\.txt\)/);
    expect(repo.git(['for-each-ref', 'refs/stash', 'refs/breather/'])).toBe('');
  });

  it('is not fooled by an ordinary staged empty file', async () => {
    const repo = makeTempRepo({ files: { 'a.txt': 'a\n' } });
    repo.write('empty.txt', '');
    repo.git(['add', 'empty.txt']);
    const result = await snapshotUntouched(repo, { now: NOW });
    expect(result.status).toBe('stashed');
    expect(result.changedFiles).toEqual(['empty.txt']);
    await expectRestoresInFreshClone(repo, result.stashSha!);
  });
});
