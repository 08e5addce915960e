// Applied first thing by the CLI entry (cli-entry.ts), before the scan worker
// starts: V8 flags are per process, so the worker shares them.
// A CLI run lives for well under a second, and by V8's default counts much of
// its code is "hot" only briefly: the folder walk, stats, module set-up, the
// index encoders. Optimising those costs more than it saves: at the default a
// cold 1 GB scan spent ~300 ms of CPU in TurboFan, on the two cores it shares
// with the scan. A budget 4-5 times the default leaves ~80 ms of compiling (the
// merge and the pricing loop, which do run long) and took a first 1 GB scan
// from 0.64 to 0.57 s, CPU 1.08 to 0.97 s (bench/RESULTS.md). `watch`, the one
// long CLI run, still gets its hot code optimised, a little later; the tray's
// processes keep V8's default.
import { setFlagsFromString } from 'node:v8';

/** V8's --interrupt-budget (default 66 KB of bytecode executed) for a short CLI run. */
export const SHORT_RUN_V8_FLAGS = ['--interrupt-budget=300000'] as const;

export function applyShortRunTiering(): void {
  for (const flag of SHORT_RUN_V8_FLAGS) setFlagsFromString(flag);
}
