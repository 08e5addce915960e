// The real GitRunner: child_process.execFile with an argument array (never a
// shell) and Buffer output, because file names from git are raw bytes.
import type { GitResult, GitRunner } from '../ports.js';

export interface ExecGitRunnerOptions {
  /** Path or name of the git executable. Default `git`. */
  gitPath?: string;
  /** Environment every call starts from. Default `process.env`. */
  baseEnv?: NodeJS.ProcessEnv;
  /** Largest stdout/stderr accepted per call. Default 1 GiB: listings of big repositories are long. */
  maxBufferBytes?: number;
}

// Variables that point git at a specific repository or index. Inherited from a
// parent process (a git hook, an editor's terminal) they would redirect our
// commands at the user's real index, so they never leak in from the base
// environment; a caller may still set them per call on purpose.
export const REPO_LOCAL_GIT_ENV: readonly string[] = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_COMMON_DIR',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_NAMESPACE',
  'GIT_PREFIX',
  'GIT_IMPLICIT_WORK_TREE',
  'GIT_GRAFT_FILE',
  'GIT_SHALLOW_FILE',
  'GIT_NO_REPLACE_OBJECTS',
  'GIT_REPLACE_REF_BASE',
];

/** The environment one git call runs with. Pure. */
export function gitEnvironment(
  baseEnv: NodeJS.ProcessEnv,
  callEnv: Record<string, string> = {},
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(baseEnv)) {
    if (value !== undefined && !REPO_LOCAL_GIT_ENV.includes(name)) env[name] = value;
  }
  Object.assign(env, callEnv);
  // Never take optional locks (no opportunistic index refresh), and keep
  // messages in English so stderr can be matched.
  env.GIT_OPTIONAL_LOCKS = '0';
  env.LC_ALL = 'C';
  return env;
}

const DEFAULT_MAX_BUFFER = 1024 * 1024 * 1024;

// Loaded at the first git call: node:child_process costs every start ~3 ms, and most CLI runs never run git.
const childProcess = () => import('node:child_process');

export function createExecGitRunner(options: ExecGitRunnerOptions = {}): GitRunner {
  const gitPath = options.gitPath ?? 'git';
  const baseEnv = options.baseEnv ?? process.env;
  const maxBuffer = options.maxBufferBytes ?? DEFAULT_MAX_BUFFER;

  return {
    async run(args, { cwd, env, input }) {
      const { execFile } = await childProcess();
      return new Promise<GitResult>((resolve, reject) => {
        const child = execFile(
          gitPath,
          args,
          { cwd, env: gitEnvironment(baseEnv, env), encoding: 'buffer', maxBuffer, windowsHide: true },
          (error, stdout, stderr) => {
            const stderrText = stderr.toString('utf8');
            if (error === null) {
              resolve({ stdout, stderr: stderrText, code: 0 });
              return;
            }
            // A numeric code is git's exit status: a result, not a failure of
            // the runner. Anything else (ENOENT, maxBuffer, a signal) is.
            if (typeof error.code === 'number') {
              resolve({ stdout, stderr: stderrText, code: error.code });
              return;
            }
            reject(error);
          },
        );
        // git may exit before reading all of stdin (e.g. on a bad argument);
        // its exit status reports that, so an EPIPE here is not news.
        child.stdin?.on('error', () => {});
        child.stdin?.end(input ?? Buffer.alloc(0));
      });
    },
  };
}
