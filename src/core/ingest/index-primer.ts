// Folds a few made-up files into a throwaway index before the first big scan,
// as scan-primer.ts runs the line parser: V8 optimizes addPacked for the paths
// it has seen run, and in a first scan of 1 GB the paths first met
// mid-scan (a result posted by a worker, a response counted again in another
// file or a third, one replaced by a fuller copy, the table of responses
// growing) each threw the optimized code away.
// addPacked was compiled three times, on the main thread's critical path.
// Seen here first, every path is in its first compile. What it counts is
// thrown away.
import { FIELDS, PACKED, type PackedEvents } from './packed-events.js';
import { PRIMER_LINES } from './scan-primer.js';
import { ScanEventWriter } from './scan-events.js';
import { parseTranscriptLine } from './transcript-line-parser.js';
import { UsageIndex } from './usage-index.js';

let primed = false;

/** The primer's lines as one file's events. */
function primerEvents(): PackedEvents {
  const context = { fallbackSessionId: 'primer', fallbackProject: 'primer', latestMs: Date.UTC(2026, 0, 6) };
  const writer = new ScanEventWriter(context);
  const buffer = Buffer.from(PRIMER_LINES.join('\n'));
  for (let start = 0; start < buffer.length; ) {
    let end = buffer.indexOf(10, start);
    if (end === -1) end = buffer.length;
    parseTranscriptLine(buffer, start, end, context, writer);
    start = end + 1;
  }
  return writer.finish();
}

/** `events` with every output scaled by `factor`; the first row unpriced and unkeyed. */
function variant(events: PackedEvents, factor: number): PackedEvents {
  const numbers = events.numbers.slice();
  for (let o = 0; o < numbers.length; o += FIELDS) numbers[o + PACKED.output]! *= factor;
  numbers[PACKED.cost] = Number.NaN;
  numbers[PACKED.key] = -1;
  return { strings: events.strings, numbers };
}

/** `events`' first row again under `count` new keys: enough rows to grow the index's table of responses. */
function manyResponses(events: PackedEvents, count: number): PackedEvents {
  const strings = [...events.strings];
  const numbers = new Float64Array(count * FIELDS);
  for (let i = 0; i < count; i++) {
    numbers.set(events.numbers.subarray(0, FIELDS), i * FIELDS);
    numbers[i * FIELDS + PACKED.key] = strings.push(`primer-${i}`) - 1;
  }
  return { strings, numbers };
}

/** Once per process, on the thread that merges scan results; returns the throwaway index (for the tests), null when primed before. */
export function primeIndexMerge(): UsageIndex | null {
  if (primed) return null;
  primed = true;
  const events = primerEvents();
  const index = new UsageIndex();
  // Three rounds: V8 gives a function its feedback only after its first few calls.
  for (let round = 0; round < 3; round++) {
    const file = (name: string) => index.addFile({ path: `/primer/${round}/${name}.jsonl`, dev: 0, ino: 0, size: 0, mtimeMs: 0, offset: 0, unfinishedBytes: 0 });
    index.addPacked(file('scanned-here'), events);
    // As a worker's result arrives: rebuilt by the structured clone, objects of other shapes.
    index.addPacked(file('from-a-worker'), structuredClone(variant(events, 1)));
    index.addPacked(file('smaller-copies'), variant(events, 0.5));
    index.addPacked(file('more-smaller-copies'), variant(events, 0.25));
    index.addPacked(file('fuller-copies'), variant(events, 4));
    // Past the table's first size (4,096 rows), once: the growing branch is seen too.
    if (round === 0) index.addPacked(file('many'), manyResponses(events, 4200));
    index.addSkipped(file('skipped'), { 'missing-usage': 1 });
  }
  return index;
}
