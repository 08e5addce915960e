// The layers import in one direction only. This reads every import in src/
// and fails on an edge the architecture forbids.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');
type Layer = 'shared' | 'core' | 'cli' | 'main' | 'preload' | 'renderer';

const ALLOWED: Record<Layer, Layer[]> = {
  shared: [],
  core: ['shared'],
  cli: ['core', 'shared'],
  main: ['core', 'shared'],
  preload: ['shared'],
  renderer: ['shared'],
};
// Packages a layer may not touch even though they are installed.
const FORBIDDEN_PACKAGES: Record<Layer, RegExp | null> = {
  shared: /^(electron|chokidar|node-notifier|electron-store|conf)$/,
  core: /^electron/,
  cli: /^electron/,
  main: null,
  preload: /^(?!electron$).*/, // only electron (contextBridge, ipcRenderer), plus our shared types
  renderer: /^(?!(zod\/mini|uplot)$).*/, // no Node, no Electron: types from shared only (zod/mini for the schema, uplot for the charts)
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx|mts)$/.test(name) ? [full] : [];
  });
}

function layerOf(file: string): Layer {
  return relative(SRC, file).split(sep)[0] as Layer;
}

export function importsOf(code: string): { specifier: string; typeOnly: boolean }[] {
  const found: { specifier: string; typeOnly: boolean }[] = [];
  const pattern = /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of code.matchAll(pattern)) {
    const specifier = m[3] ?? m[4] ?? m[5];
    if (specifier) found.push({ specifier, typeOnly: Boolean(m[2]) });
  }
  return found;
}

const files = sourceFiles(SRC);
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

describe('layer boundaries', () => {
  it('finds the source tree', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it('the import reader sees static, type, dynamic and require imports', () => {
    const sample = `import a from 'x';\nimport type { B } from "../core/y.js";\nexport { c } from './z.js';\nconst d = await import('chokidar');\nconst e = require('cli-table3');`;
    expect(importsOf(sample)).toEqual([
      { specifier: 'x', typeOnly: false },
      { specifier: '../core/y.js', typeOnly: true },
      { specifier: './z.js', typeOnly: false },
      { specifier: 'chokidar', typeOnly: false },
      { specifier: 'cli-table3', typeOnly: false },
    ]);
  });

  for (const file of files) {
    const layer = layerOf(file);
    it(`${relative(SRC, file)} imports only what ${layer} may`, () => {
      const violations: string[] = [];
      for (const { specifier, typeOnly } of importsOf(readFileSync(file, 'utf8'))) {
        if (specifier.startsWith('.')) {
          const target = resolve(dirname(file), specifier);
          if (!target.startsWith(SRC + sep)) {
            violations.push(`${specifier} leaves src/`);
            continue;
          }
          const targetLayer = layerOf(target);
          if (targetLayer !== layer && !ALLOWED[layer].includes(targetLayer)) violations.push(`${specifier} (${targetLayer})`);
          if (layer === 'renderer' && targetLayer === 'shared' && !typeOnly && !/ipc|contract/.test(specifier)) {
            // The renderer takes types from shared; runtime values only from the IPC contract.
            violations.push(`${specifier} (runtime import from shared)`);
          }
        } else if (builtins.has(specifier)) {
          if (layer === 'shared' || layer === 'renderer' || layer === 'preload') violations.push(`${specifier} (Node built-in)`);
        } else {
          const forbidden = FORBIDDEN_PACKAGES[layer];
          if (forbidden && !typeOnly && forbidden.test(specifier)) violations.push(`${specifier} (package)`);
        }
      }
      expect(violations).toEqual([]);
    });
  }
});

// zod/mini only: classic zod (or its 40-locale index) in the CLI bundle costs
// every command ~20 ms of start-up. src/shared/zod.ts adds the English messages,
// so schemas import zod through it; the renderer (no runtime imports from
// shared) may set zod/mini's config directly.
describe('zod imports', () => {
  const ZOD_ENTRY = join(SRC, 'shared', 'zod.ts');
  const allowed = (file: string, specifier: string) => file === ZOD_ENTRY || (layerOf(file) === 'renderer' && specifier === 'zod/mini');
  it('go through src/shared/zod.ts (zod/mini with English messages)', () => {
    const violations = files.flatMap((file) =>
      importsOf(readFileSync(file, 'utf8'))
        .filter(({ specifier }) => /^zod(\/|$)/.test(specifier) && !allowed(file, specifier))
        .map(({ specifier }) => `${relative(SRC, file)}: ${specifier}`),
    );
    expect(files).toContain(ZOD_ENTRY);
    expect(violations).toEqual([]);
  });
});
