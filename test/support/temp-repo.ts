// Real git repositories in os.tmpdir() for tests, with git config isolated
// from the machine (HOME is a temp dir, no system config).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { takeGitSnapshot, type SnapshotOptions, type SnapshotResult } from '../../src/core/checkpoint/git-snapshot.js';
import { createExecGitRunner } from '../../src/core/checkpoint/exec-git-runner.js';
import { displayPath, splitNul } from '../../src/core/checkpoint/git-paths.js';
import type { GitRunner } from '../../src/core/ports.js';
import { fingerprintTree, treeContents } from './tree-fingerprint.js';

const createdDirs: string[] = [];

/** A fresh, real (symlink-resolved) temp dir, removed by removeTempDirs(). */
export function makeTempDir(label = 'breather-test-'): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), label)));
  createdDirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of createdDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** process.env without any GIT_* or EMAIL, HOME pointing at an empty dir. */
export function isolatedGitEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('GIT_') && name !== 'EMAIL') env[name] = value;
  }
  return {
    ...env,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    LC_ALL: 'C',
  };
}

export interface GitCallOptions {
  cwd?: string;
  input?: string | Buffer;
  env?: Record<string, string>;
}

export class TempRepo {
  readonly runner: GitRunner;

  constructor(
    readonly root: string,
    readonly env: NodeJS.ProcessEnv,
  ) {
    this.runner = createExecGitRunner({ baseEnv: env });
  }

  /** Runs git synchronously; throws (with stderr) on failure. */
  gitBytes(args: string[], options: GitCallOptions = {}): Buffer {
    return execFileSync('git', args, {
      cwd: options.cwd ?? this.root,
      env: { ...this.env, ...options.env },
      input: options.input,
      maxBuffer: 1024 * 1024 * 1024,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  }

  git(args: string[], options: GitCallOptions = {}): string {
    return this.gitBytes(args, options).toString('utf8').trim();
  }

  /** Runs git expecting failure (e.g. a merge that conflicts). */
  gitFailing(args: string[], options: GitCallOptions = {}): void {
    expect(() => this.gitBytes(args, options)).toThrow();
  }

  path(relative: string): string {
    return join(this.root, relative);
  }

  write(relative: string, content: string | Buffer): void {
    const file = this.path(relative);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }

  commitAll(message: string): string {
    this.git(['add', '-A']);
    this.git(['commit', '-q', '-m', message]);
    return this.git(['rev-parse', 'HEAD']);
  }

  gitDir(): string {
    return this.git(['rev-parse', '--absolute-git-dir']);
  }

  /** Working tree plus this worktree's index. */
  fingerprint(extraIndexFiles: readonly string[] = []): ReturnType<typeof fingerprintTree> {
    return fingerprintTree(this.root, [join(this.gitDir(), 'index'), ...extraIndexFiles]);
  }

  /** Runs a `-z` git listing; names as displayPath() shows them. */
  names(args: string[]): string[] {
    return splitNul(this.gitBytes(args)).map(displayPath);
  }

  /** All file paths in a tree-ish. */
  treePaths(treeish: string): string[] {
    return this.names(['ls-tree', '-r', '-z', '--name-only', treeish]);
  }
}

export interface TempRepoOptions {
  /** Configure user.name/email in the repo. Default true. */
  identity?: boolean;
  /** Files for an initial commit; none means an unborn HEAD. */
  files?: Record<string, string>;
  /** Share HOME/env with another repo (submodules, clones). */
  env?: NodeJS.ProcessEnv;
}

export function makeTempRepo(options: TempRepoOptions = {}): TempRepo {
  const base = makeTempDir();
  const env = options.env ?? isolatedGitEnv(join(base, 'home'));
  mkdirSync(join(base, 'home'), { recursive: true });
  const root = join(base, 'repo');
  execFileSync('git', ['init', '-q', '-b', 'main', root], { env });
  const repo = new TempRepo(root, env);
  if (options.identity ?? true) {
    repo.git(['config', 'user.name', 'Test User']);
    repo.git(['config', 'user.email', 'test@example.com']);
  }
  if (options.files !== undefined) {
    for (const [relative, content] of Object.entries(options.files)) repo.write(relative, content);
    repo.commitAll('initial commit');
  }
  return repo;
}

/** main and feature both change conflict.txt; HEAD on the given branch (a merge of the other conflicts). */
export function divergedRepo(checkout: 'main' | 'feature', options: { env?: NodeJS.ProcessEnv } = {}): TempRepo {
  const repo = makeTempRepo({ ...options, files: { 'conflict.txt': 'base\n', 'other.txt': 'other\n' } });
  repo.git(['checkout', '-q', '-b', 'feature']);
  repo.write('conflict.txt', 'feature side\n');
  repo.commitAll('feature change');
  repo.git(['checkout', '-q', 'main']);
  repo.write('conflict.txt', 'main side\n');
  repo.commitAll('main change');
  repo.git(['checkout', '-q', checkout]);
  return repo;
}

/**
 * Takes a snapshot and asserts that the working tree and the index (plus any
 * other index files given) are byte- and time-identical afterwards.
 */
export async function snapshotUntouched(
  repo: TempRepo,
  options: SnapshotOptions = {},
  extraIndexFiles: readonly string[] = [],
): Promise<SnapshotResult> {
  const before = await repo.fingerprint(extraIndexFiles);
  const result = await takeGitSnapshot(repo.root, repo.runner, options);
  const after = await repo.fingerprint(extraIndexFiles);
  expect(after).toEqual(before);
  // No scratch index (or its lock) is left in the git dir.
  expect(readdirSync(repo.gitDir()).filter((name) => name.startsWith('breather-snapshot-'))).toEqual([]);
  return result;
}

/** Tree ids of a stash's three parts: worktree, index, untracked (null if absent). */
export function stashTrees(repo: TempRepo, stash: string): { worktree: string; index: string; untracked: string | null } {
  const parents = repo.git(['rev-list', '--parents', '-n', '1', stash]).split(' ');
  return {
    worktree: repo.git(['rev-parse', `${stash}^{tree}`]),
    index: repo.git(['rev-parse', `${stash}^2^{tree}`]),
    untracked: parents.length > 3 ? repo.git(['rev-parse', `${stash}^3^{tree}`]) : null,
  };
}

/** Runs native `git stash push -u` on a copy of the repository; returns its trees. */
export function nativeStashTreesOfCopy(repo: TempRepo): ReturnType<typeof stashTrees> {
  const copyRoot = join(makeTempDir('breather-native-'), 'repo');
  cpSync(repo.root, copyRoot, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
  const copy = new TempRepo(copyRoot, repo.env);
  copy.git(['stash', 'push', '-u', '-q']);
  return stashTrees(copy, 'stash@{0}');
}

/**
 * Restores a snapshot into a fresh clone (`git stash apply --index`) and
 * asserts it gives back the same files and the same staged set as the
 * original, leaving out ignored files and the given skipped paths.
 */
export async function expectRestoresInFreshClone(
  repo: TempRepo,
  stashSha: string,
  skippedPaths: readonly string[] = [],
): Promise<void> {
  const cloneRoot = join(makeTempDir('breather-clone-'), 'clone');
  repo.git(['clone', '-q', '--no-checkout', repo.root, cloneRoot]);
  const clone = new TempRepo(cloneRoot, repo.env);
  clone.git(['fetch', '-q', 'origin', stashSha]);
  clone.git(['checkout', '-q', '--detach', `${stashSha}^1`]);
  clone.git(['stash', 'apply', '-q', '--index', stashSha]);

  const ignored = repo
    .names(['ls-files', '-o', '-i', '--exclude-standard', '--directory', '-z'])
    .map((name) => name.replace(/\/$/, ''));
  const excluded = [...ignored, ...skippedPaths];
  expect(await treeContents(clone.root, excluded)).toEqual(await treeContents(repo.root, excluded));
  expect(clone.names(['ls-files', '-s', '-z'])).toEqual(repo.names(['ls-files', '-s', '-z']));
  expect(clone.git(['diff-index', '--cached', '-p', '--binary', 'HEAD'])).toBe(
    repo.git(['diff-index', '--cached', '-p', '--binary', 'HEAD']),
  );
}
