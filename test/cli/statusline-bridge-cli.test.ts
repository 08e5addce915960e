// The statusline bridge as Claude Code runs it: the built hook bundle, JSON on
// stdin, with the user's own statusLine scripts (real files) behind it.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { breatherCommands, hookEntryPoint } from '../../src/core/integration/hook-commands.js';
import { installIntegration } from '../../src/core/integration/integration-service.js';
import { bridgeLine } from '../../src/core/integration/statusline-bridge.js';
import { statuslineSnapshotPath } from '../../src/core/limits/statusline-snapshot.js';
import { HOOK_BUNDLE, runHook } from '../support/run-hook.js';
import { CliProcess, runCli } from '../support/run-cli.js';
import { makeTempDir, removeTempDirs } from '../support/temp-repo.js';

afterAll(removeTempDirs);

const nowSec = () => Math.floor(Date.now() / 1000);

function payload(sessionId: string, fivePercent: number, weekPercent: number, resets: { five: number; week: number }): Record<string, unknown> {
  return {
    session_id: sessionId,
    transcript_path: `/nowhere/${sessionId}.jsonl`,
    cwd: '/home/u/project',
    model: { id: 'claude-opus-4-5', display_name: 'Opus' },
    workspace: { current_dir: '/home/u/project', project_dir: '/home/u/project' },
    version: '2.1.90',
    cost: { total_cost_usd: 1.25, total_duration_ms: 60_000, total_lines_added: 3, total_lines_removed: 1 },
    context_window: { used_percentage: 41, context_window_size: 200_000 },
    rate_limits: { five_hour: { used_percentage: fivePercent, resets_at: resets.five }, seven_day: { used_percentage: weekPercent, resets_at: resets.week } },
  };
}

/** A state dir whose install replaced the user's statusLine `sh <script>`. */
async function withUserScript(script: string | null, settings: Record<string, unknown> = {}) {
  const base = makeTempDir('breather-bridge-');
  const stateDir = join(base, 'state');
  const claude = join(base, 'claude');
  mkdirSync(claude, { recursive: true });
  mkdirSync(stateDir, { recursive: true });
  if (Object.keys(settings).length > 0) writeFileSync(join(stateDir, 'settings.json'), JSON.stringify({ version: 1, ...settings }));
  const scriptPath = join(base, 'my statusline.sh');
  if (script !== null) {
    writeFileSync(scriptPath, script);
    writeFileSync(join(claude, 'settings.json'), JSON.stringify({ statusLine: { type: 'command', command: `sh '${scriptPath}'` } }, null, 2));
  }
  await installIntegration({ stateDir, settingsPath: join(claude, 'settings.json') }, breatherCommands(hookEntryPoint(HOOK_BUNDLE), { sessionStart: false }));
  return { base, stateDir, env: { BREATHER_HOME: stateDir, CLAUDE_CONFIG_DIR: claude } };
}

const snapshotOf = (stateDir: string) => JSON.parse(readFileSync(statuslineSnapshotPath(stateDir), 'utf8'));

describe('breather statusline (the bridge)', () => {
  it('with no user command: records every field atomically and prints its own line', async () => {
    const w = await withUserScript(null);
    const resets = { five: nowSec() + 80 * 60 + 30, week: nowSec() + 3 * 86_400 };
    const input = payload('sess-a', 37.4, 12, resets);
    const result = await runHook('statusline', input, w.env);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${bridgeLine(snapshotOf(w.stateDir), true, Date.parse(snapshotOf(w.stateDir).receivedAt))}`.trimEnd() + '\n');
    expect(result.stdout).toMatch(/^5h 37% · resets 1h2\d · week 12%\n$/);
    const snapshot = snapshotOf(w.stateDir);
    expect(snapshot).toMatchObject({
      version: 1,
      session_id: 'sess-a',
      cwd: '/home/u/project',
      model: input.model,
      claudeCodeVersion: '2.1.90',
      context_window: input.context_window,
      cost: input.cost,
      rate_limits: { five_hour: { used_percentage: 37.4, resets_at: resets.five }, seven_day: { used_percentage: 12, resets_at: resets.week } },
      lastReport: { session_id: 'sess-a', claudeCodeVersion: '2.1.90' },
    });
    expect(Math.abs(Date.parse(snapshot.receivedAt) - Date.now())).toBeLessThan(30_000);
    // Atomic: no temp or lock file left beside it.
    expect(readdirSync(w.stateDir).filter((f) => f.startsWith('statusline'))).toEqual(['statusline.json']);
  });

  it('a report without rate_limits never erases the figures; the line marks them as estimates', async () => {
    const w = await withUserScript(null);
    const resets = { five: nowSec() + 3600, week: nowSec() + 86_400 };
    await runHook('statusline', payload('sess-a', 50, 20, resets), w.env);
    const before = snapshotOf(w.stateDir);
    const { rate_limits: _none, ...withoutLimits } = payload('sess-api', 0, 0, resets);
    const result = await runHook('statusline', withoutLimits, w.env);
    const after = snapshotOf(w.stateDir);
    expect(after.rate_limits).toEqual(before.rate_limits);
    expect(after.receivedAt).toBe(before.receivedAt);
    expect(after.lastReport.session_id).toBe('sess-api');
    expect(result.stdout).toMatch(/^5h ~50% · resets \d+h\d\d · week ~20%\n$/);
  });

  it('a newer figure already recorded wins over an older report', async () => {
    const w = await withUserScript(null);
    const future = new Date(Date.now() + 60_000).toISOString();
    writeFileSync(statuslineSnapshotPath(w.stateDir), JSON.stringify({ version: 1, receivedAt: future, session_id: 'newer', cwd: null, rate_limits: { five_hour: { used_percentage: 88, resets_at: nowSec() + 600 } } }));
    await runHook('statusline', payload('older', 10, 10, { five: nowSec() + 600, week: nowSec() + 86_400 }), w.env);
    const snapshot = snapshotOf(w.stateDir);
    expect(snapshot.session_id).toBe('newer');
    expect(snapshot.rate_limits.five_hour.used_percentage).toBe(88);
  });

  it('two bridges at once: one whole snapshot, from one of them, and the newest receive time', async () => {
    const w = await withUserScript(null);
    const resets = { five: nowSec() + 3600, week: nowSec() + 86_400 };
    for (let round = 0; round < 3; round++) {
      await Promise.all([runHook('statusline', payload('left', 11, 1, resets), w.env), runHook('statusline', payload('right', 22, 2, resets), w.env)]);
      const snapshot = snapshotOf(w.stateDir);
      expect(['left', 'right']).toContain(snapshot.session_id);
      expect(snapshot.rate_limits.five_hour.used_percentage).toBe(snapshot.session_id === 'left' ? 11 : 22);
      // Figures and the last report come from the same, newest run.
      expect(snapshot.receivedAt).toBe(snapshot.lastReport.at);
      expect(readdirSync(w.stateDir).filter((f) => f.startsWith('statusline'))).toEqual(['statusline.json']);
    }
  });

  it("passes the user's command output through unchanged (stdout, with the same stdin)", async () => {
    const w = await withUserScript('printf "my line \\342\\234\\223\\nsecond line\\n"\n');
    const result = await runHook('statusline', payload('s', 5, 5, { five: nowSec() + 60, week: nowSec() + 600 }), w.env);
    expect(result.stdout).toBe('my line ✓\nsecond line\n');
    expect(snapshotOf(w.stateDir).rate_limits.five_hour.used_percentage).toBe(5);
  });

  it('a user command that reads stdin sees the same JSON', async () => {
    const w = await withUserScript(`sed -n 's/.*"session_id":"\\([^"]*\\)".*/session=\\1/p'\n`);
    const result = await runHook('statusline', payload('sess-echo-42', 5, 5, { five: nowSec() + 60, week: nowSec() + 600 }), w.env);
    // Unchanged means unchanged: stdin had no final newline, so neither has sed's output.
    expect(result.stdout).toBe('session=sess-echo-42');
  });

  it('a user command that sleeps past the timeout is killed and Breather shows its own line', async () => {
    const w = await withUserScript(null, { integration: { statuslineTimeoutMs: 300 } });
    const pidFile = join(w.base, 'sleeper.pid');
    const script = join(w.base, 'slow.sh');
    writeFileSync(script, `echo $$ > '${pidFile}'\nsleep 30\necho too late\n`);
    // Point the recorded previous command at it (as install would have).
    const record = JSON.parse(readFileSync(join(w.stateDir, 'claude-integration.json'), 'utf8'));
    record.previousStatusLine = { type: 'command', command: `sh '${script}'` };
    writeFileSync(join(w.stateDir, 'claude-integration.json'), JSON.stringify(record));
    const result = await runHook('statusline', payload('s', 61, 7, { five: nowSec() + 7200, week: nowSec() + 600_000 }), w.env);
    expect(result.stdout).toMatch(/^5h 61% · resets (1h59|2h00) · week 7%\n$/);
    expect(result.ms).toBeLessThan(5000);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    // Killed: gone, or a zombie waiting for init to reap it (the bridge that started it has exited).
    const state = (() => {
      try {
        return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]![0];
      } catch {
        return 'gone';
      }
    })();
    const alive = state !== 'gone' && state !== 'Z';
    expect(alive).toBe(false);
  });

  it('a user command that fails without output falls back to Breather; one that fails after printing is passed through', async () => {
    const silent = await withUserScript('echo oops >&2\nexit 3\n');
    const input = payload('s', 15, 3, { five: nowSec() + 600, week: nowSec() + 6000 });
    expect((await runHook('statusline', input, silent.env)).stdout).toMatch(/^5h 15% · resets 10m · week 3%\n$/);
    const printed = await withUserScript('echo partial\nexit 1\n');
    expect((await runHook('statusline', input, printed.env)).stdout).toBe('partial\n');
    const missing = await withUserScript('exec /no/such/program\n');
    expect((await runHook('statusline', input, missing.env)).stdout).toMatch(/^5h 15%/);
  });

  it('after one bridge run, `breather status --json` shows the official figures exactly', async () => {
    const w = await withUserScript(null);
    const resets = { five: nowSec() + 2 * 3600, week: nowSec() + 4 * 86_400 };
    await runHook('statusline', payload('s', 42.5, 17, resets), w.env);
    const emptyRoot = join(w.base, 'claude');
    mkdirSync(join(emptyRoot, 'projects'), { recursive: true });
    const status = await runCli(['status', '--json', '--data-dir', emptyRoot], { BREATHER_HOME: w.stateDir });
    expect(status.code, status.stderr).toBe(0);
    const windows = JSON.parse(status.stdout).windows;
    expect(windows.five_hour).toMatchObject({ source: 'statusline', usedPercent: 42.5, resetsAt: new Date(resets.five * 1000).toISOString() });
    expect(windows.seven_day).toMatchObject({ source: 'statusline', usedPercent: 17, resetsAt: new Date(resets.week * 1000).toISOString() });
    expect(existsSync(join(w.stateDir, 'hooks.log'))).toBe(false);
  });

  it('a running `watch` picks up a bridge run through its file watch and shows the official figure', async () => {
    const w = await withUserScript(null);
    const root = join(w.base, 'claude');
    mkdirSync(join(root, 'projects'), { recursive: true });
    const watch = new CliProcess(['watch', '--json', '--no-notify', '--data-dir', root], { BREATHER_HOME: w.stateDir });
    try {
      const first = JSON.parse(await watch.nextLine());
      expect(first.windows.five_hour.source).not.toBe('statusline');
      const resets = { five: nowSec() + 3 * 3600, week: nowSec() + 5 * 86_400 };
      await runHook('statusline', payload('live', 63, 21, resets), w.env);
      let line = first;
      while (line.type !== 'status' || line.windows.five_hour.source !== 'statusline') line = JSON.parse(await watch.nextLine(10_000));
      expect(line.windows.five_hour).toMatchObject({ usedPercent: 63, resetsAt: new Date(resets.five * 1000).toISOString() });
    } finally {
      await watch.stop();
    }
  });

  it("the commands install writes run as written through the shell, from a folder with spaces and quotes", async () => {
    const base = makeTempDir('breather-quoted-');
    const appDir = join(base, "Application Support", "Bob's Breather");
    mkdirSync(appDir, { recursive: true });
    // The hook bundle is self-contained: a copy runs anywhere.
    const hook = join(appDir, 'breather-hook.mjs');
    writeFileSync(hook, readFileSync(HOOK_BUNDLE));
    const stateDir = join(base, 'state dir');
    const settingsPath = join(base, 'claude', 'settings.json');
    await installIntegration({ stateDir, settingsPath }, breatherCommands(hookEntryPoint(hook), { sessionStart: false }));
    const written = JSON.parse(readFileSync(settingsPath, 'utf8'));
    const { execSync } = await import('node:child_process');
    const run = (command: string, input: unknown) => execSync(command, { input: JSON.stringify(input), env: { ...process.env, BREATHER_HOME: stateDir }, encoding: 'utf8' });
    const out = run(written.statusLine.command, payload('quoted', 44, 4, { five: nowSec() + 900, week: nowSec() + 9000 }));
    expect(out).toMatch(/^5h 44% · resets 15m · week 4%\n$/);
    expect(snapshotOf(stateDir).session_id).toBe('quoted');
    expect(run(written.hooks.PreToolUse[0].hooks[0].command, { session_id: 'quoted', cwd: base, hook_event_name: 'PreToolUse' })).toBe('');
  });
});
