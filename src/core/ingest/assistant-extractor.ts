// The fast path for assistant lines: reads the few fields Breather counts
// straight from the bytes, skipping the message content (nearly all of a
// line's bytes) and building no strings but the ones it keeps. It is a strict
// parser for the layout Claude Code writes: the record and its message hold
// only plain values, apart from the content array (skipped) and the usage
// object. Anything else (an escape in a string, whitespace, another nested
// value, a repeated "message") returns null and the caller parses the line in
// full, so the result is always what JSON.parse would give for these fields.

/** The subset of a parsed assistant record that counting reads. */
export interface ExtractedRecord {
  type?: unknown;
  timestamp?: unknown;
  requestId?: unknown;
  sessionId?: unknown;
  cwd?: unknown;
  isApiErrorMessage?: unknown;
  message: { id?: unknown; model?: unknown; usage?: unknown };
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CONTENT_END = Buffer.from('],"stop_reason":');
// The content array ends this close to the line's end in every layout we know;
// a bounded search keeps long lines cheap.
const TAIL_WINDOW = 16 * 1024;

/** Keys matched by their bytes: no string is made for the many keys that are skipped. */
class KeyTable {
  readonly names: readonly string[];
  private readonly bytes: readonly Buffer[];

  constructor(names: readonly string[]) {
    this.names = names;
    this.bytes = names.map((n) => Buffer.from(n));
  }

  /** Index of the key at line[start, end), or -1. */
  find(line: Buffer, start: number, end: number): number {
    const length = end - start;
    for (let k = 0; k < this.bytes.length; k++) {
      const name = this.bytes[k]!;
      if (name.length !== length) continue;
      let i = 0;
      while (i < length && line[start + i] === name[i]) i++;
      if (i === length) return k;
    }
    return -1;
  }
}

const TOP_KEYS = new KeyTable(['type', 'timestamp', 'requestId', 'sessionId', 'cwd', 'isApiErrorMessage']);
const MESSAGE_KEYS = new KeyTable(['id', 'model']);
const USAGE_KEYS = new KeyTable(['input_tokens', 'output_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens', 'cache_creation']);
const SPLIT_KEYS = new KeyTable(['ephemeral_1h_input_tokens']);
const NO_KEYS = new KeyTable([]);
const MESSAGE = Buffer.from('message');
const CONTENT = Buffer.from('content');
const USAGE = Buffer.from('usage');
const CACHE_CREATION_AT = 4;

const FAIL = Symbol('fail');
type Value = string | number | boolean | null | typeof FAIL;

/** A cursor over one line; every method returns FAIL (or false) on anything it does not expect. */
class Scanner {
  pos: number;

  constructor(
    private readonly line: Buffer,
    start: number,
  ) {
    this.pos = start;
  }

  keyStart = 0;
  keyEnd = 0;

  /** Where a string starting at `start` closes, or -1 when it has an escape or a control byte (the full parser's case) or never closes. */
  private plainStringEnd(start: number): number {
    const line = this.line;
    for (let i = start; i < line.length; i++) {
      const b = line[i]!;
      if (b === QUOTE) return i;
      if (b === BACKSLASH || b < 0x20) return -1;
    }
    return -1;
  }

  /** A key with no escapes, then a colon; its bytes are at [keyStart, keyEnd). */
  key(): boolean {
    const line = this.line;
    if (line[this.pos] !== QUOTE) return false;
    const start = this.pos + 1;
    const i = this.plainStringEnd(start);
    if (i === -1 || line[i + 1] !== COLON) return false;
    this.keyStart = start;
    this.keyEnd = i;
    this.pos = i + 2;
    return true;
  }

  keyIn(table: KeyTable): number {
    return table.find(this.line, this.keyStart, this.keyEnd);
  }

  keyIs(name: Buffer): boolean {
    const length = this.keyEnd - this.keyStart;
    if (length !== name.length) return false;
    for (let i = 0; i < length; i++) if (this.line[this.keyStart + i] !== name[i]) return false;
    return true;
  }

  /**
   * A string, number, true, false or null; `keep` false skips decoding a string.
   * Strings are decoded as latin1, like the full parser's: the caller fixes up the few it keeps.
   */
  scalar(keep: boolean): Value {
    const line = this.line;
    const b = line[this.pos];
    if (b === QUOTE) {
      const start = this.pos + 1;
      const i = this.plainStringEnd(start);
      if (i === -1) return FAIL;
      this.pos = i + 1;
      return keep ? line.toString('latin1', start, i) : '';
    }
    if (b === 0x74) return this.literal('true', true);
    if (b === 0x66) return this.literal('false', false);
    if (b === 0x6e) return this.literal('null', null);
    return this.number();
  }

  private literal(text: string, value: boolean | null): Value {
    for (let k = 0; k < text.length; k++) if (this.line[this.pos + k] !== text.charCodeAt(k)) return FAIL;
    this.pos += text.length;
    return value;
  }

  /** JSON's number grammar exactly; converted as JSON.parse converts it. */
  private number(): Value {
    const line = this.line;
    const start = this.pos;
    let i = start;
    if (line[i] === 0x2d) i++;
    if (line[i] === 0x30) i++;
    else if (isDigit(line[i])) while (isDigit(line[i])) i++;
    else return FAIL;
    let integer = true;
    if (line[i] === 0x2e) {
      integer = false;
      i++;
      if (!isDigit(line[i])) return FAIL;
      while (isDigit(line[i])) i++;
    }
    if (line[i] === 0x65 || line[i] === 0x45) {
      integer = false;
      i++;
      if (line[i] === 0x2b || line[i] === 0x2d) i++;
      if (!isDigit(line[i])) return FAIL;
      while (isDigit(line[i])) i++;
    }
    this.pos = i;
    if (integer && i - start <= 15) {
      let n = 0;
      for (let k = line[start] === 0x2d ? start + 1 : start; k < i; k++) n = n * 10 + line[k]! - 0x30;
      return line[start] === 0x2d ? -n : n;
    }
    return Number(line.toString('latin1', start, i));
  }

  /**
   * A flat object of plain values (the usage object); only `keys` are kept.
   * One level down (cache_creation, server_tool_use) holds plain values only.
   */
  flatObject(keys: KeyTable, depth = 0): Record<string, unknown> | typeof FAIL {
    const line = this.line;
    if (line[this.pos] !== OPEN_BRACE) return FAIL;
    this.pos++;
    const out: Record<string, unknown> = {};
    if (line[this.pos] === CLOSE_BRACE) {
      this.pos++;
      return out;
    }
    for (;;) {
      if (!this.key()) return FAIL;
      const at = this.keyIn(keys);
      let value: unknown;
      if (line[this.pos] === OPEN_BRACE) {
        if (depth > 0) return FAIL;
        value = this.flatObject(keys === USAGE_KEYS && at === CACHE_CREATION_AT ? SPLIT_KEYS : NO_KEYS, depth + 1);
      } else {
        value = this.scalar(at !== -1);
      }
      if (value === FAIL) return FAIL;
      // A later duplicate replaces an earlier one, as in JSON.parse.
      if (at !== -1) out[keys.names[at]!] = value;
      const next = line[this.pos++];
      if (next === CLOSE_BRACE) return out;
      if (next !== COMMA) return FAIL;
    }
  }
}

function isDigit(b: number | undefined): boolean {
  return b !== undefined && b >= 0x30 && b <= 0x39;
}

/**
 * Reads plain `"key":value` pairs into `into` until the key `stop` (whose value
 * must open with `opener`) or the object's end. Returns where it stopped.
 */
function pairs(s: Scanner, line: Buffer, into: Record<string, unknown>, keep: KeyTable, stop: Buffer | null, opener: number): 'stop' | 'end' | null {
  for (;;) {
    if (!s.key()) return null;
    if (stop !== null ? line[s.pos] === opener && s.keyIs(stop) : s.keyIs(MESSAGE)) {
      return stop !== null ? 'stop' : null; // after the message, a second "message" would replace it
    }
    const at = s.keyIn(keep);
    const value = s.scalar(at !== -1);
    if (value === FAIL) return null;
    if (at !== -1) into[keep.names[at]!] = value;
    const next = line[s.pos++];
    if (next === CLOSE_BRACE) return 'end';
    if (next !== COMMA) return null;
  }
}

/** The counted fields of an assistant line, or null when it is not laid out as expected. */
export function extractAssistantRecord(line: Buffer): ExtractedRecord | null {
  const end = line.length;
  if (line[0] !== OPEN_BRACE || line[end - 1] !== CLOSE_BRACE) return null;
  const s = new Scanner(line, 1);
  const top: Record<string, unknown> = {};
  // The record's own fields, up to "message":{.
  if (pairs(s, line, top, TOP_KEYS, MESSAGE, OPEN_BRACE) !== 'stop') return null;
  s.pos++;
  const message: Record<string, unknown> = {};
  // The message's fields, up to "content":[.
  if (pairs(s, line, message, MESSAGE_KEYS, CONTENT, OPEN_BRACKET) !== 'stop') return null;
  // Skip the content: it ends at `],"stop_reason":`, which no string inside it can hold unescaped.
  const from = Math.max(s.pos, end - TAIL_WINDOW);
  const contentEnd = line.subarray(from, end).lastIndexOf(CONTENT_END);
  if (contentEnd === -1) return null;
  s.pos = from + contentEnd + 2;
  // The rest of the message: plain values and the usage object.
  for (;;) {
    if (!s.key()) return null;
    let value: unknown;
    const isUsage = s.keyIs(USAGE);
    const at = isUsage ? -1 : s.keyIn(MESSAGE_KEYS);
    if (isUsage && line[s.pos] === OPEN_BRACE) value = s.flatObject(USAGE_KEYS);
    else value = s.scalar(isUsage || at !== -1);
    if (value === FAIL) return null;
    if (isUsage) message.usage = value;
    else if (at !== -1) message[MESSAGE_KEYS.names[at]!] = value;
    const next = line[s.pos++];
    if (next === CLOSE_BRACE) break;
    if (next !== COMMA) return null;
  }
  // After the message: the record's remaining plain fields, to the line's end.
  const next = line[s.pos++];
  if (next === COMMA) {
    if (pairs(s, line, top, TOP_KEYS, null, 0) !== 'end') return null;
  } else if (next !== CLOSE_BRACE) {
    return null;
  }
  if (s.pos !== end) return null;
  top.message = message;
  return top as unknown as ExtractedRecord;
}
