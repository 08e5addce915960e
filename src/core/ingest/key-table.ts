// The de-duplication keys loaded from the index file, kept as its bytes: the
// UTF-8 bytes of every key end to end, where each ends, and an open-addressing
// hash table of key numbers. Loading them as a Map of 50,000+ strings cost a
// JSON parse and as many strings (and their collection) at every run that
// found a transcript grown; this costs two typed arrays. Keys counted during
// the run are found by the hash they arrive with (counted-responses.ts).

const EMPTY = 0;
const REMOVED = -1;

/** FNV-1a over bytes [start, end). */
function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

/**
 * Puts `entry` (not EMPTY) in the first free slot from `hash`: open addressing
 * with linear probing, in a power-of-two table kept at most half full (here
 * and in counted-responses.ts).
 */
export function placeInSlots(slots: Int32Array, hash: number, entry: number): void {
  const mask = slots.length - 1;
  let slot = hash & mask;
  while (slots[slot] !== EMPTY) slot = (slot + 1) & mask;
  slots[slot] = entry;
}

/**
 * A key's hash: FNV-1a over its UTF-8 bytes, as the line scanner's response
 * table computes it (response-table.h) and this table does. Keys travel with it
 * in packed events.
 */
export function hashKey(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c >= 0x80) {
      const bytes = Buffer.from(key, 'utf8');
      return hashBytes(bytes, 0, bytes.length);
    }
    h = Math.imul(h ^ c, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Lookups answered by searching the bytes before the hash table is built: a run
 * that finds a transcript grown by a few responses looks up a few keys, and a
 * search of a few megabytes costs well under a millisecond where hashing every
 * key costs 10–20.
 */
const SEARCHED_LOOKUPS = 16;

export class KeyTable {
  /** Built at the first lookup past SEARCHED_LOOKUPS. */
  private hashes: Uint32Array | null = null;
  /** Key number + 1 per slot; EMPTY, or REMOVED for a key taken out. A power of two, at most half full. */
  private slots: Int32Array | null = null;
  /** 1 for a key taken out (made at the first removal). */
  private removed: Uint8Array | null = null;
  private removedCount = 0;
  private lookups = 0;
  private scratch = Buffer.allocUnsafe(256);

  private constructor(
    private readonly bytes: Buffer,
    /** ends[k]: where key k's bytes end; key k starts where key k-1 ends (0 for the first). */
    private readonly ends: Float64Array,
  ) {}

  private buildTable(): Int32Array {
    const ends = this.ends;
    const hashes = (this.hashes = new Uint32Array(ends.length));
    let size = 16;
    while (size < ends.length * 2 + 2) size *= 2;
    const slots = (this.slots = new Int32Array(size));
    for (let k = 0; k < ends.length; k++) {
      const hash = (hashes[k] = hashBytes(this.bytes, this.startOf(k), ends[k]!));
      if (this.removed?.[k] !== 1) placeInSlots(slots, hash, k + 1);
    }
    return slots;
  }

  /** The keys that `saved` gave, numbered as there; throws when the ends do not fit the bytes. */
  static load(bytes: Buffer, ends: Float64Array): KeyTable {
    let previous = 0;
    for (const end of ends) {
      if (!(Number.isInteger(end) && end >= previous && end <= bytes.length)) throw new RangeError('key ends do not fit the key bytes');
      previous = end;
    }
    if (previous !== bytes.length) throw new RangeError('key bytes left over');
    return new KeyTable(bytes, ends);
  }

  /** Keys loaded, removed ones included (they keep their numbers). */
  get size(): number {
    return this.ends.length;
  }

  private startOf(k: number): number {
    return k === 0 ? 0 : this.ends[k - 1]!;
  }

  /** The number of `key`, whose hash (hashKey) is `hash`, or -1. */
  find(key: string, hash: number): number {
    if (key.length * 3 > this.scratch.length) this.scratch = Buffer.allocUnsafe(key.length * 3);
    const length = this.scratch.write(key, 0, 'utf8');
    if (this.slots === null && ++this.lookups <= SEARCHED_LOOKUPS && length > 0) return this.search(length);
    const slots = this.slots ?? this.buildTable();
    const mask = slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = slots[slot]!;
      if (entry === EMPTY) return -1;
      if (entry !== REMOVED && this.hashes![entry - 1] === hash && this.isScratch(entry - 1, length)) return entry - 1;
    }
  }

  /** find() by searching the bytes for the scratch's first `length` bytes, at a key's start and of its length. */
  private search(length: number): number {
    const needle = this.scratch.subarray(0, length);
    for (let at = this.bytes.indexOf(needle); at !== -1; at = this.bytes.indexOf(needle, at + 1)) {
      const k = this.keyStartingAt(at);
      if (k !== -1 && this.ends[k]! - at === length && this.removed?.[k] !== 1) return k;
    }
    return -1;
  }

  /** The key that starts at byte `at`, or -1 when `at` is inside one. */
  private keyStartingAt(at: number): number {
    const ends = this.ends;
    // The first key ending after `at` holds it.
    let low = 0;
    let high = ends.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (ends[mid]! <= at) low = mid + 1;
      else high = mid;
    }
    return low < ends.length && this.startOf(low) === at ? low : -1;
  }

  private isScratch(k: number, length: number): boolean {
    const start = this.startOf(k);
    if (this.ends[k]! - start !== length) return false;
    for (let i = 0; i < length; i++) if (this.bytes[start + i] !== this.scratch[i]) return false;
    return true;
  }

  /** Takes key `k` out: find() no longer sees it; the others keep their numbers. */
  remove(k: number): void {
    this.removed ??= new Uint8Array(this.ends.length);
    if (this.removed[k] === 1) return;
    this.removed[k] = 1;
    this.removedCount++;
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
   * The bytes and ends of the loaded keys `kept` (ascending; "all": every one),
   * numbered from 0, then of `more` keys: what the index file stores. All of
   * them and nothing more is the loaded bytes themselves.
   */
  static saved(table: KeyTable | null, kept: readonly number[] | 'all', more: readonly string[]): { bytes: Buffer; ends: Float64Array } {
    const all = kept === 'all';
    if (table && all && more.length === 0) return { bytes: table.bytes, ends: table.ends };
    const keptCount = all ? (table?.size ?? 0) : kept.length;
    // The new keys in one write: Claude Code's ids are ASCII, one byte per character.
    const joined = more.join('');
    const ascii = Buffer.byteLength(joined) === joined.length;
    const ends = new Float64Array(keptCount + more.length);
    let total = 0;
    if (all) ends.set(table ? table.ends : []);
    else kept.forEach((k, i) => (ends[i] = total += table!.ends[k]! - table!.startOf(k)));
    total = keptCount > 0 ? ends[keptCount - 1]! : 0;
    const moreAt = total;
    more.forEach((key, j) => (ends[keptCount + j] = total += ascii ? key.length : Buffer.byteLength(key)));
    const bytes = Buffer.allocUnsafe(total);
    if (all) table?.bytes.copy(bytes, 0);
    else kept.forEach((k, i) => table!.bytes.copy(bytes, i === 0 ? 0 : ends[i - 1]!, table!.startOf(k), table!.ends[k]!));
    if (ascii) bytes.write(joined, moreAt, 'latin1');
    else more.forEach((key, j) => bytes.write(key, ends[keptCount + j]! - Buffer.byteLength(key), 'utf8'));
    return { bytes, ends };
  }
}
