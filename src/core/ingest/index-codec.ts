// The two index files as bytes. Each is one buffer: the head's length
// (uint32), the head as JSON (strings and rare extras), zero padding to a
// multiple of 8, rows of numbers as little-endian float64s, then any bytes
// (the responses file: the keys' UTF-8). A start reads
// the aggregates: thousands of small JSON objects and arrays cost more to parse
// and collect than the numbers are worth.
import { crc32 } from 'node:zlib';
import { ROW, ROW_FIELDS } from './counted-responses.js';
import { StringTable } from './string-table.js';
import { type IndexedFile, type UsageBucket, UsageIndex, bucketKeyOf } from './usage-index.js';

export const FORMAT = 'breather-usage-index';

function align8(n: number): number {
  return (n + 7) & ~7;
}

/** The CRC-32 of the bytes after the head (rows, then tail), as eight hex digits. */
function crcOf(bytes: Uint8Array): string {
  return crc32(bytes).toString(16).padStart(8, '0');
}

const CRC_PLACEHOLDER = '00000000';
const NO_TAIL = Buffer.alloc(0);

/**
 * Head, padding, `floatCount` rows that `fill` writes in place (every one of
 * them), then `tail` (bytes: the response keys). The head carries the count of
 * rows and a CRC-32 of rows and tail: index files are written without fsync (a
 * cache, rebuilt when lost), so bytes a crash left zeroed or stale are caught
 * at load instead of counted.
 */
export function framedFile(head: object, floatCount: number, fill: (floats: Float64Array) => void, tail: Uint8Array = NO_TAIL): Buffer {
  // The checksum goes last in the head, as fixed-width hex: written in once the rows are.
  const headText = JSON.stringify({ ...head, floatCount, rowsCrc: CRC_PLACEHOLDER });
  const headBytes = Buffer.byteLength(headText);
  const floatsAt = align8(4 + headBytes);
  // Its own (not pooled) memory, so the float view starts 8-byte aligned; not
  // zeroed (megabytes at each save): the padding is cleared, the rest written over.
  const out = Buffer.allocUnsafeSlow(floatsAt + floatCount * 8 + tail.length);
  out.writeUInt32LE(headBytes, 0);
  out.write(headText, 4, 'utf8');
  out.fill(0, 4 + headBytes, floatsAt);
  fill(new Float64Array(out.buffer, out.byteOffset + floatsAt, floatCount));
  out.set(tail, floatsAt + floatCount * 8);
  out.write(crcOf(out.subarray(floatsAt)), 4 + headBytes - CRC_PLACEHOLDER.length - 2, 'latin1');
  return out;
}

/**
 * The head, the numbers and the tail of a framed file; throws when it is not
 * one. `rowsIntact` is false when they don't match the head's checksum (or it
 * has none): check the head's version first, so an old file reads as old.
 */
export function readFramed<Head>(file: Buffer): { head: Head; floats: Float64Array; tail: Buffer; rowsIntact: boolean } {
  const headBytes = file.readUInt32LE(0);
  if (4 + headBytes > file.length) throw new RangeError('truncated head');
  const head = JSON.parse(file.toString('utf8', 4, 4 + headBytes)) as Head & { rowsCrc?: unknown; floatCount?: unknown };
  const floatsAt = align8(4 + headBytes);
  const bytes = Math.max(0, file.length - floatsAt);
  const floatCount = typeof head.floatCount === 'number' ? head.floatCount : Math.floor(bytes / 8);
  if (!Number.isInteger(floatCount) || floatCount < 0 || floatCount * 8 > bytes) throw new RangeError('torn rows');
  // A view where the bytes sit 8-byte aligned (a whole file read into its own
  // memory), else a copy: megabytes not copied at each load.
  const at = file.byteOffset + floatsAt;
  let floats: Float64Array;
  if (at % 8 === 0) floats = new Float64Array(file.buffer, at, floatCount);
  else {
    floats = new Float64Array(floatCount);
    new Uint8Array(floats.buffer).set(file.subarray(floatsAt, floatsAt + floatCount * 8));
  }
  const tail = file.subarray(floatsAt + floatCount * 8);
  return { head, floats, tail, rowsIntact: head.rowsCrc === crcOf(file.subarray(floatsAt)) };
}

// ---------------------------------------------------------------------------
// Aggregates (read at every start)

/** Per file: id, path, dev, ino, size, mtimeMs, offset, unfinishedBytes, fingerprint (-1: none), bucket count. */
const FILE_FIELDS = 10;
/** Per bucket: quarterMs, model, cwd, session (string indexes), the six totals, entries, firstMs, lastMs, unpriced. */
const BUCKET_FIELDS = 14;

export interface AggregatesHead {
  format: typeof FORMAT;
  version: number;
  priceTable: string;
  generation: string;
  roots: string[];
  savedAt: string;
  /** Paths, fingerprints, models, cwds and sessions, each once. */
  strings: string[];
  files: number;
  buckets: number;
  /** Files with skipped lines or limit hits, by file row: [row, skipped, limit hits]. */
  notes: [number, IndexedFile['skipped'], IndexedFile['limitHits']][];
}

export function encodeAggregates(index: UsageIndex, meta: Omit<AggregatesHead, 'format' | 'strings' | 'files' | 'buckets' | 'notes'>): Buffer {
  const table = new StringTable();
  const at = (text: string): number => table.at(text);
  const files = [...index.files.values()];
  let bucketCount = 0;
  for (const f of files) bucketCount += f.buckets.size;
  const notes: AggregatesHead['notes'] = [];
  const numbers = new Float64Array(files.length * FILE_FIELDS + bucketCount * BUCKET_FIELDS);
  let o = 0;
  // Written field by field: an array literal per row is garbage.
  files.forEach((f, row) => {
    if (Object.keys(f.skipped).length > 0 || f.limitHits.length > 0) notes.push([row, f.skipped, f.limitHits]);
    numbers[o] = f.id;
    numbers[o + 1] = at(f.path);
    numbers[o + 2] = f.dev;
    numbers[o + 3] = f.ino;
    numbers[o + 4] = f.size;
    numbers[o + 5] = f.mtimeMs;
    numbers[o + 6] = f.offset;
    numbers[o + 7] = f.unfinishedBytes;
    numbers[o + 8] = f.fingerprint ? at(f.fingerprint) : -1;
    numbers[o + 9] = f.buckets.size;
    o += FILE_FIELDS;
  });
  for (const f of files) {
    for (const b of f.buckets.values()) {
      numbers[o] = b.quarterMs;
      numbers[o + 1] = at(b.model);
      numbers[o + 2] = at(b.cwd);
      numbers[o + 3] = at(b.sessionId);
      numbers[o + 4] = b.input;
      numbers[o + 5] = b.output;
      numbers[o + 6] = b.cacheCreation;
      numbers[o + 7] = b.cacheCreation1h;
      numbers[o + 8] = b.cacheRead;
      numbers[o + 9] = b.costUSD;
      numbers[o + 10] = b.entries;
      numbers[o + 11] = b.firstMs;
      numbers[o + 12] = b.lastMs;
      numbers[o + 13] = b.unpriced ? 1 : 0;
      o += BUCKET_FIELDS;
    }
  }
  const head: AggregatesHead = { format: FORMAT, ...meta, strings: table.strings, files: files.length, buckets: bucketCount, notes };
  return framedFile(head, numbers.length, (floats) => floats.set(numbers));
}

/** The index the aggregates describe (no response keys); throws when the rows don't add up. */
export function decodeAggregates(head: AggregatesHead, n: Float64Array): UsageIndex {
  if (n.length !== head.files * FILE_FIELDS + head.buckets * BUCKET_FIELDS) throw new RangeError('rows do not match the head');
  const strings = head.strings;
  const text = (i: number): string => {
    const s = strings[i];
    if (s === undefined) throw new RangeError('no such string');
    return s;
  };
  const notes = new Map(head.notes.map(([row, skipped, limitHits]) => [row, { skipped, limitHits }]));
  const index = new UsageIndex();
  let b = head.files * FILE_FIELDS;
  for (let row = 0; row < head.files; row++) {
    const o = row * FILE_FIELDS;
    const buckets = new Map<number, UsageBucket>();
    for (let k = 0; k < n[o + 9]!; k++, b += BUCKET_FIELDS) {
      const quarterMs = n[b]!;
      const model = text(n[b + 1]!);
      const cwd = text(n[b + 2]!);
      const sessionId = text(n[b + 3]!);
      buckets.set(index.bucketId(bucketKeyOf(quarterMs, model, cwd, sessionId)), {
        quarterMs, model, cwd, sessionId, input: n[b + 4]!, output: n[b + 5]!, cacheCreation: n[b + 6]!, cacheCreation1h: n[b + 7]!, cacheRead: n[b + 8]!,
        costUSD: n[b + 9]!, entries: n[b + 10]!, firstMs: n[b + 11]!, lastMs: n[b + 12]!, unpriced: n[b + 13] === 1,
      });
    }
    const note = notes.get(row);
    index.addFile({
      id: n[o]!, path: text(n[o + 1]!), dev: n[o + 2]!, ino: n[o + 3]!, size: n[o + 4]!, mtimeMs: n[o + 5]!, offset: n[o + 6]!, unfinishedBytes: n[o + 7]!,
      fingerprint: n[o + 8]! < 0 ? null : text(n[o + 8]!), skipped: note?.skipped ?? {}, limitHits: note?.limitHits ?? [], buckets,
    });
  }
  if (b !== n.length) throw new RangeError('bucket counts do not add up');
  return index;
}

// ---------------------------------------------------------------------------
// Response keys (read only when a transcript changed)

/**
 * Key i owns row i (counted-responses.ts): the rows, then where each key ends,
 * as numbers; the keys' UTF-8 bytes follow them. A row names its bucket by
 * index into `bucketKeys`.
 */
export interface ResponsesHead {
  format: typeof FORMAT;
  version: number;
  generation: string;
  bucketKeys: string[];
  keyCount: number;
  /** Rows whose response has copies in other files: [row, file ids]. */
  copies: [number, number[]][];
}

export function encodeResponses(index: UsageIndex, meta: Pick<ResponsesHead, 'version' | 'generation'>): Buffer {
  const { keyBytes, keyEnds, rows, copies } = index.responses.saved();
  // Only the buckets still referenced, renumbered from 0 in order of first use.
  const bucketKeys: string[] = [];
  const savedId = new Int32Array(index.bucketIdCount).fill(-1);
  for (let o = ROW.bucketId; o < rows.length; o += ROW_FIELDS) {
    const id = rows[o]!;
    if (savedId[id] === -1) savedId[id] = bucketKeys.push(index.bucketKeyById(id) ?? '') - 1;
  }
  const head: ResponsesHead = { format: FORMAT, ...meta, bucketKeys, keyCount: keyEnds.length, copies };
  return framedFile(
    head,
    rows.length + keyEnds.length,
    (floats) => {
      floats.set(rows);
      for (let o = ROW.bucketId; o < rows.length; o += ROW_FIELDS) floats[o] = savedId[floats[o]!]!;
      floats.set(keyEnds, rows.length);
    },
    keyBytes,
  );
}

/** Loads the rows into `index`; false when they don't fit it. */
export function decodeResponses(head: ResponsesHead, floats: Float64Array, keyBytes: Buffer, index: UsageIndex): boolean {
  const keyCount = head.keyCount;
  if (!Number.isInteger(keyCount) || floats.length !== keyCount * (ROW_FIELDS + 1)) return false;
  const rows = floats.subarray(0, keyCount * ROW_FIELDS);
  const bucketIds = head.bucketKeys.map((key) => index.bucketId(key));
  for (let o = ROW.bucketId; o < rows.length; o += ROW_FIELDS) {
    const id = bucketIds[rows[o]!];
    if (id === undefined) return false;
    rows[o] = id;
  }
  try {
    index.responses.load(keyBytes, floats.subarray(keyCount * ROW_FIELDS), rows, head.copies);
  } catch {
    return false;
  }
  return true;
}
