// Worker-thread entry: scans the files it is given and posts the results back,
// several to a message: a message costs both threads tens of microseconds, and
// a first scan of 1 GB is a thousand files or more.
import { parentPort } from 'node:worker_threads';
import { type FileScanRequest, type FileScanResult, scanFile } from './file-scan.js';
import { packResult } from './packed-events.js';
import { primeLineParser } from './scan-primer.js';

/** Posted once this many results, or this many bytes read, are waiting (and at the end of each batch). */
const RESULTS_PER_MESSAGE = 16;
const BYTES_PER_MESSAGE = 4 * 1024 * 1024;

// While the first batch is on its way.
primeLineParser();

parentPort?.on('message', (requests: FileScanRequest[]) => {
  let results: FileScanResult[] = [];
  let transfer: ArrayBuffer[] = [];
  let bytes = 0;
  const post = () => {
    if (results.length > 0) parentPort?.postMessage({ type: 'results', results }, transfer);
    results = [];
    transfer = [];
    bytes = 0;
  };
  for (const request of requests) {
    const packed = packResult(scanFile(request));
    results.push(packed.result);
    transfer.push(...packed.transfer);
    bytes += packed.result.bytesRead;
    if (results.length >= RESULTS_PER_MESSAGE || bytes >= BYTES_PER_MESSAGE) post();
  }
  post();
  parentPort?.postMessage({ type: 'done' });
});
