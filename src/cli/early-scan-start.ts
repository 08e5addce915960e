// Imported first by the CLI entry, so its code runs before the rest of the
// program is evaluated: V8 is set for a short run before any code gets hot, and
// a run that will scan every transcript has its worker online by the time the
// scan begins, instead of ~80 ms into it.
import { applyShortRunTiering } from './short-run-tiering.js';
import { prestartFirstScanWorker } from './scan-threads.js';

applyShortRunTiering();
prestartFirstScanWorker(process.argv);
