// The scan workers' threads: how many a big scan starts, and the ones a CLI
// run starts before anything else (prestartScanWorkers), for the scan it expects.
// Kept apart from parallel-scan.ts, which needs the whole scanner: the CLI's
// entry imports this alone, so its worker starts before the program is even loaded.
import { availableParallelism } from 'node:os';

export interface ParallelScanOptions {
  /** The built scan-worker script; without it everything runs in-process. */
  workerScript?: URL | string;
  /** Below this many bytes, threads cost more than they save (default: MIN_PARALLEL_BYTES* in parallel-scan.ts). */
  minParallelBytes?: number;
  maxWorkers?: number;
  /**
   * Let the calling thread scan too, in place of one worker (a CLI run, whose
   * thread has nothing else to do): one thread fewer to start, feed and hold in
   * memory. It yields after each file, so workers are still fed.
   */
  scanOnCallingThread?: boolean;
}

// The scan makes little garbage that lives: a small nursery per worker keeps
// about 10 MB off the peak memory of a 1 GB first scan, at no measurable cost.
const WORKER_YOUNG_GENERATION_MB = 4;

type Worker = import('node:worker_threads').Worker;

/** A scan worker and how its start went: it may have failed before anyone listened. */
export class ScanThread {
  failed: Error | null = null;
  constructor(readonly worker: Worker) {
    // Listened to from the start: an unheard 'error' event would end the process.
    worker.once('error', (error) => (this.failed = error));
  }
}

export function startScanThread(WorkerClass: typeof import('node:worker_threads').Worker, script: URL | string): ScanThread {
  return new ScanThread(new WorkerClass(script, { resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } }));
}

// Started by prestartScanWorkers, taken by the next big scan: kept on the global
// object, so the CLI's entry and the program it loads (separate bundles) share them.
const PRESTARTED = Symbol.for('breather.prestartedScanWorkers');
type Prestarted = { script: string; threads: ScanThread[] } | null;
const handoff = globalThis as { [PRESTARTED]?: Prestarted };

/** Threads for a big scan: one per core, at most `maxWorkers` (4). */
export function scanThreadCount(options: ParallelScanOptions): number {
  return Math.min(options.maxWorkers ?? 4, availableParallelism());
}

/** Workers to start for `threads` scanning threads: one fewer when the calling thread scans too. */
export function workerCount(options: ParallelScanOptions, threads: number): number {
  return options.scanOnCallingThread ? threads - 1 : threads;
}

/**
 * Starts the workers a big scan with these options would start, now, for a scan
 * this process expects to run soon (a CLI's first run, before its arguments,
 * settings and transcripts are even looked at): a worker takes about 80 ms to
 * come online, which the calling thread otherwise spends scanning alone. Unused
 * ones do not keep the process alive, and the next scanFiles ends any it does
 * not need. False when such a scan would start no worker.
 */
export function prestartScanWorkers(WorkerClass: typeof import('node:worker_threads').Worker, options: ParallelScanOptions & { workerScript: URL | string }): boolean {
  const threads = scanThreadCount(options);
  const count = threads < 2 ? 0 : workerCount(options, threads);
  if (count === 0) return false;
  const started = Array.from({ length: count }, () => startScanThread(WorkerClass, options.workerScript));
  for (const { worker } of started) worker.unref();
  handoff[PRESTARTED] = { script: String(options.workerScript), threads: started };
  return true;
}

/** The prestarted threads for this script (all of them, taken), or none. */
export function takePrestarted(script: URL | string): ScanThread[] {
  const prestarted = handoff[PRESTARTED] ?? null;
  const taken = prestarted && prestarted.script === String(script) ? prestarted.threads : [];
  if (prestarted && taken.length === 0) for (const { worker } of prestarted.threads) void worker.terminate();
  handoff[PRESTARTED] = null;
  return taken;
}
