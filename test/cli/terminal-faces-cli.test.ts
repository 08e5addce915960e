// The terminal faces: an empty `blocks --active` says so, times follow
// --timezone, a zone that does not exist is a usage error, and every human
// line fits 80 columns when piped.
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { tempDir, usageLine, writeTranscript } from '../support/usage-lines.js';

const HOUR = 3_600_000;

describe('terminal faces', () => {
  it('blocks --active with no active block says so, naming the last one', async () => {
    const root = tempDir();
    const home = tempDir();
    const at = Date.now() - 30 * HOUR;
    writeTranscript(root, '-work-a/s1.jsonl', [usageLine({ at: new Date(at).toISOString() })]);
    const result = await runCli(['blocks', '--active', '--timezone', 'UTC', '--data-dir', root], { BREATHER_HOME: home });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^No active block: nothing in the last 5 hours \(last block: (yesterday|\w{3}) \d{2}:00\)\.\n$/);
    // One line at 80 columns, whatever the day label.
    expect(result.stdout.trimEnd().length).toBeLessThanOrEqual(80);
    const json = await runCli(['blocks', '--active', '--json', '--data-dir', root], { BREATHER_HOME: home });
    expect(JSON.parse(json.stdout).blocks).toEqual([]);
  });

  it('rejects an unknown --timezone on every command that prints times', async () => {
    const root = tempDir();
    for (const command of ['status', 'limits', 'blocks', 'session']) {
      const result = await runCli([command, '--timezone', 'Mars/Base', '--data-dir', root], { BREATHER_HOME: tempDir() });
      expect(result.code, command).toBe(2);
      expect(result.stderr).toMatch(/Mars\/Base/);
    }
  });

  it('status shows local times in the zone asked for, never ISO with milliseconds, within 80 columns', async () => {
    const root = tempDir();
    const at = Date.now() - 20 * 60_000;
    writeTranscript(root, '-work-a-very-long-project-directory-name-that-goes-on-and-on/s1.jsonl', [
      usageLine({ at: new Date(at).toISOString(), cwd: '/work/a-very-long-project-directory-name-that-goes-on-and-on/and/on/and/on' }),
    ]);
    for (const zone of ['UTC', 'Asia/Kolkata']) {
      const result = await runCli(['status', '--timezone', zone, '--data-dir', root], { BREATHER_HOME: tempDir() });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).not.toMatch(/\d{2}:\d{2}:\d{2}\.\d{3}Z/);
      for (const line of result.stdout.trimEnd().split('\n')) expect([...line].length, line).toBeLessThanOrEqual(80);
      const wall = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(at));
      expect(result.stdout).toContain(wall);
    }
  });
});
