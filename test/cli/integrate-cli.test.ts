// `breather integrate install | status | uninstall` through the built CLI, on
// a real Claude Code config folder chosen with CLAUDE_CONFIG_DIR.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HOOK_BUNDLE, runHook } from '../support/run-hook.js';
import { runCli } from '../support/run-cli.js';
import { makeTempDir, removeTempDirs } from '../support/temp-repo.js';

afterAll(removeTempDirs);

function sandbox(settings?: string) {
  const base = makeTempDir('breather-integrate-cli-');
  const claude = join(base, 'claude config');
  const home = join(base, 'home');
  mkdirSync(claude, { recursive: true });
  mkdirSync(home, { recursive: true });
  if (settings !== undefined) writeFileSync(join(claude, 'settings.json'), settings);
  return { base, claude, home, env: { BREATHER_HOME: join(base, 'state'), CLAUDE_CONFIG_DIR: claude, HOME: home } };
}

describe('breather integrate', () => {
  it('install, status, a bridge report, uninstall: the file comes back byte for byte', async () => {
    const original = '{\n    "model": "opus",\n    "statusLine": {"type": "command", "command": "echo mine"}\n}';
    const s = sandbox(original);
    writeFileSync(join(s.home, '.claude.json'), JSON.stringify({ numStartups: 3, autoContinueAtUsageLimit: true }));
    const install = await runCli(['integrate', 'install', '--json'], s.env);
    expect(install.code, install.stderr).toBe(0);
    const installed = JSON.parse(install.stdout);
    expect(installed).toMatchObject({ changed: true, settingsPath: join(s.claude, 'settings.json'), replacedStatusLine: { type: 'command', command: 'echo mine' } });
    // Absolute paths to the hook bundle, run by this Node.
    expect(installed.commands.statusline).toBe(`${process.execPath} ${HOOK_BUNDLE} statusline`);

    const before = JSON.parse((await runCli(['integrate', 'status', '--json'], s.env)).stdout);
    expect(before).toMatchObject({ installed: 'yes', upToDate: true, bridge: { lastReportAt: null }, autoContinue: { state: 'on', key: 'autoContinueAtUsageLimit' }, pauseEndsAt: 'reset' });
    expect(before.parts.hooks.PreToolUse.command).toBe(installed.commands.hooks.PreToolUse);

    const bridge = await runHook('statusline', { session_id: 's', version: '2.1.95', rate_limits: { five_hour: { used_percentage: 9, resets_at: Math.floor(Date.now() / 1000) + 600 } } }, s.env);
    expect(bridge.stdout).toBe('mine\n');
    const after = JSON.parse((await runCli(['integrate', 'status', '--json'], s.env)).stdout);
    expect(after.bridge).toMatchObject({ claudeCodeVersion: '2.1.95' });
    expect(Date.parse(after.bridge.lastReportAt)).toBeGreaterThan(Date.now() - 60_000);
    const text = await runCli(['integrate', 'status'], s.env);
    expect(text.stdout).toContain('from Claude Code 2.1.95');
    for (const line of text.stdout.trimEnd().split('\n').filter((l) => !l.includes('/'))) expect(line.length).toBeLessThanOrEqual(80);

    expect((await runCli(['integrate', 'install'], s.env)).stdout).toContain('nothing changed');
    const uninstall = await runCli(['integrate', 'uninstall'], s.env);
    expect(uninstall.code).toBe(0);
    expect(uninstall.stdout).toContain('back exactly as it was');
    expect(readFileSync(join(s.claude, 'settings.json'), 'utf8')).toBe(original);
  });

  it('refuses a settings.json with comments: exit 2, a clear message, the file untouched', async () => {
    const original = '{\n  // keep opus\n  "model": "opus",\n}\n';
    const s = sandbox(original);
    const result = await runCli(['integrate', 'install'], s.env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/is not valid JSON .*no comments or trailing commas.*Nothing was changed/);
    expect(readFileSync(join(s.claude, 'settings.json'), 'utf8')).toBe(original);
    expect((await runCli(['integrate', 'uninstall'], s.env)).code).toBe(2);
  });
});
