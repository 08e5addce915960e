// How the CLI spreads a big scan over threads, and the early start of its
// worker for a run that will scan every transcript. Kept apart from
// usage-session.ts, and importing only small modules, so the CLI's entry
// (cli-entry.ts) loads it before the program.
import { createRequire } from 'node:module';
import { anyIndexSaved } from '../core/ingest/index-files.js';
import { prestartScanWorkers } from '../core/ingest/scan-thread-pool.js';
import { resolveStateDir } from '../core/state-dir.js';
import { commandOf } from './command-names.js';

/** Built next to the CLI bundle by scripts/build.mjs. */
export const SCAN_WORKER_URL = new URL('./scan-worker.mjs', import.meta.url);

/** Worker threads for big scans; BREATHER_SCAN_THREADS=1 keeps scanning on the main thread (less memory). */
export function scanParallelism(env: NodeJS.ProcessEnv = process.env): { workerScript: URL; maxWorkers?: number; scanOnCallingThread: boolean } {
  const threads = Number(env.BREATHER_SCAN_THREADS);
  // A CLI run's own thread scans too, in place of one worker.
  return Number.isInteger(threads) && threads > 0 ? { workerScript: SCAN_WORKER_URL, maxWorkers: threads, scanOnCallingThread: true } : { workerScript: SCAN_WORKER_URL, scanOnCallingThread: true };
}

/** The commands that bring the usage index up to date before they answer. */
export const SCANNING_COMMANDS = new Set(['daily', 'session', 'blocks', 'status', 'limits', 'watch', 'checkpoint', 'pause']);

/**
 * The guess made before the arguments are even parsed: a scanning command and
 * no index at all means a first scan of every transcript. A wrong guess costs
 * a worker started and ended on the other core; a missed one, only the head start.
 */
export function expectsFirstScan(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): boolean {
  const command = commandOf(argv);
  if (command === undefined || !SCANNING_COMMANDS.has(command)) return false;
  return !anyIndexSaved(resolveStateDir(env));
}

/** Starts the first scan's worker now (see prestartScanWorkers), when this run expects one. */
export function prestartFirstScanWorker(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): boolean {
  if (!expectsFirstScan(argv, env)) return false;
  // Synchronously, so the worker starts before the rest of the program is evaluated.
  const { Worker } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
  return prestartScanWorkers(Worker, scanParallelism(env));
}
