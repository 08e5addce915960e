// A bare "resets 9pm" means 9pm where the machine is, and the machine may move:
// the reset is resolved when read, in this run's zone (TZ), whatever zone the
// index was built in. A resolution that makes no sense for a 5-hour limit is
// replaced by an estimate, flagged resetEstimated.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LimitHit } from '../../src/shared/status.js';
import { runCli } from '../support/run-cli.js';
import { makeTempDir, removeTempDirs } from '../support/temp-repo.js';
import { TranscriptBuilder } from '../support/transcript-builder.js';

afterAll(removeTempDirs);

const HOUR = 3_600_000;
const BARE = "You've hit your session limit · resets 9pm";
// 18:00 UTC is 13:00 in New York (EST, UTC−5); 23:00 UTC is 18:00 there.
const AFTERNOON_UTC = Date.UTC(2026, 10, 20, 18, 0);
const EVENING_UTC = Date.UTC(2026, 10, 25, 23, 0);

async function writeHit(root: string, cwd: string, atMs: number, text: string): Promise<void> {
  const builder = new TranscriptBuilder({ cwd, start: new Date(atMs - 60_000).toISOString() });
  builder.prompt('continue');
  builder.at(atMs).limitHit(text);
  await builder.writeTo(join(root, 'projects', cwd.replace(/[^A-Za-z0-9]/g, '-'), `${builder.sessionId}.jsonl`));
}

async function hitsIn(root: string, home: string, tz: string): Promise<Map<number, LimitHit>> {
  const result = await runCli(['limits', '--json', '--data-dir', root], { BREATHER_HOME: home, TZ: tz });
  expect(result.code, result.stderr).toBe(0);
  const hits = (JSON.parse(result.stdout) as { limitHits: LimitHit[] }).limitHits;
  return new Map(hits.map((hit) => [Date.parse(hit.at), hit]));
}

/** What each zone makes of the two bare hits. */
const EXPECTED = {
  UTC: {
    // 9pm the same day, three hours later: plausible.
    [AFTERNOON_UTC]: { resetsAt: new Date(AFTERNOON_UTC + 3 * HOUR).toISOString(), estimated: false },
    // 9pm is 22 h away: a 5-hour limit cannot mean that. Latest possible reset: hit + 5 h, on the hour.
    [EVENING_UTC]: { resetsAt: new Date(EVENING_UTC + 5 * HOUR).toISOString(), estimated: true },
  },
  'America/New_York': {
    // 13:00 local; 9pm local is 8 h away: estimated.
    [AFTERNOON_UTC]: { resetsAt: new Date(AFTERNOON_UTC + 5 * HOUR).toISOString(), estimated: true },
    // 18:00 local; 9pm local is 3 h away.
    [EVENING_UTC]: { resetsAt: new Date(EVENING_UTC + 3 * HOUR).toISOString(), estimated: false },
  },
} as const;

function expectZone(hits: Map<number, LimitHit>, zone: keyof typeof EXPECTED): void {
  for (const [at, expected] of Object.entries(EXPECTED[zone])) {
    const hit = hits.get(Number(at));
    expect(hit, `hit at ${new Date(Number(at)).toISOString()} in ${zone}`).toBeDefined();
    expect(hit!.window).toBe('five_hour');
    expect(hit!.resetsAt).toBe(expected.resetsAt);
    expect(Boolean(hit!.resetEstimated)).toBe(expected.estimated);
  }
}

describe('a zoneless reset time', () => {
  it.each([
    ['UTC', 'America/New_York'],
    ['America/New_York', 'UTC'],
  ] as const)('read first in %s (fresh index), then in %s (existing index): each run shows its own zone', async (first, second) => {
    const root = makeTempDir('breather-zone-root-');
    const home = makeTempDir('breather-zone-home-');
    await writeHit(root, '/work/a', AFTERNOON_UTC, BARE);
    await writeHit(root, '/work/b', EVENING_UTC, BARE);
    expectZone(await hitsIn(root, home, first), first);
    // Same state dir: the index built in the first zone must not freeze its resolution.
    expectZone(await hitsIn(root, home, second), second);
  }, 30_000);

  it('borrows the zone of a nearby hit that named one when the bare reading makes no sense', async () => {
    const root = makeTempDir('breather-zone-root-');
    const home = makeTempDir('breather-zone-home-');
    await writeHit(root, '/work/b', EVENING_UTC, BARE);
    await writeHit(root, '/work/c', EVENING_UTC + 2 * HOUR, "You've hit your session limit · resets 11pm (America/New_York)");
    const hits = await hitsIn(root, home, 'UTC');
    // Read in New York, as the other message says Claude Code speaks: 9pm EST, three hours after the hit.
    expect(hits.get(EVENING_UTC)).toMatchObject({ resetsAt: new Date(EVENING_UTC + 3 * HOUR).toISOString(), resetEstimated: true });
    expect(hits.get(EVENING_UTC + 2 * HOUR)?.resetEstimated).toBeUndefined();
  }, 30_000);
});
