// The `breather` command's entry (dist/cli/breather.mjs): as little as
// possible before the scan worker of a first run starts. A worker takes 70 ms
// or more to come online while both cores are busy, and the program (about
// 350 KB) takes 10-30 ms to load and set up: started from here, the worker's
// script runs that much sooner, and it is readier when the main thread has
// found the transcripts. V8 is set for a short run first: its flags are per process, and
// the worker shares them. The program then runs from V8's code cache
// (compiled-program.ts), saved at exit when this command had none yet.
import { fileURLToPath } from 'node:url';
import { CLI_COMMANDS } from './command-names.js';
import { codeCacheDir, commandVariant, loadCompiledProgram } from './compiled-program.js';
import { prestartFirstScanWorker } from './scan-threads.js';
import { applyShortRunTiering } from './short-run-tiering.js';

applyShortRunTiering();
prestartFirstScanWorker(process.argv);
const program = loadCompiledProgram<typeof import('./breather.js')>(fileURLToPath(new URL('./breather-program.cjs', import.meta.url)), {
  dir: process.env.BREATHER_CODE_CACHE === '0' ? null : codeCacheDir(),
  variant: commandVariant(process.argv, CLI_COMMANDS),
});
// At exit, so the functions this run compiled are in it; `process.exit()` runs this too.
process.once('exit', () => program.saveCodeCache());
await program.exports.main(process.argv);
