// Atomic file writes (write-file-atomic: temp file, fsync, rename). Bundled
// into the CLI and hook bundles, and evaluated on first use: looked up through
// Node's CommonJS loader it cost 7-11 ms of every run that saves, and a process
// that never writes (the pause gate, on every tool call) should not load it at all.
import type WriteFileAtomic from 'write-file-atomic';

let library: typeof WriteFileAtomic | undefined;

function writeFileAtomicLib(): typeof WriteFileAtomic {
  // A plain require() in a function: esbuild bundles it and runs it here, at first use; synchronous, so writeFileAtomicSync works.
  library ??= require('write-file-atomic') as typeof WriteFileAtomic;
  return library;
}

interface AtomicWriteOptions {
  /** Permissions of the new file (e.g. 0o600 for files others must not read). */
  mode?: number;
  /**
   * false skips the fsync before the rename, for caches that can be rebuilt
   * and files rewritten all the time: the file is still whole or absent for
   * other readers, but a crash may lose it.
   */
  durable?: boolean;
}

function libraryOptions(options: AtomicWriteOptions): { mode?: number; fsync?: boolean } {
  return { ...(options.mode === undefined ? {} : { mode: options.mode }), ...(options.durable === false ? { fsync: false } : {}) };
}

export async function writeFileAtomic(path: string, data: string | Buffer, options: AtomicWriteOptions = {}): Promise<void> {
  await writeFileAtomicLib()(path, data, libraryOptions(options));
}

export function writeFileAtomicSync(path: string, data: string | Buffer, options: AtomicWriteOptions = {}): void {
  writeFileAtomicLib().sync(path, data, libraryOptions(options));
}
