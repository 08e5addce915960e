// The fast path for assistant lines: reads the few fields Breather counts
// straight from the bytes, skipping the message content (nearly all of a
// line's bytes). It records where each kept value lies (no strings, no
// objects) so the caller decodes only what it keeps. It is a strict parser for
// the layout Claude Code writes: the record and its message hold only plain
// values, apart from the content array (skipped) and the usage object.
// Anything else (an escape in a string, whitespace, another nested value, a
// repeated "message") declines, and the caller parses the line in full, so
// what it reports is always what JSON.parse would give for these fields.

import { MAX_TOKENS_PER_FIELD } from './record-fields.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CONTENT_END = Buffer.from('],"stop_reason":');

/** The kept text fields, by position in `AssistantFields.start/end/kind`. */
export const FIELD = { timestamp: 0, requestId: 1, sessionId: 2, cwd: 3, id: 4, model: 5 } as const;
const FIELD_COUNT = 6;

/** What a kept field held: absent, a plain string (at start..end), or another JSON value. */
export const ABSENT = 0;
export const STRING = 1;
export const OTHER = 2;
/** message.usage was an object. */
export const OBJECT = 1;

/** Token fields as `readTokenCounts` reads them: 0 when absent, -1 when not a plausible count. */
export const TOKEN = { input: 0, output: 1, cacheCreation: 2, cacheRead: 3, cacheCreation1h: 4 } as const;

/** Reused for every line: where its counted values are, and what they are. */
export class AssistantFields {
  readonly start = new Int32Array(FIELD_COUNT);
  readonly end = new Int32Array(FIELD_COUNT);
  readonly kind = new Uint8Array(FIELD_COUNT);
  /** 1 when the string holds bytes ≥ 0x80 (decode it as UTF-8, not latin1). */
  readonly high = new Uint8Array(FIELD_COUNT);
  /** The record's "type" is the string "assistant". */
  isAssistant = false;
  /** isApiErrorMessage === true. */
  apiError = false;
  /** message.usage: ABSENT, OBJECT, or OTHER (any other value). */
  usage = ABSENT;
  /** Raw token values, or -1 when implausible; absent ones are 0. */
  readonly tokens = new Float64Array(5);
  /** usage.cache_creation is a value that is neither an object nor null. */
  splitInvalid = false;

  reset(): void {
    this.kind.fill(ABSENT);
    this.high.fill(0);
    this.isAssistant = false;
    this.apiError = false;
    this.resetUsage();
    this.usage = ABSENT;
  }

  resetUsage(): void {
    this.tokens.fill(0);
    this.splitInvalid = false;
  }
}

/** A JSON value's kind as read by the scanner. */
const V_FAIL = 0;
const V_STRING = 1;
const V_NUMBER = 2;
const V_LITERAL = 3; // true, false, null

function isDigit(b: number | undefined): boolean {
  return b !== undefined && b >= 0x30 && b <= 0x39;
}

/** Keys compared as bytes: no string is made for the many keys that are skipped. */
function keyIs(line: Buffer, start: number, end: number, name: Uint8Array): boolean {
  if (end - start !== name.length) return false;
  for (let i = 0; i < name.length; i++) if (line[start + i] !== name[i]) return false;
  return true;
}

const bytes = (text: string): Buffer => Buffer.from(text);
const K = {
  type: bytes('type'),
  timestamp: bytes('timestamp'),
  requestId: bytes('requestId'),
  sessionId: bytes('sessionId'),
  cwd: bytes('cwd'),
  isApiErrorMessage: bytes('isApiErrorMessage'),
  message: bytes('message'),
  content: bytes('content'),
  id: bytes('id'),
  model: bytes('model'),
  usage: bytes('usage'),
  input_tokens: bytes('input_tokens'),
  output_tokens: bytes('output_tokens'),
  cache_creation_input_tokens: bytes('cache_creation_input_tokens'),
  cache_read_input_tokens: bytes('cache_read_input_tokens'),
  cache_creation: bytes('cache_creation'),
  ephemeral_1h_input_tokens: bytes('ephemeral_1h_input_tokens'),
  assistant: bytes('assistant'),
};

/** Top-level keys kept, as indexes into FIELD; -2: type, -3: isApiErrorMessage, -1: skipped. */
function topKey(line: Buffer, s: number, e: number): number {
  switch (e - s) {
    case 3:
      return keyIs(line, s, e, K.cwd) ? FIELD.cwd : -1;
    case 4:
      return keyIs(line, s, e, K.type) ? -2 : -1;
    case 9:
      return keyIs(line, s, e, K.timestamp) ? FIELD.timestamp : keyIs(line, s, e, K.requestId) ? FIELD.requestId : keyIs(line, s, e, K.sessionId) ? FIELD.sessionId : -1;
    case 17:
      return keyIs(line, s, e, K.isApiErrorMessage) ? -3 : -1;
    default:
      return -1;
  }
}

/** Message keys kept: FIELD.id, FIELD.model, or -1. */
function messageKey(line: Buffer, s: number, e: number): number {
  if (e - s === 2) return keyIs(line, s, e, K.id) ? FIELD.id : -1;
  if (e - s === 5) return keyIs(line, s, e, K.model) ? FIELD.model : -1;
  return -1;
}

/** Usage keys kept, as indexes into TOKEN; 5: cache_creation; -1 skipped. */
function usageKey(line: Buffer, s: number, e: number): number {
  switch (e - s) {
    case 12:
      return keyIs(line, s, e, K.input_tokens) ? TOKEN.input : -1;
    case 13:
      return keyIs(line, s, e, K.output_tokens) ? TOKEN.output : -1;
    case 14:
      return keyIs(line, s, e, K.cache_creation) ? 5 : -1;
    case 23:
      return keyIs(line, s, e, K.cache_read_input_tokens) ? TOKEN.cacheRead : -1;
    case 27:
      return keyIs(line, s, e, K.cache_creation_input_tokens) ? TOKEN.cacheCreation : -1;
    default:
      return -1;
  }
}

/** As tokenField in record-fields.ts: a plausible non-negative integer, else -1. */
function tokenValue(kind: number, value: number): number {
  return kind === V_NUMBER && Number.isSafeInteger(value) && value >= 0 && value <= MAX_TOKENS_PER_FIELD ? value + 0 : -1;
}

/**
 * A cursor over one line of a (possibly larger) buffer. Every step returns
 * false on anything it does not expect: the line then takes the full parse.
 */
class LineScanner {
  line: Buffer = Buffer.alloc(0);
  end = 0;
  pos = 0;
  // The last key and value read.
  keyStart = 0;
  keyEnd = 0;
  valueKind = V_FAIL;
  valueStart = 0;
  valueEnd = 0;
  valueHigh = 0;
  valueNumber = 0;
  /** The last literal read was `true` / `null`. */
  valueTrue = false;
  valueNull = false;

  /** Where a string starting at `start` closes, or -1 when it has an escape or a control byte (the full parser's case) or never closes. */
  private stringEnd(start: number): number {
    const line = this.line;
    const end = this.end;
    let high = 0;
    for (let i = start; i < end; i++) {
      const b = line[i]!;
      if (b === QUOTE) {
        this.valueHigh = high;
        return i;
      }
      if (b === BACKSLASH || b < 0x20) return -1;
      high |= b & 0x80;
    }
    return -1;
  }

  /** A key with no escapes, then a colon; its bytes are at [keyStart, keyEnd). */
  key(): boolean {
    const line = this.line;
    if (line[this.pos] !== QUOTE) return false;
    const start = this.pos + 1;
    const i = this.stringEnd(start);
    if (i === -1 || line[i + 1] !== COLON) return false;
    this.keyStart = start;
    this.keyEnd = i;
    this.pos = i + 2;
    return true;
  }

  /** A string, number, true, false or null; sets value*. */
  scalar(): boolean {
    const line = this.line;
    const b = line[this.pos];
    this.valueTrue = false;
    this.valueNull = false;
    if (b === QUOTE) {
      const start = this.pos + 1;
      const i = this.stringEnd(start);
      if (i === -1) return false;
      this.valueKind = V_STRING;
      this.valueStart = start;
      this.valueEnd = i;
      this.pos = i + 1;
      return true;
    }
    this.valueKind = V_LITERAL;
    this.valueTrue = b === 0x74;
    this.valueNull = b === 0x6e;
    if (b === 0x74) return this.literal(0x72, 0x75, 0x65, -1, 4);
    if (b === 0x66) return this.literal(0x61, 0x6c, 0x73, 0x65, 5);
    if (b === 0x6e) return this.literal(0x75, 0x6c, 0x6c, -1, 4);
    this.valueNull = false;
    return this.number();
  }

  private literal(b1: number, b2: number, b3: number, b4: number, length: number): boolean {
    const line = this.line;
    const p = this.pos;
    if (p + length > this.end || line[p + 1] !== b1 || line[p + 2] !== b2 || line[p + 3] !== b3 || (b4 !== -1 && line[p + 4] !== b4)) return false;
    this.pos = p + length;
    return true;
  }

  /** JSON's number grammar exactly; converted as JSON.parse converts it. */
  private number(): boolean {
    const line = this.line;
    const start = this.pos;
    let i = start;
    if (line[i] === 0x2d) i++;
    if (line[i] === 0x30) i++;
    else if (isDigit(line[i])) while (isDigit(line[i])) i++;
    else return false;
    let integer = true;
    if (line[i] === 0x2e) {
      integer = false;
      i++;
      if (!isDigit(line[i])) return false;
      while (isDigit(line[i])) i++;
    }
    if (line[i] === 0x65 || line[i] === 0x45) {
      integer = false;
      i++;
      if (line[i] === 0x2b || line[i] === 0x2d) i++;
      if (!isDigit(line[i])) return false;
      while (isDigit(line[i])) i++;
    }
    if (i > this.end) return false;
    this.pos = i;
    this.valueKind = V_NUMBER;
    if (integer && i - start <= 15) {
      let n = 0;
      for (let k = line[start] === 0x2d ? start + 1 : start; k < i; k++) n = n * 10 + line[k]! - 0x30;
      this.valueNumber = line[start] === 0x2d ? -n : n;
    } else {
      this.valueNumber = Number(line.toString('latin1', start, i));
    }
    return true;
  }

  /** After a value: a comma (more pairs follow: 1), the closing brace (0), or anything else (-1). */
  next(): number {
    if (this.pos >= this.end) return -1;
    const b = this.line[this.pos++];
    return b === COMMA ? 1 : b === CLOSE_BRACE ? 0 : -1;
  }
}

const scanner = new LineScanner();

/** Records a kept field from the scanner's last value (a later duplicate replaces an earlier one, as in JSON.parse). */
function keep(f: AssistantFields, field: number): void {
  const s = scanner;
  if (s.valueKind === V_STRING) {
    f.kind[field] = STRING;
    f.start[field] = s.valueStart;
    f.end[field] = s.valueEnd;
    f.high[field] = s.valueHigh;
  } else {
    f.kind[field] = OTHER;
  }
}

/** One plain top-level pair whose key was just read. */
function topValue(f: AssistantFields, at: number): boolean {
  const s = scanner;
  if (!s.scalar()) return false;
  if (at >= 0) keep(f, at);
  else if (at === -2) f.isAssistant = s.valueKind === V_STRING && keyIs(s.line, s.valueStart, s.valueEnd, K.assistant);
  else if (at === -3) f.apiError = s.valueKind === V_LITERAL && s.valueTrue;
  return true;
}

/**
 * The keys of one object, in the order the last line had them (`"name":` as
 * bytes, and what the key means there). Lines repeat their layout: the key at
 * a position is compared once against the one expected there, instead of read
 * to its closing quote and then compared against every name it might be.
 */
class KeyMemo {
  private readonly names: Uint8Array[] = [];
  private readonly ids: number[] = [];

  constructor(private readonly identify: (line: Buffer, start: number, end: number) => number) {}

  /** Reads the i-th key of the object at the scanner; its meaning, or NO_KEY when there is no key. */
  read(i: number): number {
    const s = scanner;
    const line = s.line;
    const expected = this.names[i];
    if (expected !== undefined) {
      const pos = s.pos;
      const length = expected.length;
      let k = 0;
      while (k < length && line[pos + k] === expected[k]) k++;
      if (k === length && pos + length <= s.end) {
        s.keyStart = pos + 1;
        s.keyEnd = pos + length - 2;
        s.pos = pos + length;
        return this.ids[i]!;
      }
    }
    const from = s.pos;
    if (!s.key()) return NO_KEY;
    const id = this.identify(line, s.keyStart, s.keyEnd);
    this.names[i] = Uint8Array.prototype.slice.call(line, from, s.pos);
    this.ids[i] = id;
    return id;
  }
}

const NO_KEY = -100;
const MESSAGE_AT = -4;
const USAGE_AT = -5;

const usageKeys = new KeyMemo(usageKey);
const splitKeys = new KeyMemo((line, s, e) => (keyIs(line, s, e, K.ephemeral_1h_input_tokens) ? TOKEN.cacheCreation1h : -1));
const skippedKeys = new KeyMemo(() => -1);
const messageTailKeys = new KeyMemo((line, s, e) => (keyIs(line, s, e, K.usage) ? USAGE_AT : messageKey(line, s, e)));
const recordTailKeys = new KeyMemo((line, s, e) => (keyIs(line, s, e, K.message) ? MESSAGE_AT : topKey(line, s, e)));

const USAGE_LEVEL = 0;
const SPLIT_LEVEL = 1;
const SKIPPED_LEVEL = 2;
const SPLIT_AT = 5;

/**
 * A flat object of plain values: the usage object (USAGE_LEVEL), or one level
 * down in it, cache_creation (SPLIT_LEVEL) or another one (SKIPPED_LEVEL).
 */
function usageObject(f: AssistantFields, level: number): boolean {
  const s = scanner;
  const line = s.line;
  if (line[s.pos] !== OPEN_BRACE) return false;
  s.pos++;
  if (line[s.pos] === CLOSE_BRACE) {
    s.pos++;
    return true;
  }
  const keys = level === USAGE_LEVEL ? usageKeys : level === SPLIT_LEVEL ? splitKeys : skippedKeys;
  for (let i = 0; ; i++) {
    const at = keys.read(i);
    if (at === NO_KEY) return false;
    if (line[s.pos] === OPEN_BRACE) {
      if (level !== USAGE_LEVEL) return false; // two levels down: not a layout we know
      if (at === SPLIT_AT) {
        // A later duplicate replaces an earlier one, as in JSON.parse.
        f.splitInvalid = false;
        f.tokens[TOKEN.cacheCreation1h] = 0;
        if (!usageObject(f, SPLIT_LEVEL)) return false;
      } else {
        if (!usageObject(f, SKIPPED_LEVEL)) return false;
        if (at >= 0) f.tokens[at] = -1; // an object where a count belongs
      }
    } else {
      if (!s.scalar()) return false;
      if (at === SPLIT_AT) {
        // null means "no split"; any other plain value is implausible.
        f.splitInvalid = !s.valueNull;
        f.tokens[TOKEN.cacheCreation1h] = 0;
      } else if (at >= 0) {
        f.tokens[at] = tokenValue(s.valueKind, s.valueNumber);
      }
    }
    const next = s.next();
    if (next === 0) return true;
    if (next < 0) return false;
  }
}

/**
 * The envelope of the last assistant line read (its bytes after the first
 * field, through `"message":`) and what was kept from it. Lines of one
 * session repeat it byte for byte: a memory compare replaces the walk.
 */
class EnvelopeCache {
  private bytes = Buffer.alloc(512);
  /** Through the `{` that opens message; 0: nothing remembered. */
  length = 0;
  private readonly kind = new Uint8Array(FIELD_COUNT);
  private readonly start = new Int32Array(FIELD_COUNT);
  private readonly end = new Int32Array(FIELD_COUNT);
  private readonly high = new Uint8Array(FIELD_COUNT);
  private isAssistant = false;
  private apiError = false;

  /** Fills `f` from the cache when line[from…] starts with the remembered bytes. */
  reuse(line: Buffer, from: number, f: AssistantFields): boolean {
    const length = this.length;
    if (length === 0 || from + length > line.length || line.compare(this.bytes, 0, length, from, from + length) !== 0) return false;
    for (let i = 0; i < FIELD_COUNT; i++) {
      f.kind[i] = this.kind[i]!;
      f.start[i] = this.start[i]! + from;
      f.end[i] = this.end[i]! + from;
      f.high[i] = this.high[i]!;
    }
    f.isAssistant = this.isAssistant;
    f.apiError = this.apiError;
    return true;
  }

  /** Remembers line[from, messageOpen] and the fields read from it. */
  remember(line: Buffer, from: number, messageOpen: number, f: AssistantFields): void {
    const length = messageOpen + 1 - from;
    if (this.bytes.length < length) this.bytes = Buffer.alloc(length * 2);
    line.copy(this.bytes, 0, from, from + length);
    this.length = length;
    for (let i = 0; i < FIELD_COUNT; i++) {
      this.kind[i] = f.kind[i]!;
      this.start[i] = f.start[i]! - from;
      this.end[i] = f.end[i]! - from;
      this.high[i] = f.high[i]!;
    }
    this.isAssistant = f.isAssistant;
    this.apiError = f.apiError;
  }
}

const envelope = new EnvelopeCache();

/**
 * Reads the counted fields of an assistant line (no newline, no surrounding
 * whitespace) into `f`, as positions in `line`. False when it is not laid out
 * as expected: parse it in full instead.
 */
export function extractAssistantFields(line: Buffer, f: AssistantFields): boolean {
  const end = line.length;
  const buffer = line;
  if (buffer[0] !== OPEN_BRACE || buffer[end - 1] !== CLOSE_BRACE) return false;
  const s = scanner;
  s.line = buffer;
  s.end = end;
  s.pos = 1;
  f.reset();
  // The record's own fields, up to "message":{. The first one (parentUuid) differs on every
  // line; the rest is mostly what the last line had: the same bytes read the same way.
  if (!s.key()) return false;
  if (buffer[s.pos] !== OPEN_BRACE || !keyIs(buffer, s.keyStart, s.keyEnd, K.message)) {
    const first = topKey(buffer, s.keyStart, s.keyEnd);
    if (!topValue(f, first)) return false;
    if (s.next() !== 1) return false;
    const from = s.pos;
    const cacheable = first === -1; // nothing kept yet: the rest alone decides the envelope's fields
    if (!(cacheable && envelope.reuse(buffer, from, f))) {
      for (;;) {
        if (!s.key()) return false;
        if (buffer[s.pos] === OPEN_BRACE && keyIs(buffer, s.keyStart, s.keyEnd, K.message)) break;
        if (!topValue(f, topKey(buffer, s.keyStart, s.keyEnd))) return false;
        if (s.next() !== 1) return false;
      }
      if (cacheable) envelope.remember(buffer, from, s.pos, f);
    } else {
      s.pos = from + envelope.length - 1;
    }
  }
  s.pos++;
  // The message's fields, up to "content":[.
  for (;;) {
    if (!s.key()) return false;
    if (buffer[s.pos] === OPEN_BRACKET && keyIs(buffer, s.keyStart, s.keyEnd, K.content)) break;
    const at = messageKey(buffer, s.keyStart, s.keyEnd);
    if (!s.scalar()) return false;
    if (at >= 0) keep(f, at);
    if (s.next() !== 1) return false;
  }
  // Skip the content: it ends at the last `],"stop_reason":`, which no string inside it can hold
  // unescaped (a tool's input may hold the key; the message's own comes after it). Searched from
  // the end, it is found a few hundred bytes in.
  const contentEnd = buffer.lastIndexOf(CONTENT_END);
  if (contentEnd < s.pos) return false;
  s.pos = contentEnd + 2;
  // The rest of the message: plain values and the usage object.
  for (let i = 0; ; i++) {
    const at = messageTailKeys.read(i);
    if (at === NO_KEY) return false;
    if (at === USAGE_AT) {
      f.resetUsage();
      if (buffer[s.pos] === OPEN_BRACE) {
        if (!usageObject(f, USAGE_LEVEL)) return false;
        f.usage = OBJECT;
      } else {
        if (!s.scalar()) return false;
        f.usage = OTHER;
      }
    } else {
      if (!s.scalar()) return false;
      if (at >= 0) keep(f, at);
    }
    const next = s.next();
    if (next === 0) break;
    if (next < 0) return false;
  }
  // After the message: the record's remaining plain fields, to the line's end.
  const after = s.next();
  if (after === 1) {
    for (let i = 0; ; i++) {
      const at = recordTailKeys.read(i);
      if (at === NO_KEY || at === MESSAGE_AT) return false; // a second "message" would replace the first
      if (!topValue(f, at)) return false;
      const next = s.next();
      if (next === 0) break;
      if (next < 0) return false;
    }
  } else if (after !== 0) {
    return false;
  }
  return s.pos === end;
}
