// install / uninstall / reinstall on real settings.json files: the user's
// bytes survive, Breather's parts come and go, bad files are refused untouched.
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HOOK_BUNDLE_NAME, HOOK_TIMEOUT_SECONDS, SettingsFileError } from '../../../src/core/integration/claude-settings-merge.js';
import { breatherCommands, hookEntryPoint } from '../../../src/core/integration/hook-commands.js';
import { readIntegrationRecord } from '../../../src/core/integration/integration-record.js';
import { claudeSettingsPath, installIntegration, integrationStatus, uninstallIntegration } from '../../../src/core/integration/integration-service.js';
import { makeTempDir, removeTempDirs } from '../../support/temp-repo.js';

afterAll(removeTempDirs);

const entry = hookEntryPoint('/opt/Breather App/dist/cli/breather-hook.mjs', '/usr/bin/node', { ...process.versions, electron: undefined } as unknown as NodeJS.ProcessVersions);
const commands = breatherCommands(entry, { sessionStart: false }, 'linux');

function world(content?: string) {
  const base = makeTempDir('breather-integrate-');
  const stateDir = join(base, 'state');
  const settingsPath = join(base, 'claude', 'settings.json');
  if (content !== undefined) {
    mkdirSync(join(base, 'claude'), { recursive: true });
    writeFileSync(settingsPath, content);
  }
  return { base, stateDir, settingsPath, target: { stateDir, settingsPath } };
}

const FIXTURES: Record<string, string> = {
  'two spaces, unknown keys': '{\n  "model": "opus",\n  "futureThing": {"nested": [1, 2, {"x": null}]},\n  "permissions": {\n    "allow": ["Bash(npm test)"]\n  }\n}\n',
  'four spaces': '{\n    "env": {\n        "FOO": "bar"\n    },\n    "includeCoAuthoredBy": false\n}\n',
  tabs: '{\n\t"theme": "dark",\n\t"env": {\n\t\t"A": "1"\n\t}\n}\n',
  'no final newline': '{\n  "model": "sonnet"\n}',
  'an existing statusLine': '{\n  "statusLine": {\n    "type": "command",\n    "command": "~/.claude/statusline.sh",\n    "padding": 2\n  },\n  "model": "opus"\n}\n',
  'existing hooks on the same events': JSON.stringify(
    {
      hooks: {
        PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: '/usr/local/bin/guard.sh', timeout: 3 }] }],
        StopFailure: [{ hooks: [{ type: 'command', command: 'notify-send stopped' }] }],
        PostToolUse: [{ matcher: 'Edit', hooks: [{ type: 'command', command: 'prettier --write' }] }],
      },
    },
    null,
    2,
  ),
  'empty object on one line': '{}',
  'CRLF line endings': '{\r\n  "model": "opus",\r\n  "hooks": {}\r\n}\r\n',
};

describe('integrate install / uninstall on real settings.json files', () => {
  for (const [name, original] of Object.entries(FIXTURES)) {
    it(`${name}: install adds exactly Breather's parts, twice changes nothing, uninstall gives the same bytes back`, async () => {
      const w = world(original);
      const installed = await installIntegration(w.target, commands);
      expect(installed.changed).toBe(true);
      const after = readFileSync(w.settingsPath, 'utf8');
      const value = JSON.parse(after);
      const before = JSON.parse(original);
      // Every foreign key keeps its value, in its order.
      const foreign = Object.keys(before).filter((k) => k !== 'statusLine' && k !== 'hooks');
      expect(Object.keys(value).filter((k) => foreign.includes(k))).toEqual(foreign);
      for (const key of foreign) expect(value[key]).toEqual(before[key]);
      expect(value.statusLine).toEqual({ type: 'command', command: commands.statusline, padding: 0 });
      for (const event of ['PreToolUse', 'StopFailure'] as const) {
        const ours = value.hooks[event].flatMap((g: { hooks: { command: string; timeout: number }[] }) => g.hooks).filter((h: { command: string }) => h.command.includes(HOOK_BUNDLE_NAME));
        expect(ours).toEqual([{ type: 'command', command: commands.hooks[event], timeout: HOOK_TIMEOUT_SECONDS[event] }]);
        // The user's own hooks on the same event are still there, first.
        expect(value.hooks[event].slice(0, before.hooks?.[event]?.length ?? 0)).toEqual(before.hooks?.[event] ?? []);
      }
      if (before.hooks?.PostToolUse) expect(value.hooks.PostToolUse).toEqual(before.hooks.PostToolUse);
      // The file's own style: indentation unit, line endings, final newline.
      const unit = /\n([ \t]+)"/.exec(original)?.[1];
      if (unit) expect(after).toContain(`\n${unit}"statusLine"`);
      expect(after.includes('\r\n')).toBe(original.includes('\r\n'));
      expect(after.endsWith('\n')).toBe(original.endsWith('\n'));
      // A user line that JSON.stringify would reformat keeps its bytes.
      for (const line of original.split(/\r?\n/).filter((l) => l.includes('"futureThing"') || l.includes('"allow"'))) expect(after).toContain(line);

      const again = await installIntegration(w.target, commands);
      expect(again.changed).toBe(false);
      expect(readFileSync(w.settingsPath, 'utf8')).toBe(after);

      const record = await readIntegrationRecord(w.stateDir);
      expect(record?.previousStatusLine).toEqual(before.statusLine ?? null);
      expect(readFileSync(record!.backupPath!, 'utf8')).toBe(original);

      const removed = await uninstallIntegration(w.target);
      expect(removed.method).toBe('restored-original');
      expect(readFileSync(w.settingsPath, 'utf8')).toBe(original);

      // Reinstall after uninstall: the same result as the first install.
      await installIntegration(w.target, commands);
      expect(readFileSync(w.settingsPath, 'utf8')).toBe(after);
    });

    it(`${name}: uninstall after the user edited the file keeps their edits and takes out only Breather's parts`, async () => {
      const w = world(original);
      await installIntegration(w.target, commands);
      // The user adds a key (by hand, appended in the file's style) after install.
      const installedText = readFileSync(w.settingsPath, 'utf8');
      const edited = installedText.replace(/\{/, `{${original.includes('\r\n') ? '\r\n' : '\n'}  "userAddedLater": true,`);
      writeFileSync(w.settingsPath, edited);
      const removed = await uninstallIntegration(w.target);
      expect(removed.method).toBe('removed-parts');
      const text = readFileSync(w.settingsPath, 'utf8');
      expect(text).not.toContain(HOOK_BUNDLE_NAME);
      const value = JSON.parse(text);
      expect(value.userAddedLater).toBe(true);
      const before = JSON.parse(original);
      const { userAddedLater: _added, ...rest } = value;
      expect(rest).toEqual(before);
      // Taking the added line out again gives the original bytes: only Breather's ranges were edited.
      if (Object.keys(before).length > 0) expect(text.replace(/\r?\n  "userAddedLater": true,/, '')).toBe(original);
    });
  }

  it('no file at all: install creates it (2 spaces, final newline); uninstall removes it again', async () => {
    const w = world();
    await installIntegration(w.target, commands);
    const text = readFileSync(w.settingsPath, 'utf8');
    expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
    expect((await readIntegrationRecord(w.stateDir))?.createdFile).toBe(true);
    await uninstallIntegration(w.target);
    expect(existsSync(w.settingsPath)).toBe(false);
  });

  it('an existing statusLine is restored whole even after the user edited other keys', async () => {
    const w = world(FIXTURES['an existing statusLine']);
    await installIntegration(w.target, commands);
    const value = JSON.parse(readFileSync(w.settingsPath, 'utf8'));
    value.model = 'haiku';
    writeFileSync(w.settingsPath, JSON.stringify(value, null, 2) + '\n');
    await uninstallIntegration(w.target);
    const back = JSON.parse(readFileSync(w.settingsPath, 'utf8'));
    expect(back).toEqual({ statusLine: { type: 'command', command: '~/.claude/statusline.sh', padding: 2 }, model: 'haiku' });
  });

  it('comments (invalid JSON) are refused with a clear message and the file stays untouched', async () => {
    const original = '{\n  // my model\n  "model": "opus"\n}\n';
    const w = world(original);
    const error = await installIntegration(w.target, commands).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SettingsFileError);
    expect((error as SettingsFileError).kind).toBe('invalid-json');
    expect((error as Error).message).toContain('no comments');
    expect(readFileSync(w.settingsPath, 'utf8')).toBe(original);
    expect(existsSync(w.stateDir) ? readdirSync(w.stateDir) : []).toEqual([]);
    // Status reports the same problem instead of failing (the Settings window shows it).
    const status = await integrationStatus(w.target, commands);
    expect(status).toMatchObject({ problem: (error as Error).message, installed: 'no', autoContinue: { state: 'unknown' } });
  });

  it('a read-only file (no write bit for anyone) is refused and stays untouched', async () => {
    // Tests run as root, who may write anything: the permission bits are the
    // user's stated intent, so Breather checks them itself (chmod a-w).
    const original = FIXTURES['two spaces, unknown keys']!;
    const w = world(original);
    chmodSync(w.settingsPath, 0o444);
    const error = await installIntegration(w.target, commands).catch((e: unknown) => e);
    expect((error as SettingsFileError).kind).toBe('read-only');
    expect(readFileSync(w.settingsPath, 'utf8')).toBe(original);
    const status = await integrationStatus(w.target, commands);
    expect(status.problem).toContain('read-only');
    expect(status.installed).toBe('no');
  });

  it('reinstall with new paths rewrites Breather entries in place and keeps what the first install replaced', async () => {
    const w = world(FIXTURES['an existing statusLine']);
    await installIntegration(w.target, commands);
    const moved = breatherCommands(hookEntryPoint('/Applications/Breather.app/Contents/Resources/app/dist/cli/breather-hook.mjs', '/Applications/Breather.app/Contents/MacOS/Breather', { electron: '45.0.0' } as unknown as NodeJS.ProcessVersions), { sessionStart: true }, 'darwin');
    await installIntegration(w.target, moved);
    const value = JSON.parse(readFileSync(w.settingsPath, 'utf8'));
    expect(value.statusLine.command).toBe(moved.statusline);
    expect(value.hooks.PreToolUse).toHaveLength(1);
    expect(value.hooks.SessionStart[0].hooks[0].command).toBe(moved.hooks.SessionStart);
    expect(moved.statusline.startsWith('ELECTRON_RUN_AS_NODE=1 ')).toBe(true);
    expect((await readIntegrationRecord(w.stateDir))?.previousStatusLine).toEqual(JSON.parse(FIXTURES['an existing statusLine']!).statusLine);
    const status = await integrationStatus(w.target, moved);
    expect(status).toMatchObject({ installed: 'yes', upToDate: true });
    await uninstallIntegration(w.target);
    expect(readFileSync(w.settingsPath, 'utf8')).toBe(FIXTURES['an existing statusLine']);
  });

  it('the target is the first CLAUDE_CONFIG_DIR root, else ~/.claude', () => {
    expect(claudeSettingsPath({ CLAUDE_CONFIG_DIR: '/a/one,/b/two' }, '/home/u')).toBe('/a/one/settings.json');
    expect(claudeSettingsPath({}, '/home/u')).toBe('/home/u/.claude/settings.json');
  });
});

describe('hook command lines', () => {
  it('the packaged app points at the hook bundle unpacked beside app.asar', () => {
    const mac = hookEntryPoint('/Applications/Breather.app/Contents/Resources/app.asar/dist/cli/breather-hook.mjs', '/Applications/Breather.app/Contents/MacOS/Breather', { electron: '45' } as unknown as NodeJS.ProcessVersions);
    expect(mac.script).toBe('/Applications/Breather.app/Contents/Resources/app.asar.unpacked/dist/cli/breather-hook.mjs');
    const win = hookEntryPoint('C:\\Program Files\\Breather\\resources\\app.asar\\dist\\cli\\breather-hook.mjs', 'C:\\Program Files\\Breather\\Breather.exe', { electron: '45' } as unknown as NodeJS.ProcessVersions);
    expect(win.script).toBe('C:\\Program Files\\Breather\\resources\\app.asar.unpacked\\dist\\cli\\breather-hook.mjs');
    expect(hookEntryPoint('/src/app.asar/dist/cli/breather-hook.mjs', '/usr/bin/node', {} as NodeJS.ProcessVersions).script).toBe('/src/app.asar/dist/cli/breather-hook.mjs');
  });

  it('quote paths with spaces for sh and for Git Bash on Windows', () => {
    expect(commands.statusline).toBe(`/usr/bin/node '/opt/Breather App/dist/cli/breather-hook.mjs' statusline`);
    const win = breatherCommands(hookEntryPoint('C:\\Program Files\\Breather\\resources\\app\\dist\\cli\\breather-hook.mjs', 'C:\\Program Files\\Breather\\Breather.exe', { electron: '45' } as unknown as NodeJS.ProcessVersions), { sessionStart: false }, 'win32');
    expect(win.hooks.PreToolUse).toBe('ELECTRON_RUN_AS_NODE=1 "C:\\Program Files\\Breather\\Breather.exe" "C:\\Program Files\\Breather\\resources\\app\\dist\\cli\\breather-hook.mjs" pre-tool-use');
    expect(breatherCommands(hookEntryPoint("/tmp/it's here/breather-hook.mjs", '/usr/bin/node', {} as NodeJS.ProcessVersions), { sessionStart: false }, 'linux').statusline).toBe(
      `/usr/bin/node '/tmp/it'\\''s here/breather-hook.mjs' statusline`,
    );
  });
});
