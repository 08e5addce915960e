// What one file's scan collects when the WebAssembly scanner reads it. The
// scanner counts the responses it settles in its own table (response-table.h)
// without calling JavaScript; what the JavaScript parser counts (the lines the
// scanner hands back) is added to the same table at its place in the file.
// finish() turns the table into exactly the packed events ScanEventWriter
// writes for the same lines, string for string and row for row.
import type { PackedEvents } from './packed-layout.js';
import { ScanNotes, priceRows } from './scan-events.js';
import type { FileContext, UsageEvent } from './transcript-line-parser.js';
import type { WasmLineScanner } from './wasm-line-scanner.js';

// A surrogate without its other half: no UTF-8 for it, so the table (which keeps texts as UTF-8) can't tell it apart.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export class WasmEventWriter extends ScanNotes {
  private failed = false;
  private readonly tokens = [0, 0, 0, 0, 0];

  constructor(
    private readonly scanner: WasmLineScanner,
    context: FileContext,
  ) {
    super();
    scanner.beginTable(this, context.fallbackSessionId, context.fallbackProject);
  }

  /** A response the JavaScript parser counted. */
  usage(event: UsageEvent): void {
    if (this.failed) return;
    const { key, model, sessionId, cwd } = event;
    if ((key !== null && LONE_SURROGATE.test(key)) || LONE_SURROGATE.test(model) || LONE_SURROGATE.test(sessionId) || LONE_SURROGATE.test(cwd)) {
      this.failed = true;
      return;
    }
    const t = this.tokens;
    t[0] = event.input;
    t[1] = event.output;
    t[2] = event.cacheCreation;
    t[3] = event.cacheCreation1h;
    t[4] = event.cacheRead;
    if (!this.scanner.addEvent(key, model, sessionId, cwd, event.ms, t)) this.failed = true;
  }

  /** The responses with their cost, as ScanEventWriter.finish gives them; null when the table could not hold this file. */
  finish(): PackedEvents | null {
    const table = this.scanner.tableEvents();
    if (this.failed || table === null) return null;
    priceRows(table.numbers, table.strings, table.rows);
    return { strings: table.strings, numbers: table.numbers };
  }
}
