// Atomic file writes (write-file-atomic: temp file, fsync, rename), loaded on
// first use so commands that only read never pay for it.
import { createRequire } from 'node:module';
import type WriteFileAtomic from 'write-file-atomic';

let module: typeof WriteFileAtomic | null = null;

function load(): typeof WriteFileAtomic {
  // write-file-atomic is CommonJS: a synchronous require keeps writeFileAtomicSync possible.
  module ??= createRequire(import.meta.url)('write-file-atomic') as typeof WriteFileAtomic;
  return module;
}

/**
 * mode: permissions of the new file (e.g. 0o600 for files others must not read).
 * durable: false skips the fsync before the rename, for caches that can be rebuilt:
 * the file is still whole or absent for other readers, but a crash may lose it.
 */
export async function writeFileAtomic(path: string, data: string | Buffer, options: { mode?: number; durable?: boolean } = {}): Promise<void> {
  await load()(path, data, { ...(options.mode === undefined ? {} : { mode: options.mode }), ...(options.durable === false ? { fsync: false } : {}) });
}

export function writeFileAtomicSync(path: string, data: string | Buffer): void {
  load().sync(path, data);
}
