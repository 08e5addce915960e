import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyAlertState, evaluateAlerts } from '../../../src/core/alerts/alert-engine.js';
import { alertStatePath, loadAlertState, saveAlertState } from '../../../src/core/alerts/alert-state-store.js';
import { defaultAlertSettings } from '../../../src/shared/settings.js';
import type { Status } from '../../../src/shared/status.js';
import { statusWith, windowStatus } from '../../support/status-fixture.js';

const now = new Date('2026-11-27T12:00:00Z');
const window = windowStatus({
  id: 'five_hour',
  usedPercent: 93,
  source: 'statusline',
  startsAt: '2026-11-27T10:00:00.000Z',
  resetsAt: '2026-11-27T15:00:00.000Z',
  anchor: 'statusline',
  tokens: 0,
  costUSD: 0,
});
const status: Status = statusWith([window], { now: now.toISOString() });
const context = { status, settings: defaultAlertSettings(), now };

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'breather-alert-state-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('alert state file', () => {
  it('no file: an empty state', async () => {
    expect(await loadAlertState(dir, context)).toEqual({ state: emptyAlertState(), origin: 'new' });
  });

  it('round-trips through an atomic write, creating the directory', async () => {
    const nested = join(dir, 'state', 'dir');
    const { nextState } = evaluateAlerts(status, defaultAlertSettings(), emptyAlertState(), now);
    await saveAlertState(nested, nextState);
    const loaded = await loadAlertState(nested, context);
    expect(loaded).toEqual({ state: nextState, origin: 'loaded' });
    // Nothing left behind by the atomic write.
    expect(await readdir(nested)).toEqual(['alert-state.json']);
    // And the loaded state does not re-fire.
    expect(evaluateAlerts(status, defaultAlertSettings(), loaded.state, now).alerts).toEqual([]);
  });

  it('a corrupt file is set aside and replaced by a primed state, with a notice', async () => {
    await writeFile(alertStatePath(dir), '{"version":1,"windows":{', 'utf8');
    const loaded = await loadAlertState(dir, context);
    expect(loaded.origin).toBe('primed');
    expect(loaded.notice).toMatch(/not valid JSON/);
    expect(loaded.notice).toMatch(/corrupt-/);
    expect(loaded.state.windows.five_hour?.firedThresholds).toEqual([50, 75, 90]);
    // A restart after the crash shows nothing old.
    expect(evaluateAlerts(status, defaultAlertSettings(), loaded.state, now).alerts).toEqual([]);
    const files = await readdir(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^alert-state\.json\.corrupt-2026-11-27T12-00-00-000Z$/);
    expect(await readFile(join(dir, files[0] as string), 'utf8')).toBe('{"version":1,"windows":{');
  });

  it('a file of the wrong shape, or from a newer version, is primed too', async () => {
    await writeFile(alertStatePath(dir), JSON.stringify({ version: 1, windows: 'nope' }), 'utf8');
    const wrongShape = await loadAlertState(dir, context);
    expect(wrongShape.origin).toBe('primed');
    expect(wrongShape.notice).toMatch(/unexpected shape/);

    await writeFile(alertStatePath(dir), JSON.stringify({ version: 7 }), 'utf8');
    const newer = await loadAlertState(dir, context);
    expect(newer.origin).toBe('primed');
    expect(newer.notice).toMatch(/newer Breather/);
  });
});
