// A non-destructive `git stash push -u`: the same three-parent stash commit,
// built with plumbing on temporary indexes, so the user's files and
// `.git/index` stay byte-identical (mtimes included). The steps and edge cases
// are in docs/claude-code-data.md, section 7.
import { access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { GitRunner } from '../ports.js';
import { GitCommandError, GitSession } from './git-command.js';
import { fallbackIdentityEnv, probeIdentity } from './git-identity.js';
import {
  displayPath,
  GITLINK_MODE,
  joinNul,
  parseStagedEntries,
  splitNul,
} from './git-paths.js';
import { ScratchIndexes } from './git-scratch-index.js';
import {
  checkpointRefName,
  DEFAULT_PRIVATE_REF_PREFIX,
  defaultCheckpointId,
  headSummary,
  indexCommitMessage,
  stashMessage,
  untrackedCommitMessage,
} from './git-stash-format.js';
import {
  decideUntracked,
  DEFAULT_UNTRACKED_SIZE_CAP_BYTES,
  looksLikeSecretFile,
  type SkipReason,
  statUntracked,
} from './git-untracked.js';
import { unstashableIndexReason } from './git-index-checks.js';
import { describeHead, type HeadState, locateRepository, readHeadState, type RepoLocation } from './git-repo-head.js';
import { describeUncapturedState, readRepoStateMarkers } from './repo-state.js';

export interface SnapshotOptions {
  /** Appended to the stash message. */
  message?: string;
  /** Untracked files larger than this are skipped and listed. Default 10 MB. */
  untrackedSizeCapBytes?: number;
  now?: Date;
  /** Where the private ref goes. Default `refs/breather/checkpoints/`. */
  privateRefPrefix?: string;
  /** Private ref name under the prefix. Default: ISO time plus short stash sha. */
  id?: string;
  /** Leave out untracked files that look like secrets (.env*, *.pem, id_rsa…). Default false. */
  skipSecretLookingFiles?: boolean;
  /** Waits between `git stash store` attempts while refs/stash.lock is held. */
  stashLockRetryDelaysMs?: readonly number[];
}

export interface SkippedFile {
  path: string;
  reason: SkipReason;
  bytes?: number;
}

export interface SnapshotResult {
  /** git top level (per worktree). */
  repoRoot: string;
  /** Absolute git dir (per worktree); empty when dir is not in a repository. */
  gitDir: string;
  /** null when HEAD is detached (or the repository was not found). */
  branch: string | null;
  /** HEAD sha; null when unborn. */
  head: string | null;
  status: 'stashed' | 'nothing-to-stash' | 'refused';
  /** The stash commit (parents: HEAD, index commit, [untracked commit]). */
  stashSha?: string;
  /** `<privateRefPrefix><id>`, pointing at stashSha. */
  privateRef?: string;
  /** A sentence for people, when refused. */
  refusal?: string;
  /** States the stash does not capture (merge in progress, ...). */
  notCaptured: string[];
  skippedFiles: SkippedFile[];
  /** Ignored files that look like secrets: never included, named so the user knows. */
  ignoredSecretsMentioned: string[];
  /** Snapshots inside initialized submodules that have changes. */
  submodules: SnapshotResult[];
  /** `git diff --stat` from HEAD to the snapshot's working tree, untracked files included. */
  diffStat: string;
  /** Paths that differ from HEAD in the snapshot, untracked files included. */
  changedFiles: string[];
}

export const DEFAULT_STASH_LOCK_RETRY_DELAYS_MS: readonly number[] = [50, 100, 200, 400, 800];


/** Takes the snapshot of the repository (or linked worktree) containing dir. */
export async function takeGitSnapshot(
  dir: string,
  git: GitRunner,
  options: SnapshotOptions = {},
): Promise<SnapshotResult> {
  const prefix = options.privateRefPrefix ?? DEFAULT_PRIVATE_REF_PREFIX;
  // Bad ref names are the caller's bug: fail before touching anything.
  checkpointRefName(prefix, options.id ?? 'probe');

  const located = await locateRepository(git, dir);
  if ('refusal' in located) return refused(blankResult(resolve(dir), ''), located.refusal);

  const result = blankResult(located.repoRoot, located.gitDir);
  const session = new GitSession(git, located.repoRoot);
  const scratch = new ScratchIndexes(located.gitDir);
  let submodulePaths: string[] = [];
  try {
    submodulePaths = await snapshotRepository(session, located, scratch, options, result);
  } catch (error) {
    if (!(error instanceof GitCommandError)) throw error;
    refused(result, `the snapshot failed: ${error.message}`);
  } finally {
    await scratch.removeAll();
  }
  // Submodules are visited unless the snapshot was refused before capturing
  // (a stash-list lock still leaves a captured snapshot behind).
  if (result.status !== 'refused' || result.stashSha !== undefined) {
    result.submodules = await snapshotSubmodules(git, result.repoRoot, submodulePaths, options);
  }
  return result;
}

/** The snapshot proper. Fills result in; returns the submodule paths found in the index. */
async function snapshotRepository(
  plainSession: GitSession,
  location: RepoLocation,
  scratch: ScratchIndexes,
  options: SnapshotOptions,
  result: SnapshotResult,
): Promise<string[]> {
  const now = options.now ?? new Date();
  const head = await readHeadState(plainSession);
  result.branch = head.branch;
  result.head = head.sha;
  if (head.sha === null) {
    refused(result, 'there is no commit yet (unborn HEAD), so there is nothing a stash could be based on');
    return [];
  }
  const headSha = head.sha;

  // Copy the index right after reading HEAD; the final HEAD check catches a
  // commit that lands in between.
  const [trackedIndex, markers, identity, headInfo] = await Promise.all([
    scratch.copyOfRealIndex('tracked'),
    readRepoStateMarkers(location.gitDir),
    probeIdentity(plainSession),
    plainSession.bytes(['log', '-1', '--no-show-signature', '--no-color', '--format=%h%x00%T%x00%s', headSha, '--']),
  ]);
  // The scratch copy is also every command's default index, so anything that
  // might read or refresh "the index" only ever meets our copy.
  const session = plainSession.withEnv({ ...fallbackIdentityEnv(identity), GIT_INDEX_FILE: trackedIndex });
  const [shortSha = '', headTree = '', subject = ''] = headInfo.toString('utf8').replace(/\n$/, '').split('\0');
  result.notCaptured.push(...describeUncapturedState(markers));

  const entries = parseStagedEntries(await session.bytes(['ls-files', '-s', '-z'], { indexFile: trackedIndex }));
  const submodulePaths = entries.filter((entry) => entry.mode === GITLINK_MODE).map((entry) => entry.path.toString('utf8'));
  const unstashable = await unstashableIndexReason(session, trackedIndex, entries);
  if (unstashable !== null) {
    refused(result, unstashable);
    return submodulePaths;
  }

  const summary = headSummary(head.branch, shortSha, subject);
  const indexTree = await session.text(['write-tree'], { indexFile: trackedIndex });
  const [worktreeTree, untracked, ignoredSecrets] = await Promise.all([
    captureWorktreeTree(session, trackedIndex),
    captureUntracked(session, scratch, trackedIndex, summary, location.repoRoot, options),
    listIgnoredSecrets(session, trackedIndex),
  ]);
  result.skippedFiles = untracked.skipped;
  result.ignoredSecretsMentioned = ignoredSecrets;

  if (indexTree === headTree && worktreeTree === headTree && untracked.commit === null) {
    result.status = 'nothing-to-stash';
    return submodulePaths;
  }

  const indexCommit = await session.text(['commit-tree', indexTree, '-p', headSha, '-m', indexCommitMessage(summary)]);
  const fullTree = untracked.tree === null ? worktreeTree : await overlayTree(session, trackedIndex, untracked.tree);
  Object.assign(result, await describeChanges(session, headTree, fullTree));

  const parents = ['-p', headSha, '-p', indexCommit, ...(untracked.commit === null ? [] : ['-p', untracked.commit])];
  const message = stashMessage(head.branch, now, options.message);
  const stashSha = await session.text(['commit-tree', worktreeTree, ...parents, '-m', message]);

  const headAfter = await readHeadState(plainSession);
  if (headAfter.sha !== head.sha || headAfter.branch !== head.branch) {
    refused(
      result,
      `HEAD moved while the snapshot was being taken (${describeHead(head)} -> ${describeHead(headAfter)}); ` +
        'nothing was stored. Try again once git is idle.',
    );
    return submodulePaths;
  }

  const privateRef = checkpointRefName(
    options.privateRefPrefix ?? DEFAULT_PRIVATE_REF_PREFIX,
    options.id ?? defaultCheckpointId(now, stashSha),
  );
  // The private ref first: it keeps the snapshot even if the stash list is
  // locked, and outlives the stash reflog's expiry. '' = must not exist yet.
  await session.bytes(['update-ref', privateRef, stashSha, '']);
  result.stashSha = stashSha;
  result.privateRef = privateRef;

  const stashLock = join(location.commonDir, 'refs', 'stash.lock');
  const delays = options.stashLockRetryDelaysMs ?? DEFAULT_STASH_LOCK_RETRY_DELAYS_MS;
  const store = await storeInStashList(session, stashSha, message, stashLock, delays);
  if (store.stored) {
    result.status = 'stashed';
  } else {
    const why = store.locked
      ? `${stashLock} is held (another git command is updating the stash, or one crashed and left the lock; ` +
        'if no git command is running, delete that file)'
      : `git stash store failed: ${store.stderr.trim()}`;
    refused(
      result,
      `the snapshot could not be added to \`git stash list\`: ${why}. It is saved as ${privateRef}; ` +
        `restore it with \`git stash apply --index ${stashSha}\`.`,
    );
  }
  return submodulePaths;
}

/** The working tree's tracked files as a tree: `git add -u` into the scratch index. */
async function captureWorktreeTree(session: GitSession, indexFile: string): Promise<string> {
  await session.bytes(['add', '-u', '--', ':/'], { indexFile });
  return session.text(['write-tree'], { indexFile });
}

interface UntrackedCapture {
  tree: string | null;
  commit: string | null;
  skipped: SkippedFile[];
}

async function captureUntracked(
  session: GitSession,
  scratch: ScratchIndexes,
  trackedIndex: string,
  summary: string,
  repoRoot: string,
  options: SnapshotOptions,
): Promise<UntrackedCapture> {
  const listed = splitNul(
    await session.bytes(['ls-files', '-o', '--exclude-standard', '-z'], { indexFile: trackedIndex }),
  );
  const cap = options.untrackedSizeCapBytes ?? DEFAULT_UNTRACKED_SIZE_CAP_BYTES;
  const included: Buffer[] = [];
  const skipped: SkippedFile[] = [];
  for (const file of await statUntracked(repoRoot, listed)) {
    const decision = decideUntracked(file, cap, options.skipSecretLookingFiles ?? false);
    if (decision.include) {
      included.push(file.path);
    } else if (decision.reason === 'secret-looking') {
      skipped.push({ path: displayPath(file.path), reason: 'secret-looking' });
    } else if (decision.reason === 'too-large') {
      skipped.push({ path: displayPath(file.path), reason: 'too-large', bytes: file.bytes ?? 0 });
    } else if (decision.reason === 'nested-repo') {
      skipped.push({ path: displayPath(file.path.subarray(0, -1)), reason: 'nested-repo' });
    }
  }
  if (included.length === 0) return { tree: null, commit: null, skipped };

  const untrackedIndex = scratch.fresh('untracked');
  // --remove too (as git stash does): a file deleted since listing is dropped, not an error.
  await session.bytes(['update-index', '-z', '--add', '--remove', '--stdin'], {
    indexFile: untrackedIndex,
    input: joinNul(included),
  });
  const tree = await session.text(['write-tree'], { indexFile: untrackedIndex });
  const commit = await session.text(['commit-tree', tree, '-m', untrackedCommitMessage(summary)]);
  return { tree, commit, skipped };
}

/** Ignored files and directories that look like secrets, for mention only. */
async function listIgnoredSecrets(session: GitSession, indexFile: string): Promise<string[]> {
  // --directory keeps a huge ignored folder (node_modules) to one line.
  const ignored = await session.bytes(
    ['ls-files', '-o', '-i', '--exclude-standard', '--directory', '-z'],
    { indexFile },
  );
  return splitNul(ignored)
    .map(displayPath)
    .filter(looksLikeSecretFile)
    .map((path) => path.replace(/\/$/, ''));
}

/** diff --stat and changed paths from HEAD to the snapshot (untracked included). */
async function describeChanges(
  session: GitSession,
  headTree: string,
  snapshotTree: string,
): Promise<Pick<SnapshotResult, 'diffStat' | 'changedFiles'>> {
  const [diffStat, changedNames] = await Promise.all([
    session.text(['diff', '--stat', '--no-color', '--no-ext-diff', headTree, snapshotTree, '--']),
    session.bytes(['diff', '--name-only', '-z', '--no-renames', headTree, snapshotTree, '--']),
  ]);
  return { diffStat, changedFiles: splitNul(changedNames).map(displayPath) };
}

/** The worktree tree with the untracked files laid over it, for the diff. */
async function overlayTree(session: GitSession, worktreeIndex: string, untrackedTree: string): Promise<string> {
  const listing = await session.bytes(['ls-tree', '-r', '-z', untrackedTree]);
  await session.bytes(['update-index', '-z', '--index-info'], { indexFile: worktreeIndex, input: listing });
  return session.text(['write-tree'], { indexFile: worktreeIndex });
}

type StoreOutcome = { stored: true } | { stored: false; locked: boolean; stderr: string };

async function storeInStashList(
  session: GitSession,
  stashSha: string,
  message: string,
  lockPath: string,
  retryDelaysMs: readonly number[],
): Promise<StoreOutcome> {
  for (let attempt = 0; ; attempt += 1) {
    const store = await session.attempt(['stash', 'store', '-m', message, stashSha]);
    if (store.code === 0) return { stored: true };
    const locked = store.stderr.includes('stash.lock') || (await exists(lockPath));
    const delay = retryDelaysMs[attempt];
    if (!locked || delay === undefined) return { stored: false, locked, stderr: store.stderr };
    await new Promise((done) => setTimeout(done, delay));
  }
}

async function snapshotSubmodules(
  git: GitRunner,
  repoRoot: string,
  gitlinks: readonly string[],
  options: SnapshotOptions,
): Promise<SnapshotResult[]> {
  const results: SnapshotResult[] = [];
  for (const path of gitlinks) {
    const dir = join(repoRoot, path);
    // Initialized submodules have a .git (file or directory); uninitialized
    // ones are empty folders that would resolve to the parent repository.
    if (!(await exists(join(dir, '.git')))) continue;
    const snapshot = await takeGitSnapshot(dir, git, options);
    if (snapshot.status !== 'nothing-to-stash' || snapshot.submodules.length > 0) results.push(snapshot);
  }
  return results;
}

function blankResult(repoRoot: string, gitDir: string): SnapshotResult {
  return {
    repoRoot,
    gitDir,
    branch: null,
    head: null,
    status: 'refused',
    notCaptured: [],
    skippedFiles: [],
    ignoredSecretsMentioned: [],
    submodules: [],
    diffStat: '',
    changedFiles: [],
  };
}

function refused(result: SnapshotResult, refusal: string): SnapshotResult {
  result.status = 'refused';
  result.refusal = refusal;
  return result;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
