// Streams complete lines of a file from a byte offset, in big chunks, without
// decoding. A last line with no newline is unfinished: it is not handed out,
// and the returned offset stops before it so the next read finishes it.
// A line longer than the cap is never held whole: only its first and last
// bytes are kept (where a transcript record keeps its ids and usage).
// Synchronous on purpose: one big read at a time is the fastest path in Node,
// and callers that must stay responsive run the scan off their main thread.
import { closeSync, openSync, readSync } from 'node:fs';
import { fingerprintOfOpenFile, readRange } from './file-fingerprint.js';

export type LineHandler = (buffer: Buffer, start: number, end: number) => void;
/** Whole lines, the same call for a block: buffer[start, end) ends just after a newline. */
export type LinesHandler = LineHandler;
/** An over-long line: its first and last `OVERSIZED_EDGE_BYTES` and its full length. */
export type OversizedLineHandler = (head: Buffer, tail: Buffer, bytes: number) => void;

export interface LineReadOptions {
  chunkBytes?: number;
  /** Lines longer than this go to `onOversized` instead (default 64 MB). */
  maxLineBytes?: number;
  onOversized?: OversizedLineHandler;
  /** A line spanning chunks beyond this many bytes is read again whole when it ends (default 1 MB). */
  carryBytes?: number;
  /** Also fingerprint the bytes up to the returned offset (file-fingerprint.ts), from the open file and the last chunk. */
  fingerprint?: boolean;
  /** The read buffer (its length is the default `chunkBytes`); by default one shared per thread. */
  chunk?: Buffer;
  /**
   * Takes the lines that lie whole in one read, in one call, as a view of the
   * read buffer from its start (only when no such line can exceed
   * `maxLineBytes`); `onLine` still gets those that span reads.
   */
  onLines?: LinesHandler;
}

export interface LineReadResult {
  /** Offset just past the last complete line. */
  offset: number;
  /** Bytes after `offset` that form an unfinished line. */
  unfinishedBytes: number;
  bytesRead: number;
  /** With `fingerprint`: of the bytes before `offset`; null when they could not be read. */
  fingerprint?: string | null;
}

export const DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024;
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;
export const OVERSIZED_EDGE_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

// One read buffer reused across files: allocating megabytes per file keeps the GC busy.
let sharedChunk: Buffer | null = null;
// The same for lines that span chunks, up to a size worth keeping (longer ones are read again whole).
let sharedCarry: Buffer | null = null;
const CARRY_START_BYTES = 64 * 1024;
const KEEP_CARRY_BYTES = 1024 * 1024;

function chunkBuffer(bytes: number): Buffer {
  if (!sharedChunk || sharedChunk.length < bytes) sharedChunk = Buffer.allocUnsafe(bytes);
  return sharedChunk;
}

/** `length` bytes of an open file from `position`, or null when the file no longer holds them. */
function readExactly(fd: number, position: number, length: number): Buffer | null {
  const buffer = Buffer.allocUnsafe(length);
  return readRange(fd, buffer, position, position + length).length === length ? buffer : null;
}

/** The head and a rolling tail of a line too long to keep; memory stays at twice the edge size. */
class OversizedLine {
  private head = Buffer.alloc(0);
  private tail = Buffer.alloc(0);
  bytes = 0;

  constructor(pieces: readonly Buffer[]) {
    for (const piece of pieces) this.add(piece);
  }

  add(piece: Buffer): void {
    this.bytes += piece.length;
    if (this.head.length < OVERSIZED_EDGE_BYTES) {
      this.head = Buffer.concat([this.head, piece.subarray(0, OVERSIZED_EDGE_BYTES - this.head.length)]);
    }
    const keep = Math.min(OVERSIZED_EDGE_BYTES, this.tail.length + piece.length);
    const joined = Buffer.concat([this.tail, piece.subarray(Math.max(0, piece.length - keep))]);
    this.tail = Buffer.from(joined.subarray(joined.length - keep));
  }

  finish(handler: OversizedLineHandler | undefined): void {
    handler?.(this.head, this.tail, this.bytes);
  }
}

export function readLinesFrom(path: string, fromOffset: number, toOffset: number, onLine: LineHandler, options: LineReadOptions = {}): LineReadResult {
  const chunkBytes = options.chunkBytes ?? options.chunk?.length ?? DEFAULT_CHUNK_BYTES;
  if (options.chunk && options.chunk.length < chunkBytes) throw new RangeError(`read buffer of ${options.chunk.length} bytes for reads of ${chunkBytes}`);
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const carryLimit = options.carryBytes ?? KEEP_CARRY_BYTES;
  const emit = (buffer: Buffer, start: number, end: number): void => {
    if (end - start <= maxLineBytes) onLine(buffer, start, end);
    else new OversizedLine([buffer.subarray(start, end)]).finish(options.onOversized);
  };
  const fd = openSync(path, 'r');
  try {
    const chunk = options.chunk ?? chunkBuffer(chunkBytes);
    const onLines = chunkBytes <= maxLineBytes ? options.onLines : undefined;
    let position = fromOffset;
    let lineStartOffset = fromOffset;
    let lastRead = 0;
    // A line that spans chunks is assembled in `carry`, one copy per piece (a buffer kept
    // from file to file: fresh megabytes cost page faults and collections). One that
    // outgrows it keeps only its edges while it is read; when it ends it is read again in
    // one piece if it is within the cap (so a long line is held once, not as pieces and a copy).
    let carry = sharedCarry ?? Buffer.allocUnsafe(CARRY_START_BYTES);
    let carryBytes = 0;
    let spilled: OversizedLine | null = null;
    /** Appends a piece of the spanning line; false when the line spilled instead. */
    const append = (piece: Buffer): boolean => {
      const total = carryBytes + piece.length;
      if (total > carryLimit) {
        spilled = new OversizedLine([carry.subarray(0, carryBytes), piece]);
        carryBytes = 0;
        return false;
      }
      if (carry.length < total) {
        const grown = Buffer.allocUnsafe(Math.min(KEEP_CARRY_BYTES, Math.max(total, carry.length * 2)));
        carry.copy(grown, 0, 0, carryBytes);
        carry = grown;
      }
      piece.copy(carry, carryBytes);
      carryBytes = total;
      return true;
    };
    const hold = (piece: Buffer): void => {
      if (spilled) (spilled as OversizedLine).add(piece);
      else append(piece);
    };
    /** A spilled line has ended at file offset `lineStart` + its length: whole again, or by its edges over the cap. */
    const endSpilled = (line: OversizedLine, lineStart: number): void => {
      const whole = line.bytes <= maxLineBytes ? readExactly(fd, lineStart, line.bytes) : null;
      if (whole) onLine(whole, 0, whole.length);
      else line.finish(options.onOversized);
    };
    while (position < toOffset) {
      const want = Math.min(chunkBytes, toOffset - position);
      const bytesRead = readSync(fd, chunk, 0, want, position);
      if (bytesRead === 0) break; // the file shrank under us; stop at what exists
      position += bytesRead;
      lastRead = bytesRead;
      const view = chunk.subarray(0, bytesRead);
      let start = 0;
      let newline = view.indexOf(NEWLINE, 0);
      if (newline === -1) {
        hold(view);
        continue;
      }
      if (spilled) {
        (spilled as OversizedLine).add(view.subarray(0, newline));
        endSpilled(spilled as OversizedLine, lineStartOffset);
        spilled = null;
        start = newline + 1;
        newline = view.indexOf(NEWLINE, start);
      } else if (carryBytes > 0) {
        // The line's last piece: it completes in `carry`, or spills with it (already added).
        if (append(view.subarray(0, newline))) emit(carry, 0, carryBytes);
        else endSpilled(spilled as unknown as OversizedLine, lineStartOffset);
        spilled = null;
        carryBytes = 0;
        start = newline + 1;
        newline = view.indexOf(NEWLINE, start);
      }
      if (onLines && newline !== -1) {
        const last = view.lastIndexOf(NEWLINE);
        onLines(view, start, last + 1);
        start = last + 1;
        newline = -1;
      }
      while (newline !== -1) {
        emit(view, start, newline);
        start = newline + 1;
        newline = view.indexOf(NEWLINE, start);
      }
      lineStartOffset = position - bytesRead + start;
      if (start < bytesRead) hold(view.subarray(start));
    }
    const pending = spilled ? (spilled as OversizedLine).bytes : carryBytes;
    sharedCarry = carry;
    const result: LineReadResult = { offset: lineStartOffset, unfinishedBytes: pending, bytesRead: position - fromOffset };
    if (options.fingerprint) {
      // Most files fit in one chunk: both fingerprinted ranges are then still in memory.
      try {
        result.fingerprint = fingerprintOfOpenFile(fd, lineStartOffset, { bytes: chunk.subarray(0, lastRead), from: position - lastRead });
      } catch {
        result.fingerprint = null;
      }
    }
    return result;
  } finally {
    closeSync(fd);
  }
}
