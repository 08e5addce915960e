// The responses already counted, one per de-duplication key: enough to take a
// response back or replace it with a fuller copy. Held as rows of one growing
// Float64Array, not as an object per response: at 50,000+ responses the small
// objects cost more in garbage collection and peak memory than the numbers.
import { PACKED } from './packed-events.js';
import type { UsageTotals } from './usage-index.js';

/** Columns of a row. */
export const ROW = { fileId: 0, bucketId: 1, ms: 2, input: 3, output: 4, cacheCreation: 5, cacheCreation1h: 6, cacheRead: 7, costUSD: 8 } as const;
export const ROW_FIELDS = 9;

export class CountedResponses {
  /** Key → row. A retracted row stays as a hole (fileId 0) until the table is compacted on save. */
  private readonly rowOf = new Map<string, number>();
  private rows: Float64Array<ArrayBufferLike> = new Float64Array(ROW_FIELDS * 4096);
  private used = 0;
  /** The key of each row (undefined: retracted), so saving walks rows in order instead of the map. */
  private keyOf: (string | undefined)[] = [];
  private holes = 0;
  /** Other files that hold a copy of a row's response (resumed sessions, a second root); few rows have any. */
  private readonly copies = new Map<number, number[]>();

  get size(): number {
    return this.rowOf.size;
  }

  /** The row of a key, or -1. */
  find(key: string): number {
    return this.rowOf.get(key) ?? -1;
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
      if ((this.used + 1) * ROW_FIELDS > this.rows.length) {
        const grown = new Float64Array(Math.max(ROW_FIELDS * 4096, this.rows.length * 2));
        grown.set(this.rows);
        this.rows = grown;
      }
      row = this.used++;
      this.rowOf.set(key, row);
      this.keyOf.push(key);
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
    for (const [key, row] of this.rowOf) {
      if (this.rows[row * ROW_FIELDS] === fileId) {
        for (const id of this.copiesOf(row)) affected.add(id);
        this.rowOf.delete(key);
        this.keyOf[row] = undefined;
        this.holes++;
        this.copies.delete(row);
        this.rows[row * ROW_FIELDS] = 0;
      } else {
        const list = this.copies.get(row);
        if (list?.includes(fileId)) this.setCopies(row, list.filter((id) => id !== fileId));
      }
    }
    return affected;
  }

  /**
   * What the index file stores: the live keys, their rows packed end to end
   * (`keys[i]` owns row i) and the rows with copies elsewhere, by that position.
   * Without retracted rows (any first scan) the rows are one view, not a copy.
   */
  saved(): { keys: string[]; rows: Float64Array; copies: [number, number[]][] } {
    if (this.holes === 0) {
      return { keys: this.keyOf as string[], rows: this.rows.subarray(0, this.used * ROW_FIELDS), copies: [...this.copies].sort((a, b) => a[0] - b[0]) };
    }
    const keys: string[] = [];
    const rows = new Float64Array(this.rowOf.size * ROW_FIELDS);
    const copies: [number, number[]][] = [];
    for (let row = 0; row < this.used; row++) {
      const key = this.keyOf[row];
      if (key === undefined) continue;
      const list = this.copies.get(row);
      if (list && list.length > 0) copies.push([keys.length, list]);
      rows.set(this.rows.subarray(row * ROW_FIELDS, (row + 1) * ROW_FIELDS), keys.length * ROW_FIELDS);
      keys.push(key);
    }
    return { keys, rows, copies };
  }

  /** Loads what saved() returned: `keys[i]` owns row i. */
  load(keys: readonly string[], packed: Float64Array, copies: readonly [number, number[]][]): void {
    this.rowOf.clear();
    this.copies.clear();
    // Adopted, not copied (setPacked grows it on the first new row): a load that changes little copies nothing.
    this.rows = packed;
    this.used = keys.length;
    this.keyOf = keys.slice();
    this.holes = 0;
    const rowOf = this.rowOf;
    for (let row = 0; row < keys.length; row++) rowOf.set(keys[row]!, row);
    for (const [row, ids] of copies) this.setCopies(row, ids);
  }
}
