// A small fingerprint of what was already read from a transcript: a hash of its
// first bytes and of the bytes just before the read offset. A file rewritten in
// place (`cat new > s.jsonl`, `rsync --inplace`, a restored backup, truncate
// then regrow) keeps its inode and may even grow, but not these bytes.
import { hash as digest } from 'node:crypto';
import { readSync } from 'node:fs';
import { withOpenFile } from '../open-file.js';

const FINGERPRINT_BYTES = 4096;

/** Bytes [from, to) of an open file into `buffer`; fewer when the file ends sooner. */
export function readRange(fd: number, buffer: Buffer, from: number, to: number): Buffer {
  const length = to - from;
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buffer, got, length - got, from + got);
    if (n === 0) break;
    got += n;
  }
  return buffer.subarray(0, got);
}

// crypto.hash is one call with no Hash object: two per file at every first scan.
const hash = (bytes: Buffer): string => digest('sha1', bytes, 'base64url').slice(0, 16);

/** File bytes already in memory: `bytes` holds the file from byte `from` on. */
export interface HeldBytes {
  bytes: Buffer;
  from: number;
}

/** The fingerprint from an open file read up to `offset`; bytes in `held` are not read again. Throws when a read fails. */
export function fingerprintOfOpenFile(fd: number, offset: number, held?: HeldBytes): string {
  let scratch: Buffer | null = null;
  const range = (from: number, to: number): Buffer => {
    if (held && from >= held.from && to <= held.from + held.bytes.length) return held.bytes.subarray(from - held.from, to - held.from);
    scratch ??= Buffer.allocUnsafe(FINGERPRINT_BYTES);
    return readRange(fd, scratch, from, to);
  };
  // Each range is hashed before the next read reuses the scratch buffer.
  const head = hash(range(0, Math.min(FINGERPRINT_BYTES, offset)));
  const tail = hash(range(Math.max(0, offset - FINGERPRINT_BYTES), offset));
  return `${offset}:${head}:${tail}`;
}

/** The fingerprint of a file read up to `offset`; null when it can't be read. */
export function fingerprintAt(path: string, offset: number): string | null {
  return withOpenFile(path, (fd) => fingerprintOfOpenFile(fd, offset));
}
