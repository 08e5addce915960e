// Issue #12: with a saved index, the first status comes from the files the
// index knows (no folder walk, no waiting for the watcher); new files and the
// watcher follow behind, and nothing is lost.
import { describe, expect, it } from 'vitest';
import { UsageEngine } from '../../../src/core/ingest/usage-engine.js';
import { LiveMonitor } from '../../../src/core/monitor/live-monitor.js';
import { defaultSettings } from '../../../src/shared/settings.js';
import type { Status } from '../../../src/shared/status.js';
import { waitFor } from '../../support/live-monitor-harness.js';
import { appendTo, tempDir, usageLine, writeTranscript } from '../../support/usage-lines.js';

const sevenDayTokens = (status: Status) => status.windows.seven_day?.tokens ?? 0;

describe('watch starts from the index', () => {
  it('shows known files at once, then counts files the index did not know and later appends', async () => {
    const root = tempDir();
    const state = tempDir();
    const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
    const known = writeTranscript(root, '-work-a/s1.jsonl', [usageLine({ at: at(30), input: 10, output: 0 })]);
    const first = new UsageEngine({ roots: [root], stateDir: state });
    await first.catchUp(() => undefined);

    // While nothing ran: the known file grew and a new one appeared.
    appendTo(known, `${usageLine({ at: at(20), input: 5, output: 0 })}\n`);
    writeTranscript(root, '-work-b/s2.jsonl', [usageLine({ at: at(10), input: 100, output: 0 })]);

    const engine = new UsageEngine({ roots: [root], stateDir: state });
    const statuses: Status[] = [];
    const monitor = new LiveMonitor({ engine, stateDir: state, settings: defaultSettings, notifier: null, onStatus: (s) => statuses.push(s) });
    expect(await engine.catchUpKnownFiles(() => undefined)).toBe(true);
    const status = await monitor.start({ quickStart: true });
    try {
      // The first status: the known file, grown, read; the new file not yet.
      expect(sevenDayTokens(status)).toBe(15);
      expect(status.health.roots).toEqual([{ path: root, exists: true }]);
      await waitFor(() => sevenDayTokens(statuses.at(-1)!) === 115, 'the new file counted behind the first status');
      appendTo(known, `${usageLine({ at: at(1), input: 1000, output: 0 })}\n`);
      await waitFor(() => sevenDayTokens(statuses.at(-1)!) === 1115, 'an append seen by the watcher');
    } finally {
      await monitor.stop();
    }
  });

  it('without an index does a full pass first, as before', async () => {
    const root = tempDir();
    writeTranscript(root, '-work-a/s1.jsonl', [usageLine({ at: new Date().toISOString(), input: 3, output: 0 })]);
    const engine = new UsageEngine({ roots: [root], stateDir: tempDir() });
    expect(await engine.catchUpKnownFiles(() => undefined)).toBe(false);
    expect(engine.health().files).toBe(1);
  });
});
