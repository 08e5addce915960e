// De-duplication keys kept as bytes: the UTF-8 bytes of every key end to end,
// where each ends, and an open-addressing hash table of key numbers. Loading
// the index's 50,000+ keys as a Map of strings cost a JSON parse and as many
// strings (and their collection) at every run that found a transcript grown;
// this costs two typed arrays. The keys a run counts are added to a growing
// table of the same kind: scans hand them over as bytes (packed-layout.ts),
// so the main thread never makes, hashes or collects a string per response.

const EMPTY = 0;
const REMOVED = -1;

/** FNV-1a over bytes [start, end): the hash every key table and every scan's keys use. */
export function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

/**
 * Lookups answered by searching the bytes before the hash table is built: a run
 * that finds a transcript grown by a few responses looks up a few keys, and a
 * search of a few megabytes costs well under a millisecond where hashing every
 * key costs 10–20.
 */
const SEARCHED_LOOKUPS = 16;

/** Keys as bytes, the form packed events and the index file carry. */
export interface KeyBytes {
  /** Every key's UTF-8 bytes, end to end (a buffer of its own: it can be transferred). */
  bytes: Buffer;
  /** ends[k]: where key k ends; key k starts where key k-1 ends (0 for the first). */
  ends: Float64Array;
}

/** Keys as a scan hands them over: with each key's hashBytes, worked out where the keys were made. */
export interface HashedKeyBytes extends KeyBytes {
  hashes: Uint32Array;
}

export class KeyTable {
  private hashes: Uint32Array | null = null;
  /** Key number + 1 per slot; EMPTY, or REMOVED for a key taken out. A power of two, at most half full. */
  private slots: Int32Array | null = null;
  /** 1 for a key taken out (made at the first removal). */
  private removed: Uint8Array | null = null;
  private lookups = 0;
  private scratch = Buffer.allocUnsafe(256);

  private constructor(
    private bytes: Buffer,
    /** Where each key ends; beyond `count`, room to grow. */
    private ends: Float64Array,
    private count: number,
    /** Bytes in use (the rest of `bytes` is room to grow). */
    private used: number,
  ) {}

  /** The keys that `saved` gave, numbered as there; throws when the ends do not fit the bytes. Its hash table is built at need. */
  static load(bytes: Buffer, ends: Float64Array): KeyTable {
    let previous = 0;
    for (const end of ends) {
      if (!(Number.isInteger(end) && end >= previous && end <= bytes.length)) throw new RangeError('key ends do not fit the key bytes');
      previous = end;
    }
    if (previous !== bytes.length) throw new RangeError('key bytes left over');
    return new KeyTable(bytes, ends, ends.length, bytes.length);
  }

  /** An empty table that keys are added to, hashed as they come. */
  static growing(): KeyTable {
    const table = new KeyTable(Buffer.allocUnsafeSlow(64 * 1024), new Float64Array(1024), 0, 0);
    table.buildTable();
    return table;
  }

  /** `keys` as bytes and their hashes, each in a buffer of its own (never a slice of Node's shared pool, so they can be transferred). */
  static encodeHashed(keys: readonly string[]): HashedKeyBytes {
    const { bytes, ends } = KeyTable.encode(keys);
    const hashes = new Uint32Array(keys.length);
    for (let k = 0; k < keys.length; k++) hashes[k] = hashBytes(bytes, k === 0 ? 0 : ends[k - 1]!, ends[k]!);
    return { bytes, ends, hashes };
  }

  /** `keys` as bytes, in a buffer of their own (never a slice of Node's shared pool, so it can be transferred). */
  static encode(keys: readonly string[]): KeyBytes {
    // In one write: Claude Code's ids are ASCII, one byte per character.
    const joined = keys.join('');
    const ascii = Buffer.byteLength(joined) === joined.length;
    const ends = new Float64Array(keys.length);
    let total = 0;
    keys.forEach((key, k) => (ends[k] = total += ascii ? key.length : Buffer.byteLength(key)));
    const bytes = Buffer.allocUnsafeSlow(total);
    if (ascii) bytes.write(joined, 0, 'latin1');
    else keys.forEach((key, k) => bytes.write(key, k === 0 ? 0 : ends[k - 1]!, 'utf8'));
    return { bytes, ends };
  }

  /** Keys held, removed ones included (they keep their numbers). */
  get size(): number {
    return this.count;
  }

  private startOf(k: number): number {
    return k === 0 ? 0 : this.ends[k - 1]!;
  }

  private buildTable(): Int32Array {
    const count = this.count;
    if (this.hashes === null || this.hashes.length < this.ends.length) {
      const hashes = new Uint32Array(Math.max(this.ends.length, 16));
      for (let k = 0; k < count; k++) hashes[k] = hashBytes(this.bytes, this.startOf(k), this.ends[k]!);
      this.hashes = hashes;
    }
    let size = 16;
    while (size < count * 2 + 2) size *= 2;
    return this.fillSlots(size);
  }

  private fillSlots(size: number): Int32Array {
    const slots = (this.slots = new Int32Array(size));
    const mask = size - 1;
    const hashes = this.hashes!;
    for (let k = 0; k < this.count; k++) {
      if (this.removed?.[k] === 1) continue;
      let slot = hashes[k]! & mask;
      while (slots[slot] !== EMPTY) slot = (slot + 1) & mask;
      slots[slot] = k + 1;
    }
    return slots;
  }

  /** The number of `key`, or -1. */
  find(key: string): number {
    if (key.length * 3 > this.scratch.length) this.scratch = Buffer.allocUnsafe(key.length * 3);
    const length = this.scratch.write(key, 0, 'utf8');
    return this.findBytes(this.scratch, 0, length);
  }

  /** The number of the key whose bytes are bytes[start, end) (its hashBytes: `hash`, when known), or -1. */
  findBytes(bytes: Uint8Array, start: number, end: number, hash = -1): number {
    if (this.slots === null && ++this.lookups <= SEARCHED_LOOKUPS && end > start) return this.search(bytes.subarray(start, end));
    const slots = this.slots ?? this.buildTable();
    if (hash === -1) hash = hashBytes(bytes, start, end);
    const hashes = this.hashes!;
    const mask = slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = slots[slot]!;
      if (entry === EMPTY) return -1;
      if (entry !== REMOVED && hashes[entry - 1] === hash && this.holds(entry - 1, bytes, start, end)) return entry - 1;
    }
  }

  /**
   * Adds the key bytes[start, end) (not already held: callers find first; its
   * hashBytes: `hash`, when known) and returns its number, the next one.
   */
  add(bytes: Uint8Array, start: number, end: number, hash = -1): number {
    const slots0 = this.slots ?? this.buildTable();
    const k = this.count;
    const length = end - start;
    if (this.used + length > this.bytes.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(this.bytes.length * 2, this.used + length));
      this.bytes.copy(grown, 0, 0, this.used);
      this.bytes = grown;
    }
    if (k === this.ends.length) {
      const capacity = Math.max(16, k * 2);
      const ends = new Float64Array(capacity);
      ends.set(this.ends);
      this.ends = ends;
      const hashes = new Uint32Array(capacity);
      hashes.set(this.hashes!);
      this.hashes = hashes;
      if (this.removed) {
        const removed = new Uint8Array(capacity);
        removed.set(this.removed);
        this.removed = removed;
      }
    }
    const at = this.used;
    const own = this.bytes;
    for (let i = 0; i < length; i++) own[at + i] = bytes[start + i]!;
    this.used = at + length;
    this.ends[k] = this.used;
    if (hash === -1) hash = hashBytes(bytes, start, end);
    this.hashes![k] = hash;
    this.count = k + 1;
    // At most half full: grown (and refilled from the kept hashes) before it gets fuller.
    const slots = this.count * 2 + 2 > slots0.length ? this.fillSlots(slots0.length * 2) : slots0;
    if (slots !== slots0) return k; // refilled with the new key in it
    const mask = slots.length - 1;
    let slot = hash & mask;
    while (slots[slot] !== EMPTY) slot = (slot + 1) & mask;
    slots[slot] = k + 1;
    return k;
  }

  /** findBytes by searching the bytes for `needle`, at a key's start and of its length. */
  private search(needle: Uint8Array): number {
    const bytes = this.bytes.subarray(0, this.used);
    for (let at = bytes.indexOf(needle); at !== -1; at = bytes.indexOf(needle, at + 1)) {
      const k = this.keyStartingAt(at);
      if (k !== -1 && this.ends[k]! - at === needle.length && this.removed?.[k] !== 1) return k;
    }
    return -1;
  }

  /** The key that starts at byte `at`, or -1 when `at` is inside one. */
  private keyStartingAt(at: number): number {
    const ends = this.ends;
    // The first key ending after `at` holds it.
    let low = 0;
    let high = this.count;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (ends[mid]! <= at) low = mid + 1;
      else high = mid;
    }
    return low < this.count && this.startOf(low) === at ? low : -1;
  }

  /** Whether key k is bytes[start, end). */
  private holds(k: number, bytes: Uint8Array, start: number, end: number): boolean {
    const from = this.startOf(k);
    const length = end - start;
    if (this.ends[k]! - from !== length) return false;
    const own = this.bytes;
    for (let i = 0; i < length; i++) if (own[from + i] !== bytes[start + i]) return false;
    return true;
  }

  /** Takes key `k` out: find() no longer sees it; the others keep their numbers. */
  remove(k: number): void {
    this.removed ??= new Uint8Array(this.ends.length);
    if (this.removed[k] === 1) return;
    this.removed[k] = 1;
    const slots = this.slots;
    if (slots === null) return;
    const mask = slots.length - 1;
    for (let slot = this.hashes![k]! & mask; ; slot = (slot + 1) & mask) {
      const entry = slots[slot]!;
      if (entry === EMPTY) return;
      if (entry === k + 1) {
        slots[slot] = REMOVED;
        return;
      }
    }
  }

  /** Key `k` as text. */
  keyAt(k: number): string {
    return this.bytes.toString('utf8', this.startOf(k), this.ends[k]!);
  }

  /**
   * The keys of several tables, end to end and numbered from 0: of each, the
   * keys `kept` (ascending; "all": every one). What the index file stores. One
   * loaded table kept whole is its bytes themselves.
   */
  static joined(parts: readonly (readonly [KeyTable | null, readonly number[] | 'all'])[]): KeyBytes {
    const present = parts.filter(([table, kept]) => table !== null && (kept === 'all' ? table.count > 0 : kept.length > 0)) as [KeyTable, readonly number[] | 'all'][];
    if (present.length === 1) {
      const [table, kept] = present[0]!;
      if (kept === 'all' && table.used === table.bytes.length && table.count === table.ends.length) return { bytes: table.bytes, ends: table.ends };
    }
    let count = 0;
    let total = 0;
    for (const [table, kept] of present) {
      if (kept === 'all') {
        count += table.count;
        total += table.used;
      } else {
        count += kept.length;
        for (const k of kept) total += table.ends[k]! - table.startOf(k);
      }
    }
    const bytes = Buffer.allocUnsafeSlow(total);
    const ends = new Float64Array(count);
    let at = 0;
    let n = 0;
    for (const [table, kept] of present) {
      if (kept === 'all') {
        table.bytes.copy(bytes, at, 0, table.used);
        for (let k = 0; k < table.count; k++) ends[n++] = at + table.ends[k]!;
        at += table.used;
      } else {
        for (const k of kept) {
          at += table.bytes.copy(bytes, at, table.startOf(k), table.ends[k]!);
          ends[n++] = at;
        }
      }
    }
    return { bytes, ends };
  }

  /**
   * The loaded keys `kept` then `more` keys, as joined() gives them (the form
   * the tests and older callers use).
   */
  static saved(table: KeyTable | null, kept: readonly number[] | 'all', more: readonly string[]): KeyBytes {
    const added = more.length > 0 ? KeyTable.encode(more) : null;
    return KeyTable.joined([
      [table, kept],
      [added ? KeyTable.load(added.bytes, added.ends) : null, 'all'],
    ]);
  }
}
