// Loads the CLI's program (dist/cli/breather-program.cjs) with a V8 code cache,
// as Node 22's module.enableCompileCache() does for its own loaders (Node 20
// has none). Without one, every run parses the 350 KB program and compiles
// each function it calls on first call: 16-21 ms of a warm `status` or
// `blocks`, 13-18 ms of a first 1 GB scan in paired rounds (bench/RESULTS.md).
// A run without a usable cache compiles as before and saves one at exit (~5 ms,
// once), so the next run of the same command starts from compiled code.
//
// The cache is code this process will run, so it is kept where only this user
// can write: a folder of the temporary directory (the bench's and tests' homes
// are fresh for every run; the compiled program is not theirs) created 0700 and
// checked to be this user's own before use. V8 rejects a cache made by another
// V8 or with other flags; its own check of the source is only its length, so
// the file name also carries a CRC of the source (and one of its path).
import { fstatSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { crc32 } from 'node:zlib';
import { createRequire } from 'node:module';
import { writeFileAtomicSync } from '../core/atomic-file.js';
import { withOpenFile } from '../core/open-file.js';
import { commandOf } from './command-names.js';

export interface CompiledProgram<Exports> {
  exports: Exports;
  /** How the cache went: used, none yet (saved at exit), rejected by V8 (saved again), or no safe folder for one. */
  cache: 'used' | 'missing' | 'rejected' | 'off';
  /** Writes this run's compiled code when no cache was used (call at exit: functions compiled since loading are in it). */
  saveCodeCache(): void;
}

export interface CodeCacheOptions {
  /** The folder (codeCacheDir()); null: no cache. */
  dir: string | null;
  /** Kept apart per variant (the command): each caches the functions its own runs compile. */
  variant: string;
}

const SAFE_VARIANT = /^[a-z][a-z-]{0,31}$/;

/** Names this runtime: a cache made by one is rejected by another. */
export function codeCacheRuntime(): string {
  return `${process.version}-v8-${process.versions.v8}-${process.arch}`;
}

/** This user's code cache folder for this Node, created if missing; null where it is not safely this user's. */
export function codeCacheDir(base = tmpdir()): string | null {
  const uid = process.getuid?.();
  const root = join(base, `breather-code-cache${uid === undefined ? '' : `-${uid}`}`);
  try {
    mkdirSync(root, { recursive: true, mode: 0o700 });
    const stat = lstatSync(root);
    // Another user's folder (or a link to one) in a shared /tmp could hand us code: not used.
    if (!stat.isDirectory() || (uid !== undefined && (stat.uid !== uid || (stat.mode & 0o077) !== 0))) return null;
    // Node's version alone is not V8's: Electron running as Node (the packaged app's hooks) has its own.
    const dir = join(root, codeCacheRuntime());
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return dir;
  } catch {
    return null;
  }
}

/** The command a CLI run names (its first argument that is not an option) if it is one of `commands`, as a cache variant. */
export function commandVariant(argv: readonly string[], commands: ReadonlySet<string>): string {
  const command = commandOf(argv);
  return command === undefined ? 'none' : commands.has(command) && SAFE_VARIANT.test(command) ? command : 'other';
}

/** The cache file's bytes, or undefined when it is missing, unreadable or not a plain file of this user's. */
function readCache(path: string): Buffer | undefined {
  const bytes = withOpenFile(path, (fd) => {
    const stat = fstatSync(fd);
    const uid = process.getuid?.();
    if (!stat.isFile() || (uid !== undefined && stat.uid !== uid)) return null;
    // From the descriptor just checked, not the path again.
    return readFileSync(fd);
  });
  return bytes ?? undefined;
}

/**
 * Runs `file`, a CommonJS bundle, as Node would (module, exports, require,
 * __filename, __dirname), compiled from the code cache where one fits, and
 * returns its exports.
 */
export function loadCompiledProgram<Exports>(file: string, options: CodeCacheOptions): CompiledProgram<Exports> {
  const source = readFileSync(file, 'utf8');
  // Per program file too: two installs (a global one, a checkout) keep a cache each instead of replacing each other's at every run.
  const prefix = `${options.variant}-${crc32(file).toString(16)}-`;
  const cachePath = options.dir && SAFE_VARIANT.test(options.variant) ? join(options.dir, `${prefix}${crc32(source).toString(16)}-${source.length}.bin`) : null;
  const cachedData = cachePath ? readCache(cachePath) : undefined;
  // Node's own CommonJS wrapper, so the bundle runs as it would through require(); strict, as
  // the ES modules it was built from are (its "use strict" follows a banner line, so is no directive).
  const script = new Script(`(function (exports, require, module, __filename, __dirname) { 'use strict'; ${source}\n})`, {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  const cache = cachePath === null ? 'off' : cachedData === undefined ? 'missing' : script.cachedDataRejected ? 'rejected' : 'used';
  const module = { exports: {} as Exports };
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
  wrapper(module.exports, createRequire(file), module, file, dirname(file));
  let saved = cache === 'used' || cache === 'off';
  return {
    exports: module.exports,
    cache,
    saveCodeCache() {
      if (saved || cachePath === null) return;
      saved = true;
      try {
        writeFileAtomicSync(cachePath, script.createCachedData(), { mode: 0o600, durable: false });
        // This file's caches for this variant from earlier builds are of no more use.
        const name = basename(cachePath);
        for (const other of readdirSync(options.dir!)) if (other.startsWith(prefix) && other.endsWith('.bin') && other !== name) rmSync(join(options.dir!, other), { force: true });
      } catch {
        // A cache: the next run compiles again and tries once more.
      }
    },
  };
}
