// Thin helpers over the GitRunner port: every snapshot command goes through
// here so each one gets the same safety settings.
import type { GitResult, GitRunner } from '../ports.js';

/** A git command that exited non-zero where success was required. */
export class GitCommandError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly code: number,
    readonly stderr: string,
  ) {
    super(`git ${args.join(' ')} exited ${code}: ${firstLine(stderr)}`);
    this.name = 'GitCommandError';
  }
}

function firstLine(text: string): string {
  return text.trim().split('\n').find((line) => line.trim() !== '') ?? '(no message)';
}

// Settings that would otherwise let a command act outside our temporary
// index: fsmonitor may start a daemon, a split index may write or expire shared
// index files beside the user's, and hooks (post-index-change fires even for a
// temporary index) run the user's code on our behalf.
const SAFETY_CONFIG = ['-c', 'core.fsmonitor=false', '-c', 'core.splitIndex=false', '-c', 'core.hooksPath=/dev/null'];

export interface GitCall {
  /** Temporary index to use (GIT_INDEX_FILE). */
  indexFile?: string;
  input?: Buffer;
  env?: Record<string, string>;
}

/** One repository (or worktree) the snapshot talks to. */
export class GitSession {
  constructor(
    readonly git: GitRunner,
    readonly cwd: string,
    /** Extra environment for every call, e.g. a fallback identity. */
    readonly env: Record<string, string> = {},
  ) {}

  withEnv(extra: Record<string, string>): GitSession {
    return new GitSession(this.git, this.cwd, { ...this.env, ...extra });
  }

  /** Runs git and returns the raw result, whatever the exit code. */
  attempt(args: string[], call: GitCall = {}): Promise<GitResult> {
    const env = { ...this.env, ...call.env };
    if (call.indexFile !== undefined) env.GIT_INDEX_FILE = call.indexFile;
    const options: { cwd: string; env: Record<string, string>; input?: Buffer } = { cwd: this.cwd, env };
    if (call.input !== undefined) options.input = call.input;
    return this.git.run([...SAFETY_CONFIG, ...args], options);
  }

  /** Runs git and returns stdout bytes; throws GitCommandError on a non-zero exit. */
  async bytes(args: string[], call: GitCall = {}): Promise<Buffer> {
    const result = await this.attempt(args, call);
    if (result.code !== 0) throw new GitCommandError(args, result.code, result.stderr);
    return result.stdout;
  }

  /** Like bytes(), decoded as UTF-8 without the trailing newline. */
  async text(args: string[], call: GitCall = {}): Promise<string> {
    return (await this.bytes(args, call)).toString('utf8').replace(/\n$/, '');
  }
}
