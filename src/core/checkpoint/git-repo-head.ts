// Where a snapshot runs and what HEAD is: git's answers read exactly (one
// value per call, one trailing newline stripped), because a folder name may
// end in a space or hold a newline.
import { access } from 'node:fs/promises';
import type { GitRunner } from '../ports.js';
import { GitSession } from './git-command.js';
import { gitLine } from './git-paths.js';

export interface RepoLocation {
  repoRoot: string;
  gitDir: string;
  commonDir: string;
}

export async function locateRepository(git: GitRunner, dir: string): Promise<RepoLocation | { refusal: string }> {
  try {
    await access(dir);
  } catch {
    return { refusal: `${dir} does not exist` };
  }
  // One value per call: the output of a multi-value rev-parse is split by
  // newlines, and a folder name may contain one.
  const session = new GitSession(git, dir);
  const probes = await Promise.all(
    [['--show-toplevel'], ['--absolute-git-dir'], ['--git-common-dir']].map((flag) =>
      session.attempt(['rev-parse', '--path-format=absolute', ...flag]),
    ),
  );
  const failed = probes.find((probe) => probe.code !== 0);
  const [repoRoot, gitDir, commonDir] = probes.map((probe) => gitLine(probe.stdout));
  if (failed || !repoRoot || !gitDir || !commonDir) {
    return { refusal: `${dir} is not inside a git working tree (${failed?.stderr.trim() || 'git rev-parse failed'})` };
  }
  return { repoRoot, gitDir, commonDir };
}

export interface HeadState {
  sha: string | null;
  branch: string | null;
}

export async function readHeadState(session: GitSession): Promise<HeadState> {
  const [symbolic, resolved] = await Promise.all([
    session.attempt(['symbolic-ref', '-q', 'HEAD']),
    session.attempt(['rev-parse', '-q', '--verify', 'HEAD^{commit}']),
  ]);
  const branchRef = symbolic.code === 0 ? gitLine(symbolic.stdout) : '';
  return {
    // As git stash does, only refs/heads/* count as a branch.
    branch: branchRef.startsWith('refs/heads/') ? branchRef.slice('refs/heads/'.length) : null,
    sha: resolved.code === 0 ? gitLine(resolved.stdout) : null,
  };
}

export function describeHead(head: HeadState): string {
  return `${head.branch ?? 'detached'} at ${head.sha?.slice(0, 12) ?? 'no commit'}`;
}
