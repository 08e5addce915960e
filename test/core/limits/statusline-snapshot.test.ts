import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  readStatuslineSnapshot,
  statuslineSnapshotPath,
  writeStatuslineSnapshot,
} from '../../../src/core/limits/statusline-snapshot.js';
import { withoutElapsedWindows } from '../../../src/core/limits/official-limits.js';

const now = new Date('2026-03-02T12:00:00.000Z');
const unix = (iso: string): number => Date.parse(iso) / 1000;
const inTwoHours = '2026-03-02T14:00:00.000Z';
const inFiveDays = '2026-03-07T09:00:00.000Z';

/** What Claude Code 2.1.80+ pipes to a statusline command (trimmed). */
function stdin(rateLimits: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    session_id: 'sess-1',
    transcript_path: '/home/u/.claude/projects/p/sess-1.jsonl',
    cwd: '/home/u/project',
    model: { id: 'claude-opus-4', display_name: 'Opus' },
    version: '2.1.80',
    ...(rateLimits === undefined ? {} : { rate_limits: rateLimits }),
    ...extra,
  };
}

/** The figures alone (calibration history is tested in statusline-calibration.test.ts). */
async function withoutHistory(stateDir: string, at: Date) {
  const limits = await readStatuslineSnapshot(stateDir, at);
  if (limits) delete limits.history;
  return limits;
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'breather-statusline-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('statusline snapshot', () => {
  it('round-trips both windows through a real file', async () => {
    const written = await writeStatuslineSnapshot(
      dir,
      stdin({
        five_hour: { used_percentage: 42.5, resets_at: unix(inTwoHours) },
        seven_day: { used_percentage: 17, resets_at: unix(inFiveDays) },
      }),
      now,
    );
    expect(written).toBe(true);

    const file = JSON.parse(await readFile(statuslineSnapshotPath(dir), 'utf8'));
    expect(file).toEqual({
      version: 1,
      receivedAt: now.toISOString(),
      session_id: 'sess-1',
      cwd: '/home/u/project',
      rate_limits: {
        five_hour: { used_percentage: 42.5, resets_at: unix(inTwoHours) },
        seven_day: { used_percentage: 17, resets_at: unix(inFiveDays) },
      },
      model: { id: 'claude-opus-4', display_name: 'Opus' },
      claudeCodeVersion: '2.1.80',
      context_window: null,
      cost: null,
    });

    const later = new Date(now.getTime() + 60_000);
    expect(await withoutHistory(dir, later)).toEqual({
      source: 'statusline',
      windows: {
        five_hour: { usedPercent: 42.5, resetsAt: inTwoHours, asOf: now.toISOString() },
        seven_day: { usedPercent: 17, resetsAt: inFiveDays, asOf: now.toISOString() },
      },
    });
  });

  it('accepts the raw stdin text as well as the parsed object', async () => {
    const text = JSON.stringify(stdin({ five_hour: { used_percentage: 9, resets_at: unix(inTwoHours) } }));
    expect(await writeStatuslineSnapshot(dir, text, now)).toBe(true);
    expect((await readStatuslineSnapshot(dir, now))?.windows.five_hour?.usedPercent).toBe(9);
  });

  it('keeps the previous snapshot when rate_limits is absent, empty or unusable', async () => {
    await writeStatuslineSnapshot(dir, stdin({ five_hour: { used_percentage: 30, resets_at: unix(inTwoHours) } }), now);
    const before = await readFile(statuslineSnapshotPath(dir), 'utf8');

    const later = new Date(now.getTime() + 1000);
    expect(await writeStatuslineSnapshot(dir, stdin(undefined), later)).toBe(false);
    expect(await writeStatuslineSnapshot(dir, stdin({}), later)).toBe(false);
    expect(await writeStatuslineSnapshot(dir, stdin(null), later)).toBe(false);
    expect(await writeStatuslineSnapshot(dir, stdin({ five_hour: { used_percentage: 'lots' } }), later)).toBe(false);
    expect(await writeStatuslineSnapshot(dir, 'not json {', later)).toBe(false);
    expect(await writeStatuslineSnapshot(dir, 42, later)).toBe(false);

    expect(await readFile(statuslineSnapshotPath(dir), 'utf8')).toBe(before);
  });

  it('writes nothing (and creates no file) on a first payload without rate limits', async () => {
    const nested = join(dir, 'state');
    expect(await writeStatuslineSnapshot(nested, stdin(undefined), now)).toBe(false);
    expect(await readdir(dir)).toEqual([]);
  });

  it('creates the state directory when needed and leaves no temp files', async () => {
    const nested = join(dir, 'a', 'b');
    await writeStatuslineSnapshot(nested, stdin({ seven_day: { used_percentage: 5, resets_at: unix(inFiveDays) } }), now);
    expect(await readdir(nested)).toEqual(['statusline.json']);
  });

  it('clamps percentages to 0..100 and ignores non-numbers', async () => {
    await writeStatuslineSnapshot(
      dir,
      stdin({
        five_hour: { used_percentage: 140, resets_at: unix(inTwoHours) },
        seven_day: { used_percentage: -3, resets_at: 'tomorrow' },
        seven_day_opus: { used_percentage: Number.NaN },
        seven_day_sonnet: { used_percentage: '50', resets_at: unix(inFiveDays) },
        extra_usage: { used_percentage: 10 },
      }),
      now,
    );
    const file = JSON.parse(await readFile(statuslineSnapshotPath(dir), 'utf8'));
    expect(file.rate_limits).toEqual({
      five_hour: { used_percentage: 100, resets_at: unix(inTwoHours) },
      seven_day: { used_percentage: 0, resets_at: null },
    });
    expect(await withoutHistory(dir, now)).toEqual({
      source: 'statusline',
      windows: {
        five_hour: { usedPercent: 100, resetsAt: inTwoHours, asOf: now.toISOString() },
        seven_day: { usedPercent: 0, resetsAt: null, asOf: now.toISOString() },
      },
    });
  });

  it('non-string session_id and cwd become null', async () => {
    await writeStatuslineSnapshot(
      dir,
      stdin({ five_hour: { used_percentage: 1, resets_at: unix(inTwoHours) } }, { session_id: 7, cwd: null }),
      now,
    );
    const file = JSON.parse(await readFile(statuslineSnapshotPath(dir), 'utf8'));
    expect(file.session_id).toBeNull();
    expect(file.cwd).toBeNull();
  });

  it('a window whose reset time has passed reads 0 as of its reset (not the stale figure), until a window length later', async () => {
    await writeStatuslineSnapshot(
      dir,
      stdin({
        five_hour: { used_percentage: 88, resets_at: unix(inTwoHours) },
        seven_day: { used_percentage: 40, resets_at: unix(inFiveDays) },
      }),
      now,
    );
    const afterFiveHourReset = new Date('2026-03-02T14:00:00.000Z');
    expect(await withoutHistory(dir, afterFiveHourReset)).toEqual({
      source: 'statusline',
      windows: {
        five_hour: { usedPercent: 0, resetsAt: null, asOf: inTwoHours },
        seven_day: { usedPercent: 40, resetsAt: inFiveDays, asOf: now.toISOString() },
      },
    });
    const afterBoth = new Date('2026-03-08T00:00:00.000Z');
    expect(await withoutHistory(dir, afterBoth)).toEqual({
      source: 'statusline',
      windows: { seven_day: { usedPercent: 0, resetsAt: new Date(Date.parse(inFiveDays) + 7 * 86_400_000).toISOString(), asOf: inFiveDays } },
    });
    const aWeekAfter = new Date(Date.parse(inFiveDays) + 7 * 86_400_000);
    expect(await withoutHistory(dir, aWeekAfter)).toEqual({ source: 'statusline', windows: {} });
  });

  it('drops a window with no reset time once the figure is older than the window', async () => {
    await writeStatuslineSnapshot(dir, stdin({ five_hour: { used_percentage: 12 } }), now);
    expect((await readStatuslineSnapshot(dir, new Date(now.getTime() + 4 * 3_600_000)))?.windows.five_hour).toEqual({
      usedPercent: 12,
      resetsAt: null,
      asOf: now.toISOString(),
    });
    expect((await readStatuslineSnapshot(dir, new Date(now.getTime() + 5 * 3_600_000)))?.windows).toEqual({});
  });

  it('reads resets_at given in milliseconds as the same instant', async () => {
    await writeStatuslineSnapshot(dir, stdin({ five_hour: { used_percentage: 3, resets_at: Date.parse(inTwoHours) } }), now);
    expect((await readStatuslineSnapshot(dir, now))?.windows.five_hour?.resetsAt).toBe(inTwoHours);
  });

  it('missing or corrupt files give null and never throw', async () => {
    expect(await withoutHistory(dir, now)).toBeNull();
    expect(await readStatuslineSnapshot(join(dir, 'nope'), now)).toBeNull();

    const path = statuslineSnapshotPath(dir);
    const corrupt = [
      '{"version":1,"receivedAt":"2026-03-02T12:00:00Z","rate_limits":{"five_ho',
      '',
      'null',
      '[]',
      JSON.stringify({ version: 2, receivedAt: now.toISOString(), rate_limits: { five_hour: { used_percentage: 1 } } }),
      JSON.stringify({ version: 1, receivedAt: 'yesterday-ish', rate_limits: { five_hour: { used_percentage: 1 } } }),
      JSON.stringify({ version: 1, receivedAt: now.toISOString(), rate_limits: 'full' }),
    ];
    for (const content of corrupt) {
      await writeFile(path, content);
      expect(await withoutHistory(dir, now)).toBeNull();
    }
  });

  it('re-validates a hand-edited file (clamps on read too)', async () => {
    await writeFile(
      statuslineSnapshotPath(dir),
      JSON.stringify({
        version: 1,
        receivedAt: now.toISOString(),
        session_id: null,
        cwd: null,
        rate_limits: { five_hour: { used_percentage: 250, resets_at: unix(inTwoHours) }, seven_day: { used_percentage: 'x' } },
      }),
    );
    expect(await withoutHistory(dir, now)).toEqual({
      source: 'statusline',
      windows: { five_hour: { usedPercent: 100, resetsAt: inTwoHours, asOf: now.toISOString() } },
    });
  });
});

describe('withoutElapsedWindows', () => {
  it('keeps windows resetting later, drops those reset at or before now', () => {
    const asOf = now.toISOString();
    const limits = withoutElapsedWindows(
      {
        source: 'account',
        windows: {
          five_hour: { usedPercent: 1, resetsAt: now.toISOString(), asOf },
          seven_day: { usedPercent: 2, resetsAt: inFiveDays, asOf },
          seven_day_opus: { usedPercent: 3, resetsAt: null, asOf },
        },
      },
      now,
    );
    expect(Object.keys(limits.windows)).toEqual(['seven_day', 'seven_day_opus']);
    expect(limits.source).toBe('account');
  });
});
