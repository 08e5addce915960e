import { describe, expect, it } from 'vitest';
import { CountedResponses, ROW, ROW_FIELDS } from '../../../src/core/ingest/counted-responses.js';
import { KeyTable, hashKey } from '../../../src/core/ingest/key-table.js';

/** A loaded key's number, looked up with its hash as the index does. */
const lookup = (table: KeyTable, key: string) => table.find(key, hashKey(key));
import { FIELDS, PACKED } from '../../../src/core/ingest/packed-events.js';

const keyOf = (i: number) => `msg_${i.toString(36).padStart(8, '0')}:req_${(i * 7919).toString(16)}`;
const tableOf = (keys: readonly string[]) => {
  const { bytes, ends } = KeyTable.saved(null, 'all', keys);
  return KeyTable.load(bytes, ends);
};

describe('KeyTable (loaded response keys, as bytes)', () => {
  it('finds every loaded key by its position, and nothing else', () => {
    const keys = Array.from({ length: 70_000 }, (_, i) => keyOf(i));
    const table = tableOf(keys);
    for (let i = 0; i < keys.length; i += 997) expect(lookup(table, keys[i]!)).toBe(i);
    expect(lookup(table, 'msg_unknown:req')).toBe(-1);
    expect(table.keyAt(12_345)).toBe(keys[12_345]);
    expect(table.size).toBe(keys.length);
  });

  it('tells keys apart that differ only in their last byte, in length, or outside ASCII', () => {
    const keys = ['a:b', 'a:c', 'a:bb', '', 'é:ü', 'e\u0301:u', '日本:語', 'a:b\u0000'];
    const table = tableOf(keys);
    keys.forEach((key, i) => {
      expect(lookup(table, key)).toBe(i);
      expect(table.keyAt(i)).toBe(key);
    });
  });

  it('answers the first lookups by searching the bytes, and never with a match inside or across keys', () => {
    const keys = ['cab', 'ab', 'xa', 'bz', 'abc', 'b:c', 'a'];
    const table = tableOf(keys);
    // "ab" also sits inside "cab" and across "xa"+"bz"; "a" inside most of them.
    const expected = (key: string) => keys.indexOf(key);
    const lookups = ['ab', 'a', 'abz', 'xab', 'b', 'bc', 'cab', 'abc', 'zab', 'b:c', ':c'];
    const searched = lookups.map((key) => lookup(table, key));
    // Enough lookups to have the hash table built; the answers do not change with it.
    for (let i = 0; i < 20; i++) lookup(table, 'warm-up');
    const hashed = lookups.map((key) => lookup(table, key));
    expect(searched).toEqual(lookups.map(expected));
    expect(hashed).toEqual(searched);
  });

  it('forgets removed keys and keeps the numbers of the others', () => {
    const table = tableOf(Array.from({ length: 5000 }, (_, i) => keyOf(i)));
    for (let i = 0; i < 5000; i += 2) table.remove(i);
    for (let i = 0; i < 5000; i++) expect(lookup(table, keyOf(i))).toBe(i % 2 === 0 ? -1 : i);
    // Removed once the hash table exists, too.
    for (let i = 1; i < 5000; i += 4) table.remove(i);
    for (let i = 0; i < 5000; i++) expect(lookup(table, keyOf(i))).toBe(i % 2 === 0 || i % 4 === 1 ? -1 : i);
  });

  it('saves the kept keys and more as bytes, numbered from 0; all of them, untouched, as the loaded bytes themselves', () => {
    const keys = Array.from({ length: 3000 }, (_, i) => (i % 10 === 0 ? `ümlaut-${i}` : keyOf(i)));
    const { bytes, ends } = KeyTable.saved(null, 'all', keys);
    const table = KeyTable.load(bytes, ends);
    expect(KeyTable.saved(table, 'all', []).bytes).toBe(bytes);
    const plusOne = KeyTable.saved(table, 'all', ['one:more']);
    expect(lookup(KeyTable.load(plusOne.bytes, plusOne.ends), 'one:more')).toBe(keys.length);
    expect(lookup(KeyTable.load(plusOne.bytes, plusOne.ends), keys[7]!)).toBe(7);
    const kept = keys.map((_, i) => i).filter((i) => i % 3 !== 0);
    const saved = KeyTable.saved(table, kept, ['new:key', 'ñ:2']);
    const again = KeyTable.load(saved.bytes, saved.ends);
    kept.forEach((i, position) => expect(lookup(again, keys[i]!)).toBe(position));
    expect(lookup(again, keys[0]!)).toBe(-1);
    expect(lookup(again, 'new:key')).toBe(kept.length);
    expect(again.keyAt(kept.length + 1)).toBe('ñ:2');
    expect(KeyTable.saved(null, [], ['x']).bytes.toString()).toBe('x');
  });

  it('refuses ends that do not fit the bytes', () => {
    const bytes = Buffer.from('abcdef');
    expect(() => KeyTable.load(bytes, Float64Array.of(2, 1, 6))).toThrow(RangeError);
    expect(() => KeyTable.load(bytes, Float64Array.of(2, 4))).toThrow(RangeError);
    expect(() => KeyTable.load(bytes, Float64Array.of(2, 9))).toThrow(RangeError);
    expect(() => KeyTable.load(bytes, Float64Array.of(2.5, 6))).toThrow(RangeError);
    expect(lookup(KeyTable.load(bytes, Float64Array.of(2, 6)), 'cdef')).toBe(1);
  });
});

describe('CountedResponses with loaded and newly counted keys', () => {
  const event = (fileId: number, output: number, key: string) => {
    const events = new Float64Array(FIELDS);
    events[PACKED.output] = output;
    events[PACKED.keyHash] = hashKey(key);
    return { fileId, events };
  };
  const find = (responses: CountedResponses, key: string) => responses.find(key, hashKey(key));

  it('finds, retracts and saves rows of both kinds, and loads what it saved', () => {
    const first = new CountedResponses();
    const keys = Array.from({ length: 300 }, (_, i) => keyOf(i));
    keys.forEach((key, i) => {
      const { events } = event(1 + (i % 3), i, key);
      first.setPacked(key, -1, 1 + (i % 3), 0, events, 0);
    });
    const saved = first.saved();
    const second = new CountedResponses();
    second.load(saved.keyBytes, saved.keyEnds, saved.rows.slice(), saved.copies);
    // New rows on top of the loaded ones, from file 4.
    for (let i = 300; i < 400; i++) second.setPacked(keyOf(i), -1, 4, 0, event(4, i, keyOf(i)).events, 0);
    expect(second.size).toBe(400);
    for (const i of [0, 299, 300, 399]) {
      expect(find(second, keyOf(i))).toBe(i);
      expect(second.keyOf(i)).toBe(keyOf(i));
      expect(second.get(i, ROW.output)).toBe(i);
    }
    // File 2's rows go, loaded and new alike (none new here), and file 4's.
    second.dropFile(2);
    second.dropFile(4);
    const survivors = keys.map((_, i) => i).filter((i) => 1 + (i % 3) !== 2);
    expect(second.size).toBe(survivors.length);
    expect(find(second, keyOf(1))).toBe(-1);
    expect(find(second, keyOf(350))).toBe(-1);
    const compacted = second.saved();
    expect(compacted.rows.length).toBe(survivors.length * ROW_FIELDS);
    const third = new CountedResponses();
    third.load(compacted.keyBytes, compacted.keyEnds, compacted.rows.slice(), compacted.copies);
    survivors.forEach((i, row) => {
      expect(find(third, keyOf(i))).toBe(row);
      expect(third.get(row, ROW.output)).toBe(i);
    });
  });
  it('tells keys apart by their text when their hashes collide, and finds a key counted again after a retraction', () => {
    const responses = new CountedResponses();
    // Every key with the same hash: one long probe run, resolved by comparing the text.
    const same = (output: number) => {
      const events = new Float64Array(FIELDS);
      events[PACKED.output] = output;
      events[PACKED.keyHash] = 7;
      return events;
    };
    for (let i = 0; i < 3000; i++) responses.setPacked(`k${i}`, -1, 1 + (i % 2), 0, same(i), 0);
    expect(responses.find('k0', 7)).toBe(0);
    expect(responses.find('k2999', 7)).toBe(2999);
    expect(responses.find('k3000', 7)).toBe(-1);
    responses.dropFile(1); // the even keys
    expect(responses.find('k2', 7)).toBe(-1);
    expect(responses.find('k3', 7)).toBe(3);
    const again = responses.setPacked('k2', -1, 3, 0, same(5), 0);
    expect(responses.find('k2', 7)).toBe(again);
    expect(responses.keyOf(again)).toBe('k2');
  });

  it('hashes a key as FNV-1a over its UTF-8 bytes, as the line scanner does', () => {
    // Reference values: FNV-1a 32-bit of "" and "a" are well known; non-ASCII goes through UTF-8.
    expect(hashKey('')).toBe(0x811c9dc5);
    expect(hashKey('a')).toBe(0xe40c292c);
    const bytes = Buffer.from('msg_é:req_日本', 'utf8');
    let h = 0x811c9dc5;
    for (const b of bytes) h = Math.imul(h ^ b, 0x01000193);
    expect(hashKey('msg_é:req_日本')).toBe(h >>> 0);
  });
});
