// Shared by the bench's parts: settings from the environment, formatting,
// the cached corpora and running a process with its time, CPU and peak RSS.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CORPUS_GENERATOR_VERSION, type CorpusSummary, generateCorpus } from '../test/support/corpus-generator.js';
import { readNewestRecord } from '../src/core/status/session-activity.js';
// @ts-expect-error: a plain .mjs script shared with the tests.
import { ensureCcusage } from '../scripts/ccusage-oracle.mjs';

export const SEED = 20251001;
export const DAYS = 30;
export const DAY_MS = 86_400_000;

export function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'breather') return dir;
    if (dirname(dir) === dir) throw new Error('bench: cannot find the breather repository root');
  }
}

export const REPO = findRepoRoot(dirname(fileURLToPath(import.meta.url)));
export const BREATHER = join(REPO, 'dist/cli/breather.mjs');
export const CACHE = join(REPO, '.bench');

export const env = process.env;
export const SIZES_MB = (env.BENCH_SIZES ?? '10,100,1000')
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isFinite(n) && n > 0);
export const SKIP_CCUSAGE = env.BENCH_SKIP_CCUSAGE === '1';
export const IDLE_SECONDS = Number(env.BENCH_IDLE_SECONDS ?? 30);
export const APPENDS = Math.max(1, Number(env.BENCH_APPENDS ?? 30));
export const WARM_RUNS = 8;

// ccusage is installed on demand, pinned, into .cache/ (see scripts/ccusage-oracle.mjs):
// the native binary when present, so its numbers don't include a Node start.
export const CCUSAGE = ensureCcusage() as { path: string; label: string; version: string };

/** GNU time's %M (max RSS, KB) when it works here; else we poll /proc/<pid>/status VmHWM. */
export function detectGnuTime(): string | null {
  try {
    const dir = mkdtempSync(join(tmpdir(), 'breather-time-'));
    const out = join(dir, 'rss');
    execFileSync('/usr/bin/time', ['-f', '%M', '-o', out, 'true'], { stdio: 'ignore' });
    const ok = /^\d+\s*$/.test(readFileSync(out, 'utf8'));
    rmSync(dir, { recursive: true, force: true });
    return ok ? '/usr/bin/time' : null;
  } catch {
    return null;
  }
}

export const GNU_TIME = detectGnuTime();
export const RSS_METHOD = GNU_TIME ? 'GNU time %M (max RSS)' : '/proc/<pid>/status VmHWM polled every 20 ms';

export function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function sizeLabel(mb: number): string {
  return mb >= 1000 ? `${mb / 1000} GB` : `${mb} MB`;
}

export function fmtSeconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export function fmtMB(kb: number | null): string {
  return kb === null ? '?' : `${Math.round(kb / 1024)} MB`;
}

// ---------------------------------------------------------------------------
// Corpora

export interface Corpus {
  root: string;
  summary: CorpusSummary;
  generatedMs: number | null;
}

export function corpusStart(): Date {
  const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  return new Date(today - DAYS * DAY_MS);
}

/**
 * Gives every transcript the modification time Claude Code would have left:
 * when its newest record was written. A corpus written a minute ago would
 * otherwise look like 1,872 sessions all active now, which no user has
 * (status reads the tail of each recently modified file).
 */
async function datedAsWritten(root: string): Promise<void> {
  const walk = async (dir: string): Promise<void> => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.name.endsWith('.jsonl')) {
        const newest = await readNewestRecord(path, statSync(path).size);
        if (newest) utimesSync(path, newest.lastMs / 1000, newest.lastMs / 1000);
      }
    }
  };
  await walk(join(root, 'projects'));
}

export async function ensureCorpus(mb: number): Promise<Corpus> {
  const start = corpusStart();
  const key = `corpus-${mb}mb-seed${SEED}-gen${CORPUS_GENERATOR_VERSION}-${start.toISOString().slice(0, 10)}`;
  const root = join(CACHE, key);
  const summaryFile = join(root, 'summary.json');
  if (existsSync(summaryFile)) {
    await datedAsWritten(root);
    return { root, summary: JSON.parse(readFileSync(summaryFile, 'utf8')) as CorpusSummary, generatedMs: null };
  }
  mkdirSync(CACHE, { recursive: true });
  // Older corpora of this size (other day or generator version) only waste disk.
  for (const name of readdirSync(CACHE)) {
    if (name.startsWith(`corpus-${mb}mb-`) && name !== key) rmSync(join(CACHE, name), { recursive: true, force: true });
  }
  rmSync(root, { recursive: true, force: true });
  log(`generating ${sizeLabel(mb)} corpus in ${root}`);
  const t0 = performance.now();
  const summary = await generateCorpus({ root, targetBytes: mb * 1_000_000, seed: SEED, startTime: start, days: DAYS });
  const generatedMs = performance.now() - t0;
  await datedAsWritten(root);
  // Written last: its presence marks a complete corpus.
  writeFileSync(summaryFile, JSON.stringify(summary, null, 2));
  (globalThis as { gc?: () => void }).gc?.();
  return { root, summary, generatedMs };
}

// ---------------------------------------------------------------------------
// Processes

export interface RunResult {
  ms: number;
  peakKB: number | null;
  /** User + system CPU seconds (GNU time), all threads. */
  cpuSeconds: number | null;
  ok: boolean;
  error: string;
  stderr: string;
}

export function readVmHWM(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** Runs a command to completion: wall time from spawn to exit, and peak RSS. */
export async function measure(command: string, args: string[], childEnv: NodeJS.ProcessEnv): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'breather-run-'));
  const rssFile = join(dir, 'rss');
  const [file, argv] = GNU_TIME ? [GNU_TIME, ['-f', '%M %U %S', '-o', rssFile, command, ...args]] : [command, args];
  const t0 = performance.now();
  const child = spawn(file, argv, { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdoutBytes = 0;
  let polled: number | null = null;
  const poll = GNU_TIME
    ? null
    : setInterval(() => {
        const kb = child.pid === undefined ? null : readVmHWM(child.pid);
        if (kb !== null) polled = Math.max(polled ?? 0, kb);
      }, 20);
  child.stdout.on('data', (chunk: Buffer) => (stdoutBytes += chunk.length));
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < 16_000) stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => {
    child.on('error', (e) => {
      stderr += String(e);
      resolve(-1);
    });
    child.on('close', (c) => resolve(c));
  });
  const ms = performance.now() - t0;
  if (poll) clearInterval(poll);
  let peakKB: number | null = polled;
  let cpuSeconds: number | null = null;
  if (GNU_TIME) {
    const lines = existsSync(rssFile) ? readFileSync(rssFile, 'utf8').trim().split('\n') : [];
    const [rss, user, system] = (lines[lines.length - 1] ?? '').split(' ').map(Number);
    peakKB = Number.isFinite(rss) ? (rss as number) : null;
    cpuSeconds = Number.isFinite(user) && Number.isFinite(system) ? (user as number) + (system as number) : null;
  }
  rmSync(dir, { recursive: true, force: true });
  const ok = code === 0 && stdoutBytes > 0;
  return { ms, peakKB, cpuSeconds, ok, stderr, error: ok ? '' : `exit ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}` };
}

export interface Series {
  ms: number;
  peakKB: number | null;
  cpuSeconds: number | null;
  runs: number;
  error: string;
  /** Every good run, for the phase breakdown and honest noise reporting. */
  results: RunResult[];
}

export async function series(runs: number, run: () => Promise<RunResult>): Promise<Series> {
  const [one] = await interleavedSeries(runs, [run]);
  return one!;
}

/**
 * Several commands run in turn, round after round: this machine's speed drifts
 * by a quarter over minutes, and a ratio of two series measured minutes apart
 * drifted with it. Each round starts one command further on, so each follows
 * each other equally often: a run right after one of Breather's (whose index
 * files the kernel is still writing back and deleting) was measured 5-15 %
 * slower than one right after ccusage's. A command that fails is not run
 * again; a null one (skipped) gives null.
 */
export async function interleavedSeries(runs: number, commands: readonly ((() => Promise<RunResult>) | null)[]): Promise<(Series | null)[]> {
  const results: RunResult[][] = commands.map(() => []);
  for (let i = 0; i < runs; i++) {
    for (let j = 0; j < commands.length; j++) {
      const k = (i + j) % commands.length;
      const run = commands[k];
      const done = results[k]!;
      if (!run || done.some((r) => !r.ok)) continue;
      done.push(await run());
    }
  }
  return results.map((done, k) => (commands[k] === null ? null : seriesOf(done)));
}

function seriesOf(results: readonly RunResult[]): Series {
  const good = results.filter((r) => r.ok);
  const bad = results.find((r) => !r.ok);
  return {
    ms: good.length ? median(good.map((r) => r.ms)) : NaN,
    peakKB: good.length ? Math.max(...good.map((r) => r.peakKB ?? 0)) || null : null,
    cpuSeconds: good.length && good.every((r) => r.cpuSeconds !== null) ? median(good.map((r) => r.cpuSeconds!)) : null,
    runs: good.length,
    error: bad?.error ?? '',
    results: good,
  };
}

export function ourEnv(state: string, emptyHome: string): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...env, HOME: emptyHome, BREATHER_HOME: state, NO_COLOR: '1' };
  delete e.CLAUDE_CONFIG_DIR;
  return e;
}

export function ccusageEnv(root: string, emptyHome: string): NodeJS.ProcessEnv {
  return { ...env, HOME: emptyHome, CLAUDE_CONFIG_DIR: root, NO_COLOR: '1' };
}

