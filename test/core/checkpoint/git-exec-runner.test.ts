import { afterAll, describe, expect, it } from 'vitest';
import { createExecGitRunner, gitEnvironment } from '../../../src/core/checkpoint/exec-git-runner.js';
import { isolatedGitEnv, makeTempDir, makeTempRepo, removeTempDirs } from '../../support/temp-repo.js';

afterAll(removeTempDirs);

describe('gitEnvironment', () => {
  it('drops inherited repository pointers, keeps call overrides, and forces the safety variables', () => {
    const env = gitEnvironment(
      { PATH: '/bin', GIT_DIR: '/elsewhere/.git', GIT_INDEX_FILE: '/elsewhere/index', GIT_OPTIONAL_LOCKS: '1', LC_ALL: 'de_DE', UNSET: undefined },
      { GIT_INDEX_FILE: '/mine/tmp.index', GIT_OPTIONAL_LOCKS: '1' },
    );
    expect(env).toEqual({
      PATH: '/bin',
      GIT_INDEX_FILE: '/mine/tmp.index',
      GIT_OPTIONAL_LOCKS: '0',
      LC_ALL: 'C',
    });
  });
});

describe('createExecGitRunner', () => {
  it('returns raw stdout bytes, passes stdin, and reports exit codes without throwing', async () => {
    const repo = makeTempRepo({ files: { 'a.txt': 'a\n' } });
    const runner = createExecGitRunner({ baseEnv: repo.env });
    const hashed = await runner.run(['hash-object', '--stdin'], { cwd: repo.root, input: Buffer.from([0xff, 0x00, 0x0a]) });
    expect(hashed.code).toBe(0);
    expect(Buffer.isBuffer(hashed.stdout)).toBe(true);
    expect(hashed.stdout.toString().trim()).toBe(repo.git(['hash-object', '--stdin'], { input: Buffer.from([0xff, 0x00, 0x0a]) }));

    const failed = await runner.run(['rev-parse', '--verify', 'no-such-ref'], { cwd: repo.root });
    expect(failed.code).toBe(128);
    expect(failed.stderr).toMatch(/Needed a single revision/);
  });

  it('ignores GIT_DIR and GIT_INDEX_FILE inherited from the base environment', async () => {
    const repo = makeTempRepo({ files: { 'a.txt': 'a\n' } });
    const other = makeTempDir();
    const runner = createExecGitRunner({
      baseEnv: { ...repo.env, GIT_DIR: `${other}/.git`, GIT_INDEX_FILE: `${other}/index` },
    });
    const top = await runner.run(['rev-parse', '--show-toplevel'], { cwd: repo.root });
    expect(top.stdout.toString().trim()).toBe(repo.root);
    const optional = await runner.run(['var', 'GIT_EDITOR'], { cwd: repo.root, env: { GIT_EDITOR: 'true' } });
    expect(optional.stdout.toString().trim()).toBe('true');
  });

  it('rejects when git itself cannot be started', async () => {
    const runner = createExecGitRunner({ gitPath: '/nonexistent/git', baseEnv: isolatedGitEnv(makeTempDir()) });
    await expect(runner.run(['--version'], { cwd: makeTempDir() })).rejects.toThrow(/ENOENT/);
  });
});
