// Worker-thread entry: scans the files it is given and posts each result back.
import { parentPort } from 'node:worker_threads';
import { type FileScanRequest, scanFile } from './file-scan.js';

parentPort?.on('message', (requests: FileScanRequest[]) => {
  for (const request of requests) parentPort?.postMessage({ type: 'result', result: scanFile(request) });
  parentPort?.postMessage({ type: 'done' });
});
