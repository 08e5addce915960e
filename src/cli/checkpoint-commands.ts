// checkpoint | pause | resume | checkpoints | restore: pause-and-checkpoint from the terminal.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resumeWindow } from '../core/alerts/alert-engine.js';
import { alertStatePath, parseAlertState, saveAlertState } from '../core/alerts/alert-state-store.js';
import { WINDOW_IDS } from '../core/limits/official-limits.js';
import { checkpointFromStatus } from '../core/app/breather-service.js';
import type { CurrentLimit } from '../core/app/current-limit.js';
import { limitCheckpointPlan } from '../core/integration/limit-checkpoint.js';
import { readStatuslineSnapshot } from '../core/limits/statusline-snapshot.js';
import { type CheckpointOutcome, type CheckpointTrigger, clearPauses, latestCheckpointFor } from '../core/checkpoint/checkpoint-service.js';
import { repairCheckpointIndex } from '../core/checkpoint/checkpoint-repair.js';
import { CheckpointStore, type CheckpointProjectRecord, type CheckpointRecord } from '../core/checkpoint/checkpoint-store.js';
import { createExecGitRunner } from '../core/checkpoint/exec-git-runner.js';
import { shellQuote } from '../core/checkpoint/resume-prompt.js';
import { systemClock } from '../core/ports.js';
import { resolveStateDir } from '../core/state-dir.js';
import { UsageError } from './cli-error.js';
import { cliTimeZone, formatWhen } from './time-format.js';
import { type DataOptions, type OpenedUsage, monitorFor, openUsage } from './usage-session.js';

export interface CheckpointOptions extends DataOptions {
  project?: string;
  json?: boolean;
  limitHitSession?: string;
  transcript?: string;
}

export async function runCheckpoint(
  opened: OpenedUsage,
  trigger: CheckpointTrigger,
  options: { project?: string; pause?: boolean; autoKey?: string; limitHitSession?: string | undefined },
): Promise<CheckpointOutcome> {
  const monitor = monitorFor(opened, null);
  const status = await monitor.snapshot();
  let hook: { autoKey: string; limit: CurrentLimit | null } | null = null;
  if (options.limitHitSession !== undefined) {
    // The StopFailure hook's fallback: the same plan (and once-only key) the running service would use.
    const statusline = await readStatuslineSnapshot(opened.stateDir, new Date(Date.parse(status.now)));
    hook = limitCheckpointPlan(options.limitHitSession || null, status, opened.engine.limitHits(), statusline);
  }
  return checkpointFromStatus({
    trigger,
    options: {
      ...(options.project ? { projectDir: options.project } : {}),
      pause: Boolean(options.pause),
      ...(options.autoKey ? { autoKey: options.autoKey } : {}),
      ...(hook ? { autoKey: hook.autoKey, limit: hook.limit } : {}),
    },
    status,
    engine: opened.engine,
    monitor,
    stateDir: opened.stateDir,
    settings: opened.settings.settings,
    git: createExecGitRunner(),
    clock: systemClock,
  });
}

const STATUS_TEXT: Record<string, string> = {
  'nothing-to-stash': 'nothing to stash',
  'not-a-repo': 'not a git repository',
  'bare-repo': 'bare repository (no working tree to save)',
};

export function describeProject(p: CheckpointProjectRecord): string {
  const lines = [`${p.projectDir}: ${p.status === 'stashed' ? `stash ${p.stashSha?.slice(0, 12)} (${p.changedFiles} files)` : p.status === 'refused' ? `no stash: ${p.refusal}` : (STATUS_TEXT[p.status] ?? p.status)}`];
  for (const s of p.submodules) lines.push(`  submodule ${s.repoRoot}: ${s.status}${s.stashSha ? ` ${s.stashSha.slice(0, 12)}` : ''}`);
  for (const n of p.notCaptured) lines.push(`  not captured: ${n}`);
  for (const f of p.skippedFiles) lines.push(`  skipped ${f.path} (${f.reason})`);
  lines.push(p.promptPath ? `  resume prompt: ${p.promptPath}` : '  resume prompt: not written');
  return lines.join('\n');
}

/** Exit codes of `checkpoint` and `pause` (also in --help and the README). */
export const CHECKPOINT_EXIT = { saved: 0, failed: 1, usage: 2, nothingSaved: 3 } as const;

/** Whether anything of a project is safe: a stash (its own or a submodule's), or nothing needed saving. */
function projectSaved(p: CheckpointProjectRecord): boolean {
  return p.stashSha !== null || p.submodules.some((s) => s.stashSha !== null) || p.status === 'nothing-to-stash';
}

/** When the record could not be written, the stash still exists: say where, and how to get it back. */
function stashesToKeep(record: CheckpointRecord): string[] {
  return record.projects.flatMap((p) =>
    p.stashSha ? [`${p.projectDir}: stash ${p.stashSha}${p.privateRef ? ` (saved as ${p.privateRef})` : ''}; restore with: cd ${shellQuote(p.projectDir)} && git stash apply --index ${p.stashSha}`] : [],
  );
}

async function checkpointOrPause(options: CheckpointOptions, pause: boolean): Promise<void> {
  if (options.project && !existsSync(options.project)) throw new UsageError(`Project directory ${options.project} does not exist.`);
  const opened = await openUsage(options);
  const fromHook = options.limitHitSession !== undefined;
  const outcome = await runCheckpoint(opened, fromHook ? 'hook' : 'manual', {
    ...(options.project ? { project: options.project } : {}),
    pause: pause || fromHook,
    limitHitSession: options.limitHitSession,
  });
  if (!outcome.record) {
    if (options.json) process.stdout.write(`${JSON.stringify({ checkpoint: null, reason: outcome.skipped })}\n`);
    throw new UsageError(outcome.skipped ?? 'nothing to checkpoint');
  }
  const record = outcome.record;
  for (const notice of outcome.notices ?? []) process.stderr.write(`breather: note: ${notice}\n`);
  const saved = record.projects.some(projectSaved);
  if (options.json) {
    const extra = outcome.storageError ? { error: outcome.storageError, stashes: stashesToKeep(record) } : {};
    process.stdout.write(`${JSON.stringify({ checkpoint: record, ...extra, ...(outcome.notices ? { notices: outcome.notices } : {}) }, null, 2)}\n`);
  } else {
    process.stdout.write(`${pause ? 'Paused and checkpointed' : 'Checkpoint'} ${record.id}\n${record.projects.map(describeProject).join('\n')}\n`);
    if (outcome.storageError) {
      const kept = stashesToKeep(record);
      if (kept.length > 0) process.stdout.write(`The stash exists even though the record was not saved:\n  ${kept.join('\n  ')}\n`);
    }
  }
  if (outcome.storageError) {
    process.stderr.write(`breather: the checkpoint was not fully recorded: ${outcome.storageError}. Check that ${opened.stateDir} is writable and has free space.\n`);
    process.exitCode = CHECKPOINT_EXIT.failed;
  } else if (!saved) {
    process.stderr.write('breather: nothing was saved: no project could be snapshotted (see the reasons above).\n');
    process.exitCode = CHECKPOINT_EXIT.nothingSaved;
  }
}

export const checkpointCommand = (options: CheckpointOptions) => checkpointOrPause(options, false);
export const pauseCommand = (options: CheckpointOptions) => checkpointOrPause(options, true);

/** Nothing is paused any more: alerts for the windows `pause` muted speak again. */
async function unmuteAllWindows(stateDir: string): Promise<void> {
  const state = parseAlertState(JSON.parse(await readFile(alertStatePath(stateDir), 'utf8').catch(() => 'null')));
  if (!state || state.mutedWindows.length === 0) return;
  let next = state;
  for (const window of WINDOW_IDS) next = resumeWindow(next, window);
  await saveAlertState(stateDir, next);
}

export async function resumeCommand(options: CheckpointOptions): Promise<void> {
  const stateDir = resolveStateDir();
  const cleared = await clearPauses(stateDir, options.project);
  if ((await new CheckpointStore(stateDir).pauses()).length === 0) await unmuteAllWindows(stateDir);
  const latest = await latestCheckpointFor(stateDir, options.project);
  const prompt = latest ? await readFile(latest.project.promptPath, 'utf8').catch(() => null) : null;
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ resumed: cleared.map((m) => m.projectDir), checkpoint: latest?.record.id ?? null, promptPath: latest?.project.promptPath ?? null, prompt }, null, 2)}\n`);
    return;
  }
  process.stderr.write(cleared.length > 0 ? `Resumed ${cleared.map((m) => m.projectDir).join(', ')}.\n` : 'Nothing was paused.\n');
  if (prompt) process.stdout.write(prompt.endsWith('\n') ? prompt : `${prompt}\n`);
  else process.stderr.write('No checkpoint found.\n');
}

export async function checkpointsCommand(options: { json?: boolean; repair?: boolean; timezone?: string }): Promise<void> {
  const when = { nowMs: Date.now(), zone: cliTimeZone(options.timezone) };
  const stateDir = resolveStateDir();
  if (options.repair) {
    const report = await repairCheckpointIndex(stateDir, createExecGitRunner());
    if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else {
      for (const notice of report.notices) process.stderr.write(`breather: note: ${notice}\n`);
      process.stdout.write(`Looked in ${report.repositories.length} repositories; kept ${report.kept} checkpoint(s), rebuilt ${report.rebuilt.length}${report.rebuilt.length > 0 ? `: ${report.rebuilt.join(', ')}` : ''}.\n`);
    }
    return;
  }
  const store = new CheckpointStore(stateDir);
  const { records: all, problems } = await store.read();
  const pauses = await store.pauses();
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ checkpoints: all, paused: pauses, problems }, null, 2)}\n`);
    return;
  }
  for (const problem of problems) process.stderr.write(`breather: ${problem}\n`);
  if (all.length === 0) process.stdout.write('No checkpoints yet.\n');
  for (const record of all) process.stdout.write(`${record.id}  ${formatWhen(record.createdAt, when)}  ${record.trigger}${record.paused ? ' (paused)' : ''}\n${record.projects.map((p) => `  ${describeProject(p).replace(/\n/g, '\n  ')}`).join('\n')}\n`);
  for (const p of pauses) process.stdout.write(`paused: ${p.projectDir} since ${formatWhen(p.since, when)}${p.resetsAt ? `, resets ${formatWhen(p.resetsAt, when)}` : ''}\n`);
}
