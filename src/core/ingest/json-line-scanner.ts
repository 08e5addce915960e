// A cursor over one JSON line for the assistant-line extractor: keys, plain
// values (strings without escapes, numbers, literals) and separators, read
// straight from the bytes with JSON's own grammar. Anything else fails, and
// the line is parsed in full instead.

import { CODING_ESCAPED, CODING_HIGH } from './assistant-fields.js';

export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const COLON = 0x3a;
export const COMMA = 0x2c;
export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;
export const OPEN_BRACKET = 0x5b;

/** A JSON value's kind as read by the scanner. */
export const V_FAIL = 0;
export const V_STRING = 1;
export const V_NUMBER = 2;
export const V_LITERAL = 3; // true, false, null

function isDigit(b: number | undefined): boolean {
  return b !== undefined && b >= 0x30 && b <= 0x39;
}

/** Keys compared as bytes: no string is made for the many keys that are skipped. */
function isHex(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x66) || (b >= 0x41 && b <= 0x46);
}

/** Whether `bytes` sit in `buffer` at `at` (a loop: short runs cost less than a native compare's call). */
export function bytesAt(buffer: Uint8Array, at: number, bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (buffer[at + i] !== bytes[i]) return false;
  return true;
}

/** Whether line[start, end) is exactly `bytes`. */
export function spanIs(line: Uint8Array, start: number, end: number, bytes: Uint8Array): boolean {
  return end - start === bytes.length && bytesAt(line, start, bytes);
}

/**
 * A cursor over one line of a (possibly larger) buffer. Every step returns
 * false on anything it does not expect: the line then takes the full parse.
 */
const EMPTY = Buffer.alloc(0);

export class LineScanner {
  line: Buffer = EMPTY;
  end = 0;
  pos = 0;
  // The last key and value read.
  keyStart = 0;
  keyEnd = 0;
  valueKind = V_FAIL;
  valueStart = 0;
  valueEnd = 0;
  /** CODING_HIGH | CODING_ESCAPED of the last string read. */
  valueCoding = 0;
  valueNumber = 0;
  /** The last literal read was `true` / `null`. */
  valueTrue = false;
  valueNull = false;

  /**
   * Where a string starting at `start` closes, or -1 when it is not valid
   * JSON (a control byte, an unknown escape) or never closes. Escapes are
   * checked and skipped: the caller decodes a kept value that has some.
   */
  private stringEnd(start: number): number {
    const line = this.line;
    const end = this.end;
    let coding = 0;
    for (let i = start; i < end; i++) {
      const b = line[i]!;
      if (b === QUOTE) {
        this.valueCoding = coding;
        return i;
      }
      if (b < 0x20) return -1;
      if (b === BACKSLASH) {
        const e = line[i + 1];
        if (e === 0x75) {
          if (i + 5 >= end || !isHex(line[i + 2]!) || !isHex(line[i + 3]!) || !isHex(line[i + 4]!) || !isHex(line[i + 5]!)) return -1;
          i += 5;
        } else if (e === QUOTE || e === BACKSLASH || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
          i += 1;
        } else {
          return -1;
        }
        coding |= CODING_ESCAPED;
        continue;
      }
      coding |= b & CODING_HIGH;
    }
    return -1;
  }

  /** Lets go of the last line (it may sit in a buffer of many megabytes) once a file is scanned. */
  release(): void {
    this.line = EMPTY;
    this.end = 0;
    this.pos = 0;
  }

  /** A key with no escapes, then a colon; its bytes are at [keyStart, keyEnd). */
  key(): boolean {
    const line = this.line;
    if (line[this.pos] !== QUOTE) return false;
    const start = this.pos + 1;
    const i = this.stringEnd(start);
    // A key is matched by its bytes: one written with escapes is the full parser's case.
    if (i === -1 || line[i + 1] !== COLON || (this.valueCoding & CODING_ESCAPED) !== 0) return false;
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

/** One per thread: a scan is synchronous. */
export const scanner = new LineScanner();
