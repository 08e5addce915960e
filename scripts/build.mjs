// Bundles our own code with esbuild; npm packages stay external so their
// native parts and vendored binaries (node-notifier) resolve as installed.
import { existsSync } from 'node:fs';
import { chmod, rm } from 'node:fs/promises';
import { build } from 'esbuild';

const only = process.argv[2]; // optional: "cli" or "bench"

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
  outdir: 'dist',
  format: 'esm',
  outExtension: { '.js': '.mjs' },
  banner: { js: '#!/usr/bin/env node' },
  // jsonc-parser's main build is UMD with run-time requires esbuild cannot follow: bundle its ESM build.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
};

if (!only) await rm('dist', { recursive: true, force: true });

// For ES module bundles run by Node: a require() for the CommonJS bundled in
// them and for core's own (write-file-atomic, at the first write), and the
// __filename write-file-atomic names its temp files after.
const ESM_REQUIRE_BANNER = [
  '#!/usr/bin/env node',
  "import __breatherModule, { createRequire as __breatherCreateRequire } from 'node:module';",
  'const require = __breatherCreateRequire(import.meta.url);',
  'const __filename = new URL(import.meta.url).pathname;',
].join('\n');

// Our schemas use zod/mini with its English messages only (src/shared/zod.ts):
// classic zod or its ~40-locale index in a bundle would add 150–190 KB that
// every start parses. Fail the build if an import brings either back.
function checkZodInputs({ metafile }) {
  // Files esbuild read but tree-shook away have no bytes in any output.
  const bundled = Object.values(metafile.outputs).flatMap((output) => Object.keys(output.inputs).filter((file) => output.inputs[file].bytesInOutput > 0));
  const unwanted = bundled.filter((file) => /[\\/]zod[\\/]v4[\\/](classic[\\/]|locales[\\/](?!en\.js$))/.test(file));
  if (unwanted.length > 0) throw new Error(`classic zod or a non-English zod locale got bundled (import zod through src/shared/zod.ts):\n  ${unwanted.join('\n  ')}`);
}

if (!only || only === 'cli') {
  // The CLI and its scan worker.
  const cliBundle = {
    ...common,
    // Start-up time is a feature (a warm `status` should take well under 0.3 s):
    // Node's loader pays per file, so the packages every command needs (commander,
    // zod) go into the bundle. Those loaded on demand stay external: chokidar and
    // conf (watch, config set), node-notifier (vendored binaries beside it),
    // cli-table3 (CommonJS, required when first used). write-file-atomic goes inside: through
    // Node's CommonJS loader it cost 7-11 ms of every run that saves, bundled nothing measurable.
    packages: undefined,
    external: ['chokidar', 'conf', 'node-notifier', 'cli-table3'],
    // Less to parse at every start; the linked source map keeps stack traces readable.
    minify: true,
    // Node's compile cache (22.1+; a no-op before) also covers the modules loaded later and the scan workers.
    banner: { js: `${ESM_REQUIRE_BANNER}\n__breatherModule.enableCompileCache?.();` },
  };
  // The entry (dist/cli/breather.mjs) starts a first run's scan worker, then
  // runs the program from V8's code cache (src/cli/compiled-program.ts): a
  // script V8 compiles, so the program is CommonJS, in one file, with its
  // dynamic import()s as require()s (V8 has no module loader for a plain script).
  await build({ ...cliBundle, entryPoints: { 'cli/breather': 'src/cli/cli-entry.ts' } });
  checkZodInputs(await build({
    ...cliBundle,
    metafile: true,
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
    supported: { 'dynamic-import': false },
    define: { 'import.meta.url': '__breatherImportMetaUrl' },
    banner: { js: "const __breatherImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    entryPoints: { 'cli/breather-program': 'src/cli/breather.ts' },
  }));
  await chmod('dist/cli/breather.mjs', 0o755);
  // The scan worker apart, in one file: a worker starts by loading one module.
  await build({ ...cliBundle, entryPoints: { 'cli/scan-worker': 'src/core/ingest/scan-worker.ts' } });
  // The bundle Claude Code runs on every message and tool call (statusline
  // bridge, hooks): its own small file, no commander, no zod.
  await build({
    ...common,
    // write-file-atomic and its two small dependencies go inside: one file to load.
    packages: undefined,
    minify: true,
    banner: { js: ESM_REQUIRE_BANNER },
    entryPoints: { 'cli/breather-hook': 'src/cli/breather-hook.ts' },
  });
  await chmod('dist/cli/breather-hook.mjs', 0o755);
}

// `npm run screenshots`: the page and icon renderer (dev only, not part of a normal build).
if (only === 'screenshots') {
  await build({ ...common, banner: {}, outdir: 'dist/screenshots', entryPoints: { screenshots: 'scripts/screenshots.ts' } });
}

if ((!only || only === 'bench') && existsSync('bench/bench.ts')) {
  await build({
    ...common,
    banner: { js: ESM_REQUIRE_BANNER },
    entryPoints: { 'bench/bench': 'bench/bench.ts' },
  });
}

// The tray app: main and preload as CommonJS for Electron, the pages as
// browser scripts. Main bundles core and its npm packages (ESM-only ones such
// as electron-store and chokidar included) so only `electron` and the
// packages core loads at run time (node-notifier, write-file-atomic) stay outside.
if (!only || only === 'app') {
  const { cp, mkdir } = await import('node:fs/promises');
  const cjs = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'linked',
    alias: common.alias,
    logLevel: 'warning',
    outExtension: { '.js': '.cjs' },
    // Core uses import.meta.url (createRequire, sibling files): give the CJS bundle one.
    define: { 'import.meta.url': '__breatherImportMetaUrl' },
    banner: { js: "require('node:module').enableCompileCache?.();\nconst __breatherImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  };
  checkZodInputs(await build({ ...cjs, metafile: true, outdir: 'dist/main', entryPoints: { main: 'src/main/main.ts' }, external: ['electron', 'node-notifier', 'write-file-atomic'] }));
  // The parallel first scan's worker, beside main.
  await build({ ...common, banner: {}, outdir: 'dist/main', entryPoints: { 'scan-worker': 'src/core/ingest/scan-worker.ts' } });
  // The preload needs only the contract's channel lists: let esbuild drop the
  // settings schema (and zod) that the contract re-exports for the pages.
  const schemaFree = {
    name: 'schema-free',
    setup(b) {
      b.onResolve({ filter: /\/settings\.js$/ }, async (args) => {
        if (args.pluginData === 'schema-free') return undefined;
        const resolved = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'schema-free' });
        return { ...resolved, sideEffects: false };
      });
    },
  };
  const { define: _define, banner: _banner, ...preloadOptions } = cjs; // a sandboxed preload may require only electron
  await build({ ...preloadOptions, outdir: 'dist/preload', entryPoints: { preload: 'src/preload/preload.ts' }, external: ['electron'], plugins: [schemaFree] });
  checkZodInputs(await build({
    bundle: true,
    platform: 'browser',
    metafile: true,
    target: 'chrome130',
    format: 'iife',
    sourcemap: 'linked',
    logLevel: 'warning',
    outdir: 'dist/renderer',
    entryPoints: { popover: 'src/renderer/popover.ts', settings: 'src/renderer/settings.ts' },
  }));
  await mkdir('dist/renderer', { recursive: true });
  for (const file of ['popover.html', 'settings.html', 'styles.css']) await cp(`src/renderer/${file}`, `dist/renderer/${file}`);
  // uPlot's stylesheet, linked as a file: the pages' CSP allows no inline styles.
  await cp('node_modules/uplot/dist/uPlot.min.css', 'dist/renderer/uPlot.min.css');
}
