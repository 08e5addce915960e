// Issue #10 item 4: no checkpoint record is lost. Parallel writers are
// serialised, a damaged index is set aside (never overwritten), hand-edited
// entries are skipped and named, and `checkpoints --repair` rebuilds the index
// from the private refs in the repositories the prompts name.
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckpointRecord } from '../../src/core/checkpoint/checkpoint-store.js';
import { type CheckpointWorld, cli, cliJson, makeWorld, worldRepo } from '../support/checkpoint-world.js';
import { removeTempDirs, type TempRepo } from '../support/temp-repo.js';

let world: CheckpointWorld;
const indexPath = () => join(world.breatherHome, 'checkpoints', 'index.json');

function dirtyRepo(label: string): TempRepo {
  const repo = worldRepo(world, { 'a.txt': `${label}\n` });
  repo.write('a.txt', `${label} changed\n`);
  return repo;
}

async function checkpoint(repo: TempRepo): Promise<CheckpointRecord> {
  return (await cliJson<{ checkpoint: CheckpointRecord }>(world, ['checkpoint', '--project', repo.root, '--json', '--data-dir', world.claudeRoot])).checkpoint;
}

const listed = () => cliJson<{ checkpoints: CheckpointRecord[]; problems: string[] }>(world, ['checkpoints', '--json']);

beforeAll(() => {
  world = makeWorld();
});
afterAll(removeTempDirs);

describe('the checkpoint index', () => {
  it('keeps all 16 records of 16 parallel checkpoint runs', async () => {
    const repos = Array.from({ length: 16 }, (_, i) => dirtyRepo(`parallel ${i}`));
    const results = await Promise.all(repos.map((repo) => cli(world, ['checkpoint', '--project', repo.root, '--json', '--data-dir', world.claudeRoot])));
    for (const result of results) expect(result.code, result.stderr).toBe(0);
    const ids = results.map((r) => (JSON.parse(r.stdout) as { checkpoint: CheckpointRecord }).checkpoint.id);
    const { checkpoints, problems } = await listed();
    expect(problems).toEqual([]);
    expect(checkpoints.map((c) => c.id).sort()).toEqual([...ids].sort());
    expect(readdirSync(join(world.breatherHome, 'checkpoints')).filter((name) => name.endsWith('.lock'))).toEqual([]);
  }, 120_000);

  it('keeps prompts and the index private: folders 0700, files 0600', async () => {
    const record = await checkpoint(dirtyRepo('private'));
    const prompt = record.projects[0]!.promptPath;
    expect(statSync(prompt).mode & 0o777).toBe(0o600);
    expect(statSync(join(prompt, '..')).mode & 0o777).toBe(0o700);
    expect(statSync(join(world.breatherHome, 'checkpoints')).mode & 0o777).toBe(0o700);
    expect(statSync(indexPath()).mode & 0o777).toBe(0o600);
  });

  it('skips and names hand-edited entries; checkpoints, restore and resume keep working', async () => {
    const good = await checkpoint(dirtyRepo('good'));
    const saved = JSON.parse(readFileSync(indexPath(), 'utf8')) as { checkpoints: unknown[] };
    writeFileSync(indexPath(), JSON.stringify({ version: 1, checkpoints: [null, { id: 'x' }, ...saved.checkpoints] }));

    const { checkpoints, problems } = await listed();
    expect(checkpoints.map((c) => c.id)).toContain(good.id);
    expect(problems).toHaveLength(2);
    expect(problems[1]).toContain('("x")');
    const text = await cli(world, ['checkpoints']);
    expect(text.code).toBe(0);
    expect(text.stderr).toContain('entry 1 of the checkpoint index is not a valid checkpoint');

    for (const args of [['restore', 'x'], ['restore', good.id], ['resume', '--json']]) {
      const result = await cli(world, args);
      expect(result.stderr).not.toMatch(/TypeError|\n\s+at /);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(args[1] === 'x' ? 2 : 0);
    }
    // A new record is appended; the entries it cannot read stay as they were.
    const next = await checkpoint(dirtyRepo('after edit'));
    const raw = JSON.parse(readFileSync(indexPath(), 'utf8')) as { checkpoints: unknown[] };
    expect(raw.checkpoints.slice(0, 2)).toEqual([null, { id: 'x' }]);
    expect((raw.checkpoints.at(-1) as CheckpointRecord).id).toBe(next.id);
  });

  it('sets a damaged index aside as index.json.corrupt-<time>, says so, and starts a new one', async () => {
    writeFileSync(indexPath(), '{"version":1,"checkpoints":[{"id":');
    const listing = await cli(world, ['checkpoints', '--json']);
    expect(listing.code).toBe(0);
    expect((JSON.parse(listing.stdout) as { problems: string[] }).problems[0]).toContain('is not valid JSON');
    expect(readFileSync(indexPath(), 'utf8')).toBe('{"version":1,"checkpoints":[{"id":'); // reading never overwrites

    const repo = dirtyRepo('after damage');
    const result = await cli(world, ['checkpoint', '--project', repo.root, '--json', '--data-dir', world.claudeRoot]);
    expect(result.code, result.stderr).toBe(0);
    const backups = readdirSync(join(world.breatherHome, 'checkpoints')).filter((name) => name.startsWith('index.json.corrupt-'));
    expect(backups).toHaveLength(1);
    expect(readFileSync(join(world.breatherHome, 'checkpoints', backups[0]!), 'utf8')).toBe('{"version":1,"checkpoints":[{"id":');
    expect(result.stderr).toContain(backups[0]);
    expect((JSON.parse(result.stdout) as { notices: string[] }).notices[0]).toContain(backups[0]);
    expect((await listed()).checkpoints).toHaveLength(1);
  });

  it('checkpoints --repair rebuilds lost records from the private refs', async () => {
    const before = (await listed()).checkpoints;
    const repo = dirtyRepo('repair');
    const lost = await checkpoint(repo);
    rmSync(indexPath());
    expect((await listed()).checkpoints).toEqual([]);

    const report = await cliJson<{ rebuilt: string[]; repositories: string[] }>(world, ['checkpoints', '--repair', '--json']);
    expect(report.repositories).toContain(repo.root);
    expect(report.rebuilt).toContain(lost.id);
    const rebuilt = (await listed()).checkpoints.find((c) => c.id === lost.id)!;
    const [original, again] = [lost.projects[0]!, rebuilt.projects[0]!];
    expect({ ...again, notCaptured: [] }).toMatchObject({ projectDir: original.projectDir, stashSha: original.stashSha, privateRef: original.privateRef, head: original.head, branch: original.branch, promptPath: original.promptPath, status: 'stashed' });
    expect(rebuilt.createdAt).toBe(lost.createdAt);
    // Every earlier checkpoint whose prompt names its repository comes back too.
    const rebuiltIds = new Set((await listed()).checkpoints.map((c) => c.id));
    for (const record of before) if (existsSync(record.projects[0]!.promptPath)) expect(rebuiltIds.has(record.id), record.id).toBe(true);
    // The restore of a rebuilt record works.
    repo.git(['checkout', '--', 'a.txt']);
    const restored = await cli(world, ['restore', lost.id, '--apply']);
    expect(restored.code, restored.stderr).toBe(0);
    expect(readFileSync(repo.path('a.txt'), 'utf8')).toBe('repair changed\n');
  });
});
