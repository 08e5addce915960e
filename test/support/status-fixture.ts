// Typed Status fixtures for the tray and page tests.
import type { Status, WindowStatus } from '../../src/shared/status.js';

export const FIXTURE_NOW = Date.parse('2026-03-02T12:00:00.000Z');
export const at = (offsetMinutes: number) => new Date(FIXTURE_NOW + offsetMinutes * 60_000).toISOString();

export function windowStatus(overrides: Partial<WindowStatus> & Pick<WindowStatus, 'id'>): WindowStatus {
  return { usedPercent: null, source: 'none', asOf: null, startsAt: at(-60), resetsAt: at(240), anchor: 'block', tokens: 1000, costUSD: 1.5, burnRate: null, runsOutAt: null, minutesLeft: null, ...overrides };
}

export function statusWith(windows: WindowStatus[], extra: Partial<Status> = {}): Status {
  return {
    now: at(0),
    windows: Object.fromEntries(windows.map((w) => [w.id, w])),
    lastLimitHit: null,
    activeSessions: [],
    health: { roots: [], files: 0, bytesIndexed: 0, skippedLines: {}, unfinishedLines: 0, index: 'fresh', diagnostics: [] },
    ...extra,
  };
}
