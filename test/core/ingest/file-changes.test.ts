// Issue #10 item 8 and the reader's weaker points, from their reproductions:
// a transcript rewritten in place (larger), truncated then regrown, a line far
// over the size cap, temp files left by a killed save, index folders unused
// for a month.
import { existsSync, mkdirSync, readdirSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STALE_TEMP_MS, UNUSED_INDEX_MS } from '../../../src/core/ingest/index-housekeeping.js';
import { indexDirFor } from '../../../src/core/ingest/index-store.js';
import { OVERSIZED_EDGE_BYTES, readLinesFrom } from '../../../src/core/ingest/line-reader.js';
import { UsageEngine } from '../../../src/core/ingest/usage-engine.js';
import { groupBuckets, sumGroups } from '../../../src/core/usage/usage-reports.js';
import { appendTo, tempDir, usageLine, userLine, writeTranscript } from '../../support/usage-lines.js';

const T0 = '2026-11-01T10:00:00.000Z';

function totals(engine: UsageEngine) {
  const t = sumGroups(groupBuckets(engine.buckets(), () => 'all'));
  return { input: t.input, output: t.output, entries: t.entries };
}

async function engineOver(root: string, stateDir: string | null, maxLineBytes?: number): Promise<UsageEngine> {
  const engine = new UsageEngine({ roots: [root], stateDir, ...(maxLineBytes ? { maxLineBytes } : {}) });
  await engine.open();
  await engine.refresh();
  await engine.persist();
  return engine;
}

/** What a fresh, index-less scan of the same files says. */
async function freshTotals(root: string) {
  return totals(await engineOver(root, null));
}

const lines = (prefix: string, n: number, input: number) =>
  Array.from({ length: n }, (_, i) => usageLine({ at: T0, messageId: `${prefix}${i}`, requestId: `r${prefix}${i}`, input, output: 1 }));

describe('a transcript rewritten in place (issue #10 item 8)', () => {
  it('is re-read when it is overwritten with different, larger content (cat new > s.jsonl)', async () => {
    const root = tempDir();
    const state = tempDir();
    const path = writeTranscript(root, '-work-a/s1.jsonl', lines('a', 3, 10));
    await engineOver(root, state);
    const inode = statSync(path).ino;
    writeFileSync(path, `${lines('b', 5, 7).join('\n')}\n`); // same inode, truncated and rewritten, larger
    expect(statSync(path).ino).toBe(inode);
    const again = await engineOver(root, state);
    expect(totals(again)).toEqual(await freshTotals(root));
    expect(totals(again)).toEqual({ input: 35, output: 5, entries: 5 });
  });

  it('is re-read when truncated and regrown past its old size between two runs', async () => {
    const root = tempDir();
    const state = tempDir();
    const path = writeTranscript(root, '-work-a/s1.jsonl', lines('a', 2, 10));
    const engine = await engineOver(root, state);
    truncateSync(path, 0);
    appendTo(path, `${lines('c', 4, 3).join('\n')}\n`);
    await engine.refresh();
    expect(totals(engine)).toEqual(await freshTotals(root));
    expect(totals(await engineOver(root, state))).toEqual({ input: 12, output: 4, entries: 4 });
  });

  it('still reads only the new bytes of a plain append', async () => {
    const root = tempDir();
    const path = writeTranscript(root, '-work-a/s1.jsonl', lines('a', 2, 10));
    const engine = await engineOver(root, tempDir());
    appendTo(path, `${lines('d', 1, 1).join('\n')}\n`);
    const refreshed = await engine.refresh();
    expect(refreshed.bytesRead).toBe(lines('d', 1, 1)[0]!.length + 1);
    expect(totals(engine)).toEqual(await freshTotals(root));
  });
});

describe('lines that span read chunks', () => {
  it('come out whole and in order, whatever the chunk size, with the unfinished last line held back', () => {
    const dir = tempDir();
    const path = join(dir, 'mixed.jsonl');
    let seed = 11;
    const next = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const lines = Array.from({ length: 300 }, (_, i) => `{"i":${i},"pad":"${'é'.repeat(next(3) === 0 ? next(5000) : next(40))}"}`);
    const unfinished = '{"i":"half';
    writeFileSync(path, `${lines.join('\n')}\n${unfinished}`);
    const size = statSync(path).size;
    for (const [chunkBytes, carryBytes] of [[7, 100], [64, 3000], [1000, 5000], [4096, 1 << 20], [65_536, 2000], [1 << 22, 1 << 20]] as const) {
      // Lines over `carryBytes` that span chunks are read again whole when they end.
      const seen: string[] = [];
      const result = readLinesFrom(path, 0, size, (buffer, start, end) => seen.push(buffer.toString('utf8', start, end)), { chunkBytes, carryBytes, maxLineBytes: 20_000 });
      expect(seen).toEqual(lines);
      expect(result.offset).toBe(size - Buffer.byteLength(unfinished));
      expect(result.unfinishedBytes).toBe(Buffer.byteLength(unfinished));
      // With a lower cap the long ones go to onOversized, by their length, and the rest still come out whole.
      const kept: string[] = [];
      const over: number[] = [];
      readLinesFrom(path, 0, size, (buffer, start, end) => kept.push(buffer.toString('utf8', start, end)), { chunkBytes, carryBytes, maxLineBytes: 6000, onOversized: (_h, _t, bytes) => over.push(bytes) });
      expect(kept).toEqual(lines.filter((l) => Buffer.byteLength(l) <= 6000));
      expect(over).toEqual(lines.filter((l) => Buffer.byteLength(l) > 6000).map((l) => Buffer.byteLength(l)));
      // With a block handler (the WebAssembly scanner's way in): whole lines of a read come as one block
      // of the given buffer, those that span reads one by one, all in file order.
      const chunk = Buffer.alloc(chunkBytes);
      const inOrder: string[] = [];
      let blocks = 0;
      readLinesFrom(path, 0, size, (buffer, start, end) => inOrder.push(buffer.toString('utf8', start, end)), {
        chunk,
        carryBytes,
        maxLineBytes: 1 << 30,
        onLines: (buffer, start, end) => {
          expect(buffer.buffer).toBe(chunk.buffer);
          expect(buffer[end - 1]).toBe(10);
          blocks++;
          inOrder.push(...buffer.toString('utf8', start, end - 1).split('\n'));
        },
      });
      expect(inOrder).toEqual(lines);
      if (chunkBytes >= 4096) expect(blocks).toBeGreaterThan(0); // smaller reads hold no whole line of this file
    }
  });
});

describe('a line over the size cap', () => {
  it('is handed on by its edges only, and the lines around it are read as usual', () => {
    const dir = tempDir();
    const path = join(dir, 'big.jsonl');
    const huge = `{"x":"${'y'.repeat(1_000_000)}"}`;
    writeFileSync(path, `a\n${huge}\nb\n`);
    const seen: string[] = [];
    const oversized: { head: number; tail: number; bytes: number; last: string }[] = [];
    const result = readLinesFrom(path, 0, statSync(path).size, (buffer, start, end) => seen.push(buffer.toString('utf8', start, end)), {
      chunkBytes: 1024,
      maxLineBytes: 4096,
      onOversized: (head, tail, bytes) => oversized.push({ head: head.length, tail: tail.length, bytes, last: tail.toString('utf8', tail.length - 2) }),
    });
    expect(seen).toEqual(['a', 'b']);
    expect(oversized).toEqual([{ head: OVERSIZED_EDGE_BYTES, tail: OVERSIZED_EDGE_BYTES, bytes: huge.length, last: '"}' }]);
    expect(result.offset).toBe(statSync(path).size);
  });

  it('counts an assistant response from its edges and skips any other as oversized-line', async () => {
    const root = tempDir();
    const big = 'z'.repeat(6_000_000); // spans chunks
    writeTranscript(root, '-work-a/s1.jsonl', [
      usageLine({ at: T0, messageId: 'm1', requestId: 'r1', input: 5, output: 1 }),
      usageLine({ at: T0, messageId: 'm2', requestId: 'r2', input: 7, output: 3, text: big }),
      userLine(T0, big),
      usageLine({ at: T0, messageId: 'm3', requestId: 'r3', input: 11, output: 1 }),
    ]);
    const engine = await engineOver(root, null, 1024 * 1024);
    expect(totals(engine)).toEqual({ input: 23, output: 5, entries: 3 });
    expect(engine.health().skippedLines).toEqual({ 'oversized-line': 1 });
  });
});

describe('index housekeeping at start', () => {
  it('removes temp files a killed save left, but not a save in progress', async () => {
    const root = tempDir();
    const state = tempDir();
    writeTranscript(root, '-work-a/s1.jsonl', lines('a', 1, 1));
    await engineOver(root, state);
    const dir = indexDirFor(state, [root]);
    const stale = join(dir, 'usage-index.bin.1a2b3c4d');
    const fresh = join(dir, 'usage-responses.bin.99aa');
    writeFileSync(stale, 'partial');
    writeFileSync(fresh, 'partial');
    const old = new Date(Date.now() - STALE_TEMP_MS - 60_000);
    utimesSync(stale, old, old);
    await engineOver(root, state);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
  });

  it('removes the JSON index files of versions before 7 at the next save', async () => {
    const root = tempDir();
    const state = tempDir();
    writeTranscript(root, '-work-a/s1.jsonl', lines('a', 1, 1));
    await engineOver(root, state);
    const dir = indexDirFor(state, [root]);
    for (const name of ['usage-index.json', 'usage-responses.json']) writeFileSync(join(dir, name), '{}');
    writeTranscript(root, '-work-a/s2.jsonl', lines('b', 1, 1));
    await engineOver(root, state);
    expect(existsSync(join(dir, 'usage-index.json'))).toBe(false);
    expect(existsSync(join(dir, 'usage-responses.json'))).toBe(false);
    expect(existsSync(join(dir, 'usage-index.bin'))).toBe(true);
  });

  it('prunes index folders of data-dir sets unused for 30 days and keeps recently used ones', async () => {
    const state = tempDir();
    const [rootA, rootB, rootC] = [tempDir(), tempDir(), tempDir()];
    for (const root of [rootA, rootB, rootC]) writeTranscript(root, '-work-a/s1.jsonl', lines('a', 1, 1));
    for (const root of [rootA, rootB, rootC]) await engineOver(root, state);
    const dirOf = (root: string) => indexDirFor(state, [root]);
    const longAgo = new Date(Date.now() - UNUSED_INDEX_MS - 86_400_000);
    utimesSync(dirOf(rootB), longAgo, longAgo);
    utimesSync(dirOf(rootC), longAgo, longAgo);
    // Opening C marks it used again; B stays unused and goes.
    await engineOver(rootC, state);
    expect(existsSync(dirOf(rootA))).toBe(true);
    expect(existsSync(dirOf(rootB))).toBe(false);
    expect(existsSync(dirOf(rootC))).toBe(true);
    expect(readdirSync(join(state, 'index')).sort()).toEqual([dirOf(rootA), dirOf(rootC)].map((d) => d.split('/').at(-1)).sort());
    mkdirSync(dirOf(rootB), { recursive: true }); // a later run simply rebuilds it
  });
});
