// A small fingerprint of what was already read from a transcript: a hash of its
// first bytes and of the bytes just before the read offset. A file rewritten in
// place (`cat new > s.jsonl`, `rsync --inplace`, a restored backup, truncate
// then regrow) keeps its inode and may even grow, but not these bytes.
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';

export const FINGERPRINT_BYTES = 4096;

function hashRange(fd: number, buffer: Buffer, from: number, to: number): string {
  const length = to - from;
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buffer, got, length - got, from + got);
    if (n === 0) break;
    got += n;
  }
  return createHash('sha1').update(buffer.subarray(0, got)).digest('base64url').slice(0, 16);
}

/** The fingerprint of a file read up to `offset`; null when it can't be read. */
export function fingerprintAt(path: string, offset: number): string | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    const buffer = Buffer.allocUnsafe(FINGERPRINT_BYTES);
    const head = hashRange(fd, buffer, 0, Math.min(FINGERPRINT_BYTES, offset));
    const tail = hashRange(fd, buffer, Math.max(0, offset - FINGERPRINT_BYTES), offset);
    return `${offset}:${head}:${tail}`;
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}
