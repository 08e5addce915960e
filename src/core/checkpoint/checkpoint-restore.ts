// Bringing a checkpoint back: the exact git commands, per repository (the
// project, then each dirty submodule in its own repository), and running them
// only when every repository is ready, so a refusal never leaves half a restore.
// The target may be another clone of the same repository: the stash commit is
// used if it is there, else fetched from the original recorded in the checkpoint.
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { GitRunner } from '../ports.js';
import type { CheckpointProjectRecord, CheckpointSubmoduleRecord } from './checkpoint-records.js';
import { gitLine } from './git-paths.js';
import { shellQuote } from './resume-markdown.js';

/** One repository's part of a restore. */
export interface RepoRestore {
  kind: 'project' | 'submodule';
  /** Where the commands run (in the target clone). */
  dir: string;
  /** The repository the stash was taken in (to fetch from when dir lacks it). */
  originalDir: string;
  stashSha: string;
  privateRef: string | null;
  /** A submodule's stash applies only on the HEAD it was made on. */
  expectHead: string | null;
  /** git argument lists (without `git`), in order. */
  steps: string[][];
}

/** The top-level commands that bring a project's stash back (argv with `git`). */
function restoreSteps(project: CheckpointProjectRecord): string[][] {
  if (!project.stashSha) return [];
  const steps: string[][] = [];
  if (project.branch) steps.push(['git', 'switch', project.branch]);
  else if (project.head) steps.push(['git', 'checkout', '--detach', project.head]);
  steps.push(['git', 'stash', 'apply', '--index', project.stashSha]);
  return steps;
}

/** Every repository to restore for a project, at targetRoot (default: where it was taken). Pure. */
export function restorePlan(project: CheckpointProjectRecord, targetRoot = project.projectDir): RepoRestore[] {
  if (!project.stashSha) return [];
  const originalRoot = project.repoRoot ?? project.projectDir;
  const plan: RepoRestore[] = [
    {
      kind: 'project',
      dir: targetRoot,
      originalDir: originalRoot,
      stashSha: project.stashSha,
      privateRef: project.privateRef,
      expectHead: null,
      steps: restoreSteps(project).map((step) => step.slice(1)),
    },
  ];
  for (const sub of project.submodules.filter((s): s is CheckpointSubmoduleRecord & { stashSha: string } => s.stashSha !== null)) {
    plan.push({
      kind: 'submodule',
      dir: join(targetRoot, relative(originalRoot, sub.repoRoot)),
      originalDir: sub.repoRoot,
      stashSha: sub.stashSha,
      privateRef: sub.privateRef,
      expectHead: sub.head,
      steps: [['stash', 'apply', '--index', sub.stashSha]],
    });
  }
  return plan;
}

/** One shell line that applies a submodule's stash only if its HEAD is still the one stashed on. */
export function submoduleRestoreCommand(sub: { dir: string; head: string | null; stashSha: string }): string {
  const check = sub.head ? `test "$(git rev-parse HEAD)" = ${sub.head} && ` : '';
  return `cd ${shellQuote(sub.dir)} && ${check}git stash apply --index ${sub.stashSha}`;
}

/** The plan as shell lines for people (and the resume prompt). Pure. */
export function restoreCommands(plan: readonly RepoRestore[], fetches: ReadonlySet<RepoRestore> = new Set()): string[] {
  const lines: string[] = [];
  for (const part of plan) {
    const fetch = fetches.has(part) && part.privateRef ? [fetchArgs(part).map(shellQuote).join(' ')] : [];
    if (part.kind === 'project') {
      lines.push(`cd ${shellQuote(part.dir)}`, ...fetch.map((f) => `git ${f}`), ...part.steps.map((s) => ['git', ...s].map(shellQuote).join(' ')));
    } else {
      if (fetch.length > 0) lines.push(`git -C ${shellQuote(part.dir)} ${fetch[0]}`);
      lines.push(submoduleRestoreCommand({ dir: part.dir, head: part.expectHead, stashSha: part.stashSha }));
    }
  }
  return lines;
}

function fetchArgs(part: RepoRestore): string[] {
  return ['fetch', '--no-tags', '-q', part.originalDir, `+${part.privateRef}:${part.privateRef}`];
}

export class RestoreRefused extends Error {}

/** Whether `sha` is a commit present in the repository at `dir`. */
export async function hasCommit(git: GitRunner, dir: string, sha: string): Promise<boolean> {
  const result = await git.run(['cat-file', '-e', `${sha}^{commit}`], { cwd: dir });
  return result.code === 0;
}

/** Parts whose stash commit is missing where it will be applied (they need a fetch). */
export async function partsNeedingFetch(git: GitRunner, plan: readonly RepoRestore[]): Promise<Set<RepoRestore>> {
  const missing = new Set<RepoRestore>();
  for (const part of plan) {
    if (part.dir !== part.originalDir && existsSync(part.dir) && !(await hasCommit(git, part.dir, part.stashSha))) missing.add(part);
  }
  return missing;
}

/**
 * Makes sure every repository is ready (clean tree, submodule HEADs, stash
 * present, fetched from the original if need be: `needingFetch` is
 * partsNeedingFetch's answer) and changes no file.
 * Throws RestoreRefused with a sentence for people.
 */
export async function prepareRestore(git: GitRunner, plan: readonly RepoRestore[], commandsForPeople: string, needingFetch: ReadonlySet<RepoRestore>): Promise<void> {
  for (const part of plan) {
    if (!existsSync(part.dir)) throw new RestoreRefused(`Cannot restore: ${part.dir} does not exist.`);
    if (part.kind === 'project') {
      const dirty = await git.run(['status', '--porcelain', '--untracked-files=normal'], { cwd: part.dir });
      if (dirty.code !== 0) throw new RestoreRefused(`Cannot read the state of ${part.dir}: ${dirty.stderr.trim()}`);
      if (dirty.stdout.length > 0) {
        throw new RestoreRefused(`Refusing to restore into ${part.dir}: the working tree has changes. Commit or stash them first, or run the commands by hand:\n${commandsForPeople}`);
      }
    } else if (part.expectHead) {
      const head = await git.run(['rev-parse', 'HEAD'], { cwd: part.dir });
      const actual = head.code === 0 ? gitLine(head.stdout) : '(unknown)';
      if (actual !== part.expectHead) {
        throw new RestoreRefused(
          `Refusing to restore submodule ${part.dir}: its HEAD is ${actual.slice(0, 12)}, but its stash was made on ${part.expectHead.slice(0, 12)}. ` +
            `Run \`git -C ${shellQuote(part.dir)} checkout ${part.expectHead}\` first, then restore again.`,
        );
      }
    }
  }
  for (const part of needingFetch) {
    const fetched = part.privateRef ? await git.run(fetchArgs(part), { cwd: part.dir }) : null;
    if (!(await hasCommit(git, part.dir, part.stashSha))) {
      const why = fetched ? fetched.stderr.trim() || `git fetch exited ${fetched.code}` : 'the checkpoint names no ref to fetch';
      throw new RestoreRefused(
        `The stash commit ${part.stashSha} is not in ${part.dir}, and it could not be fetched from ${part.originalDir}, where the checkpoint was taken (${why}).`,
      );
    }
  }
}

/** Runs the plan's commands (after prepareRestore). */
export async function runRestore(git: GitRunner, plan: readonly RepoRestore[]): Promise<void> {
  for (const part of plan) {
    for (const step of part.steps) {
      const result = await git.run(step, { cwd: part.dir });
      if (result.code !== 0) throw new RestoreRefused(`\`git ${step.join(' ')}\` failed in ${part.dir}: ${result.stderr.trim()}`);
    }
  }
}
