// Times one git snapshot of a 10,000-file repository with 100 changed files
// (half modified tracked files, half new untracked ones). Target: under 2 s.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createExecGitRunner } from '../src/core/checkpoint/exec-git-runner.js';
import { takeGitSnapshot } from '../src/core/checkpoint/git-snapshot.js';

const DIRECTORIES = 100;
const FILES_PER_DIRECTORY = 100;
const MODIFIED = 50;
const UNTRACKED = 50;

/** git config isolated from the machine running the bench. */
function benchEnv(base: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('GIT_')) env[name] = value;
  const globalConfig = join(base, 'gitconfig');
  writeFileSync(globalConfig, '');
  return { ...env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: globalConfig, LC_ALL: 'C' };
}

function fileContent(directory: number, file: number, revision: string): string {
  return `// file ${directory}/${file} ${revision}\n${'export const value = 1;\n'.repeat(10)}`;
}

export async function benchCheckpoint(): Promise<{ files: number; changed: number; ms: number }> {
  const base = mkdtempSync(join(tmpdir(), 'breather-bench-'));
  try {
    const env = benchEnv(base);
    const root = join(base, 'repo');
    const git = (...args: string[]): void => {
      execFileSync('git', args, { cwd: root, env, stdio: 'ignore' });
    };
    mkdirSync(root);
    git('init', '-q', '-b', 'main');
    git('config', 'user.name', 'Bench');
    git('config', 'user.email', 'bench@example.com');
    // No detached auto-gc after the big commit: it kept writing into .git while the clean-up ran (ENOTEMPTY).
    git('config', 'gc.auto', '0');
    git('config', 'maintenance.auto', 'false');
    for (let directory = 0; directory < DIRECTORIES; directory += 1) {
      mkdirSync(join(root, `dir${directory}`));
      for (let file = 0; file < FILES_PER_DIRECTORY; file += 1) {
        writeFileSync(join(root, `dir${directory}`, `file${file}.ts`), fileContent(directory, file, 'v1'));
      }
    }
    git('add', '-A');
    git('commit', '-q', '-m', 'bench fixture');

    // Spread the changes across directories, as real edits would be.
    for (let change = 0; change < MODIFIED; change += 1) {
      const directory = (change * 7) % DIRECTORIES;
      writeFileSync(join(root, `dir${directory}`, `file${change}.ts`), fileContent(directory, change, 'v2'));
    }
    for (let change = 0; change < UNTRACKED; change += 1) {
      writeFileSync(join(root, `dir${(change * 13) % DIRECTORIES}`, `new${change}.ts`), `// new ${change}\n`);
    }

    const runner = createExecGitRunner({ baseEnv: env });
    const started = performance.now();
    const result = await takeGitSnapshot(root, runner, { now: new Date() });
    const ms = performance.now() - started;
    if (result.status !== 'stashed') throw new Error(`bench snapshot was ${result.status}: ${result.refusal ?? ''}`);
    return { files: DIRECTORIES * FILES_PER_DIRECTORY, changed: result.changedFiles.length, ms: Math.round(ms) };
  } finally {
    rmSync(base, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }
}
