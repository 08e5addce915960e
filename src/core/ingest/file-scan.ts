// Reads the new bytes of one transcript into plain data: usage events (already
// de-duplicated within the file), skip counts and limit candidates. The same
// function runs in-process and inside scan workers.
import { sep } from 'node:path';
import type { PackedEvents } from './packed-layout.js';
import { readLinesFrom } from './line-reader.js';
import { FUTURE_SLACK_MS } from './record-fields.js';
import { scanner } from './json-line-scanner.js';
import { ScanEventWriter } from './scan-events.js';
import { type SkipReason, parseOversizedLine, parseTranscriptLine } from './transcript-line-parser.js';
import { WasmEventWriter } from './wasm-event-writer.js';
import { wasmLineScanner } from './wasm-line-scanner.js';

export interface FileScanRequest {
  path: string;
  fromOffset: number;
  toOffset: number;
  /** Lines longer than this are seen only by their edges (default 64 MB). */
  maxLineBytes?: number;
}

export interface FileScanResult {
  path: string;
  offset: number;
  unfinishedBytes: number;
  bytesRead: number;
  /** The events, packed (packed-layout.ts): in file order, a streamed response once, as its fullest line. */
  packed: PackedEvents;
  skipped: Partial<Record<SkipReason, number>>;
  limitCandidates: Record<string, unknown>[];
  /** Of the bytes before `offset`, so a rewrite in place is noticed (see file-fingerprint.ts). */
  fingerprint: string | null;
  error?: string;
}

export interface FileScanOptions {
  /** Read whole lines with the WebAssembly scanner where it runs (default); false: the JavaScript parser only. */
  wasm?: boolean;
}

/**
 * What a transcript's path says when its lines don't: the session (the file's
 * name without .jsonl) and the project (its folder's name), as
 * basename(path, '.jsonl') and basename(dirname(path)) say them for a file's
 * path. By hand: node:path's versions, called for every file, were compiled
 * by V8 on each scanning thread, 10-20 ms of a first scan's CPU.
 */
export function pathFallbacks(path: string, windows = sep === '\\'): { session: string; project: string } {
  const cut = (end: number) => Math.max(path.lastIndexOf('/', end - 1), windows ? path.lastIndexOf('\\', end - 1) : -1);
  const nameAt = cut(path.length);
  const name = path.slice(nameAt + 1);
  const session = name.endsWith('.jsonl') && name !== '.jsonl' ? name.slice(0, -'.jsonl'.length) : name;
  // The folder: up to the name's separator (and any repeated before it).
  let folderEnd = nameAt;
  while (folderEnd > 0 && (path[folderEnd - 1] === '/' || (windows && path[folderEnd - 1] === '\\'))) folderEnd--;
  const project = nameAt <= 0 ? '' : path.slice(cut(folderEnd) + 1, folderEnd);
  return { session, project };
}

export function scanFile(request: FileScanRequest, options: FileScanOptions = {}): FileScanResult {
  const fallbacks = pathFallbacks(request.path);
  const context = {
    fallbackSessionId: fallbacks.session,
    fallbackProject: fallbacks.project,
    latestMs: Date.now() + FUTURE_SLACK_MS,
  };
  const wasm = options.wasm === false ? null : wasmLineScanner();
  const writer = wasm ? new WasmEventWriter(wasm, context) : new ScanEventWriter(context);
  try {
    const read = readLinesFrom(request.path, request.fromOffset, request.toOffset, (buffer, start, end) => parseTranscriptLine(buffer, start, end, context, writer), {
      ...(request.maxLineBytes ? { maxLineBytes: request.maxLineBytes } : {}),
      onOversized: (head, tail) => parseOversizedLine(head, tail, context, writer),
      fingerprint: true,
      ...(wasm ? { chunk: wasm.chunk, onLines: (view: Buffer, start: number, end: number) => wasm.countLines(view, start, end, context, writer) } : {}),
    });
    const packed = writer.finish();
    // The scanner's response table could not hold this file (full, or a text with no UTF-8): read it on the JavaScript path.
    if (packed === null) return scanFile(request, { wasm: false });
    return {
      path: request.path,
      offset: read.offset,
      unfinishedBytes: read.unfinishedBytes,
      bytesRead: read.bytesRead,
      packed,
      skipped: writer.skippedCounts,
      limitCandidates: writer.limitCandidates,
      fingerprint: read.fingerprint ?? null,
    };
  } catch (error) {
    // Vanished or unreadable between stat and read: the caller keeps what it had and retries later.
    const err = error as NodeJS.ErrnoException;
    return {
      path: request.path,
      offset: request.fromOffset,
      unfinishedBytes: 0,
      bytesRead: 0,
      packed: writer.finish() ?? { strings: [], numbers: new Float64Array(0) },
      skipped: writer.skippedCounts,
      limitCandidates: writer.limitCandidates,
      fingerprint: null,
      error: `cannot read ${request.path}: ${err.code ?? err.message}`,
    };
  } finally {
    // The extractor's cursor may still point into a buffer of many megabytes (a long line read again whole).
    scanner.release();
  }
}
