// How often a running monitor (the tray, `watch`) saves the usage index while
// transcripts grow: each save rewrites it whole, so at most once per interval.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PERSIST_TIMING, persistDelayMs } from '../../../src/core/monitor/live-monitor.js';
import { systemClock } from '../../../src/core/ports.js';
import { defaultSettings } from '../../../src/shared/settings.js';
import { type MonitorHarness, costLine, openMonitor, waitFor } from '../../support/live-monitor-harness.js';
import { appendTo, tempDir, writeTranscript } from '../../support/usage-lines.js';

describe('persistDelayMs', () => {
  it('saves a first change after a quiet moment, then at most once per interval', () => {
    const now = 1_000_000;
    expect(persistDelayMs(null, now)).toBe(PERSIST_TIMING.quietMs);
    expect(persistDelayMs(now - 1000, now)).toBe(PERSIST_TIMING.everyMs - 1000);
    expect(persistDelayMs(now - PERSIST_TIMING.everyMs - 5000, now)).toBe(PERSIST_TIMING.quietMs);
    expect(persistDelayMs(now - 900, now, { quietMs: 100, everyMs: 1000 })).toBe(100);
  });
});

const open: MonitorHarness[] = [];
afterEach(async () => {
  for (const harness of open.splice(0)) await harness.monitor.stop();
});

/** The index's generation id on disk (a new one at every save of the responses), or null before the first save. */
function savedGeneration(stateDir: string): string | null {
  try {
    const root = join(stateDir, 'index');
    const file = join(root, readdirSync(root)[0]!, 'usage-index.bin');
    if (!statSync(file).isFile()) return null;
    const bytes = readFileSync(file);
    return (JSON.parse(bytes.toString('utf8', 4, 4 + bytes.readUInt32LE(0))) as { generation: string }).generation;
  } catch {
    return null;
  }
}

describe('a running monitor', () => {
  it('saves the index once for a burst of appends, and not again before the interval is up', async () => {
    const root = tempDir('breather-cadence-root-');
    const stateDir = tempDir('breather-cadence-state-');
    const now = Date.now();
    const transcript = writeTranscript(root, '-work-project-a/session-1.jsonl', [costLine(now - 60_000, 0.5).line]);
    const timing = { quietMs: 150, everyMs: 5000 };
    const harness = await openMonitor({ roots: [root], stateDir, settings: () => defaultSettings(), clock: systemClock, persistTiming: timing });
    open.push(harness);
    await harness.monitor.start();

    const statuses = () => harness.statuses.length;
    const append = async (offsetMs: number) => {
      const before = statuses();
      appendTo(transcript, `${costLine(now + offsetMs, 0.25).line}\n`);
      await waitFor(() => statuses() > before, 'a status after the append');
    };
    const appendedAt = Date.now();
    await append(1000);
    const first = await waitFor(() => savedGeneration(stateDir), 'the first save');
    const firstAt = Date.now();
    // A burst is saved once it has paused (quietMs), not seconds later.
    expect(firstAt - appendedAt).toBeLessThan(2000);
    // More appends right after: they wait for the interval, not for a quiet moment.
    await append(2000);
    await append(3000);
    await new Promise((resolve) => setTimeout(resolve, 4 * timing.quietMs));
    expect(savedGeneration(stateDir)).toBe(first);
    const second = await waitFor(() => savedGeneration(stateDir) !== first && savedGeneration(stateDir), 'the next save', 10_000);
    expect(Date.now() - firstAt).toBeGreaterThanOrEqual(timing.everyMs - 300);
    expect(second).not.toBe(first);

    // What that save holds: a fresh engine on it counts every append, reading nothing again.
    await harness.monitor.stop();
    open.length = 0;
    const reopened = await openMonitor({ roots: [root], stateDir, settings: () => defaultSettings(), clock: systemClock });
    expect(reopened.engine.health().index).toBe('loaded');
    expect(harness.engine.buckets().map((b) => b.output)).toEqual(reopened.engine.buckets().map((b) => b.output));
  });
});
