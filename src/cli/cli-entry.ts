// The `breather` command's entry (dist/cli/breather.mjs): as little as
// possible before the scan worker of a first run starts. A worker takes 80 ms
// or more to come online while both cores are busy, and the program (about
// 350 KB) takes 20-30 ms to load; started from here, the worker is that much
// further by the time the main thread has found the transcripts, and it takes
// its first files sooner (a first 1 GB scan: about 20 ms less). V8 is set for
// a short run first: its flags are per process, and the worker shares them.
import { prestartFirstScanWorker } from './scan-threads.js';
import { applyShortRunTiering } from './short-run-tiering.js';

applyShortRunTiering();
prestartFirstScanWorker(process.argv);
await import('./breather.js');
