// The responses already counted, one per de-duplication key: enough to take a
// response back or replace it with a fuller copy. Held as rows of one growing
// Float64Array, not as an object per response: at 50,000+ responses the small
// objects cost more in garbage collection and peak memory than the numbers.
import { KeyTable, placeInSlots } from './key-table.js';
import { PACKED } from './packed-events.js';
import type { UsageTotals } from './usage-index.js';

/** Columns of a row. */
export const ROW = { fileId: 0, bucketId: 1, ms: 2, input: 3, output: 4, cacheCreation: 5, cacheCreation1h: 6, cacheRead: 7, costUSD: 8 } as const;
export const ROW_FIELDS = 9;

export class CountedResponses {
  /** Rows 0 … loadedRows-1: the keys loaded from the index file, as its bytes (key k owns row k). */
  private loaded: KeyTable | null = null;
  /** Rows counted since: each one's key (undefined once retracted) and hash, from loadedRows on. */
  private addedKeys: (string | undefined)[] = [];
  private addedHashes = new Uint32Array(4096);
  /**
   * Those rows by key hash: added row + 1 per slot, 0 empty; a power of two, at
   * most half full. A retracted row keeps its slot (its key no longer matches).
   * Keys arrive hashed (packed events carry it), so no key text is hashed here.
   */
  private slots = new Int32Array(1024);
  private rows: Float64Array<ArrayBufferLike> = new Float64Array(ROW_FIELDS * 4096);
  private used = 0;
  /** A retracted row stays as a hole (fileId 0) until the table is compacted on save. */
  private holes = 0;
  /** Other files that hold a copy of a row's response (resumed sessions, a second root); few rows have any. */
  private readonly copies = new Map<number, number[]>();

  private get loadedRows(): number {
    return this.loaded?.size ?? 0;
  }

  /** Responses counted (retracted ones not). */
  get size(): number {
    return this.used - this.holes;
  }

  /** The row of a key whose hash (hashKey) is `hash`, or -1. */
  find(key: string, hash: number): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    for (let slot = hash & mask; slots[slot] !== 0; slot = (slot + 1) & mask) {
      const added = slots[slot]! - 1;
      if (this.addedHashes[added] === hash && this.addedKeys[added] === key) return this.loadedRows + added;
    }
    return this.loaded ? this.loaded.find(key, hash) : -1;
  }

  private placeAdded(added: number): void {
    placeInSlots(this.slots, this.addedHashes[added]!, added + 1);
  }

  /**
   * Room for one more row, and one more added row: the rows and hashes grow,
   * and the slots double (all placed again) when half full. Called only when
   * one of them is full: a rare call V8 leaves out of the merge loop it
   * compiles, and a branch first taken mid-scan costs no recompile of that loop.
   */
  private makeRoom(): void {
    if ((this.used + 1) * ROW_FIELDS > this.rows.length) {
      const grown = new Float64Array(Math.max(ROW_FIELDS * 4096, this.rows.length * 2));
      grown.set(this.rows);
      this.rows = grown;
    }
    const count = this.addedKeys.length;
    if (count === this.addedHashes.length) {
      const grown = new Uint32Array(count * 2);
      grown.set(this.addedHashes);
      this.addedHashes = grown;
    }
    if ((count + 1) * 2 > this.slots.length) {
      this.slots = new Int32Array(this.slots.length * 2);
      for (let added = 0; added < count; added++) this.placeAdded(added);
    }
  }

  /** The key of a live row. */
  keyOf(row: number): string {
    return row < this.loadedRows ? this.loaded!.keyAt(row) : this.addedKeys[row - this.loadedRows]!;
  }

  get(row: number, column: number): number {
    return this.rows[row * ROW_FIELDS + column]!;
  }

  /**
   * Adds a row (or, with `row` ≥ 0, overwrites that key's row) from the packed
   * event at `at` in `events` (packed-events.ts) and returns it.
   */
  setPacked(key: string, row: number, fileId: number, bucketId: number, events: Float64Array, at: number): number {
    if (row < 0) {
      const count = this.addedKeys.length;
      if ((this.used + 1) * ROW_FIELDS > this.rows.length || count === this.addedHashes.length || (count + 1) * 2 > this.slots.length) this.makeRoom();
      row = this.used++;
      const added = this.addedKeys.push(key) - 1;
      this.addedHashes[added] = events[at + PACKED.keyHash]!;
      this.placeAdded(added);
    }
    const rows = this.rows;
    const o = row * ROW_FIELDS;
    rows[o] = fileId;
    rows[o + 1] = bucketId;
    rows[o + 2] = events[at + PACKED.ms]!;
    rows[o + 3] = events[at + PACKED.input]!;
    rows[o + 4] = events[at + PACKED.output]!;
    rows[o + 5] = events[at + PACKED.cacheCreation]!;
    rows[o + 6] = events[at + PACKED.cacheCreation1h]!;
    rows[o + 7] = events[at + PACKED.cacheRead]!;
    const cost = events[at + PACKED.cost]!;
    rows[o + 8] = cost === cost ? cost : 0; // unpriced (NaN) adds nothing to a bucket's cost
    return row;
  }

  /** Takes a row's numbers back out of the totals they were added to. */
  subtractFrom(totals: UsageTotals, row: number): void {
    const rows = this.rows;
    const o = row * ROW_FIELDS;
    totals.input -= rows[o + 3]!;
    totals.output -= rows[o + 4]!;
    totals.cacheCreation -= rows[o + 5]!;
    totals.cacheCreation1h -= rows[o + 6]!;
    totals.cacheRead -= rows[o + 7]!;
    totals.costUSD -= rows[o + 8]!;
  }

  copiesOf(row: number): readonly number[] {
    return this.copies.get(row) ?? [];
  }

  setCopies(row: number, fileIds: readonly number[]): void {
    if (fileIds.length > 0) this.copies.set(row, [...fileIds]);
    else this.copies.delete(row);
  }

  addCopy(row: number, fileId: number): void {
    const list = this.copies.get(row);
    if (!list) this.copies.set(row, [fileId]);
    else if (!list.includes(fileId)) list.push(fileId);
  }

  /**
   * Drops every row counted in `fileId` and forgets that file as a holder of
   * copies. Returns the other files that held copies of the dropped rows.
   */
  dropFile(fileId: number): Set<number> {
    const affected = new Set<number>();
    const rows = this.rows;
    for (let row = 0; row < this.used; row++) {
      const o = row * ROW_FIELDS;
      if (rows[o] === 0) continue; // a hole
      if (rows[o] === fileId) {
        for (const id of this.copiesOf(row)) affected.add(id);
        if (row < this.loadedRows) this.loaded!.remove(row);
        else this.addedKeys[row - this.loadedRows] = undefined;
        this.holes++;
        this.copies.delete(row);
        rows[o] = 0;
      } else {
        const list = this.copies.get(row);
        if (list?.includes(fileId)) this.setCopies(row, list.filter((id) => id !== fileId));
      }
    }
    return affected;
  }

  /**
   * What the index file stores: the live keys' bytes and where each ends, their
   * rows packed end to end (key i owns row i) and the rows with copies elsewhere,
   * by that position. Without retracted rows (any first scan) the rows are one view, not a copy.
   */
  saved(): { keyBytes: Buffer; keyEnds: Float64Array; rows: Float64Array; copies: [number, number[]][] } {
    let liveLoaded: number[] | 'all' = 'all';
    let liveAdded = this.addedKeys as string[];
    if (this.holes > 0) {
      liveLoaded = [];
      for (let row = 0; row < this.loadedRows; row++) if (this.rows[row * ROW_FIELDS] !== 0) liveLoaded.push(row);
      liveAdded = this.addedKeys.filter((key) => key !== undefined);
    }
    const { bytes: keyBytes, ends: keyEnds } = KeyTable.saved(this.loaded, liveLoaded, liveAdded);
    if (this.holes === 0) {
      return { keyBytes, keyEnds, rows: this.rows.subarray(0, this.used * ROW_FIELDS), copies: [...this.copies].sort((a, b) => a[0] - b[0]) };
    }
    const rows = new Float64Array(keyEnds.length * ROW_FIELDS);
    const copies: [number, number[]][] = [];
    for (let row = 0, position = 0; row < this.used; row++) {
      if (this.rows[row * ROW_FIELDS] === 0) continue;
      const list = this.copies.get(row);
      if (list && list.length > 0) copies.push([position, list]);
      rows.set(this.rows.subarray(row * ROW_FIELDS, (row + 1) * ROW_FIELDS), position * ROW_FIELDS);
      position++;
    }
    return { keyBytes, keyEnds, rows, copies };
  }

  /** Loads what saved() returned: key i owns row i. Throws when the keys do not fit the rows. */
  load(keyBytes: Buffer, keyEnds: Float64Array, packed: Float64Array, copies: readonly [number, number[]][]): void {
    if (packed.length !== keyEnds.length * ROW_FIELDS) throw new RangeError('keys and rows differ in number');
    this.loaded = KeyTable.load(keyBytes, keyEnds);
    this.addedKeys = [];
    this.slots = new Int32Array(1024);
    this.copies.clear();
    // Adopted, not copied (setPacked grows it on the first new row): a load that changes little copies nothing.
    this.rows = packed;
    this.used = keyEnds.length;
    this.holes = 0;
    for (const [row, ids] of copies) this.setCopies(row, ids);
  }
}
