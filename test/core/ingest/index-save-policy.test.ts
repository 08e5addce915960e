import { describe, expect, it } from 'vitest';
import { ACTIVE_WRITE_MS, SMALL_CHANGE_BYTES, leavesUnsaved } from '../../../src/core/ingest/index-save-policy.js';
import type { RefreshResult } from '../../../src/core/ingest/usage-engine.js';

const NOW = Date.parse('2026-11-30T09:00:00.000Z');
const appended = (over: Partial<RefreshResult> = {}): RefreshResult => ({ changedFiles: 1, bytesRead: 2000, onlyGrowth: true, oldestReadMtimeMs: NOW - 2000, ...over });

describe('leavesUnsaved', () => {
  it('leaves a few lines appended to transcripts being written for the next run to read again', () => {
    expect(leavesUnsaved(appended(), NOW)).toBe(true);
    expect(leavesUnsaved(appended({ bytesRead: SMALL_CHANGE_BYTES - 1, oldestReadMtimeMs: NOW - ACTIVE_WRITE_MS }), NOW)).toBe(true);
  });

  it('saves anything else: more bytes, a file gone or rewritten, a transcript gone quiet', () => {
    expect(leavesUnsaved(appended({ bytesRead: SMALL_CHANGE_BYTES }), NOW)).toBe(false);
    expect(leavesUnsaved(appended({ onlyGrowth: false }), NOW)).toBe(false);
    expect(leavesUnsaved(appended({ oldestReadMtimeMs: NOW - ACTIVE_WRITE_MS - 1 }), NOW)).toBe(false);
    // Files gone, nothing read.
    expect(leavesUnsaved(appended({ bytesRead: 0, oldestReadMtimeMs: null }), NOW)).toBe(false);
  });
});
