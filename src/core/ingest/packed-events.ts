// Usage events as they cross from a scan worker to the main thread: one
// Float64Array (moved, not copied) and a table of strings, instead of tens of
// thousands of small objects to serialise on one side and rebuild on the other.
// The scan writes them packed (scan-events.ts); the index folds them in packed.
import type { FileScanResult } from './file-scan.js';
import { FIELDS, PACKED } from './packed-layout.js';
import type { UsageEvent } from './transcript-line-parser.js';

export { FIELDS, PACKED, type PackedEvents } from './packed-layout.js';

/** A result as a worker posts it, and the buffer to transfer (moved, not copied). */
export function packResult(result: FileScanResult): { result: FileScanResult; transfer: ArrayBuffer[] } {
  return { result, transfer: [result.packed.numbers.buffer as ArrayBuffer] };
}

/** The events as separate objects (for tests and tools). */
export function eventsOf(result: FileScanResult): UsageEvent[] {
  const { strings, numbers } = result.packed;
  const out: UsageEvent[] = [];
  for (let o = 0; o < numbers.length; o += FIELDS) {
    const key = numbers[o + PACKED.key]!;
    const cost = numbers[o + PACKED.cost]!;
    out.push({
      key: key < 0 ? null : strings[key]!,
      ms: numbers[o + PACKED.ms]!,
      model: strings[numbers[o + PACKED.model]!]!,
      sessionId: strings[numbers[o + PACKED.session]!]!,
      cwd: strings[numbers[o + PACKED.cwd]!]!,
      input: numbers[o + PACKED.input]!,
      output: numbers[o + PACKED.output]!,
      cacheCreation: numbers[o + PACKED.cacheCreation]!,
      cacheCreation1h: numbers[o + PACKED.cacheCreation1h]!,
      cacheRead: numbers[o + PACKED.cacheRead]!,
      costUSD: Number.isNaN(cost) ? null : cost,
    });
  }
  return out;
}
