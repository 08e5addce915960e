// A sandbox for end-to-end checkpoint tests through the built CLI: an isolated
// git HOME, a Breather state dir, a Claude data root with recent transcripts,
// and real repositories. The CLI process gets the same git isolation as the
// repositories (no system config, HOME in the sandbox, no inherited GIT_*).
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { CLI, type CliResult } from './run-cli.js';
import { isolatedGitEnv, makeTempDir, makeTempRepo, TempRepo } from './temp-repo.js';
import { TranscriptBuilder } from './transcript-builder.js';
import { treeContents } from './tree-fingerprint.js';

export interface CheckpointWorld {
  base: string;
  /** Breather's state dir (BREATHER_HOME). */
  breatherHome: string;
  /** The Claude data root passed with --data-dir. */
  claudeRoot: string;
  /** Git environment shared by the repositories and the CLI. */
  gitEnv: NodeJS.ProcessEnv;
  /** Environment for the CLI process. */
  cliEnv: Record<string, string | undefined>;
}

export function makeWorld(): CheckpointWorld {
  const base = makeTempDir('breather-cp-world-');
  const home = join(base, 'home');
  const breatherHome = join(base, 'breather-state');
  const claudeRoot = join(base, 'claude');
  for (const dir of [home, breatherHome, join(claudeRoot, 'projects')]) mkdirSync(dir, { recursive: true });
  const gitEnv = isolatedGitEnv(home);
  const cliEnv: Record<string, string | undefined> = {};
  // runCli starts from process.env: blank out any GIT_* (e.g. from a git hook) so
  // the CLI sees exactly the isolated environment.
  for (const name of Object.keys(process.env)) if (name.startsWith('GIT_') || name === 'EMAIL') cliEnv[name] = undefined;
  Object.assign(cliEnv, gitEnv, { BREATHER_HOME: breatherHome, CLAUDE_CONFIG_DIR: '' });
  return { base, breatherHome, claudeRoot, gitEnv, cliEnv };
}

/** A repository in the world (shared HOME), with identity; files make an initial commit. */
export function worldRepo(world: CheckpointWorld, files?: Record<string, string>): TempRepo {
  return makeTempRepo({ env: world.gitEnv, ...(files ? { files } : {}) });
}

/** A linked worktree of repo on a new branch, at path (or a fresh temp dir). */
export function linkedWorktree(repo: TempRepo, branch: string, path = join(makeTempDir('breather-wt-'), 'wt')): TempRepo {
  repo.git(['worktree', 'add', '-q', '-b', branch, path]);
  return new TempRepo(path, repo.env);
}

export interface SessionSpec {
  cwd: string;
  /** How long ago the session's first record was written. */
  minutesAgo: number;
  prompts?: string[];
  /** Extra records (tool calls…) after the prompts. */
  build?: (builder: TranscriptBuilder) => void;
}

/** Writes `<root>/projects/<encoded cwd>/<sessionId>.jsonl` with recent, usage-bearing records. */
export async function writeSession(world: CheckpointWorld, spec: SessionSpec): Promise<string> {
  const builder = new TranscriptBuilder({ cwd: spec.cwd, start: new Date(Date.now() - spec.minutesAgo * 60_000).toISOString() });
  for (const prompt of spec.prompts ?? ['Keep going with the task.']) {
    builder.prompt(prompt);
    builder.say(`Working on: ${prompt.slice(0, 40)}`);
  }
  spec.build?.(builder);
  await builder.writeTo(join(world.claudeRoot, 'projects', spec.cwd.replace(/[^A-Za-z0-9]/g, '-'), `${builder.sessionId}.jsonl`));
  return builder.sessionId;
}

/** Runs the built CLI with the world's environment, from cwd (default: the world's base). */
export function cli(world: CheckpointWorld, args: string[], options: { cwd?: string } = {}): Promise<CliResult> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { cwd: options.cwd ?? world.base, env: { ...process.env, ...world.cliEnv } as NodeJS.ProcessEnv, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** Runs the CLI and parses its JSON stdout, asserting the exit code. */
export async function cliJson<T = any>(world: CheckpointWorld, args: string[], options: { cwd?: string; code?: number } = {}): Promise<T> {
  const result = await cli(world, args, options);
  expect(result.code, `breather ${args.join(' ')}\n${result.stderr}`).toBe(options.code ?? 0);
  return JSON.parse(result.stdout) as T;
}

/** What a restore must give back: files (ignored ones and skipped paths excluded), staged set, staged diff. */
export async function restorableState(repo: TempRepo, skippedPaths: readonly string[] = []): Promise<{ files: Record<string, string>; staged: string[]; stagedDiff: string }> {
  const ignored = repo.names(['ls-files', '-o', '-i', '--exclude-standard', '--directory', '-z']).map((name) => name.replace(/\/$/, ''));
  return {
    files: await treeContents(repo.root, [...ignored, ...skippedPaths]),
    staged: repo.names(['ls-files', '-s', '-z']),
    stagedDiff: repo.git(['diff-index', '--cached', '-p', '--binary', 'HEAD']),
  };
}

/**
 * Clones `origin` afresh, fetches the checkpoint's private ref, checks it names
 * stashSha, applies the stash with --index on its base commit and returns the
 * clone's state (compare it with restorableState of the original).
 */
export async function stateRestoredInFreshClone(
  origin: TempRepo,
  privateRef: string,
  stashSha: string,
  excluded: readonly string[] = [],
): Promise<Awaited<ReturnType<typeof restorableState>>> {
  const cloneRoot = join(makeTempDir('breather-cp-clone-'), 'clone');
  origin.git(['clone', '-q', '--no-checkout', origin.root, cloneRoot]);
  const clone = new TempRepo(cloneRoot, origin.env);
  clone.git(['fetch', '-q', 'origin', `+${privateRef}:${privateRef}`]);
  expect(clone.git(['rev-parse', privateRef])).toBe(stashSha);
  clone.git(['checkout', '-q', '--detach', `${privateRef}^1`]);
  clone.git(['stash', 'apply', '-q', '--index', stashSha]);
  return restorableState(clone, excluded);
}

/** `<sha> <reflog subject>` for each stash entry. */
export function stashEntries(repo: TempRepo): { sha: string; subject: string }[] {
  const out = repo.git(['stash', 'list', '--format=%H%x09%gs']);
  return out === '' ? [] : out.split('\n').map((line) => ({ sha: line.split('\t')[0]!, subject: line.split('\t').slice(1).join('\t') }));
}

export function readText(path: string): string {
  return readFileSync(path, 'utf8');
}

/** A fake Anthropic key, built at run time so no key-shaped literal sits in the source. */
export function fakeAnthropicKey(): string {
  return ['sk', 'ant', 'api03'].join('-') + '-' + 'Zx9'.repeat(12) + 'Qq_Ww-Ee';
}
