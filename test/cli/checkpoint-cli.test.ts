// `breather checkpoint` end to end: the built CLI, real repositories, real
// transcripts. One shared world: a repository with two sessions (one started in
// a subdirectory), a linked worktree of it, a plain directory, and a repository
// whose only session is too old to count.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckpointProjectRecord, CheckpointRecord } from '../../src/core/checkpoint/checkpoint-store.js';
import {
  type CheckpointWorld,
  cli,
  cliJson,
  fakeAnthropicKey,
  linkedWorktree,
  makeWorld,
  readText,
  restorableState,
  stashEntries,
  stateRestoredInFreshClone,
  worldRepo,
  writeSession,
} from '../support/checkpoint-world.js';
import { makeTempDir, removeTempDirs, type TempRepo } from '../support/temp-repo.js';
import { type Fingerprint, fingerprintTree } from '../support/tree-fingerprint.js';

let world: CheckpointWorld;
let repo: TempRepo;
let worktree: TempRepo;
let plainDir: string;
let oldRepo: TempRepo;
const sessions: Record<'main' | 'sub' | 'wt' | 'plain' | 'old', string> = { main: '', sub: '', wt: '', plain: '', old: '' };
const secret = fakeAnthropicKey();
const originalRequest = `Add input validation to the signup form. My key for the staging API is ${secret}, use it for the smoke test.`;
type Fingerprints = Record<'repo' | 'worktree' | 'plain' | 'old', Fingerprint>;
let before: Fingerprints;
let after: Fingerprints;
let record: CheckpointRecord;

const fingerprints = async (): Promise<Fingerprints> => ({
  repo: await repo.fingerprint(),
  worktree: await worktree.fingerprint(),
  plain: await fingerprintTree(plainDir),
  old: await oldRepo.fingerprint(),
});

const projectFor = (dir: string): CheckpointProjectRecord => {
  const project = record.projects.find((p) => p.projectDir === dir);
  expect(project, `no checkpoint entry for ${dir}`).toBeDefined();
  return project!;
};

beforeAll(async () => {
  world = makeWorld();
  repo = worldRepo(world, { 'README.md': '# app\n', 'src/form.ts': 'export const form = 1;\n', 'src/util.ts': 'export const util = 1;\n', '.gitignore': '.env\n' });
  worktree = linkedWorktree(repo, 'feature');
  // Main repository: a staged change, a further unstaged change, an untracked file, an ignored secret.
  repo.write('src/form.ts', 'export const form = 2;\n');
  repo.git(['add', 'src/form.ts']);
  repo.write('src/form.ts', 'export const form = 3; // unstaged\n');
  repo.write('src/validate.ts', 'export const validate = () => true;\n');
  repo.write('.env', 'API_TOKEN=do-not-copy\n');
  // Worktree: its own changes on its own branch.
  worktree.write('README.md', '# app (feature)\n');
  worktree.write('notes/todo.md', '- wire the feature flag\n');
  worktree.git(['add', 'notes/todo.md']);
  plainDir = join(makeTempDir('breather-cp-plain-'), 'scratch');
  mkdirSync(plainDir, { recursive: true });
  writeFileSync(join(plainDir, 'notes.txt'), 'not a repository\n');
  oldRepo = worldRepo(world, { 'a.txt': 'a\n' });
  oldRepo.write('a.txt', 'changed long ago\n');

  sessions.main = await writeSession(world, { cwd: repo.root, minutesAgo: 12, prompts: [originalRequest, 'Also cover the email field.'] });
  sessions.sub = await writeSession(world, { cwd: repo.path('src'), minutesAgo: 8, prompts: ['Refactor src/util.ts.'] });
  sessions.wt = await writeSession(world, { cwd: worktree.root, minutesAgo: 5, prompts: ['Implement the feature flag.'] });
  sessions.plain = await writeSession(world, { cwd: plainDir, minutesAgo: 3, prompts: ['Draft the release notes.'] });
  sessions.old = await writeSession(world, { cwd: oldRepo.root, minutesAgo: 45, prompts: ['An hour-old task.'] });

  before = await fingerprints();
  record = (await cliJson<{ checkpoint: CheckpointRecord }>(world, ['checkpoint', '--json', '--data-dir', world.claudeRoot])).checkpoint;
  after = await fingerprints();
});

afterAll(removeTempDirs);

describe('breather checkpoint (every recently active project)', () => {
  it('makes one entry per git top level: sessions grouped, the worktree separate, the plain directory included, the old session left out', () => {
    expect(record.trigger).toBe('manual');
    expect(record.paused).toBe(false);
    expect(record.projects.map((p) => p.projectDir).sort()).toEqual([repo.root, worktree.root, plainDir].sort());

    const main = projectFor(repo.root);
    expect(main).toMatchObject({ repoRoot: repo.root, isGitRepo: true, branch: 'main', status: 'stashed', head: repo.git(['rev-parse', 'HEAD']) });
    expect([...main.sessionIds].sort()).toEqual([sessions.main, sessions.sub].sort());
    expect(main.changedFiles).toBe(2); // src/form.ts, src/validate.ts (.env is ignored)

    const wt = projectFor(worktree.root);
    expect(wt).toMatchObject({ repoRoot: worktree.root, isGitRepo: true, branch: 'feature', status: 'stashed', sessionIds: [sessions.wt] });
    expect(wt.stashSha).not.toBe(main.stashSha);

    expect(projectFor(plainDir)).toMatchObject({ isGitRepo: false, repoRoot: null, status: 'not-a-repo', stashSha: null, privateRef: null, sessionIds: [sessions.plain] });
    expect(record.projects.flatMap((p) => p.sessionIds)).not.toContain(sessions.old);
  });

  it('leaves every working tree and index byte- and time-identical', () => {
    expect(after.repo).toEqual(before.repo);
    expect(after.worktree).toEqual(before.worktree);
    expect(after.plain).toEqual(before.plain);
    expect(after.old).toEqual(before.old);
    expect(Object.keys(before.repo)).toContain(`[index] ${join(repo.gitDir(), 'index')}`);
    // The inactive repository got no stash and no private ref.
    expect(stashEntries(oldRepo)).toEqual([]);
    expect(oldRepo.git(['for-each-ref', 'refs/breather'])).toBe('');
  });

  it('adds a real `git stash list` entry per repository and a private ref pointing at it', () => {
    const plainList = repo.git(['stash', 'list']);
    const entries = stashEntries(repo); // the worktree shares the stash list with its main repository
    for (const [dir, branch, parentCount] of [[repo.root, 'main', 3], [worktree.root, 'feature', 2]] as const) {
      const project = projectFor(dir);
      const sha = project.stashSha!;
      expect(sha).toMatch(/^[0-9a-f]{40}$/);
      const subject = `On ${branch}: breather checkpoint ${record.createdAt}`;
      expect(entries.find((e) => e.sha === sha)?.subject).toMatch(new RegExp(`^${subject.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`));
      expect(plainList).toContain(subject);
      expect(project.privateRef).toMatch(new RegExp(`^refs/breather/checkpoints/${record.id}(-\\d+)?$`));
      expect(repo.git(['rev-parse', '--verify', project.privateRef!])).toBe(sha);
      // Same shape as `git stash push -u`: HEAD, the index commit, and the untracked-files commit if any.
      const parents = repo.git(['rev-list', '--parents', '-n', '1', sha]).split(' ').slice(1);
      expect(parents[0]).toBe(project.head);
      expect(parents).toHaveLength(parentCount);
    }
  });

  it('restores the exact files and staged set in a fresh clone (private ref fetched, `git stash apply --index`)', async () => {
    for (const target of [repo, worktree]) {
      const project = projectFor(target.root);
      const restored = await stateRestoredInFreshClone(repo, project.privateRef!, project.stashSha!);
      expect(restored).toEqual(await restorableState(target));
    }
    // The ignored secret never entered the stash.
    const main = projectFor(repo.root);
    for (const part of [main.stashSha!, `${main.stashSha}^2`, `${main.stashSha}^3`]) expect(repo.treePaths(part)).not.toContain('.env');
  });

  it('writes each resume prompt under BREATHER_HOME/checkpoints/<project>/<timestamp>.md, not into the repository', () => {
    const stamp = `${record.createdAt.replace(/[:.]/g, '-')}.md`;
    const checkpointsDir = join(world.breatherHome, 'checkpoints');
    for (const project of record.projects) {
      expect(project.promptPath.startsWith(`${checkpointsDir}/`)).toBe(true);
      expect(project.promptPath.endsWith(`/${stamp}`)).toBe(true);
      expect(existsSync(project.promptPath)).toBe(true);
      // Atomic write: nothing but the prompt is left in its folder.
      expect(readdirSync(join(project.promptPath, '..'))).toEqual([stamp]);
    }
    expect(new Set(record.projects.map((p) => join(p.promptPath, '..'))).size).toBe(3);
    expect(readdirSync(checkpointsDir).filter((name) => name.includes('.'))).toEqual(['index.json']);
    expect(existsSync(repo.path('.breather'))).toBe(false);
    expect(existsSync(worktree.path('.breather'))).toBe(false);
  });

  it('puts the restore command, the resume commands and the redacted original request in the prompt', () => {
    const main = projectFor(repo.root);
    const prompt = readText(main.promptPath);
    expect(prompt).toContain(`git stash apply --index ${main.stashSha}`);
    expect(prompt).toContain(`cd ${repo.root}\ngit switch main\n`);
    expect(prompt).toContain(`claude --resume ${sessions.main}`);
    expect(prompt).toContain(`claude --resume ${sessions.sub}`);
    expect(prompt).not.toContain(sessions.wt);
    expect(prompt).toContain('Add input validation to the signup form.');
    expect(prompt).toContain('[REDACTED:anthropic-api-key]');
    expect(prompt).not.toContain(secret);
    expect(prompt).not.toContain(secret.slice(0, 24));
    expect(prompt).not.toContain('do-not-copy');
    expect(prompt).toContain(main.privateRef!);

    const wtPrompt = readText(projectFor(worktree.root).promptPath);
    expect(wtPrompt).toContain(`git stash apply --index ${projectFor(worktree.root).stashSha}`);
    expect(wtPrompt).toContain(`claude --resume ${sessions.wt}`);
    expect(wtPrompt).toContain('Implement the feature flag.');

    const plainPrompt = readText(projectFor(plainDir).promptPath);
    expect(plainPrompt).toMatch(/No stash was made: `[^`]+` is not a git repository/);
    expect(plainPrompt).not.toContain('git stash apply');
    expect(plainPrompt).toContain(`claude --resume ${sessions.plain}`);
  });

  it('lists the checkpoint in the index (`breather checkpoints --json`)', async () => {
    const listed = await cliJson<{ checkpoints: CheckpointRecord[]; paused: unknown[] }>(world, ['checkpoints', '--json']);
    const entry = listed.checkpoints.find((c) => c.id === record.id);
    expect(entry).toEqual(record);
    expect(listed.paused).toEqual([]);
    const text = await cli(world, ['checkpoints']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(record.id);
    expect(text.stdout).toContain(`stash ${projectFor(repo.root).stashSha!.slice(0, 12)}`);
  });

  it('with --project (a subdirectory, relative to the cwd) checkpoints only that project, mapped to its top level', async () => {
    const fingerprintBefore = await repo.fingerprint();
    const only = (await cliJson<{ checkpoint: CheckpointRecord }>(world, ['checkpoint', '--project', 'src', '--json', '--data-dir', world.claudeRoot], { cwd: repo.root })).checkpoint;
    expect(await repo.fingerprint()).toEqual(fingerprintBefore);
    expect(only.projects).toHaveLength(1);
    expect(only.projects[0]).toMatchObject({ projectDir: repo.root, status: 'stashed', branch: 'main' });
    expect([...only.projects[0]!.sessionIds].sort()).toEqual([sessions.main, sessions.sub].sort());
    // Same content as before, so the same trees; a new stash entry and its own private ref.
    expect(repo.git(['rev-parse', `${only.projects[0]!.stashSha}^{tree}`])).toBe(repo.git(['rev-parse', `${projectFor(repo.root).stashSha}^{tree}`]));
    expect(repo.git(['rev-parse', only.projects[0]!.privateRef!])).toBe(only.projects[0]!.stashSha);
    expect(stashEntries(repo).map((e) => e.sha)).toContain(only.projects[0]!.stashSha);
  });
});
