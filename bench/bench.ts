// Breather vs ccusage on generated corpora of 10 MB, 100 MB and 1 GB.
// Prints a plain-text table and asserts nothing. `npm run bench`.
//
// Env: BENCH_SIZES=10,100 (MB; 1000 = 1 GB), BENCH_SKIP_CCUSAGE=1,
// BENCH_IDLE_SECONDS=30, BENCH_APPENDS=30, BENCH_RUNS (cold-scan runs per size).
//
// Corpora are cached under .bench/ keyed by size, seed, generator version and
// start day: the corpus ends yesterday so `status` sees a realistic last week,
// which means a new corpus (about 20 s for 1 GB) at most once a day.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  assistantLine,
  CORPUS_GENERATOR_VERSION,
  type CorpusSummary,
  generateCorpus,
} from '../test/support/corpus-generator.js';
import { benchCheckpoint } from './checkpoint-bench.js';
import { benchHooks, hookBenchTable } from './hook-bench.js';
// @ts-expect-error: a plain .mjs script shared with the tests.
import { ensureCcusage } from '../scripts/ccusage-oracle.mjs';

const SEED = 20251001;
const DAYS = 30;
const DAY_MS = 86_400_000;

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'breather') return dir;
    if (dirname(dir) === dir) throw new Error('bench: cannot find the breather repository root');
  }
}

const REPO = findRepoRoot(dirname(fileURLToPath(import.meta.url)));
const BREATHER = join(REPO, 'dist/cli/breather.mjs');
const CACHE = join(REPO, '.bench');

const env = process.env;
const SIZES_MB = (env.BENCH_SIZES ?? '10,100,1000')
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isFinite(n) && n > 0);
const SKIP_CCUSAGE = env.BENCH_SKIP_CCUSAGE === '1';
const IDLE_SECONDS = Number(env.BENCH_IDLE_SECONDS ?? 30);
const APPENDS = Math.max(1, Number(env.BENCH_APPENDS ?? 30));
const WARM_RUNS = 5;

// ccusage is installed on demand, pinned, into .cache/ (see scripts/ccusage-oracle.mjs):
// the native binary when present, so its numbers don't include a Node start.
const CCUSAGE = ensureCcusage() as { path: string; label: string; version: string };

/** GNU time's %M (max RSS, KB) when it works here; else we poll /proc/<pid>/status VmHWM. */
function detectGnuTime(): string | null {
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

const GNU_TIME = detectGnuTime();
const RSS_METHOD = GNU_TIME ? 'GNU time %M (max RSS)' : '/proc/<pid>/status VmHWM polled every 20 ms';

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function sizeLabel(mb: number): string {
  return mb >= 1000 ? `${mb / 1000} GB` : `${mb} MB`;
}

function fmtSeconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

function fmtMB(kb: number | null): string {
  return kb === null ? '?' : `${Math.round(kb / 1024)} MB`;
}

// ---------------------------------------------------------------------------
// Corpora

interface Corpus {
  root: string;
  summary: CorpusSummary;
  generatedMs: number | null;
}

function corpusStart(): Date {
  const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  return new Date(today - DAYS * DAY_MS);
}

async function ensureCorpus(mb: number): Promise<Corpus> {
  const start = corpusStart();
  const key = `corpus-${mb}mb-seed${SEED}-gen${CORPUS_GENERATOR_VERSION}-${start.toISOString().slice(0, 10)}`;
  const root = join(CACHE, key);
  const summaryFile = join(root, 'summary.json');
  if (existsSync(summaryFile)) {
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
  // Written last: its presence marks a complete corpus.
  writeFileSync(summaryFile, JSON.stringify(summary, null, 2));
  (globalThis as { gc?: () => void }).gc?.();
  return { root, summary, generatedMs };
}

// ---------------------------------------------------------------------------
// Processes

interface RunResult {
  ms: number;
  peakKB: number | null;
  ok: boolean;
  error: string;
}

function readVmHWM(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** Runs a command to completion: wall time from spawn to exit, and peak RSS. */
async function measure(command: string, args: string[], childEnv: NodeJS.ProcessEnv): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'breather-run-'));
  const rssFile = join(dir, 'rss');
  const [file, argv] = GNU_TIME ? [GNU_TIME, ['-f', '%M', '-o', rssFile, command, ...args]] : [command, args];
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
    if (stderr.length < 4000) stderr += chunk.toString();
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
  if (GNU_TIME) {
    const lines = existsSync(rssFile) ? readFileSync(rssFile, 'utf8').trim().split('\n') : [];
    const last = Number(lines[lines.length - 1]);
    peakKB = Number.isFinite(last) ? last : null;
  }
  rmSync(dir, { recursive: true, force: true });
  const ok = code === 0 && stdoutBytes > 0;
  return { ms, peakKB, ok, error: ok ? '' : `exit ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}` };
}

interface Series {
  ms: number;
  peakKB: number | null;
  runs: number;
  error: string;
}

async function series(runs: number, run: () => Promise<RunResult>): Promise<Series> {
  const results: RunResult[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await run();
    results.push(r);
    if (!r.ok) break;
  }
  const good = results.filter((r) => r.ok);
  const bad = results.find((r) => !r.ok);
  return {
    ms: good.length ? median(good.map((r) => r.ms)) : NaN,
    peakKB: good.length ? Math.max(...good.map((r) => r.peakKB ?? 0)) || null : null,
    runs: good.length,
    error: bad?.error ?? '',
  };
}

function ourEnv(state: string, emptyHome: string): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...env, HOME: emptyHome, BREATHER_HOME: state, NO_COLOR: '1' };
  delete e.CLAUDE_CONFIG_DIR;
  return e;
}

function ccusageEnv(root: string, emptyHome: string): NodeJS.ProcessEnv {
  return { ...env, HOME: emptyHome, CLAUDE_CONFIG_DIR: root, NO_COLOR: '1' };
}

// ---------------------------------------------------------------------------
// watch: append latency and idle CPU

/** Reads NDJSON lines from a child's stdout; waiters get the next line or null on timeout. */
class LineReader {
  private buffer = '';
  private readonly queue: string[] = [];
  private waiter: ((line: string | null) => void) | null = null;

  constructor(child: ChildProcess) {
    child.stdout?.on('data', (chunk: Buffer) => {
      this.buffer += chunk.toString();
      let i: number;
      while ((i = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, i);
        this.buffer = this.buffer.slice(i + 1);
        if (line.trim() === '') continue;
        if (this.waiter) {
          const w = this.waiter;
          this.waiter = null;
          w(line);
        } else this.queue.push(line);
      }
    });
  }

  drain(): number {
    const n = this.queue.length;
    this.queue.length = 0;
    return n;
  }

  next(timeoutMs: number): Promise<string | null> {
    const queued = this.queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        resolve(null);
      }, timeoutMs);
      this.waiter = (line) => {
        clearTimeout(timer);
        resolve(line);
      };
    });
  }
}

function fiveHourTokens(line: string): number | null {
  try {
    const status = JSON.parse(line) as { windows?: { five_hour?: { tokens?: number } } };
    return status.windows?.five_hour?.tokens ?? null;
  } catch {
    return null;
  }
}

/** utime + stime of a process, in seconds. */
function cpuSeconds(pid: number, ticksPerSecond: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return null;
  }
}

function clockTicks(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

interface WatchResult {
  firstLineMs: number | null;
  latencies: number[];
  timeouts: number;
  tokensSeen: number;
  unpromptedLines: number;
  peakKB: number | null;
  idleCpuPercent: number | null;
  idleLines: number;
  error: string;
}

const APPEND_SESSION = 'b3e7c4a0-0000-4000-8000-00000000be7c';

async function benchWatch(root: string, state: string, emptyHome: string): Promise<WatchResult> {
  const result: WatchResult = {
    firstLineMs: null,
    latencies: [],
    timeouts: 0,
    tokensSeen: 0,
    unpromptedLines: 0,
    peakKB: null,
    idleCpuPercent: null,
    idleLines: 0,
    error: '',
  };
  const projectDirs = readdirSync(join(root, 'projects')).sort();
  const cwd = '/home/dev/code/bench-append';
  // A session file of our own, removed afterwards, so the cached corpus stays as generated.
  const file = join(root, 'projects', projectDirs[0] ?? 'bench', `${APPEND_SESSION}.jsonl`);
  const runId = Date.now().toString(36);
  const line = (i: number): string =>
    assistantLine({
      sessionId: APPEND_SESSION,
      cwd,
      timestamp: new Date(),
      messageId: `msg_01bench${runId}${String(i).padStart(4, '0')}`,
      requestId: `req_011Cbench${runId}${String(i).padStart(4, '0')}`,
      uuid: `00000000-0000-4000-8000-${runId.padStart(8, '0')}${String(i).padStart(4, '0')}`,
      usage: { input: 3, output: 150 + i, cacheCreation: 400, cacheRead: 40_000 },
      text: 'Appended by the bench.',
    }) + '\n';
  writeFileSync(file, line(0));
  const t0 = performance.now();
  const child = spawn(process.execPath, [BREATHER, 'watch', '--json', '--data-dir', root], {
    env: ourEnv(state, emptyHome),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < 4000) stderr += chunk.toString();
  });
  const reader = new LineReader(child);
  try {
    const first = await reader.next(300_000);
    if (first === null) {
      result.error = `no first line: ${stderr.trim().split('\n').slice(-2).join(' | ')}`;
      return result;
    }
    result.firstLineMs = performance.now() - t0;
    let tokens = fiveHourTokens(first);
    await sleep(500);
    result.unpromptedLines += reader.drain();
    for (let i = 1; i <= APPENDS; i++) {
      const appended = line(i);
      const start = performance.now();
      appendFileSync(file, appended);
      const next = await reader.next(10_000);
      if (next === null) {
        result.timeouts++;
        continue;
      }
      result.latencies.push(performance.now() - start);
      const now = fiveHourTokens(next);
      if (now !== null && tokens !== null && now > tokens) result.tokensSeen++;
      tokens = now ?? tokens;
      // Let any debounced follow-up line land before the next append.
      await sleep(250);
      result.unpromptedLines += reader.drain();
    }
    if (child.pid !== undefined && IDLE_SECONDS > 0) {
      await sleep(2000);
      reader.drain();
      const ticks = clockTicks();
      const before = cpuSeconds(child.pid, ticks);
      await sleep(IDLE_SECONDS * 1000);
      const after = cpuSeconds(child.pid, ticks);
      result.idleLines = reader.drain();
      if (before !== null && after !== null) result.idleCpuPercent = ((after - before) / IDLE_SECONDS) * 100;
    }
    if (child.pid !== undefined) result.peakKB = readVmHWM(child.pid);
    if (child.exitCode !== null) result.error = `watch exited early (${child.exitCode}): ${stderr.trim().slice(-300)}`;
    return result;
  } finally {
    child.kill('SIGTERM');
    await Promise.race([new Promise((r) => child.once('close', r)), sleep(5000)]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(file, { force: true });
  }
}

// ---------------------------------------------------------------------------
// One size

interface SizeReport {
  mb: number;
  corpus: Corpus;
  coldOurs: Series;
  coldCc: Series | null;
  warmStatusJson: Series;
  statusText: Series;
  activeOurs: Series;
  activeCc: Series | null;
  watch: WatchResult;
}

async function benchSize(mb: number): Promise<SizeReport> {
  const corpus = await ensureCorpus(mb);
  const { root } = corpus;
  const scratch = mkdtempSync(join(tmpdir(), 'breather-bench-'));
  const emptyHome = join(scratch, 'home');
  mkdirSync(emptyHome);
  try {
    rmSync(join(root, 'projects', readdirSync(join(root, 'projects')).sort()[0] ?? '-', `${APPEND_SESSION}.jsonl`), {
      force: true,
    });
    const runs = Number(env.BENCH_RUNS ?? (mb <= 100 ? 3 : 1));
    const states: string[] = [];
    const newState = (): string => {
      const s = mkdtempSync(join(scratch, 'state-'));
      states.push(s);
      return s;
    };
    const ours = (state: string, args: string[]): Promise<RunResult> =>
      measure(process.execPath, [BREATHER, ...args, '--data-dir', root], ourEnv(state, emptyHome));
    const cc = (args: string[]): Promise<RunResult> =>
      measure(CCUSAGE.path, ['claude', ...args, '--offline'], ccusageEnv(root, emptyHome));

    log(`${sizeLabel(mb)}: cold scans (${runs} run(s) each)`);
    const coldOurs = await series(runs, () => ours(newState(), ['blocks', '--json', '--timezone', 'UTC']));
    const coldCc = SKIP_CCUSAGE ? null : await series(runs, () => cc(['blocks', '--json', '--timezone', 'UTC']));

    // The last cold run left a complete index behind: that is the warm state.
    const warm = states[states.length - 1] ?? newState();
    await ours(warm, ['status', '--json']);
    log(`${sizeLabel(mb)}: warm status`);
    const warmStatusJson = await series(WARM_RUNS, () => ours(warm, ['status', '--json']));
    const statusText = await series(WARM_RUNS, () => ours(warm, ['status']));
    const activeOurs = await series(WARM_RUNS, () => ours(warm, ['blocks', '--active', '--json']));
    const activeCc = SKIP_CCUSAGE ? null : await series(runs, () => cc(['blocks', '--active', '--json']));

    log(`${sizeLabel(mb)}: watch (${APPENDS} appends, ${IDLE_SECONDS} s idle)`);
    const watch = await benchWatch(root, warm, emptyHome);
    return { mb, corpus, coldOurs, coldCc, warmStatusJson, statusText, activeOurs, activeCc, watch };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------
// Output

function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i] as number)).join('  ').trimEnd()).join('\n');
}

function timeCell(s: Series | null, bytes?: number): string {
  if (!s) return 'skipped';
  if (!s.runs) return `FAILED ${s.error}`;
  const rate = bytes ? `  ${(bytes / 1e6 / (s.ms / 1000)).toFixed(0)} MB/s` : '';
  return `${fmtSeconds(s.ms)}${rate}${s.runs > 1 ? ` (median of ${s.runs})` : ''}`;
}

function ratioCell(ours: Series, theirs: Series | null): string {
  if (!theirs || !ours.runs || !theirs.runs) return '';
  const r = theirs.ms / ours.ms;
  return r >= 1 ? `${r.toFixed(1)}× faster` : `${(1 / r).toFixed(1)}× slower`;
}

function report(r: SizeReport): string {
  const bytes = r.corpus.summary.bytes;
  const w = r.watch;
  const s = r.corpus.summary;
  const header =
    `${sizeLabel(r.mb)} corpus: ${s.files} files, ${(bytes / 1e6).toFixed(1)} MB, ${s.responses.toLocaleString('en-US')} responses, ` +
    `${s.sessions} sessions, ${s.firstTimestamp.slice(0, 10)}..${s.lastTimestamp.slice(0, 10)}` +
    (r.corpus.generatedMs === null
      ? ' (cached)'
      : ` (generated in ${fmtSeconds(r.corpus.generatedMs)}, ${(bytes / 1e6 / (r.corpus.generatedMs / 1000)).toFixed(0)} MB/s)`);
  const warmMs = r.warmStatusJson.ms;
  const watchLatency = w.latencies.length
    ? `p50 ${fmtSeconds(percentile(w.latencies, 50))} / p95 ${fmtSeconds(percentile(w.latencies, 95))} (n=${w.latencies.length}` +
      `${w.timeouts ? `, ${w.timeouts} timed out` : ''}, new tokens seen in ${w.tokensSeen})`
    : `FAILED ${w.error || `${w.timeouts} timeouts`}`;
  const rows: string[][] = [
    ['measure', 'breather', 'ccusage', 'ccusage time ÷ ours'],
    ['cold scan: blocks --json', timeCell(r.coldOurs, bytes), timeCell(r.coldCc, bytes), ratioCell(r.coldOurs, r.coldCc)],
    ['  peak RSS', fmtMB(r.coldOurs.peakKB), r.coldCc ? fmtMB(r.coldCc.peakKB) : '', ''],
    [
      'warm start: status --json',
      `${timeCell(r.warmStatusJson)}${Number.isFinite(warmMs) ? (warmMs <= 300 ? '  [≤ 0.3 s ok]' : '  [> 0.3 s target MISSED]') : ''}`,
      'no index',
      '',
    ],
    ['  peak RSS', fmtMB(r.warmStatusJson.peakKB), '', ''],
    [
      'status (text)',
      timeCell(r.statusText),
      r.activeCc ? `closest: blocks --active, ${timeCell(r.activeCc)}` : 'skipped',
      ratioCell(r.statusText, r.activeCc),
    ],
    ['blocks --active --json', timeCell(r.activeOurs), timeCell(r.activeCc), ratioCell(r.activeOurs, r.activeCc)],
    ['  peak RSS', fmtMB(r.activeOurs.peakKB), r.activeCc ? fmtMB(r.activeCc.peakKB) : '', ''],
    ['watch: first line', w.firstLineMs === null ? 'FAILED' : fmtSeconds(w.firstLineMs), '', ''],
    ['watch: append → NDJSON line', watchLatency, 'no watch mode', ''],
    ['watch: peak RSS (VmHWM at end)', fmtMB(w.peakKB), '', ''],
    [
      `watch: idle CPU over ${IDLE_SECONDS} s`,
      w.idleCpuPercent === null ? 'n/a' : `${w.idleCpuPercent.toFixed(2)} %  (${w.idleLines} lines printed while idle)`,
      '',
      '',
    ],
  ];
  const notes = w.unpromptedLines ? `\n  note: watch printed ${w.unpromptedLines} extra line(s) between appends` : '';
  return `${header}\n${table(rows)}${notes}\n`;
}

async function main(): Promise<void> {
  const version = CCUSAGE.version;
  const lines: string[] = [
    'Breather benchmark (warm page cache: the OS cache is not dropped between runs)',
    `Node ${process.version}, ${cpus().length} CPUs; ccusage ${version} (${CCUSAGE.label}${SKIP_CCUSAGE ? ', skipped' : ''}); ` +
      `peak RSS via ${RSS_METHOD}; watch RSS via /proc VmHWM read before exit`,
    `corpus seed ${SEED}, generator v${CORPUS_GENERATOR_VERSION}, ${DAYS} days ending yesterday (UTC)`,
    '',
  ];
  if (!existsSync(BREATHER)) {
    process.stdout.write(lines.join('\n') + `\n${BREATHER} is missing: run npm run build.\n`);
    process.exitCode = 1;
    return;
  }
  process.stdout.write(lines.join('\n') + '\n');
  for (const mb of SIZES_MB) {
    const r = await benchSize(mb);
    process.stdout.write(report(r) + '\n');
    (globalThis as { gc?: () => void }).gc?.();
  }
  process.stdout.write(`${hookBenchTable(benchHooks(join(REPO, 'dist/cli/breather-hook.mjs')))}\n\n`);
  try {
    const c = await benchCheckpoint();
    process.stdout.write(
      table([
        ['checkpoint', 'files', 'changed', 'time'],
        ['git snapshot', String(c.files), String(c.changed), fmtSeconds(c.ms)],
      ]) + '\n',
    );
  } catch (error) {
    process.stdout.write(`checkpoint: FAILED ${(error as Error).message}\n`);
  }
}

await main();
