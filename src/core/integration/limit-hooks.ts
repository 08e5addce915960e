// StopFailure and SessionStart, hook side. StopFailure ("rate_limit") asks for
// an automatic checkpoint of the session's project: handed to the running
// service when there is one, else run by the full CLI in the background, so
// the hook itself returns at once. SessionStart (opt-in) gives a session that
// starts in a paused project its checkpoint's resume notes, written as facts.
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckpointRecord } from '../checkpoint/checkpoint-store.js';
import { isRecord } from '../json-object.js';
import { HOOK_LOG_FILE, logHookProblem, projectOfCwd, readJsonFileSync } from './hook-runtime.js';
import { type LimitCheckpointRequest, runningServicePid, writeRequestSync } from './hook-requests.js';
import { PAUSES_FILE, activePauseFor } from './pause-gate.js';

export type StopFailureOutcome = { action: 'ignored'; why: string } | { action: 'handed-over'; requestPath: string } | { action: 'spawned'; pid: number | null };

/** The arguments of the full CLI run that checkpoints for a StopFailure when no service runs. */
export function checkpointArgs(request: LimitCheckpointRequest): string[] {
  return ['checkpoint', '--project', request.projectDir, '--limit-hit-session', request.sessionId ?? '', ...(request.transcriptPath ? ['--transcript', request.transcriptPath] : []), '--json'];
}

export async function stopFailureHook(input: Record<string, unknown> | null, stateDir: string, cliScript: string, now: Date): Promise<StopFailureOutcome> {
  if (input?.error !== 'rate_limit') return { action: 'ignored', why: 'not a usage limit' };
  if (typeof input.cwd !== 'string') {
    logHookProblem(stateDir, 'stop-failure', 'no cwd in the hook input; no checkpoint', now);
    return { action: 'ignored', why: 'no cwd' };
  }
  const request: LimitCheckpointRequest = {
    version: 1,
    kind: 'limit-checkpoint',
    sessionId: typeof input.session_id === 'string' ? input.session_id : null,
    cwd: input.cwd,
    projectDir: projectOfCwd(input.cwd),
    transcriptPath: typeof input.transcript_path === 'string' ? input.transcript_path : null,
    receivedAt: now.toISOString(),
  };
  if (runningServicePid(stateDir) !== null) return { action: 'handed-over', requestPath: writeRequestSync(stateDir, request) };
  // No tray app or `watch`: the full CLI does it, detached, its errors in the hook log.
  const { spawn } = await import('node:child_process');
  const log = openSync(join(stateDir, HOOK_LOG_FILE), 'a');
  try {
    const child = spawn(process.execPath, [cliScript, ...checkpointArgs(request)], { detached: true, stdio: ['ignore', 'ignore', log], cwd: request.projectDir, windowsHide: true });
    child.on('error', (error) => logHookProblem(stateDir, 'stop-failure', `could not start the checkpoint: ${error.message}`));
    child.unref();
    return { action: 'spawned', pid: child.pid ?? null };
  } finally {
    closeSync(log);
  }
}

/** The additionalContext for a session starting in a paused project, or null. */
export function sessionStartContext(input: Record<string, unknown> | null, stateDir: string, mode: 'reset' | 'manual', now: Date): string | null {
  if (typeof input?.cwd !== 'string') return null;
  const pauses = readJsonFileSync(join(stateDir, PAUSES_FILE));
  if (pauses.state !== 'ok' || !Array.isArray(pauses.value.paused)) return null;
  const project = projectOfCwd(input.cwd);
  const mark = activePauseFor(project, pauses.value.paused.filter(isRecord) as never, now.getTime(), mode);
  if (!mark) return null;
  const index = readJsonFileSync(join(stateDir, 'checkpoints', 'index.json'));
  const records = index.state === 'ok' && Array.isArray(index.value.checkpoints) ? (index.value.checkpoints as CheckpointRecord[]) : [];
  const record = records.find((r) => r.id === mark.checkpointId);
  const entry = record?.projects.find((p) => p.projectDir === project);
  let prompt: string | null = null;
  try {
    prompt = entry ? readFileSync(entry.promptPath, 'utf8') : null;
  } catch {
    prompt = null;
  }
  const limit = record?.limit?.windowLabel ? ` when the ${record.limit.windowLabel} was reached` : '';
  const lines = [
    `Breather paused this project on ${mark.since}${limit} and saved its work in progress as checkpoint ${mark.checkpointId}.`,
    mark.resetsAt && mode === 'reset' ? `The limit resets at ${mark.resetsAt}; tool calls are blocked until then or until the user runs \`breather resume\`.` : 'Tool calls are blocked until the user runs `breather resume`.',
  ];
  if (prompt) lines.push('', 'The checkpoint\'s resume notes:', '', prompt.trim());
  return lines.join('\n');
}
