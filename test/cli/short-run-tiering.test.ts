import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { SHORT_RUN_V8_FLAGS } from '../../src/cli/short-run-tiering.js';

describe('the V8 flags a CLI run sets for itself', () => {
  it('are flags this Node knows (setFlagsFromString ignores a misspelt or retired one silently; the command line does not)', () => {
    expect(SHORT_RUN_V8_FLAGS.length).toBeGreaterThan(0);
    for (const flag of SHORT_RUN_V8_FLAGS) {
      const run = spawnSync(process.execPath, [flag, '-e', '0'], { encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
    }
    // The check itself tells a known flag from an unknown one.
    expect(spawnSync(process.execPath, ['--interrupt-budget-of-nothing=1', '-e', '0']).status).not.toBe(0);
  });
});
