// Spreads a large first scan over worker threads (one per core, at most a few).
// Results are handed back in request order, so counting stays deterministic.
// node:worker_threads is imported when a big scan starts: a warm start never loads it.
import { type FileScanRequest, type FileScanResult, scanFile } from './file-scan.js';
import { primeLineParser } from './scan-primer.js';
import { type ParallelScanOptions, type ScanThread, scanThreadCount, startScanThread, takePrestarted, workerCount } from './scan-thread-pool.js';

export { type ParallelScanOptions, prestartScanWorkers } from './scan-thread-pool.js';

// Where workers start to pay. A caller that must stay responsive (the tray)
// hands anything bigger than a moment's work to them. One whose own thread
// scans too (a CLI run) does better alone up to a few hundred megabytes: a
// worker takes 40–70 ms of CPU to start and compiles its own copy of the hot
// code, while the WebAssembly scanner reads 2 GB/s on one thread. Measured on
// 2 cores: one thread is faster at 100–200 MB, even at 350 MB, and two win
// from 500 MB on (0.44 against 0.47 s; 1 GB: 0.69 against 0.79 s).
const MIN_PARALLEL_BYTES = 48 * 1024 * 1024;
const MIN_PARALLEL_BYTES_SCANNING_HERE = 384 * 1024 * 1024;
// Worth priming the parser and the results' merge for, on the calling thread.
const BIG_SCAN_BYTES = 48 * 1024 * 1024;

/** Whether a scan of `totalBytes` is worth worker threads (MIN_PARALLEL_BYTES*). */
export function scansInParallel(totalBytes: number, options: Pick<ParallelScanOptions, 'minParallelBytes' | 'scanOnCallingThread'>): boolean {
  return totalBytes >= (options.minParallelBytes ?? (options.scanOnCallingThread ? MIN_PARALLEL_BYTES_SCANNING_HERE : MIN_PARALLEL_BYTES));
}

const BATCH_BYTES = 24 * 1024 * 1024;
const BATCH_FILES = 64;

type WorkerMessage = { type: 'results'; results: FileScanResult[] } | { type: 'done' };

// Batches a worker holds at once: the next one is already queued when it
// finishes one, even while the calling thread is busy scanning a file.
const BATCHES_AHEAD = 2;

/** One worker pulls files from the shared queue until it is empty: the busiest core never waits on a bad split. */
function runWorker(
  thread: ScanThread,
  next: () => FileScanRequest[],
  onResult: (r: FileScanResult) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const { worker } = thread;
    if (thread.failed) return reject(thread.failed);
    worker.ref();
    let outstanding = 0;
    const sendNext = () => {
      const batch = next();
      if (batch.length > 0) {
        outstanding++;
        worker.postMessage(batch);
      } else if (outstanding === 0) {
        // Its last result is in: the thread's teardown (a few ms) need not hold up the caller.
        void worker.terminate();
        resolve();
      }
    };
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'results') for (const result of message.results) onResult(result);
      else {
        outstanding--;
        sendNext();
      }
    });
    worker.once('error', reject);
    for (let i = 0; i < BATCHES_AHEAD; i++) sendNext();
  });
}

const yieldToEvents = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The calling thread as one more scanner: a file at a time (it balances the end), letting worker messages in between. */
async function scanHere(next: () => FileScanRequest | undefined, onResult: (r: FileScanResult) => void, prime: () => void): Promise<void> {
  await yieldToEvents(); // the workers take their first batches first
  primeLineParser();
  prime();
  for (let request = next(); request !== undefined; request = next()) {
    onResult(scanFile(request));
    await yieldToEvents();
  }
}

/**
 * Scans `requests`, handing each result to `onResult` in request order.
 * `primeResults` runs on the calling thread before a big scan's first result
 * (BIG_SCAN_BYTES), once the workers have their first batches (so they don't wait for it).
 */
export async function scanFiles(
  requests: readonly FileScanRequest[],
  options: ParallelScanOptions,
  onResult: (result: FileScanResult, index: number) => void,
  primeResults: () => void = () => undefined,
): Promise<void> {
  const totalBytes = requests.reduce((sum, r) => sum + (r.toOffset - r.fromOffset), 0);
  const threads = Math.min(scanThreadCount(options), requests.length);
  const big = totalBytes >= BIG_SCAN_BYTES;
  const parallel = scansInParallel(totalBytes, options);
  const primeHere = big ? primeResults : () => undefined;
  const ready = options.workerScript ? takePrestarted(options.workerScript) : [];
  if (!options.workerScript || threads < 2 || !parallel) {
    for (const { worker } of ready) void worker.terminate();
    if (big) {
      primeLineParser();
      primeResults();
    }
    requests.forEach((request, i) => onResult(scanFile(request), i));
    return;
  }
  const order = new Map(requests.map((r, i) => [r.path, i]));
  const results = new Array<FileScanResult | undefined>(requests.length);
  let next = 0;
  // Hand results on in request order as soon as the prefix is complete.
  const deliver = (result: FileScanResult) => {
    results[order.get(result.path)!] = result;
    while (next < results.length && results[next] !== undefined) {
      onResult(results[next]!, next);
      results[next] = undefined;
      next += 1;
    }
  };
  const script = options.workerScript;
  // Handed out in request order (callers put the largest first), which is also
  // the order results are delivered in, so few results wait for an earlier one.
  const pending = [...requests];
  let pendingBytes = totalBytes;
  const take = (): FileScanRequest | undefined => {
    const request = pending.shift();
    if (request) pendingBytes -= request.toOffset - request.fromOffset;
    return request;
  };
  // Batches of a few megabytes: small enough to balance the cores, big enough
  // that a worker rarely waits for the main thread to hand it more. Near the
  // end they shrink with what is left: a worker still holding two full batches
  // when the queue runs dry would keep the calling thread waiting for them.
  const takeNext = (): FileScanRequest[] => {
    const share = 2 * threads;
    const maxBytes = Math.min(BATCH_BYTES, pendingBytes / share);
    const maxFiles = Math.min(BATCH_FILES, Math.ceil(pending.length / share));
    const batch: FileScanRequest[] = [];
    let bytes = 0;
    while (pending.length > 0 && (batch.length === 0 || (batch.length < maxFiles && bytes < maxBytes))) {
      const request = take()!;
      bytes += request.toOffset - request.fromOffset;
      batch.push(request);
    }
    return batch;
  };
  const workers = workerCount(options, threads);
  for (const { worker } of ready.splice(workers)) void worker.terminate();
  if (ready.length < workers) {
    const { Worker } = await import('node:worker_threads');
    while (ready.length < workers) ready.push(startScanThread(Worker, script));
  }
  const running = ready.map((thread) => runWorker(thread, takeNext, deliver));
  if (!options.scanOnCallingThread) primeHere();
  const here = options.scanOnCallingThread ? scanHere(take, deliver, primeHere) : Promise.resolve();
  try {
    await Promise.all([here, ...running]);
  } catch {
    // A worker could not start (missing script, resource limits): finish in-process,
    // after this thread's own scanning (it drains the queue) has stopped.
    await here;
    for (let i = next; i < requests.length; i++) if (results[i] === undefined) results[i] = scanFile(requests[i]!);
    while (next < results.length) {
      onResult(results[next]!, next);
      next += 1;
    }
  }
}
