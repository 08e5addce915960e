// The hook bundle's own small readers: they must agree with the full app.
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HOOK_LOG_FILE, HOOK_SETTING_DEFAULTS, gitTopLevelOf, logHookProblem, readHookSettings } from '../../../src/core/integration/hook-runtime.js';
import { defaultSettings } from '../../../src/shared/settings.js';
import { linkedWorktree } from '../../support/checkpoint-world.js';
import { makeTempDir, makeTempRepo, removeTempDirs } from '../../support/temp-repo.js';

afterAll(removeTempDirs);

describe('hook runtime', () => {
  it('reads settings with the same defaults as the schema, and the values the user set', () => {
    const defaults = defaultSettings();
    expect(HOOK_SETTING_DEFAULTS).toEqual({
      statuslineTimeoutMs: defaults.integration.statuslineTimeoutMs,
      sessionStartContext: defaults.integration.sessionStartContext,
      pauseEndsAt: defaults.pause.endsAt,
    });
    const state = makeTempDir('breather-hook-settings-');
    expect(readHookSettings(state)).toEqual(HOOK_SETTING_DEFAULTS);
    writeFileSync(join(state, 'settings.json'), JSON.stringify({ version: 1, integration: { statuslineTimeoutMs: 750, sessionStartContext: true }, pause: { endsAt: 'manual' } }));
    expect(readHookSettings(state)).toEqual({ statuslineTimeoutMs: 750, sessionStartContext: true, pauseEndsAt: 'manual' });
    writeFileSync(join(state, 'settings.json'), '{not json');
    expect(readHookSettings(state)).toEqual(HOOK_SETTING_DEFAULTS);
  });

  it('maps a folder to its git top level without running git, linked worktrees included', () => {
    const repo = makeTempRepo({ files: { 'a.txt': 'a\n' } });
    mkdirSync(repo.path('src/deep'), { recursive: true });
    expect(gitTopLevelOf(repo.path('src/deep'))).toBe(repo.root);
    const worktree = linkedWorktree(repo, 'side', repo.path('.claude/worktrees/side'));
    expect(gitTopLevelOf(join(worktree.root, 'x', '..'))).toBe(worktree.root);
    expect(gitTopLevelOf(makeTempDir('breather-no-repo-'))).toBeNull();
  });

  it('keeps the hook log bounded: past 1 MB it moves aside and starts again', () => {
    const state = makeTempDir('breather-hook-log-');
    const path = join(state, HOOK_LOG_FILE);
    writeFileSync(path, 'x'.repeat(1024 * 1024 + 1));
    logHookProblem(state, 'pre-tool-use', 'paused.json is unusable; allowed', new Date('2026-03-02T12:00:00.000Z'));
    expect(readFileSync(path, 'utf8')).toBe('2026-03-02T12:00:00.000Z pre-tool-use: paused.json is unusable; allowed\n');
    expect(statSync(`${path}.1`).size).toBe(1024 * 1024 + 1);
  });
});
