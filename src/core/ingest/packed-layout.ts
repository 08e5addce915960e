// How usage events are packed (packed-events.ts, scan-events.ts): a leaf
// module, so both sides of the scan import the layout without a cycle.

export interface PackedEvents {
  /** Models, sessions and folders, named by position. */
  strings: string[];
  /** Per event: key (a key number; -1: none), ms, model, session, cwd (string indexes), then the five token counts and the cost (NaN: unpriced). */
  numbers: Float64Array;
  /**
   * The events' de-duplication keys, UTF-8, end to end: key k ends at
   * keyEnds[k] and starts where key k-1 ends (0 for the first). Bytes, not
   * strings: they cross from a worker in one block, and the index looks them
   * up and keeps them as bytes (key-table.ts).
   */
  keyBytes: Uint8Array;
  keyEnds: Float64Array;
  /** Each key's hash (hashBytes in key-table.ts), worked out on the scanning thread. */
  keyHashes: Uint32Array;
}

/** Numbers per event, and where each sits in an event's run. */
export const FIELDS = 11;
export const PACKED = { key: 0, ms: 1, model: 2, session: 3, cwd: 4, input: 5, output: 6, cacheCreation: 7, cacheCreation1h: 8, cacheRead: 9, cost: 10 } as const;
