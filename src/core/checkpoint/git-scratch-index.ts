// Temporary index files for the snapshot. They live inside the git dir (the
// user's files never see them, and a split index's shared files resolve) and
// are always removed, with any lock git left beside them.
import { randomBytes } from 'node:crypto';
import { type FileHandle, open, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export class ScratchIndexes {
  private readonly prefix: string;
  private readonly created = new Set<string>();

  constructor(private readonly gitDir: string) {
    this.prefix = join(gitDir, `breather-snapshot-${process.pid}-${randomBytes(6).toString('hex')}`);
  }

  /** A path for a new, not yet existing index (git treats a missing index as empty). */
  fresh(name: string): string {
    const path = `${this.prefix}-${name}.index`;
    this.created.add(path);
    return path;
  }

  /**
   * A copy of the worktree's real index. Reading is all we do to it: git
   * replaces the index by rename, so one open handle sees one whole version.
   * The copy keeps the original's mtime (rounded down): git's racy-clean check
   * compares file mtimes with the index's, and a newer copy would trust stat
   * data git itself would re-check by content.
   */
  async copyOfRealIndex(name: string): Promise<string> {
    const path = this.fresh(name);
    let original: FileHandle;
    try {
      original = await open(join(this.gitDir, 'index'), 'r');
    } catch (error) {
      // No index yet (fresh clone with --no-checkout): git reads that as empty.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return path;
      throw error;
    }
    try {
      const stats = await original.stat({ bigint: true });
      await writeFile(path, await original.readFile());
      const seconds = (ns: bigint): number => Number(ns / 1000n) / 1e6; // microseconds, rounded down
      await utimes(path, seconds(stats.atimeNs), seconds(stats.mtimeNs));
    } finally {
      await original.close();
    }
    return path;
  }

  async removeAll(): Promise<void> {
    await Promise.all(
      [...this.created].flatMap((path) => [rm(path, { force: true }), rm(`${path}.lock`, { force: true })]),
    );
    this.created.clear();
  }
}
