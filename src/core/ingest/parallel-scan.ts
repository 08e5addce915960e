// Spreads a large first scan over worker threads (one per core, at most a few).
// Results are handed back in request order, so counting stays deterministic.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { type FileScanRequest, type FileScanResult, scanFile } from './file-scan.js';

export interface ParallelScanOptions {
  /** The built scan-worker script; without it everything runs in-process. */
  workerScript?: URL | string;
  /** Below this many bytes, threads cost more than they save. */
  minParallelBytes?: number;
  maxWorkers?: number;
}

type WorkerMessage = { type: 'result'; result: FileScanResult } | { type: 'done' };

/** Splits requests into `n` groups of similar byte size (largest first onto the lightest group). */
export function partitionBySize(requests: readonly FileScanRequest[], n: number): FileScanRequest[][] {
  const groups = Array.from({ length: n }, () => ({ bytes: 0, items: [] as FileScanRequest[] }));
  const bySize = [...requests].sort((a, b) => b.toOffset - b.fromOffset - (a.toOffset - a.fromOffset));
  for (const request of bySize) {
    const lightest = groups.reduce((min, g) => (g.bytes < min.bytes ? g : min));
    lightest.items.push(request);
    lightest.bytes += request.toOffset - request.fromOffset;
  }
  return groups.map((g) => g.items).filter((items) => items.length > 0);
}

function runWorker(script: URL | string, requests: FileScanRequest[], onResult: (r: FileScanResult) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script);
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'result') onResult(message.result);
      else void worker.terminate().then(() => resolve());
    });
    worker.once('error', reject);
    worker.postMessage(requests);
  });
}

export async function scanFiles(
  requests: readonly FileScanRequest[],
  options: ParallelScanOptions,
  onResult: (result: FileScanResult, index: number) => void,
): Promise<void> {
  const totalBytes = requests.reduce((sum, r) => sum + (r.toOffset - r.fromOffset), 0);
  const workers = Math.min(options.maxWorkers ?? 4, availableParallelism(), requests.length);
  if (!options.workerScript || workers < 2 || totalBytes < (options.minParallelBytes ?? 48 * 1024 * 1024)) {
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
  try {
    await Promise.all(partitionBySize(requests, workers).map((group) => runWorker(script, group, deliver)));
  } catch {
    // A worker could not start (missing script, resource limits): finish in-process.
    for (let i = next; i < requests.length; i++) if (results[i] === undefined) results[i] = scanFile(requests[i]!);
    while (next < results.length) {
      onResult(results[next]!, next);
      next += 1;
    }
  }
}
