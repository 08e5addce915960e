// Finds every transcript (*.jsonl, any depth) under each root's projects/ folder.
// Problems (permissions, vanished files, symlink loops) become diagnostics, never throws.
// Synchronous on purpose: thousands of stats through the thread pool cost more
// in scheduling than the stats themselves, and a warm start is only stats.
import { type Dirent, type Stats, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface TranscriptFileStat {
  path: string;
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
}

export interface RootReport {
  path: string;
  exists: boolean;
  error?: string;
}

export interface DiscoveryResult {
  files: TranscriptFileStat[];
  roots: RootReport[];
  diagnostics: string[];
}

export function projectsDir(root: string): string {
  return join(root, 'projects');
}

function describeError(error: unknown): string {
  const err = error as NodeJS.ErrnoException;
  return err.code ? `${err.code}: ${err.message}` : String(error);
}

export async function statTranscript(path: string): Promise<TranscriptFileStat | null> {
  try {
    const s = statSync(path);
    return s.isFile() ? toFileStat(path, s) : null;
  } catch {
    return null;
  }
}

function toFileStat(path: string, s: Stats): TranscriptFileStat {
  return { path, dev: s.dev, ino: s.ino, size: s.size, mtimeMs: s.mtimeMs };
}

/** Whether a root exists and is a folder (one stat). */
export function reportRoot(root: string): RootReport {
  try {
    return statSync(root).isDirectory() ? { path: root, exists: true } : { path: root, exists: false, error: 'not a directory' };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? { path: root, exists: false } : { path: root, exists: false, error: describeError(error) };
  }
}

export async function discoverTranscripts(roots: readonly string[]): Promise<DiscoveryResult> {
  const files: TranscriptFileStat[] = [];
  const diagnostics: string[] = [];
  const rootReports: RootReport[] = [];
  const seenFiles = new Set<string>();
  const seenDirs = new Set<string>();

  // Only a folder reached through a symlink can loop back: those (and the roots)
  // are checked by identity; plain subfolders cost no extra stat.
  const walk = (dir: string, checkIdentity: boolean): void => {
    let entries: Dirent[];
    try {
      if (checkIdentity) {
        const dirStat = statSync(dir);
        const identity = `${dirStat.dev}:${dirStat.ino}`;
        if (seenDirs.has(identity)) {
          diagnostics.push(`skipped ${dir}: already scanned (symlink loop or shared folder)`);
          return;
        }
        seenDirs.add(identity);
      }
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      diagnostics.push(`cannot read ${dir}: ${describeError(error)}`);
      return;
    }
    for (const entry of entries) {
      const full = join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      const isLink = entry.isSymbolicLink();
      let fileStat: Stats | undefined;
      if (isLink) {
        try {
          fileStat = statSync(full);
          isDir = fileStat.isDirectory();
          isFile = fileStat.isFile();
        } catch (error) {
          diagnostics.push(`broken link ${full}: ${describeError(error)}`);
          continue;
        }
      }
      if (isDir) {
        walk(full, isLink);
      } else if (isFile && entry.name.endsWith('.jsonl')) {
        try {
          fileStat ??= statSync(full);
        } catch (error) {
          diagnostics.push(`vanished ${full}: ${describeError(error)}`);
          continue;
        }
        const identity = `${fileStat.dev}:${fileStat.ino}`;
        if (seenFiles.has(identity)) continue; // the same file through a second root
        seenFiles.add(identity);
        files.push(toFileStat(full, fileStat));
      }
    }
  };

  for (const root of roots) {
    const projects = projectsDir(root);
    const report = reportRoot(root);
    rootReports.push(report);
    if (!report.exists) continue;
    try {
      statSync(projects);
    } catch {
      continue; // a root without transcripts yet
    }
    walk(projects, true);
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, roots: rootReports, diagnostics };
}
