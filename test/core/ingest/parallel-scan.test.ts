import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type FileScanResult, scanFile } from '../../../src/core/ingest/file-scan.js';
import { fingerprintAt } from '../../../src/core/ingest/file-fingerprint.js';
import { readLinesFrom } from '../../../src/core/ingest/line-reader.js';
import { eventsOf } from '../../../src/core/ingest/packed-events.js';
import { prestartScanWorkers, scanFiles, scansInParallel } from '../../../src/core/ingest/parallel-scan.js';
import { Worker } from 'node:worker_threads';
import { tempDir, usageLine, writeTranscript } from '../../support/usage-lines.js';

const WORKER = resolve(import.meta.dirname, '../../../dist/cli/scan-worker.mjs');

function corpus(files: number) {
  const root = tempDir();
  const requests = [];
  for (let f = 0; f < files; f++) {
    const lines = [];
    for (let i = 0; i < 20 + f * 7; i++) {
      lines.push(usageLine({ at: new Date(Date.UTC(2026, 10, 1, f, i)).toISOString(), messageId: `m${f}-${i % 9}`, requestId: 'r', input: i, output: i * 2, text: 'z'.repeat(i * 50) }));
      if (i % 5 === 0) lines.push('broken {');
    }
    const path = writeTranscript(root, `-p${f % 3}/s${f}.jsonl`, lines);
    requests.push({ path, fromOffset: 0, toOffset: Buffer.byteLength(`${lines.join('\n')}\n`) });
  }
  return requests;
}

/** Scans with a worker script that cannot start: every file must come back once, in order, as an in-process scan gives it. */
async function expectEveryFileOnceInProcess(requests: ReturnType<typeof corpus>, options: { scanOnCallingThread?: boolean }): Promise<void> {
  const results: number[] = [];
  await scanFiles(requests, { workerScript: pathToFileURL('/nonexistent/worker.mjs'), minParallelBytes: 0, maxWorkers: 2, ...options }, (r, i) => results.push(i, eventsOf(r).length));
  const expected: number[] = [];
  requests.forEach((request, i) => expected.push(i, eventsOf(scanFile(request)).length));
  expect(results).toEqual(expected);
}

describe('scanFile', () => {
  it('keeps one event per response within a file, the fullest line', () => {
    const root = tempDir();
    const path = writeTranscript(root, '-p/s.jsonl', [
      usageLine({ at: '2026-11-01T10:00:00Z', messageId: 'a', requestId: 'r', output: 3 }),
      usageLine({ at: '2026-11-01T10:00:01Z', messageId: 'a', requestId: 'r', output: 9 }),
      usageLine({ at: '2026-11-01T10:00:02Z', messageId: 'a', requestId: 'r', output: 4 }),
    ]);
    const result = scanFile({ path, fromOffset: 0, toOffset: 10_000_000 });
    expect(eventsOf(result).map((e) => [e.key, e.output, e.ms])).toEqual([['a:r', 9, Date.parse('2026-11-01T10:00:01Z')]]);
  });

  it('fingerprints what it read as fingerprintAt does, whether the bytes are still in memory or not', () => {
    const [request] = corpus(30).slice(-1);
    const { path, toOffset } = request!;
    expect(toOffset).toBeGreaterThan(20_000);
    for (const chunkBytes of [1000, 7000, 1 << 20]) {
      for (const fromOffset of [0, 5000]) {
        // Stop inside a line too: the fingerprint covers the complete lines only.
        for (const end of [toOffset, toOffset - 40]) {
          const read = readLinesFrom(path, fromOffset, end, () => undefined, { chunkBytes, fingerprint: true });
          expect(read.fingerprint).toBe(fingerprintAt(path, read.offset));
        }
      }
    }
    expect(scanFile(request!).fingerprint).toBe(fingerprintAt(path, toOffset));
  });

  it('reports a vanished file as an error result instead of throwing', () => {
    const result = scanFile({ path: '/nonexistent/x.jsonl', fromOffset: 0, toOffset: 10 });
    expect(result.error).toMatch(/cannot read \/nonexistent\/x\.jsonl: ENOENT/);
  });
});

describe('scanFiles', () => {
  it('takes worker threads where they pay: from 48 MB for a caller that must stay free, from 384 MB when its own thread scans', () => {
    const MB = 1024 * 1024;
    expect([47, 48, 383, 384].map((mb) => scansInParallel(mb * MB, {}))).toEqual([false, true, true, true]);
    expect([47, 48, 383, 384, 1000].map((mb) => scansInParallel(mb * MB, { scanOnCallingThread: true }))).toEqual([false, false, false, true, true]);
    expect(scansInParallel(0, { scanOnCallingThread: true, minParallelBytes: 0 })).toBe(true);
  });

  it('gives the same results, in request order, with worker threads as in-process', async () => {
    const requests = corpus(9);
    const inline: unknown[] = [];
    // Workers send events packed (one transferred Float64Array); unpacked, they are the same events.
    const comparable = (r: FileScanResult) => ({ ...r, events: eventsOf(r), packed: undefined });
    await scanFiles(requests, {}, (r, i) => inline.push([i, comparable(r)]));
    const threaded: unknown[] = [];
    await scanFiles(requests, { workerScript: pathToFileURL(WORKER), minParallelBytes: 0, maxWorkers: 2 }, (r, i) => {
      expect(r.packed).toBeDefined();
      threaded.push([i, comparable(r)]);
    });
    expect(threaded).toEqual(inline);
    expect(inline).toHaveLength(9);
  });

  it('gives the same results, in request order, when a worker posts several to a message', async () => {
    // Many small files: a worker's batch holds more results than one message carries (16).
    const root = tempDir();
    const requests = Array.from({ length: 80 }, (_, f) => {
      const lines = Array.from({ length: 4 }, (_, i) => usageLine({ at: new Date(Date.UTC(2026, 10, 1, 0, f, i)).toISOString(), messageId: `m${f}-${i}`, output: f + i }));
      return { path: writeTranscript(root, `-p/s${f}.jsonl`, lines), fromOffset: 0, toOffset: Buffer.byteLength(`${lines.join('\n')}\n`) };
    });
    const comparable = (r: FileScanResult) => ({ ...r, events: eventsOf(r), packed: undefined });
    const inline: unknown[] = [];
    await scanFiles(requests, {}, (r, i) => inline.push([i, comparable(r)]));
    const threaded: unknown[] = [];
    await scanFiles(requests, { workerScript: pathToFileURL(WORKER), minParallelBytes: 0, maxWorkers: 2 }, (r, i) => threaded.push([i, comparable(r)]));
    expect(threaded).toEqual(inline);
    expect(inline).toHaveLength(80);
  });

  it('gives the same results, in request order, when the calling thread scans beside a worker', async () => {
    const requests = corpus(12);
    const comparable = (r: FileScanResult) => ({ ...r, events: eventsOf(r), packed: undefined });
    const inline: unknown[] = [];
    await scanFiles(requests, {}, (r, i) => inline.push([i, comparable(r)]));
    const shared: unknown[] = [];
    let fromWorker = 0;
    await scanFiles(requests, { workerScript: pathToFileURL(WORKER), minParallelBytes: 0, maxWorkers: 2, scanOnCallingThread: true }, (r, i) => {
      if (r.packed) fromWorker++;
      shared.push([i, comparable(r)]);
    });
    expect(shared).toEqual(inline);
    // The worker took part (its results come packed).
    expect(fromWorker).toBeGreaterThan(0);
  });

  it('falls back to in-process scanning when a worker cannot start', async () => {
    const requests = corpus(3);
    await expectEveryFileOnceInProcess(requests, {});
  });

  it('delivers every file once when a worker cannot start while the calling thread scans', async () => {
    const requests = corpus(5);
    await expectEveryFileOnceInProcess(requests, { scanOnCallingThread: true });
  });
});

describe('prestartScanWorkers', () => {
  /** Real workers that note what happens to them. */
  function recordingWorkers() {
    const seen: { batches: number; exited: Promise<number> }[] = [];
    class RecordingWorker extends Worker {
      constructor(...args: ConstructorParameters<typeof Worker>) {
        super(...args);
        const record = { batches: 0, exited: new Promise<number>((resolve) => this.once('exit', resolve)) };
        seen.push(record);
        const post = this.postMessage.bind(this);
        this.postMessage = (value: unknown, transfer?: readonly import('node:worker_threads').TransferListItem[]) => {
          record.batches++;
          post(value, transfer);
        };
      }
    }
    return { RecordingWorker, seen };
  }

  it('hands the started worker to the next big scan, which gives the same results', async () => {
    const requests = corpus(12);
    const comparable = (r: FileScanResult) => ({ ...r, events: eventsOf(r), packed: undefined });
    const inline: unknown[] = [];
    await scanFiles(requests, {}, (r, i) => inline.push([i, comparable(r)]));
    const { RecordingWorker, seen } = recordingWorkers();
    prestartScanWorkers(RecordingWorker, { workerScript: pathToFileURL(WORKER), maxWorkers: 2, scanOnCallingThread: true });
    // Online before the scan starts, as in a CLI run: the 'online' event is not there to be heard again.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const shared: unknown[] = [];
    await scanFiles(requests, { workerScript: pathToFileURL(WORKER), minParallelBytes: 0, maxWorkers: 2, scanOnCallingThread: true }, (r, i) => shared.push([i, comparable(r)]));
    expect(shared).toEqual(inline);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.batches).toBeGreaterThan(0);
    await seen[0]!.exited;
  });

  it('ends a started worker that the scan turns out not to need', async () => {
    const { RecordingWorker, seen } = recordingWorkers();
    prestartScanWorkers(RecordingWorker, { workerScript: pathToFileURL(WORKER), maxWorkers: 2, scanOnCallingThread: true });
    const results: number[] = [];
    // Small: scanned in-process.
    await scanFiles(corpus(2), { workerScript: pathToFileURL(WORKER), maxWorkers: 2, scanOnCallingThread: true }, (r, i) => results.push(i));
    expect(results).toEqual([0, 1]);
    expect(seen[0]!.batches).toBe(0);
    await expect(seen[0]!.exited).resolves.toBeTypeOf('number');
  });

  it('scans in-process when the started worker failed before anyone listened', async () => {
    const { RecordingWorker } = recordingWorkers();
    prestartScanWorkers(RecordingWorker, { workerScript: pathToFileURL('/nonexistent/worker.mjs'), maxWorkers: 2, scanOnCallingThread: true });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const requests = corpus(4);
    await expectEveryFileOnceInProcess(requests, { scanOnCallingThread: true });
  });
});
