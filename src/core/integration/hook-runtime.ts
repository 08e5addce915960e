// What every hook and the statusline bridge share: stdin, tolerant reads of
// Breather's state files, the hook log, the project a directory belongs to.
// Synchronous and dependency-free on purpose: these run on every assistant
// message and tool call, where Node's start-up is most of the cost.
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isRecord } from '../json-object.js';

export const HOOK_LOG_FILE = 'hooks.log';
/** A broken state file logs on every tool call: past this the log moves to hooks.log.1 and starts again. */
const HOOK_LOG_MAX_BYTES = 1024 * 1024;

export function readStdinText(): Promise<string> {
  return new Promise((done) => {
    if (process.stdin.isTTY) return done('');
    const chunks: Buffer[] = [];
    process.stdin.on('data', (chunk: Buffer) => chunks.push(chunk));
    process.stdin.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', () => done(Buffer.concat(chunks).toString('utf8')));
  });
}

export type JsonFileRead = { state: 'missing' } | { state: 'corrupt'; error: string } | { state: 'ok'; value: Record<string, unknown> };

/** A JSON object file: missing, corrupt (unreadable, not JSON, not an object) or its value. */
export function readJsonFileSync(path: string): JsonFileRead {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? { state: 'missing' } : { state: 'corrupt', error: `cannot read (${code})` };
  }
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? { state: 'ok', value } : { state: 'corrupt', error: 'not a JSON object' };
  } catch (error) {
    return { state: 'corrupt', error: (error as Error).message };
  }
}

/** One line in <state>/hooks.log; never throws (a hook must not fail because it cannot log). */
export function logHookProblem(stateDir: string, source: string, message: string, now = new Date()): void {
  try {
    mkdirSync(stateDir, { recursive: true });
    const path = join(stateDir, HOOK_LOG_FILE);
    if ((fileSizeOf(path) ?? 0) > HOOK_LOG_MAX_BYTES) renameSync(path, `${path}.1`);
    appendFileSync(path, `${now.toISOString()} ${source}: ${message.replace(/\s+/g, ' ')}\n`);
  } catch {
    // Nowhere left to report it.
  }
}

/** The settings the hooks use, read from Breather's settings.json without the schema (defaults as in src/shared/settings.ts). */
export interface HookSettings {
  statuslineTimeoutMs: number;
  sessionStartContext: boolean;
  pauseEndsAt: 'reset' | 'manual';
}

export const HOOK_SETTING_DEFAULTS: HookSettings = { statuslineTimeoutMs: 2000, sessionStartContext: false, pauseEndsAt: 'reset' };

export function readHookSettings(stateDir: string): HookSettings {
  const read = readJsonFileSync(join(stateDir, 'settings.json'));
  const settings = { ...HOOK_SETTING_DEFAULTS };
  if (read.state !== 'ok') return settings;
  const integration = isRecord(read.value.integration) ? read.value.integration : {};
  const pause = isRecord(read.value.pause) ? read.value.pause : {};
  const timeout = integration.statuslineTimeoutMs;
  if (typeof timeout === 'number' && Number.isFinite(timeout) && timeout >= 100 && timeout <= 30_000) settings.statuslineTimeoutMs = timeout;
  if (typeof integration.sessionStartContext === 'boolean') settings.sessionStartContext = integration.sessionStartContext;
  if (pause.endsAt === 'manual' || pause.endsAt === 'reset') settings.pauseEndsAt = pause.endsAt;
  return settings;
}

/**
 * The git top level holding dir, found by walking up to the nearest `.git`
 * (a folder, or the file a linked worktree has) instead of running git: a
 * PreToolUse hook runs before every tool call. null outside a repository.
 */
export function gitTopLevelOf(dir: string): string | null {
  let current = resolve(dir);
  for (;;) {
    if (existsSync(join(current, '.git'))) return current;
    const parent = dirname(current);
    if (parent === current) return null;
    current = parent;
  }
}

/** The project a session's cwd belongs to: its git top level, else the folder itself. */
export function projectOfCwd(cwd: string): string {
  return gitTopLevelOf(cwd) ?? resolve(cwd);
}

export function isLiveProcess(pid: unknown): boolean {
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function fileSizeOf(path: string): number | null {
  try {
    return statSync(path).size;
  } catch {
    return null;
  }
}

export function fileMtimeMs(path: string): number | null {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return null;
  }
}
