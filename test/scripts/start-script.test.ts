// `npm start` (scripts/start.mjs): with no Electron binary (as here, where it
// cannot be downloaded) one clear sentence and exit 1, never Electron's stack
// trace; with a binary, it is started on the app folder.
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDirs } from '../support/temp-repo.js';

const ROOT = resolve(import.meta.dirname, '../..');
const START = join(ROOT, 'scripts/start.mjs');

function start(env: Record<string, string | undefined>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const childEnv = { ...process.env, ...env } as NodeJS.ProcessEnv;
    for (const [name, value] of Object.entries(env)) if (value === undefined) delete childEnv[name];
    execFile(process.execPath, [START], { cwd: ROOT, env: childEnv }, (error, stdout, stderr) =>
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

afterAll(removeTempDirs);

describe('npm start', () => {
  // Where Electron could be downloaded the binary exists; the fake-binary case covers the start there.
  it.skipIf(existsSync(join(ROOT, 'node_modules/electron/path.txt')))('says what to do, in one line and without a stack trace, when Electron has no binary', async () => {
    const result = await start({ ELECTRON_OVERRIDE_DIST_PATH: undefined });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('Electron is not installed');
    expect(result.stderr).toContain('ELECTRON_MIRROR');
    expect(result.stderr).toContain('use the CLI');
    expect(result.stderr).not.toMatch(/\n\s+at |Error:/);
  });

  it('names a missing ELECTRON_OVERRIDE_DIST_PATH binary the same way', async () => {
    const result = await start({ ELECTRON_OVERRIDE_DIST_PATH: makeTempDir() });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('ELECTRON_OVERRIDE_DIST_PATH has no Electron binary');
  });

  it('starts the binary on the app folder when there is one', async () => {
    const dist = makeTempDir();
    const fake = join(dist, 'electron');
    writeFileSync(fake, '#!/bin/sh\necho "electron $*"\nexit 7\n');
    chmodSync(fake, 0o755);
    const result = await start({ ELECTRON_OVERRIDE_DIST_PATH: dist });
    expect(result.stdout).toBe('electron .\n');
    expect(result.code).toBe(7);
  });
});
