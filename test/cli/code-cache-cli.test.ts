// The CLI's code cache (src/cli/compiled-program.ts) across real runs of the
// built CLI: saved by a command's first run, used unchanged by the next, and
// replaced when damaged, with the same output every time.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeCacheRuntime } from '../../src/cli/compiled-program.js';
import { runCli } from '../support/run-cli.js';
import { tempDir, usageLine, writeTranscript } from '../support/usage-lines.js';

function world() {
  const root = tempDir();
  writeTranscript(root, '-work-a/s1.jsonl', [
    usageLine({ at: '2026-11-01T10:05:00.000Z', messageId: 'm1', requestId: 'r1', input: 100, output: 20 }),
    usageLine({ at: '2026-11-01T16:30:00.000Z', messageId: 'm2', requestId: 'r2', input: 7, output: 3 }),
  ]);
  const tmp = tempDir();
  // os.tmpdir() follows TMPDIR (POSIX) and TEMP (Windows).
  return { root, tmp, env: { BREATHER_HOME: tempDir(), TMPDIR: tmp, TEMP: tmp, TMP: tmp } };
}

function cacheFiles(tmp: string): string[] {
  const root = readdirSync(tmp).find((name) => name.startsWith('breather-code-cache'));
  if (!root) return [];
  const dir = join(tmp, root, codeCacheRuntime());
  return readdirSync(dir).map((name) => join(dir, name));
}

describe('the CLI code cache', () => {
  it('is saved by a command\'s first run, used as it is by the next, and replaced when damaged', async () => {
    const { root, tmp, env } = world();
    const args = ['blocks', '--json', '--timezone', 'UTC', '--data-dir', root];
    const first = await runCli(args, env);
    expect(first.code).toBe(0);
    const [cache] = cacheFiles(tmp);
    expect(cache).toMatch(/[\\/]blocks-[0-9a-f]+-[0-9a-f]+-\d+\.bin$/);
    const saved = readFileSync(cache!);
    const savedAt = statSync(cache!).mtimeMs;

    const second = await runCli(args, env);
    expect(second.stdout).toBe(first.stdout);
    // Used, so not written again (V8 took it: a rejected one is replaced at exit).
    expect(readFileSync(cache!).equals(saved)).toBe(true);
    expect(statSync(cache!).mtimeMs).toBe(savedAt);

    writeFileSync(cache!, Buffer.alloc(saved.length, 7));
    const third = await runCli(args, env);
    expect(third.code).toBe(0);
    expect(third.stdout).toBe(first.stdout);
    expect(readFileSync(cache!).equals(Buffer.alloc(saved.length, 7))).toBe(false);
    expect(cacheFiles(tmp)).toEqual([cache]);
  });

  it('keeps a cache per command, and none with BREATHER_CODE_CACHE=0', async () => {
    const { root, tmp, env } = world();
    await runCli(['status', '--json', '--data-dir', root], env);
    await runCli(['--version'], env);
    expect(cacheFiles(tmp).map((path) => path.split(/[\\/]/).pop()!.split('-')[0]).sort()).toEqual(['none', 'status']);

    const off = world();
    const result = await runCli(['daily', '--json', '--data-dir', off.root], { ...off.env, BREATHER_CODE_CACHE: '0' });
    expect(result.code).toBe(0);
    expect(existsSync(off.tmp) && readdirSync(off.tmp).some((name) => name.startsWith('breather-code-cache'))).toBe(false);
  });
});
