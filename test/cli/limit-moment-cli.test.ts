// The moment of the limit, end to end through the built CLI: one repository
// with uncommitted changes, one session that worked 45 minutes, a pause, then
// "continue" answered by a limit message. Two minutes later `status` must say
// the window is used up, and a plain `checkpoint` must find the project and
// carry the session's work into the resume prompt. Also live, through `watch`.
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CliProcess } from '../support/run-cli.js';
import { type CheckpointWorld, cli, cliJson, makeWorld, worldRepo } from '../support/checkpoint-world.js';
import { removeTempDirs, type TempRepo } from '../support/temp-repo.js';
import { TranscriptBuilder } from '../support/transcript-builder.js';
import { upcomingReset } from '../support/limit-reset.js';

afterAll(removeTempDirs);

const MINUTE = 60_000;
const FIRST_REQUEST = 'Add a CSV export button to the monthly report page';
const LAST_PROMPT = 'continue';
const PENDING = ['Write tests for the CSV export', 'Document the export in the README'];
const CHANGED_FILE = 'src/report.ts';

/** A reset time 30 to 90 minutes ahead, as Claude Code prints it ("10pm"), and the instant it means (UTC). */

interface Scenario {
  world: CheckpointWorld;
  repo: TempRepo;
  builder: TranscriptBuilder;
  file: string;
  reset: { phrase: string; iso: string };
}

/**
 * Writes the session: 45 minutes of work (edits, a todo list with open items)
 * ending `gapMinutes` before the user's "continue"; with `withLimit`, the
 * prompt and the limit reply land two minutes ago.
 */
function scenario(gapMinutes: number, withLimit: boolean): Scenario {
  const world = makeWorld();
  const repo = worldRepo(world, { 'README.md': '# reports\n', [CHANGED_FILE]: 'export const report = 1;\n' });
  repo.write(CHANGED_FILE, 'export const report = 2; // CSV export, half done\n');
  repo.write('src/csv.ts', 'export const toCsv = () => "";\n');
  const nowMs = Date.now();
  const limitAt = nowMs - 2 * MINUTE;
  const builder = new TranscriptBuilder({ cwd: repo.root, start: new Date(limitAt - gapMinutes * MINUTE - 45 * MINUTE).toISOString() });
  builder.prompt(FIRST_REQUEST);
  builder.say('I will add the export in steps.');
  builder.todoWrite([
    { content: 'Add the export button', status: 'completed', activeForm: 'Adding the export button' },
    { content: PENDING[0]!, status: 'in_progress', activeForm: 'Writing tests' },
    { content: PENDING[1]!, status: 'pending', activeForm: 'Documenting' },
  ]);
  for (let minute = 0; minute < 45; minute += 5) {
    builder.at(limitAt - gapMinutes * MINUTE - (45 - minute) * MINUTE);
    builder.edit(join(repo.root, CHANGED_FILE));
    builder.say(`Step ${minute / 5 + 1} of the export is in place.`);
  }
  builder.write(join(repo.root, 'src/csv.ts'), 'export const toCsv = () => "";\n');
  const reset = upcomingReset(nowMs);
  if (withLimit) appendLimit(builder, limitAt, reset.phrase);
  const file = join(world.claudeRoot, 'projects', repo.root.replace(/[^A-Za-z0-9]/g, '-'), `${builder.sessionId}.jsonl`);
  return { world, repo, builder, file, reset };
}

function appendLimit(builder: TranscriptBuilder, atMs: number, resetPhrase: string): void {
  builder.at(atMs);
  builder.prompt(LAST_PROMPT);
  builder.limitHit(`You've hit your session limit · resets ${resetPhrase}`);
}

/** What a resume prompt must carry for the session to continue. */
function expectPromptCarriesTheWork(markdown: string, sessionId: string): void {
  expect(markdown).toContain(sessionId);
  expect(markdown).toContain(FIRST_REQUEST);
  expect(markdown).toContain(LAST_PROMPT);
  for (const todo of PENDING) expect(markdown).toContain(todo);
  expect(markdown).toContain(CHANGED_FILE);
  expect(markdown).not.toContain('No Claude Code session was found');
}

describe.each([
  { timing: 'right after work', gapMinutes: 0 },
  { timing: '55 min after the last usage', gapMinutes: 55 },
  { timing: '4 h after the last usage', gapMinutes: 240 },
])('a session limit hit $timing', ({ gapMinutes }) => {
  it('status shows the window used up; a plain checkpoint finds the project and carries the work', async () => {
    const s = scenario(gapMinutes, true);
    await s.builder.writeTo(s.file);
    const data = ['--data-dir', s.world.claudeRoot];

    const status = await cliJson(s.world, ['status', '--json', ...data]);
    const five = status.windows.five_hour;
    expect(five.usedPercent).toBe(100);
    expect(five.limitReached).toBe(true);
    expect(five.resetsAt).toBe(s.reset.iso);
    expect(status.activeSessions.map((a: { sessionId: string }) => a.sessionId)).toEqual([s.builder.sessionId]);

    const human = await cli(s.world, ['status', ...data]);
    expect(human.code).toBe(0);
    expect(human.stdout.split('\n')[0]).toMatch(/^5-hour: limit reached/);
    expect(human.stdout).not.toMatch(/active sessions: none/);

    const before = await s.repo.fingerprint();
    const checkpoint = await cliJson(s.world, ['checkpoint', '--json', ...data]);
    expect(await s.repo.fingerprint()).toEqual(before);
    const project = checkpoint.checkpoint.projects.find((p: { projectDir: string }) => p.projectDir === s.repo.root);
    expect(project?.status).toBe('stashed');
    expect(project.sessionIds).toEqual([s.builder.sessionId]);
    expectPromptCarriesTheWork(readFileSync(project.promptPath, 'utf8'), s.builder.sessionId);
  });
}, 60_000);

describe('--project never depends on recency', () => {
  it('finds a session that ended days ago, and names a project with none once', async () => {
    const s = scenario(3 * 24 * 60, false);
    await s.builder.writeTo(s.file);
    const data = ['--data-dir', s.world.claudeRoot];
    const plain = await cli(s.world, ['checkpoint', ...data]);
    expect(plain.code).toBe(2);
    const checkpoint = await cliJson(s.world, ['checkpoint', '--json', '--project', join(s.repo.root, 'src'), ...data]);
    const project = checkpoint.checkpoint.projects[0];
    expect(project.sessionIds).toEqual([s.builder.sessionId]);
    const markdown = readFileSync(project.promptPath, 'utf8');
    expect(markdown).toContain(FIRST_REQUEST);
    for (const todo of PENDING) expect(markdown).toContain(todo);

    const empty = worldRepo(s.world, { 'a.txt': 'a\n' });
    empty.write('a.txt', 'b\n');
    const none = await cliJson(s.world, ['checkpoint', '--json', '--project', empty.root, ...data]);
    expect(none.checkpoint.projects[0].status).toBe('stashed');
    const lonely = readFileSync(none.checkpoint.projects[0].promptPath, 'utf8');
    expect(lonely.match(/No Claude Code session/g)).toHaveLength(1);
  }, 60_000);
});

describe('breather watch', () => {
  let watcher: CliProcess | null = null;
  afterAll(() => {
    // A failed test leaves its watcher: end it without waiting on it.
    watcher?.child.kill('SIGKILL');
  });

  it('checkpoints automatically when the limit record is appended live', async () => {
    const s = scenario(55, false);
    await s.builder.writeTo(s.file);
    watcher = new CliProcess(['watch', '--json', '--no-notify', '--data-dir', s.world.claudeRoot], s.world.cliEnv);
    const first = JSON.parse(await watcher.nextLine());
    expect(first.type).toBe('status');
    expect(first.windows.five_hour.limitReached).toBe(false);

    const already = s.builder.lines.length;
    appendLimit(s.builder, Date.now(), s.reset.phrase);
    appendFileSync(s.file, s.builder.lines.slice(already).map((line) => `${line}\n`).join(''));

    const seen: { type: string; [key: string]: any }[] = [];
    while (!seen.some((event) => event.type === 'checkpoint')) seen.push(JSON.parse(await watcher.nextLine(20_000)));
    const limited = seen.find((event) => event.type === 'status' && event.windows.five_hour.limitReached);
    expect(limited?.windows.five_hour.usedPercent).toBe(100);
    expect(seen.some((event) => event.type === 'alert' && event.kind === 'limit-reached')).toBe(true);
    const checkpoint = seen.find((event) => event.type === 'checkpoint')!;
    expect(checkpoint.trigger).toBe('limit-hit');
    const project = checkpoint.projects.find((p: { projectDir: string }) => p.projectDir === s.repo.root);
    expect(project.sessionIds).toEqual([s.builder.sessionId]);
    expectPromptCarriesTheWork(readFileSync(project.promptPath, 'utf8'), s.builder.sessionId);
    expect(await watcher.stop()).toBe(0);
    watcher = null;
  }, 60_000);
});
