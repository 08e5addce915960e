import { builtinModules } from 'node:module';
// Packaging: the app id is one id everywhere, Linux ships a deb (needing
// notify-send) beside the AppImage, and the scan worker runs from the
// unpacked folder a packaged app loads it from.
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
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

  it('unpacks the hook bundle Claude Code runs, which needs no package from outside it', () => {
    expect(builder.asarUnpack).toContain('dist/cli/breather-hook.mjs');
    // Claude Code runs it as its own process, outside the app: it may load Node's built-ins and nothing else.
    const bundle = readFileSync(join(ROOT, 'dist/cli/breather-hook.mjs'), 'utf8');
    // ESM imports, dynamic imports, a require made by createRequire (`…(import.meta.url)("name")`),
    // and the CommonJS inside calling esbuild's require shim (minified: `var k=(t=>typeof require…`).
    const shim = /var ([\w$]+)=\(\w+=>typeof require<"u"\?require/.exec(bundle)?.[1];
    expect(shim).toBeDefined();
    const calls = new RegExp(`(?:\\brequire\\(|from ?|import\\(|\\)\\(|[^\\w$]${shim!.replace('$', '\\$')}\\()["']([^"']+)["']`, 'g');
    const loaded = [...bundle.matchAll(calls)].map((m) => m[1]!);
    // write-file-atomic's own requires of fs, path and worker_threads are among them.
    expect(loaded).toEqual(expect.arrayContaining(['fs', 'worker_threads', 'node:fs']));
    expect(loaded.filter((name) => !name.startsWith('node:') && !builtinModules.includes(name))).toEqual([]);
  });
});

describe('the built ES module bundles', () => {
  it('define require() wherever esbuild left a require call in them (core requires write-file-atomic at first write)', () => {
    const bundles = ['cli', 'main', 'bench'].flatMap((dir) => {
      const folder = join(ROOT, 'dist', dir);
      return existsSync(folder) ? readdirSync(folder).filter((name) => name.endsWith('.mjs')).map((name) => join(folder, name)) : [];
    });
    const withShim = bundles.filter((path) => readFileSync(path, 'utf8').includes('Dynamic require of "'));
    const names = withShim.map((path) => path.slice(ROOT.length + 1));
    expect(names).toContain('dist/cli/breather-hook.mjs');
    // The CLI's entry requires write-file-atomic when it saves the program's code cache.
    expect(names).toContain('dist/cli/breather.mjs');
    for (const path of withShim) expect(readFileSync(path, 'utf8').slice(0, 600), path).toMatch(/const require = /);
  });
});

describe('the CLI entry', () => {
  const entry = readFileSync(join(ROOT, 'dist/cli/breather.mjs'), 'utf8');
  const program = readFileSync(join(ROOT, 'dist/cli/breather-program.cjs'), 'utf8');

  it('is small, and starts a first run\'s scan worker before it loads the program', () => {
    expect(entry.length).toBeLessThan(24 * 1024);
    // Node's built-ins only: the worker's start and the code cache are in the entry itself.
    const staticImports = [...entry.matchAll(/\bimport\s*(?:[\w${},\s*]+from\s*)?["']([^"']+)["']/g)].map((m) => m[1]!);
    expect(staticImports.filter((name) => !name.startsWith('node:'))).toEqual([]);
    expect(entry).toContain('breather-program.cjs');
    expect(program.length).toBeGreaterThan(100 * 1024);
  });

  it('gets a program that runs as a plain script: CommonJS, and no import() (a script compiled by node:vm has no module loader)', () => {
    expect(program.startsWith('const __breatherImportMetaUrl = require(')).toBe(true);
    expect(program).not.toMatch(/\bimport\(/);
    expect(program).not.toMatch(/\bimport\.meta\b/);
    // What the dynamic imports became: loaded when first used, through require.
    expect(program).toMatch(/require\("node:worker_threads"\)/);
    expect(program).toMatch(/require\("chokidar"\)/);
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
      worker.on('message', (message: { type: string; results?: FileScanResult[] }) => message.type === 'results' && resolve(message.results![0]!));
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
