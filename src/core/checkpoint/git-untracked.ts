// Which untracked files go into the snapshot, and which ignored files are
// worth a mention because they look like secrets (they are never included).
import { lstat } from 'node:fs/promises';

export const DEFAULT_UNTRACKED_SIZE_CAP_BYTES = 10 * 1024 * 1024;

export type SkipReason = 'too-large' | 'nested-repo' | 'secret-looking';

export interface UntrackedFile {
  path: Buffer;
  /** Size from lstat; null when the file vanished after being listed. */
  bytes: number | null;
}

export type UntrackedDecision = { include: true } | { include: false; reason: SkipReason | 'gone' };

/**
 * `git ls-files -o` lists a nested repository as its directory with a trailing
 * slash; git stash skips those ("Ignoring path"), and so do we. Pure.
 */
export function isNestedRepoEntry(path: Buffer): boolean {
  return path.length > 0 && path[path.length - 1] === 0x2f;
}

/** Pure decision for one listed untracked entry. */
export function decideUntracked(file: UntrackedFile, sizeCapBytes: number, skipSecretLooking = false): UntrackedDecision {
  if (isNestedRepoEntry(file.path)) return { include: false, reason: 'nested-repo' };
  if (file.bytes === null) return { include: false, reason: 'gone' };
  // Not ignored, yet named like a key or an env file: kept out of the stash (a
  // stash is easily pushed or shared) unless the user turned this off.
  if (skipSecretLooking && looksLikeSecretFile(file.path.toString('utf8'))) return { include: false, reason: 'secret-looking' };
  if (file.bytes > sizeCapBytes) return { include: false, reason: 'too-large' };
  return { include: true };
}

const STAT_BATCH = 64;

/** lstat sizes for listed untracked paths (relative to repoRoot), in batches. */
export async function statUntracked(repoRoot: string, paths: readonly Buffer[]): Promise<UntrackedFile[]> {
  const root = Buffer.from(repoRoot.endsWith('/') ? repoRoot : `${repoRoot}/`);
  const files: UntrackedFile[] = [];
  for (let start = 0; start < paths.length; start += STAT_BATCH) {
    const batch = paths.slice(start, start + STAT_BATCH);
    files.push(
      ...(await Promise.all(
        batch.map(async (path): Promise<UntrackedFile> => {
          if (isNestedRepoEntry(path)) return { path, bytes: null };
          try {
            return { path, bytes: (await lstat(Buffer.concat([root, path]))).size };
          } catch {
            return { path, bytes: null };
          }
        }),
      )),
    );
  }
  return files;
}

// Base names of files that usually hold credentials. Ignored files are never
// snapshotted; these are named so the user knows they were left behind. Not
// ignored ones are left out too, by default (checkpoint.skipSecretLookingFiles).
const SECRET_FILE_PATTERNS: readonly RegExp[] = [
  /^\.env(\..+)?$/i, // .env, .env.local, .env.production
  /^\.envrc$/,
  /\.(pem|key|p12|pfx|jks|keystore|kdbx|ppk)$/i,
  /^id_(rsa|dsa|ecdsa|ed25519)$/,
  /^\.(npmrc|netrc|pypirc|pgpass)$/,
  /credentials?(\.[a-z0-9]+)?$/i,
  /^secrets?(\.[a-z0-9]+)*$/i,
  /^service[-_]?account.*\.json$/i,
];

/** Whether a path's base name looks like a secret file. Pure. */
export function looksLikeSecretFile(path: string): boolean {
  const trimmed = path.replace(/\/+$/, '');
  const base = trimmed.slice(trimmed.lastIndexOf('/') + 1);
  return SECRET_FILE_PATTERNS.some((pattern) => pattern.test(base));
}
