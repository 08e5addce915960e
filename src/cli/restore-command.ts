// `breather restore <id>`: prints the commands that bring a checkpoint back,
// or runs them with --apply. The id may be `latest`, a unique prefix or the
// short tail shown in lists; an empty or ambiguous id lists the candidates and
// restores nothing. --project may name another clone of the same repository.
import { gitTopLevel, projectDirFor } from '../core/checkpoint/checkpoint-service.js';
import { hasCommit, partsNeedingFetch, prepareRestore, runRestore, type RepoRestore, restoreCommands, RestoreRefused, restorePlan } from '../core/checkpoint/checkpoint-restore.js';
import { CheckpointStore, type CheckpointProjectRecord, type CheckpointRecord } from '../core/checkpoint/checkpoint-store.js';
import { createExecGitRunner } from '../core/checkpoint/exec-git-runner.js';
import type { GitRunner } from '../core/ports.js';
import { resolveStateDir } from '../core/state-dir.js';
import { UsageError } from './cli-error.js';

export interface RestoreOptions {
  apply?: boolean;
  project?: string;
  json?: boolean;
}

const MAX_CANDIDATES = 10;

function candidateList(records: readonly CheckpointRecord[]): string {
  const shown = records.slice(-MAX_CANDIDATES).map((r) => `  ${r.id}  ${r.projects.map((p) => p.projectDir).join(', ')}`);
  const more = records.length > MAX_CANDIDATES ? [`  … and ${records.length - MAX_CANDIDATES} older`] : [];
  return [...more, ...shown].join('\n');
}

async function findRecord(id: string): Promise<CheckpointRecord> {
  const store = new CheckpointStore(resolveStateDir());
  const match = await store.resolve(id);
  if (match.kind === 'found') return match.record;
  if (match.kind === 'none') throw new UsageError(`No checkpoint "${id}". See \`breather checkpoints\`.`);
  if (match.candidates.length === 0) throw new UsageError('No checkpoints yet.');
  const what = id.trim() === '' ? 'No checkpoint id given' : `"${id}" matches ${match.candidates.length} checkpoints`;
  throw new UsageError(`${what}; nothing was restored. Name one (or \`latest\`):\n${candidateList(match.candidates)}`);
}

/**
 * Which projects to restore, and where. --project names one of the
 * checkpoint's projects (or a folder inside one), or another clone: then the
 * project whose stash that clone has, or the only stashed one.
 */
async function targetsFor(git: GitRunner, record: CheckpointRecord, project: string | undefined): Promise<{ project: CheckpointProjectRecord; root: string }[]> {
  const stashed = record.projects.filter((p) => p.stashSha);
  if (stashed.length === 0) throw new UsageError(`Checkpoint ${record.id} has no stash to restore.`);
  if (!project) return stashed.map((p) => ({ project: p, root: p.projectDir }));
  const recorded = projectDirFor(record.projects.map((p) => p.projectDir), project);
  if (recorded) {
    const match = stashed.find((p) => p.projectDir === recorded);
    if (!match) throw new UsageError(`Checkpoint ${record.id} has no stash to restore for ${project}.`);
    return [{ project: match, root: match.projectDir }];
  }
  const clone = await gitTopLevel(git, project);
  if (!clone) throw new UsageError(`${project} is not inside a git working tree, and checkpoint ${record.id} was not taken there.`);
  const present: CheckpointProjectRecord[] = [];
  for (const p of stashed) if (await hasCommit(git, clone, p.stashSha!)) present.push(p);
  const chosen = present.length === 1 ? present[0]! : stashed.length === 1 ? stashed[0]! : null;
  if (!chosen) {
    throw new UsageError(
      `Checkpoint ${record.id} covers ${stashed.length} repositories and ${clone} holds ${present.length === 0 ? 'none' : 'several'} of their stashes; ` +
        `restore from one of them:\n${stashed.map((p) => `  breather restore ${record.id} --project ${p.projectDir}`).join('\n')}`,
    );
  }
  return [{ project: chosen, root: clone }];
}

export async function restoreCommand(id: string, options: RestoreOptions): Promise<void> {
  const record = await findRecord(id);
  const git = createExecGitRunner();
  const targets = await targetsFor(git, record, options.project);
  const plans: { projectDir: string; plan: RepoRestore[]; fetches: Set<RepoRestore> }[] = [];
  for (const t of targets) {
    const plan = restorePlan(t.project, t.root);
    plans.push({ projectDir: t.root, plan, fetches: await partsNeedingFetch(git, plan) });
  }
  const report = plans.map(({ projectDir, plan, fetches }) => ({ projectDir, commands: restoreCommands(plan, fetches), applied: false }));
  if (options.apply) {
    try {
      // Every repository is checked before any is touched: a refusal never leaves a partial restore.
      for (const [i, { plan, fetches }] of plans.entries()) await prepareRestore(git, plan, report[i]!.commands.join('\n'), fetches);
      for (const [i, { plan }] of plans.entries()) {
        await runRestore(git, plan);
        report[i]!.applied = true;
      }
    } catch (error) {
      if (error instanceof RestoreRefused) throw new UsageError(error.message);
      throw error;
    }
  }
  if (options.json) process.stdout.write(`${JSON.stringify({ checkpoint: record.id, projects: report }, null, 2)}\n`);
  else for (const r of report) process.stdout.write(`${r.applied ? `Restored ${r.projectDir} with:` : `To restore ${r.projectDir}, run:`}\n  ${r.commands.join('\n  ')}\n`);
}
