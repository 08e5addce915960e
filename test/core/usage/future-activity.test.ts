// Issue #10 item 6: a record stamped ahead of the clock (accepted up to a day of
// drift) must not keep a session active, open a block or move a window start;
// an extreme date must not crash anything. Reproduced through the real engine.
import { describe, expect, it } from 'vitest';
import { UsageEngine } from '../../../src/core/ingest/usage-engine.js';
import { buildStatusSnapshot } from '../../../src/core/status/status-snapshot.js';
import { buildBlocks, currentActiveBlock } from '../../../src/core/usage/session-blocks.js';
import { tempDir, usageLine, writeTranscript } from '../../support/usage-lines.js';

const HOUR = 3_600_000;

async function engineWith(lines: string[]): Promise<UsageEngine> {
  const root = tempDir();
  writeTranscript(root, '-work-a/s1.jsonl', lines);
  const engine = new UsageEngine({ roots: [root], stateDir: null });
  await engine.open();
  await engine.refresh();
  return engine;
}

describe('activity stamped in the future', () => {
  it('neither keeps a session active nor opens or moves the 5-hour window', async () => {
    const now = Date.now();
    const engine = await engineWith([
      usageLine({ at: new Date(now - 10 * HOUR).toISOString(), sessionId: 'past', input: 5 }),
      usageLine({ at: new Date(now + 20 * HOUR).toISOString(), sessionId: 'ahead', input: 7 }),
      usageLine({ at: '+275760-09-13T00:00:00.000Z', sessionId: 'extreme', input: 9 }),
    ]);
    expect(engine.health().skippedLines).toEqual({ 'invalid-timestamp': 1 });
    const buckets = engine.buckets();
    expect(currentActiveBlock(buckets, now)).toBeNull();
    const blocks = buildBlocks(buckets, now);
    expect(blocks.filter((b) => !b.isGap).map((b) => b.isActive)).toEqual([false]);
    expect(blocks.every((b) => b.startMs <= now)).toBe(true);
    const status = buildStatusSnapshot({ buckets, limitHits: [], health: engine.health(), nowMs: now });
    expect(status.activeSessions).toEqual([]);
    expect(status.windows.five_hour?.startsAt ?? null).toBeNull();
    expect(() => JSON.stringify(status)).not.toThrow();
  });

  it('counts once its time has come', async () => {
    const now = Date.now();
    const ahead = now + 2 * HOUR;
    const engine = await engineWith([usageLine({ at: new Date(ahead).toISOString(), sessionId: 'ahead', input: 7 })]);
    const later = ahead + 60_000;
    const block = currentActiveBlock(engine.buckets(), later);
    expect(block?.usage.input).toBe(7);
    expect(buildStatusSnapshot({ buckets: engine.buckets(), limitHits: [], health: engine.health(), nowMs: later }).activeSessions.map((s) => s.sessionId)).toEqual(['ahead']);
  });
});
