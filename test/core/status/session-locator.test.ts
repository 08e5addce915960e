// Which sessions belong to a project (`--project`), whatever their age: cwd
// mapped to the repository's top level, a linked worktree apart, newest first,
// cut to the last working stretch. Real transcripts, real repositories.
import { appendFileSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createExecGitRunner } from '../../../src/core/checkpoint/exec-git-runner.js';
import { gitTopLevel } from '../../../src/core/checkpoint/checkpoint-service.js';
import { SessionLocator } from '../../../src/core/status/session-locator.js';
import { readNewestRecord } from '../../../src/core/status/session-activity.js';
import { linkedWorktree, makeWorld, worldRepo } from '../../support/checkpoint-world.js';
import { removeTempDirs } from '../../support/temp-repo.js';
import { TranscriptBuilder } from '../../support/transcript-builder.js';

afterAll(removeTempDirs);

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function session(root: string, cwd: string, lastMs: number, extra?: (b: TranscriptBuilder) => void): Promise<{ id: string; path: string }> {
  const builder = new TranscriptBuilder({ cwd, start: new Date(lastMs - 10 * 60_000).toISOString() });
  builder.prompt('Work on it');
  builder.say('Working.');
  extra?.(builder);
  builder.at(lastMs).prompt('continue');
  const path = join(root, 'projects', cwd.replace(/[^A-Za-z0-9]/g, '-'), `${builder.sessionId}.jsonl`);
  await builder.writeTo(path);
  return { id: builder.sessionId, path };
}

describe('SessionLocator.forProject', () => {
  it('finds the project sessions of the last working stretch, newest first, without the worktree or other repos', async () => {
    const world = makeWorld();
    const repo = worldRepo(world, { 'a.txt': 'a\n' });
    const worktree = linkedWorktree(repo, 'side');
    const other = worldRepo(world, { 'b.txt': 'b\n' });
    mkdirSync(join(repo.root, 'src'));
    const now = Date.now() - 3 * DAY;
    const newest = await session(world.claudeRoot, repo.root, now);
    const sub = await session(world.claudeRoot, join(repo.root, 'src'), now - 4 * HOUR);
    const stale = await session(world.claudeRoot, repo.root, now - 6 * HOUR);
    const inWorktree = await session(world.claudeRoot, worktree.root, now + HOUR);
    const inOther = await session(world.claudeRoot, other.root, now + HOUR);
    const all = [newest, sub, stale, inWorktree, inOther].map((s) => s.path);
    const locator = new SessionLocator({
      transcriptFiles: () => all.map((path) => ({ path, size: statSync(path).size, mtimeMs: statSync(path).mtimeMs })),
      buckets: () => [],
      sessionFiles: () => [],
    });
    const git = createExecGitRunner();
    const found = await locator.forProject(join(repo.root, 'src'), (dir) => gitTopLevel(git, dir), { stretchMs: 5 * HOUR });
    expect(found.map((s) => s.sessionId)).toEqual([newest.id, sub.id]);
    expect(found[0]!.lastActivity).toBe(new Date(now).toISOString());
    const wider = await locator.forProject(repo.root, (dir) => gitTopLevel(git, dir), { stretchMs: 7 * HOUR });
    expect(wider.map((s) => s.sessionId)).toEqual([newest.id, sub.id, stale.id]);
    expect(locator.filesOf(newest.id)).toEqual([newest.path]);
  });
});

describe('readNewestRecord', () => {
  it('takes the newest record of any kind, past a huge last line, and skips an unfinished one', async () => {
    const world = makeWorld();
    const at = Date.parse('2026-11-29T10:00:00.000Z');
    const s = await session(world.claudeRoot, '/work/x', at - 1000);
    // The newest record is a tool result holding a big file: bigger than the first tail read.
    const big = new TranscriptBuilder({ cwd: '/work/x', sessionId: s.id, start: new Date(at).toISOString() });
    big.toolResult('toolu_1', 'x'.repeat(300_000));
    appendFileSync(s.path, big.toJsonl());
    appendFileSync(s.path, '{"type":"user","timestamp":"2026-11-29T11:00:0');
    const newest = await readNewestRecord(s.path, statSync(s.path).size);
    expect(newest).toMatchObject({ sessionId: s.id, cwd: '/work/x', lastMs: at });
  });
});
