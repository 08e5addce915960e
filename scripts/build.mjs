// Bundles our own code with esbuild; npm packages stay external so their
// native parts and vendored binaries (node-notifier) resolve as installed.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { chmod, rm } from 'node:fs/promises';

await rm('dist', { recursive: true, force: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
};

await build({
  ...common,
  entryPoints: {
    'cli/headroom': 'src/cli/headroom.ts',
    ...(existsSync('bench/bench.ts') ? { 'bench/bench': 'bench/bench.ts' } : {}),
  },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  format: 'esm',
  banner: { js: '#!/usr/bin/env node' },
});
await chmod('dist/cli/headroom.mjs', 0o755);
