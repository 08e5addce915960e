// Edge cases of `breather checkpoint`, end to end: each has a clear outcome in
// the JSON result, in the text listing and in the resume prompt, and none of
// them touches a file. One checkpoint covers five repositories at once.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckpointProjectRecord, CheckpointRecord } from '../../src/core/checkpoint/checkpoint-store.js';
import { type CheckpointWorld, cli, cliJson, makeWorld, readText, restorableState, stashEntries, stateRestoredInFreshClone, worldRepo, writeSession } from '../support/checkpoint-world.js';
import { removeTempDirs, type TempRepo } from '../support/temp-repo.js';
import type { Fingerprint } from '../support/tree-fingerprint.js';

type Case = 'unborn' | 'clean' | 'merge' | 'dotenv' | 'big';
const CASES: Case[] = ['unborn', 'clean', 'merge', 'dotenv', 'big'];
const BIG_BYTES = 2 * 1024 * 1024;

let world: CheckpointWorld;
const repos = {} as Record<Case, TempRepo>;
const before = {} as Record<Case, Fingerprint>;
const after = {} as Record<Case, Fingerprint>;
let record: CheckpointRecord;
let textListing: string;

const project = (name: Case): CheckpointProjectRecord => {
  const found = record.projects.find((p) => p.projectDir === repos[name].root);
  expect(found, `no entry for ${name}`).toBeDefined();
  return found!;
};
const prompt = (name: Case): string => readText(project(name).promptPath);

beforeAll(async () => {
  world = makeWorld();
  // Unborn HEAD: files, even staged ones, but no commit.
  repos.unborn = worldRepo(world);
  repos.unborn.write('draft.txt', 'first draft\n');
  repos.unborn.git(['add', 'draft.txt']);
  // Nothing to stash.
  repos.clean = worldRepo(world, { 'a.txt': 'a\n' });
  // A merge in progress (no conflicts, not yet committed).
  repos.merge = worldRepo(world, { 'a.txt': 'a\n', 'b.txt': 'b\n' });
  repos.merge.git(['switch', '-q', '-c', 'topic']);
  repos.merge.write('b.txt', 'b from topic\n');
  repos.merge.commitAll('topic change');
  repos.merge.git(['switch', '-q', 'main']);
  repos.merge.write('a.txt', 'a on main\n');
  repos.merge.commitAll('main change');
  repos.merge.git(['merge', '-q', '--no-ff', '--no-commit', 'topic']);
  // An ignored .env next to a real change.
  repos.dotenv = worldRepo(world, { '.gitignore': '.env\n', 'app.js': 'console.log(1);\n' });
  repos.dotenv.write('.env', 'DATABASE_PASSWORD=hunter2-never-stash-me\n');
  repos.dotenv.write('app.js', 'console.log(2);\n');
  // An untracked file over the (1 MB) cap next to a small one.
  repos.big = worldRepo(world, { 'a.txt': 'a\n' });
  repos.big.write('data/big.bin', Buffer.alloc(BIG_BYTES, 7));
  repos.big.write('small.txt', 'small\n');

  for (const name of CASES) await writeSession(world, { cwd: repos[name].root, minutesAgo: 6, prompts: [`Work on the ${name} repository.`] });
  expect((await cli(world, ['config', 'set', 'checkpoint.untrackedSizeCapMB', '1'])).code).toBe(0);

  for (const name of CASES) before[name] = await repos[name].fingerprint();
  record = (await cliJson<{ checkpoint: CheckpointRecord }>(world, ['checkpoint', '--json', '--data-dir', world.claudeRoot])).checkpoint;
  for (const name of CASES) after[name] = await repos[name].fingerprint();
  textListing = (await cli(world, ['checkpoints'])).stdout;
});

afterAll(removeTempDirs);

describe('breather checkpoint edge cases', () => {
  it('checkpoints all five repositories and changes no file or index in any of them', () => {
    expect(record.projects.map((p) => p.projectDir).sort()).toEqual(CASES.map((name) => repos[name].root).sort());
    for (const name of CASES) expect(after[name], name).toEqual(before[name]);
  });

  it('unborn HEAD: refused, no stash, and the prompt says why', () => {
    expect(project('unborn')).toMatchObject({ status: 'refused', head: null, stashSha: null, privateRef: null });
    expect(project('unborn').refusal).toMatch(/unborn HEAD/);
    expect(stashEntries(repos.unborn)).toEqual([]);
    expect(prompt('unborn')).toMatch(/No stash was made: the snapshot was refused \(there is no commit yet \(unborn HEAD\)/);
    expect(prompt('unborn')).toContain('HEAD: unborn (no commits yet)');
    expect(prompt('unborn')).not.toContain('git stash apply');
    expect(textListing).toContain(`${repos.unborn.root}: no stash: there is no commit yet`);
  });

  it('nothing to stash: no stash entry, no private ref, and the prompt says so', () => {
    expect(project('clean')).toMatchObject({ status: 'nothing-to-stash', stashSha: null, privateRef: null, refusal: null, changedFiles: 0 });
    expect(stashEntries(repos.clean)).toEqual([]);
    expect(repos.clean.git(['for-each-ref', 'refs/breather'])).toBe('');
    expect(prompt('clean')).toContain('No stash was made: there was nothing to stash');
    expect(textListing).toContain(`${repos.clean.root}: nothing to stash`);
  });

  it('merge in progress: stashed, the merge noted as not captured, MERGE_HEAD left alone', async () => {
    const merge = project('merge');
    expect(merge.status).toBe('stashed');
    expect(merge.notCaptured.join('\n')).toMatch(/a merge is in progress \(MERGE_HEAD\); the stash does not record it/);
    expect(prompt('merge')).toMatch(/State not captured:\n\n- a merge is in progress \(MERGE\\_HEAD\)/);
    expect(textListing).toContain('not captured: a merge is in progress');
    expect(repos.merge.git(['rev-parse', '-q', '--verify', 'MERGE_HEAD'])).toBe(repos.merge.git(['rev-parse', 'topic']));
    expect(stashEntries(repos.merge).map((e) => e.sha)).toEqual([merge.stashSha]);
    // The files of the half-done merge (staged) still come back.
    expect(await stateRestoredInFreshClone(repos.merge, merge.privateRef!, merge.stashSha!)).toEqual(await restorableState(repos.merge));
  });

  it('ignored .env: never in the stash, mentioned in the result and the prompt, its content nowhere', () => {
    const dotenv = project('dotenv');
    expect(dotenv.status).toBe('stashed');
    const sha = dotenv.stashSha!;
    expect(repos.dotenv.git(['rev-list', '--parents', '-n', '1', sha]).split(' ')).toHaveLength(3); // no untracked-files commit
    for (const part of [sha, `${sha}^2`]) expect(repos.dotenv.treePaths(part)).not.toContain('.env');
    expect(repos.dotenv.treePaths(sha)).toContain('app.js');
    expect(dotenv.notCaptured).toContain('.env is ignored by git and was not saved (secrets never go into a checkpoint)');
    expect(prompt('dotenv')).toContain('.env is ignored by git and was not saved');
    expect(prompt('dotenv')).not.toContain('hunter2');
    expect(readText(join(world.breatherHome, 'checkpoints', 'index.json'))).not.toContain('hunter2');
  });

  it('untracked file over checkpoint.untrackedSizeCapMB: skipped and listed, the rest stashed', () => {
    const big = project('big');
    expect(big.status).toBe('stashed');
    expect(big.skippedFiles).toEqual([{ path: 'data/big.bin', reason: 'too-large', bytes: BIG_BYTES }]);
    const untracked = repos.big.treePaths(`${big.stashSha}^3`);
    expect(untracked).toEqual(['small.txt']);
    expect(prompt('big')).toContain(`Files skipped by the snapshot (1):\n\n- \`data/big.bin\` (too-large, ${BIG_BYTES} bytes)`);
    expect(textListing).toContain('skipped data/big.bin (too-large)');
  });

  it('`restore --project` of a repository whose checkpoint has no stash is refused with exit code 2', async () => {
    const result = await cli(world, ['restore', record.id, '--project', repos.clean.root]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`Checkpoint ${record.id} has no stash to restore for ${repos.clean.root}`);
    const unknown = await cli(world, ['restore', 'no-such-checkpoint']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No checkpoint "no-such-checkpoint"');
  });
});

describe('no Claude activity', () => {
  it('checkpoint and pause without --project exit with code 2, a clear message, and record nothing', async () => {
    const quiet = makeWorld();
    const repo = worldRepo(quiet, { 'a.txt': 'a\n' });
    repo.write('a.txt', 'changed\n');
    // Activity only long ago.
    await writeSession(quiet, { cwd: repo.root, minutesAgo: 120 });
    writeFileSync(join(quiet.claudeRoot, 'projects', 'empty.jsonl'), '');
    const fingerprint = await repo.fingerprint();

    const text = await cli(quiet, ['checkpoint', '--data-dir', quiet.claudeRoot]);
    expect(text.code).toBe(2);
    expect(text.stderr).toContain('breather: no project with recent Claude Code activity; pass --project DIR');
    expect(text.stdout).toBe('');

    const json = await cli(quiet, ['checkpoint', '--json', '--data-dir', quiet.claudeRoot]);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toEqual({ checkpoint: null, reason: 'no project with recent Claude Code activity; pass --project DIR' });

    const pause = await cli(quiet, ['pause', '--data-dir', quiet.claudeRoot]);
    expect(pause.code).toBe(2);
    expect(pause.stderr).toContain('no project with recent Claude Code activity');

    expect(await cliJson(quiet, ['checkpoints', '--json'])).toEqual({ checkpoints: [], paused: [], problems: [] });
    expect(stashEntries(repo)).toEqual([]);
    expect(await repo.fingerprint()).toEqual(fingerprint);
  });
});
