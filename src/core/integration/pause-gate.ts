// The PreToolUse gate: a tool call in a project that `breather pause` (or an
// automatic checkpoint on a limit) paused is denied, with a short factual
// reason. Anything unexpected allows: the gate never fails closed by accident.
import { join } from 'node:path';
import type { PauseMark } from '../checkpoint/checkpoint-store.js';
import type { StatuslineRateLimits } from '../limits/statusline-snapshot.js';
import { WINDOW_LENGTH_MS } from '../limits/official-limits.js';
import { statuslineSnapshotPath, sanitizeRateLimits } from '../limits/statusline-snapshot.js';
import { isRecord } from '../json-object.js';
import { logHookProblem, projectOfCwd, readJsonFileSync } from './hook-runtime.js';

export const PAUSES_FILE = 'paused.json';

/** The window a pause mark names (a limit-hit kind), as the statusline calls it, with its label. */
const WINDOW_OF_MARK: Record<string, { id: 'five_hour' | 'seven_day'; label: string }> = {
  five_hour: { id: 'five_hour', label: 'the 5-hour limit' },
  weekly: { id: 'seven_day', label: 'the weekly limit' },
  seven_day: { id: 'seven_day', label: 'the weekly limit' },
};

/** When a pause ends by itself: at its window's reset (5 hours after it began when no reset is known); never in manual mode. */
export function pauseEndsAtMs(mark: PauseMark, mode: 'reset' | 'manual'): number | null {
  if (mode === 'manual') return null;
  const reset = mark.resetsAt ? Date.parse(mark.resetsAt) : Number.NaN;
  return Number.isFinite(reset) ? reset : Date.parse(mark.since) + WINDOW_LENGTH_MS.five_hour;
}

/** The mark that closes the gate for this project now, if any. */
export function activePauseFor(project: string, marks: readonly PauseMark[], nowMs: number, mode: 'reset' | 'manual'): PauseMark | null {
  for (const mark of marks) {
    if (mark.projectDir !== project) continue;
    const ends = pauseEndsAtMs(mark, mode);
    if (ends === null || ends > nowMs) return mark;
  }
  return null;
}

/** "Breather paused this project at 92% of the 5-hour limit; the work is saved as checkpoint <id>; resume with `breather resume`." */
export function denyReason(mark: PauseMark, limits: StatuslineRateLimits | null, mode: 'reset' | 'manual'): string {
  const window = WINDOW_OF_MARK[mark.window ?? 'five_hour'] ?? WINDOW_OF_MARK.five_hour!;
  const used = limits?.[window.id]?.used_percentage;
  const at = used === undefined ? '' : ` at ${Math.round(used)}% of ${window.label}`;
  const until = mode === 'manual' ? '' : mark.resetsAt ? ` It ends by itself at the reset, ${mark.resetsAt}.` : '';
  return `Breather paused this project${at}; the work is saved as checkpoint ${mark.checkpointId}; resume with \`breather resume\`.${until}`;
}

function validMarks(value: Record<string, unknown>): PauseMark[] | null {
  if (!Array.isArray(value.paused)) return null;
  return value.paused.filter((m): m is PauseMark => isRecord(m) && typeof m.projectDir === 'string' && typeof m.checkpointId === 'string' && typeof m.since === 'string');
}

export interface GateDecision {
  deny: boolean;
  /** The hook's stdout: the deny JSON, or nothing. */
  output: string;
}

/** Decides one PreToolUse call from its stdin payload and the state directory. */
export function pauseGate(input: Record<string, unknown> | null, stateDir: string, mode: 'reset' | 'manual', now: Date): GateDecision {
  const allow: GateDecision = { deny: false, output: '' };
  const cwd = typeof input?.cwd === 'string' ? input.cwd : null;
  if (cwd === null) {
    logHookProblem(stateDir, 'pre-tool-use', 'no cwd in the hook input; allowed', now);
    return allow;
  }
  const read = readJsonFileSync(join(stateDir, PAUSES_FILE));
  if (read.state === 'missing') return allow;
  const marks = read.state === 'ok' ? validMarks(read.value) : null;
  if (marks === null) {
    logHookProblem(stateDir, 'pre-tool-use', `${join(stateDir, PAUSES_FILE)} is unusable (${read.state === 'corrupt' ? read.error : 'no "paused" list'}); allowed`, now);
    return allow;
  }
  if (marks.length === 0) return allow;
  const mark = activePauseFor(projectOfCwd(cwd), marks, now.getTime(), mode);
  if (!mark) return allow;
  const snapshot = readJsonFileSync(statuslineSnapshotPath(stateDir));
  const limits = snapshot.state === 'ok' ? sanitizeRateLimits(snapshot.value.rate_limits) : null;
  const output = {
    hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: denyReason(mark, limits, mode) },
  };
  return { deny: true, output: `${JSON.stringify(output)}\n` };
}
