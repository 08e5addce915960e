// Worker-thread entry: scans the files it is given and posts each result back.
import { parentPort } from 'node:worker_threads';
import { type FileScanRequest, scanFile } from './file-scan.js';
import { packResult } from './packed-events.js';
import { primeLineParser } from './scan-primer.js';

// While the first batch is on its way.
primeLineParser();

parentPort?.on('message', (requests: FileScanRequest[]) => {
  for (const request of requests) {
    const { result, transfer } = packResult(scanFile(request));
    parentPort?.postMessage({ type: 'result', result }, transfer);
  }
  parentPort?.postMessage({ type: 'done' });
});
