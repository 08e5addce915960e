// The hooks as Claude Code runs them: the built hook bundle as a child process
// with JSON on stdin; its exit code, stdout and effects checked against real
// repositories, real pause marks and a real `breather watch`.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckpointRecord, PauseMark } from '../../src/core/checkpoint/checkpoint-store.js';
import { type CheckpointWorld, cli, cliJson, makeWorld, stashEntries, worldRepo, writeSession } from '../support/checkpoint-world.js';
import { CliProcess } from '../support/run-cli.js';
import { HOOK_BUNDLE, runHook } from '../support/run-hook.js';
import { HOOK_TIMEOUT_SECONDS } from '../../src/core/integration/claude-settings-merge.js';
import { upcomingReset } from '../support/limit-reset.js';
import { removeTempDirs, type TempRepo } from '../support/temp-repo.js';

afterAll(removeTempDirs);

// The reset is 30–90 min ahead at any hour the suite runs (a fixed "11pm" is past after 23:00 UTC).
const RESET = upcomingReset();
const LIMIT_TEXT = `You've hit your session limit · resets ${RESET.phrase}`;

function hookEnv(world: CheckpointWorld): Record<string, string | undefined> {
  return { ...world.cliEnv, CLAUDE_CONFIG_DIR: world.claudeRoot };
}

function preToolUse(sessionId: string, cwd: string) {
  return { session_id: sessionId, transcript_path: '/x.jsonl', cwd, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'npm test' }, tool_use_id: 'toolu_1' };
}

async function until<T>(what: string, probe: () => T | null | undefined, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const checkpointsIn = (world: CheckpointWorld): CheckpointRecord[] => {
  const path = join(world.breatherHome, 'checkpoints', 'index.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { checkpoints: CheckpointRecord[] }).checkpoints : [];
};
const pausesIn = (world: CheckpointWorld): PauseMark[] => {
  const path = join(world.breatherHome, 'paused.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { paused: PauseMark[] }).paused : [];
};

describe('PreToolUse gate', () => {
  it('denies in a paused project (from a subfolder too) with the %, the checkpoint id and how to resume; allows after resume', async () => {
    const world = makeWorld();
    const repo = worldRepo(world, { 'src/a.ts': 'export const a = 1;\n' });
    repo.write('src/a.ts', 'export const a = 2;\n');
    const sessionId = await writeSession(world, { cwd: repo.root, minutesAgo: 3 });
    const resetsAt = Math.floor(Date.now() / 1000) + 3600;
    writeFileSync(join(world.breatherHome, 'statusline.json'), JSON.stringify({ version: 1, receivedAt: new Date().toISOString(), session_id: sessionId, cwd: repo.root, rate_limits: { five_hour: { used_percentage: 92, resets_at: resetsAt } } }));
    const paused = await cliJson<{ checkpoint: CheckpointRecord }>(world, ['pause', '--project', repo.root, '--json', '--data-dir', world.claudeRoot]);

    const denied = await runHook('pre-tool-use', preToolUse(sessionId, repo.path('src')), hookEnv(world));
    expect(denied.code).toBe(0);
    const output = JSON.parse(denied.stdout);
    expect(output.hookSpecificOutput).toMatchObject({ hookEventName: 'PreToolUse', permissionDecision: 'deny' });
    const reason: string = output.hookSpecificOutput.permissionDecisionReason;
    expect(reason).toContain('Breather paused this project at 92% of the 5-hour limit');
    expect(reason).toContain(`checkpoint ${paused.checkpoint.id}`);
    expect(reason).toContain('`breather resume`');

    // Another project is not paused.
    const other = worldRepo(world);
    expect((await runHook('pre-tool-use', preToolUse(sessionId, other.root), hookEnv(world))).stdout).toBe('');

    expect((await cli(world, ['resume', '--project', repo.root])).code).toBe(0);
    const allowed = await runHook('pre-tool-use', preToolUse(sessionId, repo.path('src')), hookEnv(world));
    expect(allowed).toMatchObject({ code: 0, stdout: '' });
  });

  it('a corrupt paused.json allows, and says why in hooks.log', async () => {
    const world = makeWorld();
    const repo = worldRepo(world);
    writeFileSync(join(world.breatherHome, 'paused.json'), '{"version":1,"paused":[{"projectDir":');
    const result = await runHook('pre-tool-use', preToolUse('s', repo.root), hookEnv(world));
    expect(result).toMatchObject({ code: 0, stdout: '' });
    const log = readFileSync(join(world.breatherHome, 'hooks.log'), 'utf8');
    expect(log).toMatch(/pre-tool-use: .*paused\.json is unusable .*; allowed\n$/);
  });

  it('by default a pause ends at its reset; with pause.endsAt "manual" the gate stays closed until resume', async () => {
    const world = makeWorld();
    const repo = worldRepo(world);
    const past = new Date(Date.now() - 60_000).toISOString();
    const mark: PauseMark = { projectDir: repo.root, since: new Date(Date.now() - 3 * 3_600_000).toISOString(), checkpointId: 'cp-old', window: 'five_hour', resetsAt: past };
    writeFileSync(join(world.breatherHome, 'paused.json'), JSON.stringify({ version: 1, paused: [mark] }));
    expect((await runHook('pre-tool-use', preToolUse('s', repo.root), hookEnv(world))).stdout).toBe('');
    expect((await cli(world, ['config', 'set', 'pause.endsAt', 'manual'])).code).toBe(0);
    const denied = JSON.parse((await runHook('pre-tool-use', preToolUse('s', repo.root), hookEnv(world))).stdout);
    expect(denied.hookSpecificOutput.permissionDecisionReason).toContain('checkpoint cp-old');
  });
});

describe('every hook answers within its timeout', () => {
  it('a PreToolUse whose stdin never ends gives up before the timeout Claude Code enforces, allowing, and logs why', async () => {
    const world = makeWorld();
    const child = spawn(process.execPath, [HOOK_BUNDLE, 'pre-tool-use'], { env: { ...process.env, ...hookEnv(world) } as NodeJS.ProcessEnv });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stdin.write('{"session_id":"s",');
    const started = Date.now();
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(Date.now() - started).toBeLessThan(HOOK_TIMEOUT_SECONDS.PreToolUse * 1000);
    expect({ code, stdout }).toEqual({ code: 0, stdout: '' });
    expect(readFileSync(join(world.breatherHome, 'hooks.log'), 'utf8')).toMatch(/pre-tool-use: gave up after \d+ ms/);
  });
});

describe('StopFailure with error "rate_limit"', () => {
  async function limitWorld(): Promise<{ world: CheckpointWorld; repo: TempRepo; sessionId: string; transcript: string }> {
    const world = makeWorld();
    const repo = worldRepo(world, { 'app.ts': 'export const v = 1;\n' });
    repo.write('app.ts', 'export const v = 2; // unsaved work\n');
    repo.write('notes.md', 'untracked notes\n');
    const sessionId = await writeSession(world, { cwd: repo.root, minutesAgo: 5, prompts: ['Refactor the app.'], build: (b) => b.limitHit(LIMIT_TEXT) });
    const dir = join(world.claudeRoot, 'projects', repo.root.replace(/[^A-Za-z0-9]/g, '-'));
    return { world, repo, sessionId, transcript: join(dir, `${sessionId}.jsonl`) };
  }

  const stopFailure = (sessionId: string, transcript: string, cwd: string) => ({ session_id: sessionId, transcript_path: transcript, cwd, hook_event_name: 'StopFailure', error: 'rate_limit' });

  it('with nothing running: the hook returns at once and a background CLI stashes and pauses the repo, once per session and window', async () => {
    const { world, repo, sessionId, transcript } = await limitWorld();
    const fingerprint = await repo.fingerprint();
    const result = await runHook('stop-failure', stopFailure(sessionId, transcript, repo.root), hookEnv(world));
    expect(result).toMatchObject({ code: 0, stdout: '' });
    const record = await until('the background checkpoint', () => checkpointsIn(world)[0]);
    expect(record).toMatchObject({ trigger: 'hook', paused: true });
    expect(record.projects.map((p) => [p.projectDir, p.status])).toEqual([[repo.root, 'stashed']]);
    expect(stashEntries(repo).map((s) => s.sha)).toEqual([record.projects[0]!.stashSha]);
    expect(await repo.fingerprint()).toEqual(fingerprint);
    const mark = await until('the pause mark', () => pausesIn(world)[0]);
    expect(mark).toMatchObject({ projectDir: repo.root, checkpointId: record.id, window: 'five_hour' });
    expect(mark.resetsAt).toBe(record.limit?.resetsAt);
    expect(Date.parse(mark.resetsAt!)).toBeGreaterThan(Date.now());
    expect(mark.resetsAt).toBe(RESET.iso);

    // The same session and window again: no second checkpoint.
    await runHook('stop-failure', stopFailure(sessionId, transcript, repo.root), hookEnv(world));
    await until('the second run to give up', () => (readFileSync(join(world.breatherHome, 'hooks.log'), 'utf8').includes('already checkpointed automatically') ? true : null));
    expect(checkpointsIn(world)).toHaveLength(1);
    expect(stashEntries(repo)).toHaveLength(1);
  });

  it('with `watch` running: the hook hands the request over through the state directory and watch checkpoints', async () => {
    const { world, repo, sessionId, transcript } = await limitWorld();
    // Only the hook's request may checkpoint here (not watch's own limit-reached alert).
    expect((await cli(world, ['config', 'set', 'checkpoint.autoOnLimitHit', 'false'])).code).toBe(0);
    const watch = new CliProcess(['watch', '--json', '--no-notify', '--data-dir', world.claudeRoot], world.cliEnv);
    try {
      await watch.nextLine();
      expect(existsSync(join(world.breatherHome, 'service.json'))).toBe(true);
      const result = await runHook('stop-failure', stopFailure(sessionId, transcript, repo.path('.')), hookEnv(world));
      expect(result).toMatchObject({ code: 0, stdout: '' });
      let line: { type?: string; id?: string; trigger?: string } = {};
      while (line.type !== 'checkpoint') line = JSON.parse(await watch.nextLine(45_000));
      expect(line.trigger).toBe('hook');
      const record = checkpointsIn(world)[0]!;
      expect(record.id).toBe(line.id);
      expect(record.projects[0]).toMatchObject({ projectDir: repo.root, status: 'stashed' });
      expect(stashEntries(repo)).toHaveLength(1);
      expect(pausesIn(world).map((m) => m.projectDir)).toEqual([repo.root]);
      expect(readdirSync(join(world.breatherHome, 'requests'))).toEqual([]);
    } finally {
      await watch.stop();
    }
    expect(existsSync(join(world.breatherHome, 'service.json'))).toBe(false);
  });

  it('another error, or no cwd, does nothing', async () => {
    const world = makeWorld();
    const result = await runHook('stop-failure', { session_id: 's', cwd: world.base, hook_event_name: 'StopFailure', error: 'overloaded' }, hookEnv(world));
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(checkpointsIn(world)).toEqual([]);
  });
});

describe('SessionStart (opt-in)', () => {
  it('is silent by default; when on, a session in a paused project gets the resume notes as facts', async () => {
    const world = makeWorld();
    const repo = worldRepo(world, { 'a.ts': '1\n' });
    repo.write('a.ts', '2\n');
    const sessionId = await writeSession(world, { cwd: repo.root, minutesAgo: 2, prompts: ['Port the parser to streams.'] });
    const paused = await cliJson<{ checkpoint: CheckpointRecord }>(world, ['pause', '--project', repo.root, '--json', '--data-dir', world.claudeRoot]);
    const input = { session_id: sessionId, cwd: repo.root, hook_event_name: 'SessionStart', source: 'resume' };
    expect((await runHook('session-start', input, hookEnv(world))).stdout).toBe('');
    expect((await cli(world, ['config', 'set', 'integration.sessionStartContext', 'true'])).code).toBe(0);
    const result = await runHook('session-start', input, hookEnv(world));
    const context: string = JSON.parse(result.stdout).hookSpecificOutput.additionalContext;
    expect(context).toContain(`saved its work in progress as checkpoint ${paused.checkpoint.id}`);
    expect(context).toContain(readFileSync(paused.checkpoint.projects[0]!.promptPath, 'utf8').trim());
  });
});
