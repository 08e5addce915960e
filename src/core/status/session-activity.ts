// When was each Claude Code session last active? Any record counts (a prompt,
// a reply, a tool result, a limit message, a summary), taken from the newest
// record of its transcript file: the usage index only sees replies that carry
// usage, and a session stopped by a limit writes none. Only the tail of a file
// is read, and only for files whose mtime says they may be recent.
import { readSync } from 'node:fs';
import { basename, dirname, sep } from 'node:path';
import { FUTURE_SLACK_MS, checkTimestamp } from '../ingest/record-fields.js';
import { parseJsonObject } from '../json-object.js';
import { withOpenFile } from '../open-file.js';

export interface TranscriptFileInfo {
  path: string;
  size: number;
  mtimeMs: number;
}

/** The newest record of one transcript file. */
export interface SessionActivity {
  sessionId: string;
  /** The newest cwd the file names; null when no record in the tail has one. */
  cwd: string | null;
  lastMs: number;
  path: string;
}

const FIRST_TAIL_BYTES = 16 * 1024;
const NEWLINE = 0x0a;
/** A huge last line (a Write of a big file) can hide the newest timestamp: widen the tail up to this. */
const MAX_TAIL_BYTES = 8 * 1024 * 1024;

/**
 * The newest timestamped record in a file's tail (newest line last); its
 * session and cwd from the newest records that name them (a summary names
 * neither). Lines are taken from the end one at a time, not the whole tail
 * decoded and split: usually the last line answers everything.
 * `firstIsCut`: the tail starts inside a line, which is not read.
 */
function newestIn(tail: Buffer, firstIsCut: boolean, path: string): SessionActivity | null {
  let lastMs: number | null = null;
  let sessionId: string | null = null;
  let cwd: string | null = null;
  for (let end = tail.length; end >= 0 && (lastMs === null || sessionId === null || cwd === null); ) {
    const newline = end === 0 ? -1 : tail.lastIndexOf(NEWLINE, end - 1);
    const start = newline + 1;
    if (start === 0 && firstIsCut) break;
    const line = tail.toString('utf8', start, end).trim();
    const record = line.startsWith('{') ? parseJsonObject(line) : null;
    if (record) {
      if (lastMs === null) {
        // The same strict, bounded reading as the usage engine: an extreme or future date is no activity.
        const time = checkTimestamp(record.timestamp, Date.now() + FUTURE_SLACK_MS);
        if (time.ok) lastMs = time.ms;
      }
      if (sessionId === null && typeof record.sessionId === 'string') sessionId = record.sessionId;
      if (cwd === null && typeof record.cwd === 'string') cwd = record.cwd;
    }
    if (newline < 0) break;
    end = newline;
  }
  return lastMs === null ? null : { sessionId: sessionId ?? basename(path, '.jsonl'), cwd, lastMs, path };
}

/**
 * Reads the newest record of a transcript; null when the file holds no
 * timestamped record (or is unreadable). Synchronous reads inside: a status
 * may look at thousands of files, and a thread-pool round trip for each
 * open, read and close costs more than the reads.
 */
export async function readNewestRecord(path: string, size: number): Promise<SessionActivity | null> {
  return withOpenFile(path, (fd) => {
    for (let tail = FIRST_TAIL_BYTES; ; tail *= 4) {
      const length = Math.min(size, tail);
      const buffer = Buffer.allocUnsafe(length);
      const bytesRead = readSync(fd, buffer, 0, length, size - length);
      const found = newestIn(buffer.subarray(0, bytesRead), length < size, path);
      if (found || length >= size || tail >= MAX_TAIL_BYTES) return found;
    }
  });
}

/**
 * Remembers each file's newest record by (size, mtime), so a live status
 * re-reads only files that changed.
 */
export class SessionActivityReader {
  private readonly cache = new Map<string, { size: number; mtimeMs: number; activity: SessionActivity | null }>();

  /** The newest record of each file, for files modified at or after `sinceMs`. */
  async read(files: readonly TranscriptFileInfo[], sinceMs = Number.NEGATIVE_INFINITY): Promise<SessionActivity[]> {
    const result: SessionActivity[] = [];
    for (const file of files) {
      if (file.mtimeMs < sinceMs) continue;
      const cached = this.cache.get(file.path);
      let activity: SessionActivity | null;
      if (cached && cached.size === file.size && cached.mtimeMs === file.mtimeMs) activity = cached.activity;
      else {
        activity = await readNewestRecord(file.path, file.size);
        this.cache.set(file.path, { size: file.size, mtimeMs: file.mtimeMs, activity });
      }
      if (activity) result.push(activity);
    }
    return result;
  }
}

/** A session's newest activity across its files (session file and subagents); cwd from the newest record naming one. */
export function latestPerSession(activities: readonly SessionActivity[]): SessionActivity[] {
  const bySession = new Map<string, SessionActivity>();
  for (const activity of [...activities].sort((a, b) => a.lastMs - b.lastMs)) {
    const seen = bySession.get(activity.sessionId);
    // The session's own file names the session's cwd; a subagent's newer record only moves the time.
    const isMain = basename(activity.path, '.jsonl') === activity.sessionId;
    if (!seen) bySession.set(activity.sessionId, { ...activity });
    else {
      seen.lastMs = Math.max(seen.lastMs, activity.lastMs);
      if (activity.cwd && (isMain || !seen.cwd)) seen.cwd = activity.cwd;
      if (isMain) seen.path = activity.path;
    }
  }
  return [...bySession.values()].sort((a, b) => b.lastMs - a.lastMs);
}

/** Claude Code's folder name for a cwd: every non-alphanumeric character becomes "-". */
export function encodedProjectFolder(cwd: string): string {
  return cwd.replace(/[^A-Za-z0-9]/g, '-');
}

/**
 * The `projects/<folder>` a transcript sits in. Only a pre-filter: the folder
 * name collides and gets hashed when long, so the cwd is always read from records.
 */
export function projectFolderOf(path: string): string | null {
  const parts = dirname(path).split(sep);
  const at = parts.lastIndexOf('projects');
  return at >= 0 && at + 1 < parts.length ? parts[at + 1]! : null;
}
