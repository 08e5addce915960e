// The WebAssembly line scanner is committed as base64 (line-scanner-wasm.ts),
// so installing needs no C compiler. Where clang and wasm-ld are installed (CI
// installs them), the committed module must be exactly what line-scanner.c
// compiles to: an edit to the C that was not rebuilt fails here.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JavaScript build script, without types
import { compileLineScanner, lineScannerModuleText } from '../../scripts/build-wasm.mjs';
import { LINE_SCANNER_WASM_BASE64 } from '../../src/core/ingest/wasm/line-scanner-wasm.js';

const ROOT = resolve(import.meta.dirname, '../..');

function installed(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const hasCompiler = (installed('clang-14') || installed('clang')) && (installed('wasm-ld-14') || installed('wasm-ld'));

describe('the committed WebAssembly line scanner', () => {
  it('is a valid module with the exports the loader reads', () => {
    const module = new WebAssembly.Module(Buffer.from(LINE_SCANNER_WASM_BASE64, 'base64'));
    const names = WebAssembly.Module.exports(module).map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining(['memory', 'dataAt', 'dataBytes', 'recordsAt', 'tokensAt', 'recordCount', 'maxRecords', 'scanLines', 'extractLine']));
    expect(WebAssembly.Module.imports(module)).toEqual([]);
  });

  it.runIf(hasCompiler || process.env.CI)('is what line-scanner.c compiles to', () => {
    const bytes = compileLineScanner() as Buffer;
    expect(Buffer.from(LINE_SCANNER_WASM_BASE64, 'base64').equals(bytes)).toBe(true);
    expect(readFileSync(join(ROOT, 'src/core/ingest/wasm/line-scanner-wasm.ts'), 'utf8')).toBe(lineScannerModuleText(bytes));
  }, 60_000);
});
