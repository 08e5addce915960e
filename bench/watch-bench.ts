// watch: first-line latency, append → status latency, idle CPU.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { appendFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assistantLine } from '../test/support/corpus-generator.js';
import { APPENDS, BREATHER, IDLE_SECONDS, ourEnv, readVmHWM, sleep } from './bench-support.js';

// watch: append latency and idle CPU

/** Reads NDJSON lines from a child's stdout; waiters get the next line or null on timeout. */
export class LineReader {
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

  /** The lines that came unasked, taken out. */
  drain(): string[] {
    return this.queue.splice(0);
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

export function fiveHourTokens(line: string): number | null {
  try {
    const status = JSON.parse(line) as { windows?: { five_hour?: { tokens?: number } } };
    return status.windows?.five_hour?.tokens ?? null;
  } catch {
    return null;
  }
}

/** utime + stime of a process, in seconds. */
export function cpuSeconds(pid: number, ticksPerSecond: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return null;
  }
}

export function clockTicks(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

export interface WatchResult {
  firstLineMs: number | null;
  latencies: number[];
  timeouts: number;
  tokensSeen: number;
  /** Lines printed with no append before them, by their `type` (status, alert, …). */
  unprompted: Record<string, number>;
  peakKB: number | null;
  idleCpuPercent: number | null;
  idleLines: number;
  error: string;
}

export const APPEND_SESSION = 'b3e7c4a0-0000-4000-8000-00000000be7c';

/** Where the bench writes a session of its own: in the corpus's first project folder. */
export function benchSessionFile(root: string, sessionId: string): string {
  const projectDirs = readdirSync(join(root, 'projects')).sort();
  return join(root, 'projects', projectDirs[0] ?? 'bench', `${sessionId}.jsonl`);
}

/** Line i of a session the bench appends to: a new response each, stamped now. */
export function appendedResponses(sessionId: string): (i: number) => string {
  const runId = Date.now().toString(36);
  return (i) =>
    assistantLine({
      sessionId,
      cwd: '/home/dev/code/bench-append',
      timestamp: new Date(),
      messageId: `msg_01bench${runId}${String(i).padStart(4, '0')}`,
      requestId: `req_011Cbench${runId}${String(i).padStart(4, '0')}`,
      uuid: `00000000-0000-4000-8000-${runId.padStart(8, '0')}${String(i).padStart(4, '0')}`,
      usage: { input: 3, output: 150 + i, cacheCreation: 400, cacheRead: 40_000 },
      text: 'Appended by the bench.',
    }) + '\n';
}

function countUnprompted(result: WatchResult, lines: readonly string[]): void {
  for (const line of lines) {
    let type = 'unparsed';
    try {
      type = String((JSON.parse(line) as { type?: unknown }).type ?? 'untyped');
    } catch {
      // counted as unparsed
    }
    result.unprompted[type] = (result.unprompted[type] ?? 0) + 1;
  }
}

export async function benchWatch(root: string, state: string, emptyHome: string): Promise<WatchResult> {
  const result: WatchResult = {
    firstLineMs: null,
    latencies: [],
    timeouts: 0,
    tokensSeen: 0,
    unprompted: {},
    peakKB: null,
    idleCpuPercent: null,
    idleLines: 0,
    error: '',
  };
  // A session file of our own, removed afterwards, so the cached corpus stays as generated.
  const file = benchSessionFile(root, APPEND_SESSION);
  const line = appendedResponses(APPEND_SESSION);
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
    countUnprompted(result, reader.drain());
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
      countUnprompted(result, reader.drain());
    }
    if (child.pid !== undefined && IDLE_SECONDS > 0) {
      await sleep(2000);
      reader.drain();
      const ticks = clockTicks();
      const before = cpuSeconds(child.pid, ticks);
      await sleep(IDLE_SECONDS * 1000);
      const after = cpuSeconds(child.pid, ticks);
      result.idleLines = reader.drain().length;
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

