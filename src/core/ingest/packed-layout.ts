// How usage events are packed (packed-events.ts, scan-events.ts): a leaf
// module, so both sides of the scan import the layout without a cycle.

export interface PackedEvents {
  strings: string[];
  /**
   * Per event: key, ms, model, session, cwd (string indexes; -1: none), the
   * five token counts, the cost (NaN: unpriced), and the key's hash (hashKey in
   * key-table.ts), so the index looks the key up without hashing its text again.
   */
  numbers: Float64Array;
}

/** Numbers per event, and where each sits in an event's run. */
export const FIELDS = 12;
export const PACKED = { key: 0, ms: 1, model: 2, session: 3, cwd: 4, input: 5, output: 6, cacheCreation: 7, cacheCreation1h: 8, cacheRead: 9, cost: 10, keyHash: 11 } as const;
