// The WebAssembly line scanner (wasm/line-scanner.c): reads a block of whole
// lines where the file was read into its memory. Scanning for a file's
// WasmEventWriter, it counts the responses it settles in its own table and
// hands back records only for the rest: an assistant line it read becomes the
// same AssistantFields the JavaScript extractor fills, counted by the same
// countExtracted; a line it cannot decide goes to parseTranscriptLine as
// before. Both paths count alike, and the tests hold them to it.
// Compiled once per thread from bytes carried in the bundle (V8 shares the
// machine code between a process's threads); where WebAssembly or its SIMD
// is unavailable, scans stay on the JavaScript parser.
import { AssistantFields, FIELD_COUNT } from './assistant-fields.js';
import { FIELDS } from './packed-layout.js';
import { countExtracted } from './scan-events.js';
import { type FileContext, type LineSink, parseTranscriptLine } from './transcript-line-parser.js';
import { FUTURE_SLACK_MS } from './record-fields.js';
import { LINE_SCANNER_WASM_BASE64 } from './wasm/line-scanner-wasm.js';

interface LineScannerExports {
  memory: WebAssembly.Memory;
  dataAt(): number;
  dataBytes(): number;
  recordsAt(): number;
  tokensAt(): number;
  setLatestMs(ms: number): void;
  beginFile(fallbackSessionBytes: number, fallbackProjectBytes: number): number;
  collectInto(on: number): void;
  addEvent(keyLength: number, modelLength: number, sessionLength: number, cwdLength: number, ms: number, input: number, output: number, cacheCreation: number, cacheCreation1h: number, cacheRead: number): void;
  scratchAt(): number;
  scratchBytes(): number;
  tableFailed(): number;
  rowsAt(): number;
  rowCount(): number;
  arenaAt(): number;
  stringsAt(): number;
  stringHighAt(): number;
  stringCount(): number;
  recordCount(): number;
  maxRecords(): number;
  scanLines(start: number, end: number): number;
  extractLine(length: number): number;
  kindOfLineAt(length: number): number;
  utf8At(length: number): number;
  isoMsAt(length: number): number;
}

// A record's layout (line-scanner.c).
const RECORD_INTS = 32;
const R_START = 1;
const R_END = 2;
const R_FIELD_START = 3;
const R_FIELD_END = 9;
const R_KIND = 15;
const R_CODING = 21;
const R_IS_ASSISTANT = 27;
const R_API_ERROR = 28;
const R_USAGE = 29;
const R_SPLIT_INVALID = 30;
const WHAT_JS = 1;
const TOKEN_COUNT = 5;

/** What extractLine answered (tests). */
export const EXTRACT_DECLINED = 0;
export const EXTRACT_OK = 1;
export const EXTRACT_NEEDS_JS = 2;

export class WasmLineScanner {
  /** The read buffer: the module's own memory, so a read lands where the scanner reads. */
  readonly chunk: Buffer;
  private readonly records: Int32Array;
  private readonly tokens: Float64Array;
  private readonly fields = new AssistantFields();
  private readonly scratch: Buffer;
  /** The sink whose file the response table holds (beginTable); other sinks get every assistant line as a record. */
  private tableOwner: LineSink | null = null;

  constructor(private readonly wasm: LineScannerExports) {
    const memory = wasm.memory.buffer;
    this.chunk = Buffer.from(memory, wasm.dataAt(), wasm.dataBytes());
    this.records = new Int32Array(memory, wasm.recordsAt(), wasm.maxRecords() * RECORD_INTS);
    this.tokens = new Float64Array(memory, wasm.tokensAt(), wasm.maxRecords() * TOKEN_COUNT);
    this.scratch = Buffer.from(memory, wasm.scratchAt(), wasm.scratchBytes());
  }

  /**
   * Counts the lines of view[start, end) into `sink`; `view` is the start of
   * `chunk` (up to what was read) and `end` is just after a newline.
   */
  countLines(view: Buffer, start: number, end: number, context: FileContext, sink: LineSink): void {
    const records = this.records;
    const f = this.fields;
    // The table's own sink: settled responses are counted in the module, the rest comes here in file order.
    this.wasm.collectInto(sink === this.tableOwner ? 1 : 0);
    this.wasm.setLatestMs(context.latestMs ?? Date.now() + FUTURE_SLACK_MS);
    while (start < end) {
      start = this.wasm.scanLines(start, end);
      const count = this.wasm.recordCount();
      for (let r = 0; r < count; r++) {
        const o = r * RECORD_INTS;
        const lineStart = records[o + R_START]!;
        const lineEnd = records[o + R_END]!;
        if (records[o] === WHAT_JS) {
          parseTranscriptLine(view, lineStart, lineEnd, context, sink);
        } else {
          this.fieldsOf(r, f, lineStart);
          countExtracted(view, f, context, sink, lineStart, lineEnd);
        }
      }
    }
  }

  /** Record r's fields, copied into `f`; its positions, counted from its line's start, moved by `shift`. */
  private fieldsOf(r: number, f: AssistantFields, shift: number): void {
    const records = this.records;
    const o = r * RECORD_INTS;
    for (let i = 0; i < FIELD_COUNT; i++) {
      f.start[i] = records[o + R_FIELD_START + i]! + shift;
      f.end[i] = records[o + R_FIELD_END + i]! + shift;
      f.kind[i] = records[o + R_KIND + i]!;
      f.coding[i] = records[o + R_CODING + i]!;
    }
    f.isAssistant = records[o + R_IS_ASSISTANT] === 1;
    f.apiError = records[o + R_API_ERROR] === 1;
    f.usage = records[o + R_USAGE]!;
    f.splitInvalid = records[o + R_SPLIT_INVALID] === 1;
    for (let i = 0; i < TOKEN_COUNT; i++) f.tokens[i] = this.tokens[r * TOKEN_COUNT + i]!;
  }

  /** Starts a file's response table for `owner` (a fallback too long for the scratch fails the table). */
  beginTable(owner: LineSink, fallbackSession: string, fallbackProject: string): void {
    this.tableOwner = owner;
    const a = this.scratch.write(fallbackSession, 0, 'utf8');
    const b = this.scratch.write(fallbackProject, a, 'utf8');
    // A write cut short at the scratch's end (64 KB) leaves one of them longer than the module takes (1 KB): the table fails.
    this.wasm.beginFile(a, b);
  }

  /** Adds a response JavaScript counted to the table, in file order; false when its texts don't fit the scratch. */
  addEvent(key: string | null, model: string, session: string, cwd: string, ms: number, t: readonly number[]): boolean {
    const scratch = this.scratch;
    const room = scratch.length;
    if ((key?.length ?? 0) + model.length + session.length + cwd.length > room / 3) return false; // UTF-8: at most 3 bytes per UTF-16 unit
    const k = key === null ? 0 : scratch.write(key, 0, 'utf8');
    const m = scratch.write(model, k, 'utf8');
    const s = scratch.write(session, k + m, 'utf8');
    const c = scratch.write(cwd, k + m + s, 'utf8');
    this.wasm.addEvent(key === null ? -1 : k, m, s, c, ms, t[0]!, t[1]!, t[2]!, t[3]!, t[4]!);
    return true;
  }

  /** The table's rows (packed layout, cost 0) and strings, copied out; null when it could not hold the file. */
  tableEvents(): { strings: string[]; numbers: Float64Array; rows: number } | null {
    this.tableOwner = null;
    const wasm = this.wasm;
    if (wasm.tableFailed()) return null;
    const memory = wasm.memory.buffer;
    const rows = wasm.rowCount();
    const numbers = new Float64Array(memory, wasm.rowsAt(), rows * FIELDS).slice();
    const count = wasm.stringCount();
    const at = new Int32Array(memory, wasm.stringsAt(), count + 1);
    const high = new Uint8Array(memory, wasm.stringHighAt(), count);
    const arena = Buffer.from(memory, wasm.arenaAt(), count === 0 ? 0 : at[count]!);
    const strings = new Array<string>(count);
    // Latin1 where every byte is ASCII (the same string, decoded faster), else UTF-8.
    for (let i = 0; i < count; i++) strings[i] = arena.toString(high[i] ? 'utf8' : 'latin1', at[i], at[i + 1]);
    return { strings, numbers, rows };
  }

  /**
   * The module alone over chunk[0, end) (the bench), as a scan runs it: settled
   * responses counted in its table (a new one when `fileStart`), the records
   * for JavaScript made but not read. Returns how many it made.
   */
  recordsOf(end: number, fileStart: boolean): number {
    if (fileStart) this.wasm.beginFile(0, 0);
    this.wasm.collectInto(1);
    let records = 0;
    for (let start = 0; start < end; records += this.wasm.recordCount()) start = this.wasm.scanLines(start, end);
    return records;
  }

  /** Copies `bytes` to the start of the module's memory (tests: one line at a time). */
  private load(bytes: Uint8Array): number {
    if (bytes.length > this.chunk.length) throw new RangeError('line longer than the scanner buffer');
    this.chunk.set(bytes);
    return bytes.length;
  }

  /** The extractor alone over one line, into `f` (tests): EXTRACT_*. */
  extractLine(line: Uint8Array, f: AssistantFields): number {
    const answer = this.wasm.extractLine(this.load(line));
    if (answer !== EXTRACT_DECLINED) this.fieldsOf(0, f, 0);
    return answer;
  }

  /** kindOfLine of one line (tests), as an index into KINDS. */
  kindOfLine(line: Uint8Array): number {
    return this.wasm.kindOfLineAt(this.load(line));
  }

  /** The module's reading of a timestamp's text (tests): ms since the epoch, or -1 where JavaScript decides. */
  isoMs(text: Uint8Array): number {
    return this.wasm.isoMsAt(this.load(text));
  }

  /** Whether one line is well-formed UTF-8 (tests). */
  isUtf8(bytes: Uint8Array): boolean {
    return this.wasm.utf8At(this.load(bytes)) === 1;
  }
}

/** kindOfLine's answers, in the scanner's numbering. */
export const KINDS = ['assistant', 'progress', 'user', 'other', 'unknown'] as const;

let loaded: WasmLineScanner | null | undefined;

/** This thread's scanner, compiled at first use; null where WebAssembly (with SIMD) cannot run it. */
export function wasmLineScanner(): WasmLineScanner | null {
  if (loaded !== undefined) return loaded;
  try {
    const module = new WebAssembly.Module(Buffer.from(LINE_SCANNER_WASM_BASE64, 'base64'));
    loaded = new WasmLineScanner(new WebAssembly.Instance(module, {}).exports as unknown as LineScannerExports);
  } catch {
    loaded = null;
  }
  return loaded;
}
