// Watches transcript folders with chokidar (native fs events, no polling) and
// reports changed *.jsonl paths in small batches.
import { existsSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import type { FSWatcher } from 'chokidar';
import { projectsDir } from './transcript-discovery.js';

export interface TranscriptWatcherOptions {
  roots: readonly string[];
  /** Called with the paths that changed since the last call; `rescan` when folders came or went. */
  onChange: (paths: string[], rescan: boolean) => void;
  onError?: (error: Error) => void;
  /** Other single files to report (e.g. the statusline snapshot); they need not exist yet. */
  extraFiles?: readonly string[];
  /** Coalesces bursts (a streamed response writes several lines in a row). */
  batchMs?: number;
}

export interface TranscriptWatcher {
  ready: Promise<void>;
  close(): Promise<void>;
}


export async function watchTranscripts(options: TranscriptWatcherOptions): Promise<TranscriptWatcher> {
  // chokidar is loaded only by the commands that watch.
  const { watch } = await import('chokidar');
  const batchMs = options.batchMs ?? 20;
  let pending = new Set<string>();
  let rescan = false;
  let timer: NodeJS.Timeout | null = null;
  const flush = () => {
    timer = null;
    const paths = [...pending];
    const full = rescan;
    pending = new Set();
    rescan = false;
    if (paths.length > 0 || full) options.onChange(paths, full);
  };
  const extraFiles = new Set(options.extraFiles ?? []);
  const queue = (path: string | null) => {
    if (path === null) rescan = true;
    else if (path.endsWith('.jsonl') || extraFiles.has(path)) pending.add(path);
    else return;
    timer ??= setTimeout(flush, batchMs);
  };

  const watched = options.roots.map((root) => {
    const projects = projectsDir(root);
    return { root, projects, present: existsSync(projects) };
  });
  // Extra files are watched through their folder (non-recursively) so they may appear later.
  const extraDirs = [...new Set([...extraFiles].map((f) => dirname(f)))].filter((d) => existsSync(d));
  const isIgnored = (path: string, stats?: Stats): boolean => {
    if (extraFiles.has(path)) return false;
    if (extraDirs.includes(path)) return false;
    if (extraDirs.some((d) => dirname(path) === d) && !watched.some((w) => path.startsWith(w.root))) return true;
    return stats?.isFile() === true && !path.endsWith('.jsonl');
  };
  const watcher: FSWatcher = watch(
    [...watched.map((w) => (w.present ? w.projects : w.root)).filter((p) => existsSync(p)), ...extraDirs],
    { ignoreInitial: true, ignored: isIgnored, persistent: true, followSymlinks: true },
  );
  // A root without projects/ yet: watch it until projects/ appears, then watch that.
  watcher.on('addDir', (path) => {
    const w = watched.find((x) => !x.present && path === x.projects);
    if (w) {
      w.present = true;
      watcher.add(w.projects);
      queue(null);
    }
  });
  watcher.on('add', queue);
  watcher.on('change', queue);
  watcher.on('unlink', queue);
  watcher.on('unlinkDir', () => queue(null));
  watcher.on('error', (error) => options.onError?.(error instanceof Error ? error : new Error(String(error))));
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    ready,
    async close() {
      if (timer) clearTimeout(timer);
      await watcher.close();
    },
  };
}
