import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectsFirstScan } from '../../src/cli/scan-threads.js';
import { tempDir } from '../support/usage-lines.js';

const argv = (...args: string[]) => ['node', 'breather.mjs', ...args];

describe('expectsFirstScan (whether a run starts its scan worker before anything else)', () => {
  it('expects one for a scanning command when no index was ever saved', () => {
    const env = { BREATHER_HOME: tempDir() };
    for (const command of ['blocks', 'daily', 'session', 'status', 'limits', 'watch', 'checkpoint', 'pause']) {
      expect(expectsFirstScan(argv(command, '--json'), env)).toBe(true);
    }
    // Options before the command do not hide it.
    expect(expectsFirstScan(argv('--no-color', 'status'), env)).toBe(true);
  });

  it('expects none once an index exists, for other commands, or with no command', () => {
    const home = tempDir();
    const env = { BREATHER_HOME: home };
    for (const args of [['config', 'get'], ['resume'], ['integrate', 'status'], ['statusline'], ['--version'], []]) {
      expect(expectsFirstScan(argv(...args), env)).toBe(false);
    }
    mkdirSync(join(home, 'index', 'abc'), { recursive: true });
    // A folder without its aggregates file is no index.
    expect(expectsFirstScan(argv('blocks'), env)).toBe(true);
    writeFileSync(join(home, 'index', 'abc', 'usage-index.bin'), 'x');
    expect(expectsFirstScan(argv('blocks'), env)).toBe(false);
  });
});
