// Keeps the index folders tidy at start: temp files a killed save left behind
// (write-file-atomic names them `<file>.json.<hex>`), and the index folders of
// `--data-dir` sets nobody has used for a month. Failures only cost disk space.
import { type Stats, readdirSync, rmSync, statSync, unlinkSync, utimesSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** write-file-atomic's temp file next to the target. */
const TEMP_FILE = /\.json\.[0-9a-f]+$/i;
/** Younger temp files may belong to a save in progress (a second breather running). */
export const STALE_TEMP_MS = 60_000;
export const UNUSED_INDEX_MS = 30 * 24 * 60 * 60 * 1000;

function tryStat(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/** Removes stale temp files in `dir`; returns their names. */
export function removeStaleTempFiles(dir: string, nowMs = Date.now()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!TEMP_FILE.test(name)) continue;
    const s = tryStat(join(dir, name));
    if (!s?.isFile() || nowMs - s.mtimeMs < STALE_TEMP_MS) continue;
    try {
      unlinkSync(join(dir, name));
      removed.push(name);
    } catch {
      // another process got there first
    }
  }
  return removed;
}

/**
 * Marks `indexDir` as used now (its mtime) and removes sibling index folders
 * unused for 30 days. Returns the removed folders' paths.
 */
export function pruneUnusedIndexDirs(indexDir: string, nowMs = Date.now()): string[] {
  const removed: string[] = [];
  try {
    const now = new Date(nowMs);
    utimesSync(indexDir, now, now);
  } catch {
    // not created yet: the first save creates it, which also marks it used
  }
  const parent = dirname(indexDir);
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (name === basename(indexDir)) continue;
    const path = join(parent, name);
    const s = tryStat(path);
    if (!s?.isDirectory() || nowMs - s.mtimeMs < UNUSED_INDEX_MS) continue;
    try {
      rmSync(path, { recursive: true, force: true });
      removed.push(path);
    } catch {
      // still in use or not ours to remove: try again next start
    }
  }
  return removed;
}
