// Packaging: the app id is one id everywhere, Linux ships a deb (needing
// notify-send) beside the AppImage, and the scan worker runs from the
// unpacked folder a packaged app loads it from.
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { APP_ID } from '../../src/core/alerts/desktop-notifier.js';
import { type FileScanResult, scanFile } from '../../src/core/ingest/file-scan.js';
import { eventsOf } from '../../src/core/ingest/packed-events.js';
import { unpackedPath } from '../../src/core/integration/hook-commands.js';
import { makeTempDir } from '../support/temp-repo.js';
import { tempDir, usageLine, writeTranscript } from '../support/usage-lines.js';
import { ROOT } from './boot-harness.js';

const builder = load(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as Record<string, any>;

describe('electron-builder.yml', () => {
  it('uses the app id the AppUserModelId and the toasts use', () => {
    expect(builder.appId).toBe(APP_ID);
  });

  it('builds a deb that depends on libnotify-bin, and keeps the AppImage', () => {
    expect(builder.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(builder.deb.depends).toContain('libnotify-bin');
  });

  it('unpacks the scan worker, the assets and node-notifier', () => {
    expect(builder.asarUnpack).toEqual(expect.arrayContaining(['dist/main/scan-worker.mjs', 'assets/**', 'node_modules/node-notifier/**']));
  });

  it("unpacks the hook bundle Claude Code runs, with every package it loads at run time and theirs", () => {
    expect(builder.asarUnpack).toContain('dist/cli/breather-hook.mjs');
    // What the bundle leaves to run-time lookup (createRequire) must be findable from the unpacked folder.
    const bundle = readFileSync(join(ROOT, 'dist/cli/breather-hook.mjs'), 'utf8');
    const looked = ['write-file-atomic'].filter((name) => bundle.includes(`"${name}"`) || bundle.includes(`'${name}'`));
    expect(looked).toEqual(['write-file-atomic']);
    const closure = new Set<string>();
    const visit = (name: string): void => {
      if (closure.has(name)) return;
      closure.add(name);
      const pkg = JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
      for (const dep of Object.keys(pkg.dependencies ?? {})) visit(dep);
    };
    looked.forEach(visit);
    for (const name of closure) expect(builder.asarUnpack).toContain(`node_modules/${name}/**`);
  });
});

describe('the packaged layout', () => {
  it('maps a path inside app.asar to the unpacked copy', () => {
    expect(unpackedPath('/opt/Breather/resources/app.asar/dist/main/scan-worker.mjs')).toBe('/opt/Breather/resources/app.asar.unpacked/dist/main/scan-worker.mjs');
    expect(unpackedPath('C:\\Breather\\resources\\app.asar\\assets\\icon.png')).toBe('C:\\Breather\\resources\\app.asar.unpacked\\assets\\icon.png');
    expect(unpackedPath('/home/dev/breather/dist/main/scan-worker.mjs')).toBe('/home/dev/breather/dist/main/scan-worker.mjs');
  });

  it('the built scan worker runs from app.asar.unpacked with nothing beside it', async () => {
    const unpacked = join(makeTempDir('breather-pkg-'), 'resources', 'app.asar.unpacked', 'dist', 'main');
    mkdirSync(unpacked, { recursive: true });
    const script = join(unpacked, 'scan-worker.mjs');
    copyFileSync(join(ROOT, 'dist/main/scan-worker.mjs'), script);
    const root = tempDir();
    const lines = Array.from({ length: 12 }, (_, i) => usageLine({ at: new Date(Date.UTC(2026, 10, 1, 9, i)).toISOString(), messageId: `m${i}`, requestId: 'r', input: i, output: 2 * i }));
    const path = writeTranscript(root, '-p/s.jsonl', lines);
    const request = { path, fromOffset: 0, toOffset: 10_000_000 };
    const worker = new Worker(script);
    const result = await new Promise<FileScanResult>((resolve, reject) => {
      worker.on('message', (message: { type: string; result?: FileScanResult }) => message.type === 'result' && resolve(message.result!));
      worker.once('error', reject);
      worker.postMessage([request]);
    });
    await worker.terminate();
    // Events travel packed from a worker: unpacked, they are what an in-process scan finds.
    const inProcess = scanFile(request);
    expect(eventsOf(result)).toEqual(eventsOf(inProcess));
    expect(eventsOf(inProcess)).toHaveLength(lines.length);
    expect({ ...result, packed: undefined }).toEqual({ ...inProcess, packed: undefined });
  });
});
