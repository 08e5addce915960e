// `breather statusline`: Claude Code runs it on every assistant message with
// JSON on stdin. It records the official rate-limit figures in the snapshot
// file (the tray and `watch` see the change through a file watch), then shows
// the user's own statusLine command's output, or a compact line of its own.
import { closeSync, mkdirSync, openSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { type StatuslineReportOnly, type StatuslineSnapshot, mergeStatuslineReport, statuslineSnapshotPath } from '../limits/statusline-snapshot.js';
import { isRecord, parseJsonObject } from '../json-object.js';
import { fileMtimeMs, readJsonFileSync } from './hook-runtime.js';
import { INTEGRATION_RECORD_FILE } from './integration-record.js';
import { writeFileAtomicSync } from '../atomic-file.js';

const LOCK_WAIT_MS = 500;
const STALE_LOCK_MS = 2000;
const pause = new Int32Array(new SharedArrayBuffer(4));

/** Runs fn holding `<file>.lock`; a lock left behind by a killed bridge goes stale, and a busy one is not waited on forever. */
function withFileLock<T>(file: string, fn: () => T): T {
  const lock = `${file}.lock`;
  const deadline = Date.now() + LOCK_WAIT_MS;
  let held = false;
  while (!held) {
    try {
      closeSync(openSync(lock, 'wx'));
      held = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') break;
      const mtime = fileMtimeMs(lock);
      if (mtime !== null && Date.now() - mtime > STALE_LOCK_MS) {
        try {
          unlinkSync(lock);
        } catch {
          // Another bridge removed it first.
        }
        continue;
      }
      if (Date.now() > deadline) break;
      Atomics.wait(pause, 0, 0, 3);
    }
  }
  try {
    return fn();
  } finally {
    if (held) {
      try {
        unlinkSync(lock);
      } catch {
        // Already gone.
      }
    }
  }
}

/** Merges one report into the snapshot file under a lock, so the newest figures win across concurrent sessions. */
export async function recordStatuslineReport(stateDir: string, stdinText: string, now: Date): Promise<StatuslineSnapshot | StatuslineReportOnly | null> {
  const path = statuslineSnapshotPath(stateDir);
  mkdirSync(stateDir, { recursive: true });
  return withFileLock(path, () => {
    const read = readJsonFileSync(path);
    const merged = mergeStatuslineReport(read.state === 'ok' ? read.value : null, stdinText, now);
    // Rewritten on every message: atomic (readers never see half a file), not flushed to disk each time.
    if (merged) writeFileAtomicSync(path, `${JSON.stringify(merged, null, 2)}\n`, { durable: false });
    return merged;
  });
}

/** The user's statusLine command that install replaced, if it was a command. */
export function previousStatuslineCommand(stateDir: string): string | null {
  const read = readJsonFileSync(join(stateDir, INTEGRATION_RECORD_FILE));
  if (read.state !== 'ok') return null;
  const previous = read.value.previousStatusLine;
  return isRecord(previous) && typeof previous.command === 'string' && previous.command.trim() !== '' ? previous.command : null;
}

/**
 * Runs the user's command through the shell with the same stdin. Its stdout,
 * or null when it printed nothing, failed to start or ran past the timeout
 * (then it is killed, with its process group).
 */
export async function runUserStatusline(command: string, stdinText: string, timeoutMs: number): Promise<string | null> {
  // Loaded only when there is a command to run: child_process costs several ms of start-up on every message.
  const { spawn } = await import('node:child_process');
  return new Promise((done) => {
    const posix = process.platform !== 'win32';
    let settled = false;
    const finish = (value: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      done(value !== null && value.trim() !== '' ? value : null);
    };
    const child = spawn(command, { shell: true, stdio: ['pipe', 'pipe', 'ignore'], detached: posix, windowsHide: true });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      try {
        if (posix && child.pid) process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // Already gone.
      }
      finish(null);
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', () => finish(null));
    child.on('close', () => finish(Buffer.concat(chunks).toString('utf8')));
    child.stdin.on('error', () => undefined); // a command that never reads stdin closes it early
    child.stdin.end(stdinText);
  });
}

function countdown(resetsAtSec: number, nowMs: number): string {
  const minutes = Math.max(0, Math.ceil((resetsAtSec * 1000 - nowMs) / 60_000));
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours >= 48) return `${Math.round(hours / 24)}d`;
  return `${hours}h${String(minutes % 60).padStart(2, '0')}`;
}

/**
 * `5h 37% · resets 1h20 · week 12%`. Figures not from this very report (kept
 * from an earlier one) are estimates and carry `~`; a window whose reset has
 * passed shows 0.
 */
export function bridgeLine(snapshot: StatuslineSnapshot | StatuslineReportOnly | null, fromThisReport: boolean, nowMs: number): string {
  const limits = snapshot?.rate_limits ?? {};
  const parts: string[] = [];
  const marker = fromThisReport ? '' : '~';
  const five = limits.five_hour;
  if (five) {
    const reset = five.resets_at !== null && five.resets_at * 1000 <= nowMs;
    parts.push(`5h ${reset ? '~0' : `${marker}${Math.round(five.used_percentage)}`}%`);
    if (five.resets_at !== null && !reset) parts.push(`resets ${countdown(five.resets_at, nowMs)}`);
  }
  const week = limits.seven_day;
  if (week) {
    const reset = week.resets_at !== null && week.resets_at * 1000 <= nowMs;
    parts.push(`week ${reset ? '~0' : `${marker}${Math.round(week.used_percentage)}`}%`);
  }
  return parts.length > 0 ? parts.join(' · ') : 'Breather: no limit figures yet';
}

export interface BridgeRun {
  /** What to print: the user's command's stdout unchanged, or Breather's line. */
  output: string;
  snapshot: StatuslineSnapshot | StatuslineReportOnly | null;
  /** Why the snapshot could not be written, if it could not. */
  problem: string | null;
}

export async function runStatuslineBridge(stdinText: string, stateDir: string, timeoutMs: number, now: Date): Promise<BridgeRun> {
  const command = previousStatuslineCommand(stateDir);
  // Start the user's command first: it runs while the snapshot is written.
  const user = command ? runUserStatusline(command, stdinText, timeoutMs) : Promise.resolve(null);
  let snapshot: BridgeRun['snapshot'] = null;
  let problem: string | null = null;
  try {
    snapshot = await recordStatuslineReport(stateDir, stdinText, now);
  } catch (error) {
    problem = `could not write the statusline snapshot: ${(error as Error).message}`;
  }
  const userOutput = await user;
  if (userOutput !== null) return { output: userOutput, snapshot, problem };
  const input = parseJsonObject(stdinText);
  const fromThisReport = snapshot !== null && snapshot.receivedAt === now.toISOString() && input !== null && isRecord(input.rate_limits);
  return { output: `${bridgeLine(snapshot, fromThisReport, now.getTime())}\n`, snapshot, problem };
}
