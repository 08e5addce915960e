// Usage events as they cross from a scan worker to the main thread: one
// Float64Array (moved, not copied) and a table of strings, instead of tens of
// thousands of small objects to serialise on one side and rebuild on the other.
import { type FileScanResult, costOfEvent } from './file-scan.js';
import { FIELDS, type PackedEvents } from './packed-layout.js';
import { StringTable } from './string-table.js';
import type { UsageEvent } from './transcript-line-parser.js';

export { FIELDS, PACKED, type PackedEvents } from './packed-layout.js';

export function packEvents(events: readonly UsageEvent[]): PackedEvents {
  const table = new StringTable();
  const strings = table.strings;
  const indexOf = (text: string): number => table.at(text);
  const numbers = new Float64Array(events.length * FIELDS);
  let o = 0;
  for (const e of events) {
    numbers[o++] = e.key === null ? -1 : strings.push(e.key) - 1; // keys are unique within a file
    numbers[o++] = e.ms;
    numbers[o++] = indexOf(e.model);
    numbers[o++] = indexOf(e.sessionId);
    numbers[o++] = indexOf(e.cwd);
    numbers[o++] = e.input;
    numbers[o++] = e.output;
    numbers[o++] = e.cacheCreation;
    numbers[o++] = e.cacheCreation1h;
    numbers[o++] = e.cacheRead;
    const cost = e.costUSD === undefined ? costOfEvent(e) : e.costUSD;
    numbers[o++] = cost ?? Number.NaN;
  }
  return { strings, numbers };
}

/** A result's events packed: as scanned when they already are, else packed now. */
export function packedOf(result: FileScanResult): PackedEvents {
  return result.packed ?? packEvents(result.events);
}

/** A result whose events travel packed (what a worker posts); the buffer to transfer. An already packed result passes as it is. */
export function packResult(result: FileScanResult): { result: FileScanResult; transfer: ArrayBuffer[] } {
  const packed = packedOf(result);
  const transfer = [packed.numbers.buffer as ArrayBuffer];
  return { result: result.packed === packed ? result : { ...result, events: [], packed }, transfer };
}

/**
 * Calls `fn` for each event of a result, packed or not. For packed results one
 * event object is reused: `fn` must copy what it keeps (UsageIndex.addUsage does).
 */
export function forEachEvent(result: FileScanResult, fn: (event: UsageEvent) => void): void {
  const packed = result.packed;
  if (!packed) {
    for (const event of result.events) fn(event);
    return;
  }
  const { strings, numbers } = packed;
  const event: UsageEvent = { key: null, ms: 0, model: '', sessionId: '', cwd: '', input: 0, output: 0, cacheCreation: 0, cacheCreation1h: 0, cacheRead: 0, costUSD: null };
  for (let o = 0; o < numbers.length; o += FIELDS) {
    const key = numbers[o]!;
    event.key = key < 0 ? null : strings[key]!;
    event.ms = numbers[o + 1]!;
    event.model = strings[numbers[o + 2]!]!;
    event.sessionId = strings[numbers[o + 3]!]!;
    event.cwd = strings[numbers[o + 4]!]!;
    event.input = numbers[o + 5]!;
    event.output = numbers[o + 6]!;
    event.cacheCreation = numbers[o + 7]!;
    event.cacheCreation1h = numbers[o + 8]!;
    event.cacheRead = numbers[o + 9]!;
    const cost = numbers[o + 10]!;
    event.costUSD = Number.isNaN(cost) ? null : cost;
    fn(event);
  }
}

/** The events as separate objects (for tests and tools). */
export function eventsOf(result: FileScanResult): UsageEvent[] {
  const out: UsageEvent[] = [];
  forEachEvent(result, (e) => out.push({ ...e }));
  return out;
}
