import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_COMMANDS } from '../../src/cli/command-names.js';
import { buildProgram } from '../../src/cli/breather.js';
import { codeCacheDir, codeCacheRuntime, commandVariant, loadCompiledProgram } from '../../src/cli/compiled-program.js';
import { SCANNING_COMMANDS } from '../../src/cli/scan-threads.js';

interface Probe {
  answer(n: number): number;
  strict: boolean;
  filename: string;
  dirname: string;
  sibling: string;
  os: string;
}

// A small CommonJS program, as the build makes breather-program.cjs.
const PROGRAM = [
  "const { platform } = require('node:os');",
  "const sibling = require('./sibling.cjs');",
  'function isStrict() { return this === undefined; }',
  'exports.answer = (n) => n * 2 + sibling.offset;',
  'exports.strict = isStrict();',
  'exports.filename = __filename;',
  'exports.dirname = __dirname;',
  'exports.sibling = sibling.name;',
  'exports.os = platform();',
].join('\n');

let dir: string;
let file: string;
let cache: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'breather-compiled-'));
  file = join(dir, 'program.cjs');
  cache = join(dir, 'cache');
  mkdirSync(cache);
  writeFileSync(file, PROGRAM);
  writeFileSync(join(dir, 'sibling.cjs'), "exports.offset = 1; exports.name = 'sibling';");
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

const cacheFiles = () => readdirSync(cache);

describe('loadCompiledProgram', () => {
  it('runs a CommonJS file as Node would: exports, require beside it, __filename, __dirname, strict mode', () => {
    const loaded = loadCompiledProgram<Probe>(file, { dir: cache, variant: 'status' });
    expect(loaded.exports.answer(20)).toBe(41);
    expect(loaded.exports.strict).toBe(true);
    expect(loaded.exports.filename).toBe(file);
    expect(loaded.exports.dirname).toBe(dir);
    expect(loaded.exports.sibling).toBe('sibling');
    expect(loaded.exports.os).toBe(process.platform);
  });

  // Whether V8 takes a saved cache is for separate processes to show (a process
  // compiling the same source twice gets it from V8's own in-memory cache):
  // test/cli/code-cache-cli.test.ts runs the built CLI for that.
  it('saves the compiled code, user-only, when there was none', () => {
    const first = loadCompiledProgram<Probe>(file, { dir: cache, variant: 'status' });
    expect(first.cache).toBe('missing');
    expect(cacheFiles()).toEqual([]);
    first.exports.answer(1);
    first.saveCodeCache();
    const [saved] = cacheFiles();
    expect(saved).toMatch(/^status-[0-9a-f]+-[0-9a-f]+-\d+\.bin$/);
    if (process.platform !== 'win32') expect(statSync(join(cache, saved!)).mode & 0o777).toBe(0o600);
    expect(statSync(join(cache, saved!)).size).toBeGreaterThan(0);
  });

  it('keeps one cache per variant, and per program file', () => {
    loadCompiledProgram<Probe>(file, { dir: cache, variant: 'status' }).saveCodeCache();
    loadCompiledProgram<Probe>(file, { dir: cache, variant: 'blocks' }).saveCodeCache();
    expect(cacheFiles().map((name) => name.split('-')[0]).sort()).toEqual(['blocks', 'status']);
    // Another install of the program (elsewhere) keeps its own, and leaves these be.
    const elsewhere = join(dir, 'other-install.cjs');
    writeFileSync(elsewhere, PROGRAM);
    loadCompiledProgram<Probe>(elsewhere, { dir: cache, variant: 'status' }).saveCodeCache();
    expect(cacheFiles()).toHaveLength(3);
  });

  it('never looks at a cache made for other source, even of the same length (V8 checks only the length)', () => {
    loadCompiledProgram<Probe>(file, { dir: cache, variant: 'status' }).saveCodeCache();
    writeFileSync(file, PROGRAM.replace('n * 2', 'n * 3'));
    const changed = loadCompiledProgram<Probe>(file, { dir: cache, variant: 'status' });
    expect(changed.cache).toBe('missing');
    expect(changed.exports.answer(20)).toBe(61);
    // The earlier build's cache for this command goes when the new one is saved.
    const [old] = cacheFiles();
    changed.saveCodeCache();
    expect(cacheFiles()).toHaveLength(1);
    expect(cacheFiles()[0]).not.toBe(old);
  });

  it('runs without a cache when it has no folder for one, or an unsafe variant name', () => {
    for (const options of [{ dir: null, variant: 'status' }, { dir: cache, variant: '../escape' }]) {
      const loaded = loadCompiledProgram<Probe>(file, options);
      expect(loaded.cache).toBe('off');
      expect(loaded.exports.answer(1)).toBe(3);
      loaded.saveCodeCache();
    }
    expect(cacheFiles()).toEqual([]);
    expect(existsSync(join(dir, 'escape'))).toBe(false);
  });
});

describe('codeCacheDir', () => {
  it("makes a folder only this user may use, per Node and V8 version and architecture", () => {
    const found = codeCacheDir(dir);
    expect(found).not.toBeNull();
    expect(found!.endsWith(codeCacheRuntime())).toBe(true);
    expect(codeCacheRuntime()).toContain(process.versions.v8);
    if (process.platform !== 'win32') expect(statSync(join(found!, '..')).mode & 0o777).toBe(0o700);
    expect(codeCacheDir(dir)).toBe(found);
  });

  it.skipIf(process.platform === 'win32')('refuses a folder others can write to (a shared /tmp)', () => {
    const found = codeCacheDir(dir)!;
    chmodSync(join(found, '..'), 0o777);
    expect(codeCacheDir(dir)).toBeNull();
  });
});

describe('commandVariant', () => {
  it('names the command the run asks for, with anything else as "other"', () => {
    expect(commandVariant(['node', 'breather', 'blocks', '--json'], CLI_COMMANDS)).toBe('blocks');
    expect(commandVariant(['node', 'breather', '--json', 'status'], CLI_COMMANDS)).toBe('status');
    expect(commandVariant(['node', 'breather', '--version'], CLI_COMMANDS)).toBe('none');
    expect(commandVariant(['node', 'breather', 'frobnicate'], CLI_COMMANDS)).toBe('other');
  });

  it('knows every command the program defines', () => {
    const defined = buildProgram().commands.map((command) => command.name());
    expect([...CLI_COMMANDS].filter((name) => name !== 'help').sort()).toEqual([...defined].sort());
    for (const name of SCANNING_COMMANDS) expect(CLI_COMMANDS.has(name)).toBe(true);
  });
});
