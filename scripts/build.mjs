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
};

if (!only) await rm('dist', { recursive: true, force: true });

if (!only || only === 'cli') {
  await build({
    ...common,
    entryPoints: {
      'cli/headroom': 'src/cli/headroom.ts',
      'cli/scan-worker': 'src/core/ingest/scan-worker.ts',
    },
  });
  await chmod('dist/cli/headroom.mjs', 0o755);
}

if ((!only || only === 'bench') && existsSync('bench/bench.ts')) {
  await build({ ...common, entryPoints: { 'bench/bench': 'bench/bench.ts' } });
}
