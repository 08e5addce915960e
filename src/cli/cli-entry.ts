// The `breather` command's entry (dist/cli/breather.mjs): as little as
// possible before the scan worker of a first run starts. A worker takes 70 ms
// or more to come online while both cores are busy, and the program (about
// 350 KB) takes 20-30 ms to load: started from here, the worker's script runs
// ~30 ms sooner, and it is readier when the main thread has found the
// transcripts. V8 is set for a short run first: its flags are per process, and
// the worker shares them.
import { prestartFirstScanWorker } from './scan-threads.js';
import { applyShortRunTiering } from './short-run-tiering.js';

applyShortRunTiering();
prestartFirstScanWorker(process.argv);
await import('./breather.js');
