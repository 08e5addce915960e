// What the extractor remembers of the last assistant line's layout. Lines of
// one session repeat it: the same bytes at the same place are read the same
// way, so a comparison replaces a walk. Nothing here decides a value: a miss
// walks the bytes as if nothing were remembered.
import { AssistantFields } from './assistant-fields.js';
import { bytesAt, scanner } from './json-line-scanner.js';

/** KeyMemo.read found no key where one belongs: the line takes the full parse. */
export const NO_KEY = -100;

/**
 * The keys of one object, in the order the last line had them (`"name":` as
 * bytes, and what the key means there). Lines repeat their layout: the key at
 * a position is compared once against the one expected there, instead of read
 * to its closing quote and then compared against every name it might be.
 */
export class KeyMemo {
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
      if (pos + length <= s.end && bytesAt(line, pos, expected)) {
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

/**
 * The envelope of the last assistant line read (its bytes after the first
 * field, through `"message":`) and what was kept from it. Lines of one
 * session repeat it byte for byte: a memory compare replaces the walk.
 */
export class EnvelopeCache {
  private bytes = Buffer.alloc(512);
  /** Through the `{` that opens message; 0: nothing remembered. */
  length = 0;
  /** What was read from those bytes, at positions counted from their start. */
  private readonly fields = new AssistantFields();

  /** Fills `f` from the cache when line[from…] starts with the remembered bytes. */
  reuse(line: Buffer, from: number, f: AssistantFields): boolean {
    const length = this.length;
    if (length === 0 || from + length > line.length || line.compare(this.bytes, 0, length, from, from + length) !== 0) return false;
    f.takeEnvelope(this.fields, from);
    return true;
  }

  /** Remembers line[from, messageOpen] and the fields read from it. */
  remember(line: Buffer, from: number, messageOpen: number, f: AssistantFields): void {
    const length = messageOpen + 1 - from;
    if (this.bytes.length < length) this.bytes = Buffer.alloc(length * 2);
    line.copy(this.bytes, 0, from, from + length);
    this.length = length;
    this.fields.takeEnvelope(f, -from);
  }
}
