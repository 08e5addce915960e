// Issue #10 item 9: subagent usage carried in `agent_progress` records of the
// parent transcript (Claude Code 2.1.x). Counted like any response, once across
// files: with the subagent file present, and with it missing, our daily equals
// ccusage's daily, and our blocks, session and status count the same usage.
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ccusageForTests } from '../support/ccusage-oracle.js';
import { runCli } from '../support/run-cli.js';
import { agentProgressLine, tempDir, usageLine, userLine, writeTranscript } from '../support/usage-lines.js';

const run = promisify(execFile);
const ORACLE = ccusageForTests();
const SESSION = 'parent-session';
const CWD = '/work/relay';
const temps: string[] = [];

interface Day {
  date: string;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
}

/** The last couple of hours, so the status windows hold every response. */
function minutesAgo(minutes: number): string {
  return new Date(Date.now() - minutes * 60_000).toISOString();
}

/** A parent with its own responses, a subagent's responses relayed as progress records, and (optionally) the subagent file. */
function writeWorld(withSubagentFile: boolean): string {
  const root = tempDir('breather-relay-');
  temps.push(root);
  const envelope = { sessionId: SESSION, cwd: CWD };
  const parent: string[] = [userLine(minutesAgo(120), 'start', envelope)];
  const subagent: string[] = [];
  for (let i = 0; i < 6; i++) {
    const at = minutesAgo(110 - i * 10);
    parent.push(usageLine({ at, ...envelope, messageId: `msg_p${i}`, requestId: `req_p${i}`, input: 100 + i, output: 1, cacheRead: 5000 }));
    parent.push(usageLine({ at, ...envelope, messageId: `msg_p${i}`, requestId: `req_p${i}`, input: 100 + i, output: 40 + i, cacheRead: 5000 }));
    // The subagent's response, streamed as two lines (partial output first), each relayed.
    for (const output of [1, 300 + i]) {
      const line = usageLine({ at: minutesAgo(105 - i * 10), ...envelope, messageId: `msg_s${i}`, requestId: `req_s${i}`, model: 'claude-haiku-4-5-20251001', input: 7 + i, output, cacheCreation: 900, cacheRead: 20_000 + i });
      subagent.push(JSON.stringify({ ...JSON.parse(line), isSidechain: true, agentId: 'a881341' }));
      // Responses 4 and 5 reached only the progress records (the file lost them).
      parent.push(agentProgressLine(line, { agentId: 'a881341', at: minutesAgo(104 - i * 10), ...envelope }));
    }
  }
  writeTranscript(root, `-work-relay/${SESSION}.jsonl`, parent);
  if (withSubagentFile) writeTranscript(root, `-work-relay/${SESSION}/subagents/agent-a881341.jsonl`, subagent.slice(0, 8));
  return root;
}

function isolatedEnv(root: string, state: string): Record<string, string | undefined> {
  const home = join(state, 'home');
  mkdirSync(home, { recursive: true });
  return { HOME: home, XDG_CONFIG_HOME: join(home, '.config'), CLAUDE_CONFIG_DIR: root, BREATHER_HOME: join(state, 'breather'), NO_COLOR: '1' };
}

async function breather(root: string, state: string, command: string): Promise<any> {
  const result = await runCli([command, '--json', ...(command === 'status' ? [] : ['--timezone', 'UTC']), '--data-dir', root], isolatedEnv(root, state));
  expect(result.code, `breather ${command}: ${result.stderr}`).toBe(0);
  return JSON.parse(result.stdout);
}

async function ccusageDaily(root: string, state: string): Promise<{ daily: Day[] }> {
  const env = { ...process.env, ...isolatedEnv(root, state) };
  delete env.BREATHER_HOME;
  const { stdout } = await run(ORACLE.binary!.path, ['claude', 'daily', '--json', '--offline', '--timezone', 'UTC'], { env, maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout);
}

const fourFields = (d: Day) => ({ date: d.date, inputTokens: d.inputTokens, outputTokens: d.outputTokens, cacheCreationTokens: d.cacheCreationTokens, cacheReadTokens: d.cacheReadTokens });
const sum = (rows: { totalTokens: number }[]) => rows.reduce((total, r) => total + r.totalTokens, 0);

afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!ORACLE.binary)(`subagent usage in agent_progress records${ORACLE.reason ? ` (skipped: ${ORACLE.reason})` : ''}`, () => {
  for (const withSubagentFile of [true, false]) {
    it(`daily equals ccusage's daily ${withSubagentFile ? 'with' : 'without'} the subagent file; blocks, session and status count the same`, async () => {
      const root = writeWorld(withSubagentFile);
      const state = tempDir('breather-relay-state-');
      temps.push(state);
      const oracle = await ccusageDaily(root, state);
      const daily = await breather(root, state, 'daily');
      expect(daily.daily.map(fourFields)).toEqual(oracle.daily.map(fourFields));
      // Every subagent response counted once: 6 parent + 6 subagent responses.
      const haiku = daily.daily.flatMap((d: any) => d.modelBreakdowns).filter((m: any) => m.modelName.includes('haiku'));
      expect(haiku.reduce((n: number, m: any) => n + m.outputTokens, 0)).toBe([0, 1, 2, 3, 4, 5].reduce((n, i) => n + 300 + i, 0));

      const total = daily.totals.totalTokens;
      const blocks = await breather(root, state, 'blocks');
      const session = await breather(root, state, 'session');
      const status = await breather(root, state, 'status');
      expect(sum(blocks.blocks.filter((b: any) => !b.isGap))).toBe(total);
      expect(blocks.blocks.reduce((n: number, b: any) => n + (b.entries ?? 0), 0)).toBe(12);
      expect(sum(session.session)).toBe(total);
      expect(status.windows.seven_day.tokens).toBe(total);
      expect(status.windows.five_hour.tokens).toBe(total);
    }, 60_000);
  }

  it('ccusage itself sees the relayed responses (oracle sanity)', async () => {
    const root = writeWorld(false);
    const state = tempDir('breather-relay-state-');
    temps.push(state);
    const oracle = await ccusageDaily(root, state);
    const outputs = oracle.daily.reduce((n, d) => n + d.outputTokens, 0);
    expect(outputs).toBe([0, 1, 2, 3, 4, 5].reduce((n, i) => n + 40 + i + 300 + i, 0));
  }, 60_000);
});

