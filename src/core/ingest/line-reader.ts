// Streams complete lines of a file from a byte offset, in big chunks, without
// decoding. A last line with no newline is unfinished: it is not handed out,
// and the returned offset stops before it so the next read finishes it.
// Synchronous on purpose: one big read at a time is the fastest path in Node,
// and callers that must stay responsive run the scan off their main thread.
import { closeSync, openSync, readSync } from 'node:fs';

export type LineHandler = (buffer: Buffer, start: number, end: number) => void;

export interface LineReadResult {
  /** Offset just past the last complete line. */
  offset: number;
  /** Bytes after `offset` that form an unfinished line. */
  unfinishedBytes: number;
  bytesRead: number;
}

export const DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024;
const NEWLINE = 0x0a;

// One read buffer reused across files: allocating megabytes per file keeps the GC busy.
let sharedChunk: Buffer | null = null;

function chunkBuffer(bytes: number): Buffer {
  if (!sharedChunk || sharedChunk.length < bytes) sharedChunk = Buffer.allocUnsafe(bytes);
  return sharedChunk;
}

export function readLinesFrom(path: string, fromOffset: number, toOffset: number, onLine: LineHandler, chunkBytes = DEFAULT_CHUNK_BYTES): LineReadResult {
  const fd = openSync(path, 'r');
  try {
    const chunk = chunkBuffer(chunkBytes);
    let position = fromOffset;
    let lineStartOffset = fromOffset;
    // Pieces of a line that spans chunks; joined once its newline arrives.
    let carry: Buffer[] = [];
    let carryBytes = 0;
    while (position < toOffset) {
      const want = Math.min(chunkBytes, toOffset - position);
      const bytesRead = readSync(fd, chunk, 0, want, position);
      if (bytesRead === 0) break; // the file shrank under us; stop at what exists
      position += bytesRead;
      const view = chunk.subarray(0, bytesRead);
      let start = 0;
      let newline = view.indexOf(NEWLINE, 0);
      if (newline === -1) {
        carry.push(Buffer.from(view));
        carryBytes += bytesRead;
        continue;
      }
      if (carryBytes > 0) {
        carry.push(view.subarray(0, newline));
        const line = Buffer.concat(carry, carryBytes + newline);
        onLine(line, 0, line.length);
        carry = [];
        carryBytes = 0;
        start = newline + 1;
        newline = view.indexOf(NEWLINE, start);
      }
      while (newline !== -1) {
        onLine(view, start, newline);
        start = newline + 1;
        newline = view.indexOf(NEWLINE, start);
      }
      lineStartOffset = position - bytesRead + start;
      if (start < bytesRead) {
        carry.push(Buffer.from(view.subarray(start)));
        carryBytes += bytesRead - start;
      }
    }
    return { offset: lineStartOffset, unfinishedBytes: carryBytes, bytesRead: position - fromOffset };
  } finally {
    closeSync(fd);
  }
}
