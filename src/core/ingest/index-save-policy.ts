// When a short run (a CLI command) saves the usage index it caught up. Each
// save rewrites the index whole, 8 MB for a 1 GB history, and the index is a
// cache: what a run leaves unsaved, the next reads again.
import type { RefreshResult } from './usage-engine.js';

/**
 * A run that only found lines appended to transcripts still being written
 * (changed within ACTIVE_WRITE_MS), less than SMALL_CHANGE_BYTES of them,
 * leaves the saved index as it is: the next run reads them again (about a
 * millisecond a megabyte) instead of this one rewriting the index (~40 ms, most
 * of a `status` while Claude Code works; a prompt or status bar calling it every
 * few seconds wrote gigabytes an hour). Anything else is saved: a file gone or
 * rewritten, more bytes, or a history gone quiet, which the next run then finds saved.
 */
export const SMALL_CHANGE_BYTES = 4 * 1024 * 1024;
export const ACTIVE_WRITE_MS = 60_000;

/** Whether a catch-up's changes are worth leaving unsaved (see SMALL_CHANGE_BYTES). */
export function leavesUnsaved(result: RefreshResult, nowMs: number): boolean {
  return result.onlyGrowth && result.bytesRead < SMALL_CHANGE_BYTES && result.oldestReadMtimeMs !== null && result.oldestReadMtimeMs >= nowMs - ACTIVE_WRITE_MS;
}
