// A session's transcript files: finding them (session file plus subagent
// files, in every layout Claude Code used) and streaming their complete lines.
import { createReadStream } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { LineCounts } from './session-digest-types.js';

const NEWLINE = 0x0a;

// ---------------------------------------------------------------------------
// Files

/** Subagent transcripts are `agent-*.jsonl`, in the session folder (2.1.x) or beside it (2.0.x). */
export function isSubagentTranscriptPath(filePath: string): boolean {
  const base = path.basename(filePath);
  const parent = path.basename(path.dirname(filePath));
  return base.startsWith('agent-') || parent === 'subagents';
}

/**
 * Lists a session's transcript files: the session file, then its subagent
 * files in the 2.1.x folder, then 2.0.x `agent-*.jsonl` siblings whose first
 * record names this session. Missing folders are not errors.
 */
export async function findSessionTranscriptPaths(sessionFilePath: string): Promise<string[]> {
  const dir = path.dirname(sessionFilePath);
  const sessionId = path.basename(sessionFilePath, '.jsonl');
  const found: string[] = [sessionFilePath];

  const subagentDir = path.join(dir, sessionId, 'subagents');
  for (const name of (await listDir(subagentDir)).sort()) {
    if (name.startsWith('agent-') && name.endsWith('.jsonl')) found.push(path.join(subagentDir, name));
  }
  for (const name of (await listDir(dir)).sort()) {
    if (!name.startsWith('agent-') || !name.endsWith('.jsonl')) continue;
    const candidate = path.join(dir, name);
    if ((await readFirstSessionId(candidate)) === sessionId) found.push(candidate);
  }
  return found;
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

/** Reads just enough of a file to find the first record's sessionId. */
async function readFirstSessionId(filePath: string): Promise<string | null> {
  let handle;
  try {
    handle = await open(filePath, 'r');
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const head = buffer.subarray(0, bytesRead).toString('utf8');
    const match = /"sessionId"\s*:\s*"([^"]+)"/.exec(head);
    return match?.[1] ?? null;
  } catch {
    return null;
  } finally {
    await handle?.close();
  }
}

/**
 * Yields each complete line of a file as a string. Bytes after the last
 * newline are an unfinished record and are not yielded. Lines over
 * maxLineBytes are dropped without being held in memory.
 */
export async function* readCompleteLines(
  filePath: string,
  maxLineBytes: number,
  counts: LineCounts,
): AsyncGenerator<string> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let discarding = false;

  for await (const chunk of createReadStream(filePath, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
    let start = 0;
    for (let newline = chunk.indexOf(NEWLINE, start); newline !== -1; newline = chunk.indexOf(NEWLINE, start)) {
      const piece = chunk.subarray(start, newline);
      start = newline + 1;
      if (discarding || pendingBytes + piece.length > maxLineBytes) {
        counts.oversized += 1;
      } else {
        const line = pending.length === 0 ? piece : Buffer.concat([...pending, piece]);
        yield line.toString('utf8');
      }
      pending = [];
      pendingBytes = 0;
      discarding = false;
    }
    if (start < chunk.length && !discarding) {
      const rest = chunk.subarray(start);
      if (pendingBytes + rest.length > maxLineBytes) {
        pending = [];
        pendingBytes = 0;
        discarding = true;
      } else {
        // Copy: the stream may reuse its buffer.
        pending.push(Buffer.from(rest));
        pendingBytes += rest.length;
      }
    }
  }
  const tail = Buffer.concat(pending).toString('utf8');
  if (discarding || tail.trim() !== '') counts.unfinished += 1;
}
