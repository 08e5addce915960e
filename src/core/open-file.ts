// A file read through its descriptor: a file that can't be opened, or a read
// that throws (it vanished, shrank, can't be read), gives null, and the
// descriptor is closed either way.
import { closeSync, openSync } from 'node:fs';

/** `use(fd)` on `path` opened for reading; null when it can't be opened or `use` throws. */
export function withOpenFile<T>(path: string, use: (fd: number) => T): T | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    return use(fd);
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}
