// Where a cold scan's time goes, phase by phase, measured in this process on
// one thread (CPU time, so other work on the machine blurs it less): each pass
// does one more stage of the pipeline than the last, and the differences are
// the stages' costs. The JavaScript parser alone (what runs where WebAssembly
// cannot) is measured beside it. Also: a single huge line must not blow the
// reader's memory.
import { closeSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FileScanResult, scanFile } from '../src/core/ingest/file-scan.js';
import { IndexStore } from '../src/core/ingest/index-store.js';
import { discoverTranscripts } from '../src/core/ingest/transcript-discovery.js';
import { UsageIndex } from '../src/core/ingest/usage-index.js';
import { wasmLineScanner } from '../src/core/ingest/wasm-line-scanner.js';
import { usageLine } from '../test/support/usage-lines.js';
import { BREATHER, type RunResult, measure } from './bench-support.js';

export interface PhaseTimes {
  /** CPU milliseconds per stage, one thread. */
  discovery: number;
  read: number;
  /** The WebAssembly scanner: newlines, kinds, assistant lines' fields, settled responses counted in its table. */
  lineScan: number;
  /** JavaScript: the lines handed back, the table's strings, cost, packing. */
  count: number;
  aggregate: number;
  indexSave: number;
  /** Read through count: the single-thread scan rate. */
  scanMBps: number;
  /** The same with the JavaScript parser alone. */
  jsScanMBps: number;
  bytes: number;
}

const CHUNK = 4 * 1024 * 1024;

function cpuMs(run: () => void): number {
  // Twice: the first pass warms the JIT and the page cache; the second is reported.
  run();
  const before = process.cpuUsage();
  run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

function eachChunk(path: string, size: number, buffer: Buffer, onChunk: (view: Buffer) => void): void {
  const fd = openSync(path, 'r');
  try {
    for (let position = 0; position < size; ) {
      const n = readSync(fd, buffer, 0, Math.min(CHUNK, size - position), position);
      if (n === 0) break;
      position += n;
      onChunk(buffer.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
}

export async function measurePhases(root: string): Promise<PhaseTimes> {
  let files: { path: string; size: number }[] = [];
  const discovery = cpuMs(() => {
    void discoverTranscripts([root]).then((d) => (files = d.files.map((f) => ({ path: f.path, size: f.size }))));
  });
  await Promise.resolve();
  const bytes = files.reduce((sum, f) => sum + f.size, 0);
  const wasm = wasmLineScanner();
  if (!wasm) throw new Error('the WebAssembly line scanner does not run here');
  // Read where the scan reads: into the scanner's memory.
  const buffer = wasm.chunk;
  let sink = 0;
  const read = cpuMs(() => {
    for (const f of files) eachChunk(f.path, f.size, buffer, (view) => (sink += view.length));
  });
  // Lines that span chunks are rare and left out here: the stage is about the bulk of the bytes.
  const lineScanAndRead = cpuMs(() => {
    for (const f of files) {
      let fileStart = true;
      eachChunk(f.path, f.size, buffer, (view) => {
        sink += wasm.recordsOf(view.lastIndexOf(10) + 1, fileStart);
        fileStart = false;
      });
    }
  });
  // Timed without keeping the results (as a worker hands each one on), then scanned once more to keep them.
  const scan = cpuMs(() => {
    for (const f of files) sink += scanFile({ path: f.path, fromOffset: 0, toOffset: f.size }).bytesRead;
  });
  const results: FileScanResult[] = files.map((f) => scanFile({ path: f.path, fromOffset: 0, toOffset: f.size }));
  const jsScan = cpuMs(() => {
    for (const f of files) sink += scanFile({ path: f.path, fromOffset: 0, toOffset: f.size }, { wasm: false }).bytesRead;
  });
  let index = new UsageIndex();
  const packed = results.map((r) => r.packed); // as scanned (packing belongs to the scan)
  const aggregate = cpuMs(() => {
    index = new UsageIndex();
    results.forEach((r, i) => index.addPacked(index.addFile({ path: r.path, dev: 0, ino: 0, size: r.offset, mtimeMs: 0, offset: r.offset, unfinishedBytes: 0 }), packed[i]!));
  });
  const dir = mkdtempSync(join(tmpdir(), 'breather-bench-save-'));
  const before = process.cpuUsage();
  await new IndexStore(dir, [root]).save(index, null, true).written;
  const saved = process.cpuUsage(before);
  rmSync(dir, { recursive: true, force: true });
  if (sink < 0) throw new Error('unreachable');
  return {
    discovery,
    read,
    lineScan: Math.max(0, lineScanAndRead - read),
    count: Math.max(0, scan - lineScanAndRead),
    aggregate,
    indexSave: (saved.user + saved.system) / 1000,
    scanMBps: bytes / 1e6 / (scan / 1000),
    jsScanMBps: bytes / 1e6 / (jsScan / 1000),
    bytes,
  };
}

/** `daily --json` over one transcript holding a line of `mb` megabytes between two responses: its peak RSS. */
export async function measureHugeLine(mb: number, env: (state: string) => NodeJS.ProcessEnv): Promise<RunResult> {
  const scratch = mkdtempSync(join(tmpdir(), 'breather-bench-huge-'));
  try {
    const dir = join(scratch, 'claude', 'projects', '-bench-huge');
    mkdirSync(dir, { recursive: true });
    const at = '2026-11-01T10:00:00.000Z';
    const path = join(dir, 'huge.jsonl');
    writeFileSync(path, `${usageLine({ at, input: 1 })}\n{"type":"user","message":{"content":"`);
    const piece = Buffer.alloc(8 * 1024 * 1024, 'x');
    const fd = openSync(path, 'a');
    for (let written = 0; written < mb * 1_000_000; written += piece.length) writeFileSync(fd, piece);
    writeFileSync(fd, `"}}\n${usageLine({ at, input: 2 })}\n`);
    closeSync(fd);
    const state = join(scratch, 'state');
    mkdirSync(state);
    return await measure(process.execPath, [BREATHER, 'daily', '--json', '--data-dir', join(scratch, 'claude')], env(state));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
