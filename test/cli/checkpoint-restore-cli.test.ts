// `breather restore <id>`: prints the restore commands; `--apply` runs them,
// but only on a clean tree. The repository's work mixes a staged change with a
// further unstaged one, a staged new file, a deletion, a mode change, an
// untracked file in a new folder and an ignored file.
import { chmodSync, existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckpointProjectRecord, CheckpointRecord } from '../../src/core/checkpoint/checkpoint-store.js';
import { type CheckpointWorld, cli, cliJson, makeWorld, restorableState, stashEntries, worldRepo, writeSession } from '../support/checkpoint-world.js';
import { removeTempDirs, type TempRepo } from '../support/temp-repo.js';

let world: CheckpointWorld;
let repo: TempRepo;
let other: TempRepo;
let record: CheckpointRecord;
let project: CheckpointProjectRecord;
let original: Awaited<ReturnType<typeof restorableState>>;
let headSha: string;

beforeAll(async () => {
  world = makeWorld();
  repo = worldRepo(world, { '.gitignore': '*.log\n', 'a.txt': 'a1\n', 'gone.txt': 'bye\n', 'run.sh': 'echo hi\n', 'lib/keep.txt': 'keep\n' });
  headSha = repo.git(['rev-parse', 'HEAD']);
  repo.write('a.txt', 'a2 staged\n');
  repo.git(['add', 'a.txt']);
  repo.write('a.txt', 'a3 unstaged on top\n');
  repo.write('added.txt', 'new and staged\n');
  repo.git(['add', 'added.txt']);
  repo.git(['rm', '-q', 'gone.txt']);
  chmodSync(repo.path('run.sh'), 0o755);
  repo.write('docs/new/idea.md', '# untracked idea\n');
  repo.write('debug.log', 'ignored\n');
  // A second project in the same checkpoint, listed after the first (older activity), left dirty throughout.
  other = worldRepo(world, { 'o.txt': 'o\n' });
  other.write('o.txt', 'o changed\n');
  await writeSession(world, { cwd: other.root, minutesAgo: 10, prompts: ['Other work.'] });
  await writeSession(world, { cwd: repo.root, minutesAgo: 3, prompts: ['Restore me later.'] });

  original = await restorableState(repo);
  record = (await cliJson<{ checkpoint: CheckpointRecord }>(world, ['checkpoint', '--json', '--data-dir', world.claudeRoot])).checkpoint;
  expect(record.projects.map((p) => [p.projectDir, p.status])).toEqual([[repo.root, 'stashed'], [other.root, 'stashed']]);
  project = record.projects[0]!;
});

afterAll(removeTempDirs);

describe('breather restore', () => {
  it('prints the restore commands (text and JSON) and changes nothing', async () => {
    const fingerprint = await repo.fingerprint();
    const text = await cli(world, ['restore', record.id]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`To restore ${repo.root}, run:\n  cd ${repo.root}\n  git switch main\n  git stash apply --index ${project.stashSha}\n`);
    expect(text.stdout).toContain(`To restore ${other.root}, run:\n`);
    // An unambiguous id prefix works too.
    const json = await cliJson<{ checkpoint: string; projects: { projectDir: string; commands: string[]; applied: boolean }[] }>(world, ['restore', record.id.slice(0, 19), '--json', '--project', repo.root]);
    expect(json).toEqual({
      checkpoint: record.id,
      projects: [{ projectDir: repo.root, commands: [`cd ${repo.root}`, 'git switch main', `git stash apply --index ${project.stashSha}`], applied: false }],
    });
    expect(await repo.fingerprint()).toEqual(fingerprint);
  });

  it('--apply refuses a dirty tree with exit code 2 and changes nothing', async () => {
    const fingerprint = await repo.fingerprint();
    const stashes = stashEntries(repo);
    const result = await cli(world, ['restore', record.id, '--apply', '--project', repo.root]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`Refusing to restore into ${repo.root}: the working tree has changes.`);
    expect(result.stderr).toContain(`git stash apply --index ${project.stashSha}`);
    expect(result.stdout).toBe('');
    expect(await repo.fingerprint()).toEqual(fingerprint);
    expect(stashEntries(repo)).toEqual(stashes);
  });

  it('--apply on a clean checkout of the original HEAD restores the exact files and staged set', async () => {
    // Throw the work away (the checkpoint is the only copy now) and wander off to another branch.
    repo.git(['reset', '-q', '--hard', 'HEAD']);
    repo.git(['clean', '-q', '-fd']);
    repo.git(['switch', '-q', '-c', 'elsewhere']);
    expect(existsSync(repo.path('docs/new/idea.md'))).toBe(false);
    expect(repo.names(['ls-files', '-s', '-z'])).not.toEqual(original.staged);

    // Every project must be clean before any is touched: the dirty second project blocks the whole restore.
    const cleanFingerprint = await repo.fingerprint();
    const blocked = await cli(world, ['restore', record.id, '--apply']);
    expect(blocked.code).toBe(2);
    expect(blocked.stderr).toContain(`Refusing to restore into ${other.root}`);
    expect(await repo.fingerprint()).toEqual(cleanFingerprint);
    expect(repo.git(['symbolic-ref', '--short', 'HEAD'])).toBe('elsewhere');

    // `--project .` from a subdirectory names the project as a user would.
    const result = await cli(world, ['restore', record.id, '--apply', '--project', '.'], { cwd: repo.path('lib') });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Restored ${repo.root} with:`);
    expect(repo.git(['symbolic-ref', '--short', 'HEAD'])).toBe('main');
    expect(repo.git(['rev-parse', 'HEAD'])).toBe(headSha);
    expect(await restorableState(repo)).toEqual(original);
    // The unstaged layer (a.txt's second edit, run.sh's mode) is back as unstaged.
    expect(repo.git(['diff', '--name-only'])).toBe('a.txt\nrun.sh');
    expect(repo.git(['diff', '--cached', '--name-status'])).toBe('M\ta.txt\nA\tadded.txt\nD\tgone.txt');
  });
});
