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
import { type CheckpointOutcome, type CheckpointTrigger, clearPauses, latestCheckpointFor, projectDirFor } from '../core/checkpoint/checkpoint-service.js';
import { CheckpointStore, type CheckpointProjectRecord } from '../core/checkpoint/checkpoint-store.js';
import { createExecGitRunner } from '../core/checkpoint/exec-git-runner.js';
import { shellQuote } from '../core/checkpoint/resume-prompt.js';
import { systemClock } from '../core/ports.js';
import { resolveStateDir } from '../core/state-dir.js';
import { UsageError } from './cli-error.js';
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

function describeProject(p: CheckpointProjectRecord): string {
  const lines = [`${p.projectDir}: ${p.status === 'stashed' ? `stash ${p.stashSha?.slice(0, 12)} (${p.changedFiles} files)` : p.status === 'refused' ? `no stash: ${p.refusal}` : p.status === 'nothing-to-stash' ? 'nothing to stash' : 'not a git repository'}`];
  for (const s of p.submodules) lines.push(`  submodule ${s.repoRoot}: ${s.status}${s.stashSha ? ` ${s.stashSha.slice(0, 12)}` : ''}`);
  for (const n of p.notCaptured) lines.push(`  not captured: ${n}`);
  for (const f of p.skippedFiles) lines.push(`  skipped ${f.path} (${f.reason})`);
  lines.push(`  resume prompt: ${p.promptPath}`);
  return lines.join('\n');
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
  if (options.json) process.stdout.write(`${JSON.stringify({ checkpoint: outcome.record }, null, 2)}\n`);
  else process.stdout.write(`${pause ? 'Paused and checkpointed' : 'Checkpoint'} ${outcome.record.id}\n${outcome.record.projects.map(describeProject).join('\n')}\n`);
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

export async function checkpointsCommand(options: { json?: boolean }): Promise<void> {
  const store = new CheckpointStore(resolveStateDir());
  const all = await store.list();
  const pauses = await store.pauses();
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ checkpoints: all, paused: pauses }, null, 2)}\n`);
    return;
  }
  if (all.length === 0) process.stdout.write('No checkpoints yet.\n');
  for (const record of all) process.stdout.write(`${record.id}  ${record.createdAt}  ${record.trigger}${record.paused ? ' (paused)' : ''}\n${record.projects.map((p) => `  ${describeProject(p).replace(/\n/g, '\n  ')}`).join('\n')}\n`);
  for (const p of pauses) process.stdout.write(`paused: ${p.projectDir} since ${p.since}${p.resetsAt ? `, resets ${p.resetsAt}` : ''}\n`);
}

/** The exact commands that bring a checkpoint back, for people and for --apply. */
export function restoreSteps(project: CheckpointProjectRecord): string[][] {
  if (!project.stashSha) return [];
  const steps: string[][] = [];
  if (project.branch) steps.push(['git', 'switch', project.branch]);
  else if (project.head) steps.push(['git', 'checkout', '--detach', project.head]);
  steps.push(['git', 'stash', 'apply', '--index', project.stashSha]);
  return steps;
}

export async function restoreCommand(id: string, options: { apply?: boolean; project?: string; json?: boolean }): Promise<void> {
  const record = await new CheckpointStore(resolveStateDir()).find(id);
  if (!record) throw new UsageError(`No checkpoint "${id}". See \`breather checkpoints\`.`);
  // --project may be relative or a subdirectory: match it the way resume does.
  const target = options.project ? projectDirFor(record.projects.map((p) => p.projectDir), options.project) : null;
  const projects = record.projects.filter((p) => p.stashSha && (!options.project || p.projectDir === target));
  if (projects.length === 0) throw new UsageError(`Checkpoint ${record.id} has no stash to restore${options.project ? ` for ${options.project}` : ''}.`);
  const git = createExecGitRunner();
  const report: { projectDir: string; commands: string[]; applied: boolean }[] = [];
  const commandsFor = (project: CheckpointProjectRecord) => [`cd ${shellQuote(project.projectDir)}`, ...restoreSteps(project).map((s) => s.map(shellQuote).join(' '))];
  // Applying over local changes could mix two states: only on clean trees, all
  // checked before any is touched, so a refusal never leaves a partial restore.
  for (const project of options.apply ? projects : []) {
    const dirty = await git.run(['status', '--porcelain', '--untracked-files=normal'], { cwd: project.projectDir });
    if (dirty.code !== 0) throw new UsageError(`Cannot read the state of ${project.projectDir}: ${dirty.stderr.trim()}`);
    if (dirty.stdout.length > 0) throw new UsageError(`Refusing to restore into ${project.projectDir}: the working tree has changes. Commit or stash them first, or run the commands by hand:\n${commandsFor(project).join('\n')}`);
  }
  for (const project of projects) {
    const steps = restoreSteps(project);
    const commands = commandsFor(project);
    if (!options.apply) {
      report.push({ projectDir: project.projectDir, commands, applied: false });
      continue;
    }
    for (const step of steps) {
      const result = await git.run(step.slice(1), { cwd: project.projectDir });
      if (result.code !== 0) throw new UsageError(`\`${step.join(' ')}\` failed in ${project.projectDir}: ${result.stderr.trim()}`);
    }
    report.push({ projectDir: project.projectDir, commands, applied: true });
  }
  if (options.json) process.stdout.write(`${JSON.stringify({ checkpoint: record.id, projects: report }, null, 2)}\n`);
  else for (const r of report) process.stdout.write(`${r.applied ? `Restored ${r.projectDir} with:` : `To restore ${r.projectDir}, run:`}\n  ${r.commands.join('\n  ')}\n`);
}
