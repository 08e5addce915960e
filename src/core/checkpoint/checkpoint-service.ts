// Pause and checkpoint: every trigger (CLI, tray menu, hotkey, notification
// action, limit hit, threshold, StopFailure hook) calls createCheckpoint. For
// each project Claude was active in, it records a git stash without touching
// the working tree or index, and writes a resume prompt built from the
// transcripts. Nothing in the user's repository changes (unless the user asked
// for the prompt to be written there too).
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { ActiveSession } from '../../shared/status.js';
import { writeFileAtomic } from '../atomic-file.js';
import type { Clock, GitRunner } from '../ports.js';
import { type CheckpointProjectRecord, type CheckpointRecord, CheckpointStore, type PauseMark } from './checkpoint-store.js';
import { gitLine } from './git-paths.js';
import { defaultCheckpointId } from './git-stash-format.js';
import { type SnapshotResult, takeGitSnapshot } from './git-snapshot.js';
import { type ResumeLimitInfo, buildResumePrompt, shellQuote } from './resume-prompt.js';
import { type SessionDigest, findSessionTranscriptPaths, readSessionDigest } from './session-digest.js';

export type CheckpointTrigger = 'manual' | 'menu' | 'hotkey' | 'notification' | 'limit-hit' | 'threshold' | 'hook';

export interface CheckpointRequest {
  trigger: CheckpointTrigger;
  /** Checkpoint this directory; otherwise every project with recent Claude activity. */
  projectDir?: string;
  pause?: boolean;
  limit?: (ResumeLimitInfo & { window?: string | null }) | null;
  /** Automatic triggers pass a key (session + window instance) so the same one never runs twice. */
  autoKey?: string;
}

export interface CheckpointDeps {
  stateDir: string;
  git: GitRunner;
  clock: Clock;
  /** Sessions active recently (from the usage engine's status). */
  activeSessions: () => ActiveSession[];
  /** `--project`: that project's sessions, whatever their age (session-locator.ts); else its recent ones. */
  projectSessions?: (projectDir: string) => Promise<ActiveSession[]>;
  /** Transcript files holding a session. */
  sessionFiles: (sessionId: string) => string[];
  untrackedSizeCapBytes?: number;
  writePromptIntoRepo?: boolean;
  /** The resume prompt's size budget (setting checkpoint.promptBudgetKB). */
  promptBudgetBytes?: number;
  /** Leave out untracked files that look like secrets (settings: checkpoint.skipSecretLookingFiles). */
  skipSecretLookingFiles?: boolean;
}

export interface CheckpointOutcome {
  /** null when an automatic trigger had already run for this key, or there was nothing to checkpoint. */
  record: CheckpointRecord | null;
  skipped?: string;
  prompts: { projectDir: string; path: string; markdown: string }[];
  /** Things people should know: a damaged index set aside. */
  notices?: string[];
  /**
   * The stash exists but the record or a prompt could not be written (state
   * folder unwritable, disk full). The record still names the stash.
   */
  storageError?: string;
}

interface ProjectGroup {
  projectDir: string;
  repoRoot: string | null;
  sessions: ActiveSession[];
}

export async function gitTopLevel(git: GitRunner, dir: string): Promise<string | null> {
  if (!existsSync(dir)) return null;
  const result = await git.run(['rev-parse', '--show-toplevel'], { cwd: dir });
  return result.code === 0 ? gitLine(result.stdout) : null;
}

/** Maps directories to their git top level; several sessions in one repo (or worktree) make one group. */
export async function groupProjects(git: GitRunner, sessions: readonly ActiveSession[], explicitDir?: string): Promise<ProjectGroup[]> {
  const groups = new Map<string, ProjectGroup>();
  const add = async (dir: string, session: ActiveSession | null) => {
    const repoRoot = await gitTopLevel(git, dir);
    const key = repoRoot ?? resolve(dir);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { projectDir: key, repoRoot, sessions: [] }));
    if (session && !group.sessions.some((s) => s.sessionId === session.sessionId)) group.sessions.push(session);
  };
  if (explicitDir) {
    const target = resolve(explicitDir);
    const targetRoot = (await gitTopLevel(git, target)) ?? target;
    await add(target, null);
    for (const session of sessions) {
      const root = (await gitTopLevel(git, session.cwd)) ?? resolve(session.cwd);
      if (root === targetRoot) await add(target, session);
    }
    return [...groups.values()];
  }
  for (const session of sessions) await add(session.cwd, session);
  return [...groups.values()];
}

async function isBareRepository(git: GitRunner, dir: string): Promise<boolean> {
  if (!existsSync(dir)) return false;
  const result = await git.run(['rev-parse', '--is-bare-repository'], { cwd: dir });
  return result.code === 0 && gitLine(result.stdout) === 'true';
}

const BARE_REFUSAL = 'it is a bare repository: there is no working tree to save';

function projectRecordFrom(group: ProjectGroup, snapshot: SnapshotResult | null, promptPath: string, bare = false): CheckpointProjectRecord {
  return {
    projectDir: group.projectDir,
    repoRoot: group.repoRoot,
    isGitRepo: snapshot !== null,
    branch: snapshot?.branch ?? null,
    head: snapshot?.head ?? null,
    status: snapshot ? snapshot.status : bare ? 'bare-repo' : 'not-a-repo',
    stashSha: snapshot?.stashSha ?? null,
    privateRef: snapshot?.privateRef ?? null,
    refusal: snapshot?.refusal ?? (bare ? BARE_REFUSAL : null),
    promptPath,
    sessionIds: group.sessions.map((s) => s.sessionId),
    notCaptured: snapshot
      ? [
          ...snapshot.notCaptured,
          ...snapshot.submodules.flatMap((s) => s.notCaptured.map((n) => `${s.repoRoot}: ${n}`)),
          ...submoduleRestoreNotes(snapshot.submodules),
          ...snapshot.skippedFiles
            .filter((f) => f.reason === 'secret-looking')
            .map((f) => `${f.path} looks like a secret and is not ignored by git, so it was left out (setting checkpoint.skipSecretLookingFiles)`),
          ...snapshot.ignoredSecretsMentioned.map((p) => `${p} is ignored by git and was not saved (secrets never go into a checkpoint)`),
        ]
      : [],
    skippedFiles: snapshot ? snapshot.skippedFiles.map((f) => ({ path: f.path, reason: f.reason, ...(f.bytes === undefined ? {} : { bytes: f.bytes }) })) : [],
    submodules: snapshot ? flattenSubmodules(snapshot.submodules).map((s) => ({ repoRoot: s.repoRoot, status: s.status, stashSha: s.stashSha ?? null, head: s.head, privateRef: s.privateRef ?? null })) : [],
    changedFiles: snapshot?.changedFiles.length ?? 0,
  };
}

/** The submodule stashes a restore applies after the project's, outermost first. */
function submoduleStashesOf(snapshot: SnapshotResult): { dir: string; head: string | null; stashSha: string }[] {
  return flattenSubmodules(snapshot.submodules).flatMap((s) => (s.stashSha ? [{ dir: s.repoRoot, head: s.head, stashSha: s.stashSha }] : []));
}

/** Submodules inside submodules too, outermost first (restore applies them in this order). */
function flattenSubmodules(submodules: readonly SnapshotResult[]): SnapshotResult[] {
  return submodules.flatMap((s) => [s, ...flattenSubmodules(s.submodules)]);
}

/** The top-level stash does not hold a submodule's changes: say where they are and how they come back. */
function submoduleRestoreNotes(submodules: readonly SnapshotResult[]): string[] {
  // Short enough for the prompt's one-line notes (cut at 300 characters).
  return flattenSubmodules(submodules)
    .filter((s) => s.stashSha)
    .map(
      (s) =>
        `submodule ${s.repoRoot} has its own stash (on HEAD ${s.head?.slice(0, 12) ?? 'unknown'}): ` +
        `git -C ${shellQuote(s.repoRoot)} stash apply --index ${s.stashSha}, or breather restore --apply`,
    );
}

async function digestsFor(group: ProjectGroup, deps: CheckpointDeps): Promise<SessionDigest[]> {
  const digests: SessionDigest[] = [];
  for (const session of group.sessions) {
    const files = deps.sessionFiles(session.sessionId);
    const main = files.find((f) => basename(f, '.jsonl') === session.sessionId) ?? files[0];
    if (!main) continue;
    const paths = new Set([...(await findSessionTranscriptPaths(main)), ...files]);
    digests.push(await readSessionDigest([...paths]));
  }
  return digests;
}

export async function createCheckpoint(request: CheckpointRequest, deps: CheckpointDeps): Promise<CheckpointOutcome> {
  const store = new CheckpointStore(deps.stateDir);
  if (request.autoKey && !(await store.claimAutoKey(request.autoKey))) {
    return { record: null, skipped: `already checkpointed automatically (${request.autoKey})`, prompts: [] };
  }
  const now = new Date(deps.clock.now());
  const sessions = request.projectDir && deps.projectSessions ? await deps.projectSessions(request.projectDir) : deps.activeSessions();
  const groups = await groupProjects(deps.git, sessions, request.projectDir);
  if (groups.length === 0) return { record: null, skipped: 'no project with recent Claude Code activity; pass --project DIR', prompts: [] };

  const id = defaultCheckpointId(now, Math.random().toString(16).slice(2, 10));
  const projects: CheckpointProjectRecord[] = [];
  const prompts: CheckpointOutcome['prompts'] = [];
  const storageErrors: string[] = [];
  for (const group of groups) {
    const snapshot = group.repoRoot
      ? await takeGitSnapshot(group.repoRoot, deps.git, {
          now,
          id: `${id}-${projects.length}`,
          message: `(${request.trigger})`,
          ...(deps.untrackedSizeCapBytes === undefined ? {} : { untrackedSizeCapBytes: deps.untrackedSizeCapBytes }),
          skipSecretLookingFiles: deps.skipSecretLookingFiles ?? true,
        })
      : null;
    const bare = !snapshot && (await isBareRepository(deps.git, group.projectDir));
    // The record before the prompt exists: the prompt shows its "not captured" notes; its path is filled in below.
    const project = projectRecordFrom(group, snapshot, '', bare);
    const markdown = buildResumePrompt({
      projectDir: group.projectDir,
      repo: snapshot
        ? { ...snapshot, isGitRepo: true, refusal: snapshot.refusal ?? null, stashSha: snapshot.stashSha ?? null, privateRef: snapshot.privateRef ?? null, notCaptured: project.notCaptured, submoduleStashes: submoduleStashesOf(snapshot) }
        : bare
          ? { isGitRepo: true, branch: null, head: null, status: 'bare-repo', refusal: BARE_REFUSAL, notCaptured: [], skippedFiles: [], diffStat: '' }
          : { isGitRepo: false, branch: null, head: null, status: 'not-a-repo', notCaptured: [], skippedFiles: [], diffStat: '' },
      sessions: await digestsFor(group, deps),
      limit: request.limit ?? null,
      checkpointAt: now.toISOString(),
      ...(deps.promptBudgetBytes === undefined ? {} : { maxBytes: deps.promptBudgetBytes }),
    });
    let promptPath = store.promptPathFor(group.projectDir, now);
    // The stash already exists: a state folder that cannot be written must not hide it.
    const promptFailure = await storageFailure(() => store.writePrompt(promptPath, markdown));
    if (promptFailure) {
      storageErrors.push(`the resume prompt ${promptPath} could not be written (${promptFailure})`);
      promptPath = '';
    }
    if (deps.writePromptIntoRepo && group.repoRoot) {
      // Opt-in: the user asked for the prompt inside the repository, where it may be committed.
      await mkdir(join(group.repoRoot, '.breather'), { recursive: true });
      await writeFileAtomic(join(group.repoRoot, '.breather', 'RESUME.md'), markdown, { mode: 0o600 });
    }
    projects.push({ ...project, promptPath });
    prompts.push({ projectDir: group.projectDir, path: promptPath, markdown });
  }

  const record: CheckpointRecord = {
    id,
    createdAt: now.toISOString(),
    trigger: request.trigger,
    paused: Boolean(request.pause),
    limit: request.limit ? { windowLabel: request.limit.windowLabel, resetsAt: request.limit.resetsAt } : null,
    projects,
  };
  let notices: string[] = [];
  const addFailure = await storageFailure(async () => {
    notices = await store.add(record);
  });
  if (addFailure) storageErrors.push(`the checkpoint record could not be added to ${store.indexPath} (${addFailure})`);
  if (request.pause && !addFailure) {
    const pauseFailure = await storageFailure(() =>
      store.updatePauses((current) => [
        ...current.filter((m) => !projects.some((p) => p.projectDir === m.projectDir)),
        ...projects.map((p) => ({ projectDir: p.projectDir, since: record.createdAt, checkpointId: id, window: request.limit?.window ?? null, resetsAt: request.limit?.resetsAt ?? null })),
      ]),
    );
    if (pauseFailure) storageErrors.push(`the pause could not be recorded in ${store.pausesPath} (${pauseFailure})`);
  }
  return { record, prompts, ...(notices.length > 0 ? { notices } : {}), ...(storageErrors.length > 0 ? { storageError: storageErrors.join('; ') } : {}) };
}

/** Runs a write; a file-system failure (EACCES, ENOSPC, EROFS, a lock not obtained…) comes back as a sentence. */
async function storageFailure(write: () => Promise<unknown>): Promise<string | null> {
  try {
    await write();
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code !== 'string') throw error;
    return (error as Error).message;
  }
}

/**
 * The project directory that is, or contains, dir. The most specific one wins:
 * a linked worktree nested inside its main repository (as Claude Code makes
 * them) is its own project, not part of the outer one.
 */
export function projectDirFor(projectDirs: Iterable<string>, dir: string): string | null {
  const target = resolve(dir);
  let best: string | null = null;
  for (const candidate of projectDirs) {
    const contains = target === candidate || target.startsWith(`${candidate}/`);
    if (contains && (best === null || candidate.length > best.length)) best = candidate;
  }
  return best;
}

/** Clears pause marks (one project, or all) and returns what was cleared. */
export async function clearPauses(stateDir: string, projectDir?: string): Promise<PauseMark[]> {
  const store = new CheckpointStore(stateDir);
  // Checkpointed projects count too, so a worktree never resolves to the main repository's mark.
  const recorded = (await store.list()).flatMap((r) => r.projects.map((p) => p.projectDir));
  let cleared: PauseMark[] = [];
  await store.updatePauses((marks) => {
    const target = projectDir ? projectDirFor([...marks.map((m) => m.projectDir), ...recorded], projectDir) : null;
    cleared = projectDir ? marks.filter((m) => m.projectDir === target) : marks;
    return marks.filter((m) => !cleared.includes(m));
  });
  return cleared;
}

/** The most recent checkpoint of a project (or of any project). */
export async function latestCheckpointFor(stateDir: string, projectDir?: string): Promise<{ record: CheckpointRecord; project: CheckpointProjectRecord } | null> {
  const all = await new CheckpointStore(stateDir).list();
  const target = projectDir ? projectDirFor(all.flatMap((r) => r.projects.map((p) => p.projectDir)), projectDir) : null;
  for (let i = all.length - 1; i >= 0; i--) {
    const record = all[i]!;
    const project = record.projects.find((p) => !projectDir || p.projectDir === target);
    if (project) return { record, project };
  }
  return null;
}
