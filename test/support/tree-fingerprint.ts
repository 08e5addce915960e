// Fingerprints of a working tree, to prove an operation touched nothing, and
// content listings, to prove a restore gave back the same files.
import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { displayPath } from '../../src/core/checkpoint/git-paths.js';

interface WalkedEntry {
  /** Path relative to the root, raw bytes ('' for the root itself). */
  relative: Buffer;
  absolute: Buffer;
}

const SLASH = Buffer.from('/');

/** Every entry under root (root included), skipping anything named `.git`. */
async function walk(root: string): Promise<WalkedEntry[]> {
  const entries: WalkedEntry[] = [{ relative: Buffer.alloc(0), absolute: Buffer.from(root) }];
  for (let next = 0; next < entries.length; next += 1) {
    const current = entries[next]!;
    const stats = await lstat(current.absolute);
    if (!stats.isDirectory()) continue;
    const children = await readdir(current.absolute, { encoding: 'buffer' });
    for (const name of children) {
      if (name.toString('latin1') === '.git') continue;
      entries.push({
        relative: current.relative.length === 0 ? name : Buffer.concat([current.relative, SLASH, name]),
        absolute: Buffer.concat([current.absolute, SLASH, name]),
      });
    }
  }
  return entries;
}

function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function keyOf(relative: Buffer): string {
  return relative.length === 0 ? '.' : displayPath(relative);
}

export type Fingerprint = Record<string, string>;

/**
 * Content, mode, mtime and ctime (nanoseconds) of every file, directory and
 * symlink under root (`.git` excluded at every depth), plus the bytes and
 * times of each listed git index file.
 */
export async function fingerprintTree(root: string, indexFiles: readonly string[] = []): Promise<Fingerprint> {
  const fingerprint: Fingerprint = {};
  for (const entry of await walk(root)) {
    const stats = await lstat(entry.absolute, { bigint: true });
    const times = `mode=${stats.mode.toString(8)} mtime=${stats.mtimeNs} ctime=${stats.ctimeNs}`;
    if (stats.isFile()) {
      fingerprint[keyOf(entry.relative)] = `file ${times} size=${stats.size} sha=${sha256(await readFile(entry.absolute))}`;
    } else if (stats.isSymbolicLink()) {
      fingerprint[keyOf(entry.relative)] = `link ${times} -> ${(await readlink(entry.absolute, 'buffer')).toString('hex')}`;
    } else {
      fingerprint[keyOf(entry.relative)] = `dir ${times}`;
    }
  }
  for (const indexFile of indexFiles) {
    try {
      const stats = await lstat(indexFile, { bigint: true });
      fingerprint[`[index] ${indexFile}`] =
        `mtime=${stats.mtimeNs} ctime=${stats.ctimeNs} sha=${sha256(await readFile(indexFile))}`;
    } catch {
      fingerprint[`[index] ${indexFile}`] = 'absent';
    }
  }
  return fingerprint;
}

/**
 * What a restore must reproduce: each file's type, executable bit and
 * content (no times), skipping paths under any of the excluded prefixes.
 */
export async function treeContents(root: string, excluded: readonly string[] = []): Promise<Record<string, string>> {
  const isExcluded = (key: string): boolean =>
    excluded.some((prefix) => key === prefix || key.startsWith(`${prefix}/`));
  const contents: Record<string, string> = {};
  for (const entry of await walk(root)) {
    const key = keyOf(entry.relative);
    if (key === '.' || isExcluded(key)) continue;
    const stats = await lstat(entry.absolute);
    if (stats.isFile()) {
      const executable = (stats.mode & 0o111) !== 0 ? 'x' : '-';
      contents[key] = `file ${executable} ${sha256(await readFile(entry.absolute))}`;
    } else if (stats.isSymbolicLink()) {
      contents[key] = `link ${(await readlink(entry.absolute, 'buffer')).toString('hex')}`;
    }
    // Directories are implied by their files (git does not track empty ones).
  }
  return contents;
}
