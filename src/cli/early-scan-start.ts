// Imported first by the CLI entry, so its code runs before the rest of the
// program is evaluated: a run that will scan every transcript has its worker
// online by the time the scan begins, instead of ~80 ms into it.
import { prestartFirstScanWorker } from './scan-threads.js';

prestartFirstScanWorker(process.argv);
