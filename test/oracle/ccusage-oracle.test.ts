// ccusage is the oracle: on a realistic generated corpus, our daily and block
// token totals must equal ccusage's, day by day and block by block. Nothing is
// hard-coded; the generator's own ground truth is checked against ccusage too.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ccusageForTests } from '../support/ccusage-oracle.js';
import { type CorpusSummary, generateCorpus } from '../support/corpus-generator.js';

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../..', import.meta.url));
const ORACLE = ccusageForTests();
const BREATHER = join(REPO, 'dist/cli/breather.mjs');
const TOKEN_FIELDS = ['inputTokens', 'outputTokens', 'cacheCreationTokens', 'cacheReadTokens'] as const;

interface DailyRow {
  date?: string;
  period?: string;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
}

interface BlockRow {
  startTime: string;
  isGap?: boolean;
  tokenCounts: {
    inputTokens: number;
    outputTokens: number;
    cacheCreationInputTokens: number;
    cacheReadInputTokens: number;
  };
}

type Tokens = Record<(typeof TOKEN_FIELDS)[number], number>;

const temp = mkdtempSync(join(tmpdir(), 'breather-oracle-'));
const root = join(temp, 'claude');
const emptyHome = join(temp, 'home');
const stateDir = join(temp, 'breather-state');

/** Env with nothing of the real user's: an empty HOME and no inherited Claude/Breather dirs. */
function isolatedEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: emptyHome, XDG_CONFIG_HOME: join(emptyHome, '.config'), ...extra };
  if (!('CLAUDE_CONFIG_DIR' in extra)) delete env.CLAUDE_CONFIG_DIR;
  if (!('BREATHER_HOME' in extra)) delete env.BREATHER_HOME;
  env.NO_COLOR = '1';
  return env;
}

async function runJson(label: string, file: string, args: string[], env: NodeJS.ProcessEnv): Promise<any> {
  let stdout: string;
  try {
    ({ stdout } = await run(file, args, { env, maxBuffer: 256 * 1024 * 1024, timeout: 120_000 }));
  } catch (error) {
    const e = error as { code?: unknown; stderr?: string; stdout?: string };
    throw new Error(
      `${label} failed (exit ${String(e.code)}): ${[file, ...args].join(' ')}\n` +
        `stderr: ${(e.stderr ?? '').slice(0, 2000)}\nstdout: ${(e.stdout ?? '').slice(0, 500)}`,
    );
  }
  try {
    return JSON.parse(stdout);
  } catch {
    throw new Error(`${label} printed no JSON: ${[file, ...args].join(' ')}\n${stdout.slice(0, 1000)}`);
  }
}

function ccusage(report: 'daily' | 'blocks'): Promise<any> {
  return runJson(
    `ccusage ${report}`,
    ORACLE.binary!.path,
    ['claude', report, '--json', '--offline', '--timezone', 'UTC'],
    isolatedEnv({ CLAUDE_CONFIG_DIR: root }),
  );
}

let breatherRuns: Promise<{ daily: any; blocks: any }> | null = null;

/** Our CLI, run once and shared; fails with a clear message when it isn't built. */
function breather(): Promise<{ daily: any; blocks: any }> {
  breatherRuns ??= (async () => {
    if (!existsSync(BREATHER)) {
      throw new Error(`${BREATHER} does not exist: build it first (npm run build).`);
    }
    const env = isolatedEnv({ BREATHER_HOME: stateDir });
    const args = (report: string): string[] => [BREATHER, report, '--json', '--timezone', 'UTC', '--data-dir', root];
    const daily = await runJson('breather daily', process.execPath, args('daily'), env);
    const blocks = await runJson('breather blocks', process.execPath, args('blocks'), env);
    return { daily, blocks };
  })();
  return breatherRuns;
}

function dayKey(row: DailyRow): string {
  return String(row.date ?? row.period);
}

function dailyTokens(row: DailyRow): Tokens {
  return {
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    cacheCreationTokens: row.cacheCreationTokens,
    cacheReadTokens: row.cacheReadTokens,
  };
}

function blockTokens(row: BlockRow): Tokens {
  return {
    inputTokens: row.tokenCounts.inputTokens,
    outputTokens: row.tokenCounts.outputTokens,
    cacheCreationTokens: row.tokenCounts.cacheCreationInputTokens,
    cacheReadTokens: row.tokenCounts.cacheReadInputTokens,
  };
}

/** Rows keyed for comparison; duplicate keys are reported rather than silently merged. */
function keyed<T>(rows: T[], key: (row: T) => string, tokens: (row: T) => Tokens): Map<string, Tokens> {
  const out = new Map<string, Tokens>();
  for (const row of rows) {
    const k = key(row);
    if (out.has(k)) throw new Error(`duplicate row ${k}`);
    out.set(k, tokens(row));
  }
  return out;
}

/** Every key whose four totals differ, as readable lines (empty when equal). */
function differences(ours: Map<string, Tokens>, oracle: Map<string, Tokens>): string[] {
  const out: string[] = [];
  for (const [k, expected] of oracle) {
    const actual = ours.get(k);
    if (!actual) continue;
    for (const field of TOKEN_FIELDS) {
      if (actual[field] !== expected[field]) {
        out.push(`${k} ${field}: breather ${actual[field]} vs ccusage ${expected[field]} (Δ ${actual[field] - expected[field]})`);
      }
    }
  }
  return out;
}

describe.skipIf(!ORACLE.binary)(`token totals match ccusage (oracle)${ORACLE.reason ? ` (skipped: ${ORACLE.reason})` : ''}`, () => {
  let summary: CorpusSummary;
  let ccDaily: { daily: DailyRow[]; totals: DailyRow };
  let ccBlocks: { blocks: BlockRow[] };

  beforeAll(async () => {
    mkdirSync(emptyHome, { recursive: true });
    mkdirSync(stateDir, { recursive: true });
    // ~12 MB over 30 days in 6 projects: every structure of the facts doc, no bad lines
    // (ccusage may treat those differently; robustness is tested elsewhere).
    summary = await generateCorpus({ root, targetBytes: 12_000_000, seed: 20251001, projects: 6, days: 30 });
    ccDaily = await ccusage('daily');
    ccBlocks = await ccusage('blocks');
  }, 180_000);

  afterAll(() => rmSync(temp, { recursive: true, force: true }));

  it('ccusage agrees with the generator ground truth (oracle sanity)', () => {
    expect(summary.resumedSessions).toBeGreaterThan(0);
    expect(summary.subagents.inline * summary.subagents.sibling * summary.subagents.nested).toBeGreaterThan(0);
    expect(ccDaily.daily.length).toBeGreaterThan(15);
    expect(dailyTokens(ccDaily.totals)).toEqual(summary.tokens);
    expect(ccBlocks.blocks.filter((b) => !b.isGap).length).toBeGreaterThan(ccDaily.daily.length);
    expect(ccBlocks.blocks.some((b) => b.isGap)).toBe(true);
  });

  it('daily: same days, and per day the same input, output, cache-creation and cache-read tokens', async () => {
    const { daily } = await breather();
    expect(Array.isArray(daily?.daily), 'breather daily --json has a daily[] array').toBe(true);
    const ours = keyed<DailyRow>(daily.daily, dayKey, dailyTokens);
    const oracle = keyed<DailyRow>(ccDaily.daily, dayKey, dailyTokens);
    expect([...ours.keys()].sort()).toEqual([...oracle.keys()].sort());
    expect(differences(ours, oracle)).toEqual([]);
    expect(dailyTokens(daily.totals)).toEqual(dailyTokens(ccDaily.totals));
  });

  it('blocks: same non-gap blocks by startTime, and per block the same four token totals', async () => {
    const { blocks } = await breather();
    expect(Array.isArray(blocks?.blocks), 'breather blocks --json has a blocks[] array').toBe(true);
    // Entries are not compared: ccusage counts <synthetic> records in them, we don't.
    const real = (rows: BlockRow[]): BlockRow[] => rows.filter((b) => !b.isGap);
    const ours = keyed(real(blocks.blocks), (b) => b.startTime, blockTokens);
    const oracle = keyed(real(ccBlocks.blocks), (b) => b.startTime, blockTokens);
    expect([...ours.keys()].sort()).toEqual([...oracle.keys()].sort());
    expect(differences(ours, oracle)).toEqual([]);
  });
});
