import { chmodSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, truncateSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageEngine } from '../../../src/core/ingest/usage-engine.js';
import { INDEX_FORMAT_VERSION } from '../../../src/core/ingest/index-store.js';
import { PRICE_TABLE_VERSION } from '../../../src/core/usage/pricing.js';
import { sumGroups, groupBuckets } from '../../../src/core/usage/usage-reports.js';
import { appendTo, tempDir, usageLine, writeTranscript } from '../../support/usage-lines.js';

const T0 = '2026-11-01T10:00:00.000Z';

async function openEngine(roots: string[], stateDir: string | null = null) {
  const engine = new UsageEngine({ roots, stateDir });
  await engine.open();
  const first = await engine.refresh();
  return { engine, first };
}

function totals(engine: UsageEngine) {
  const t = sumGroups(groupBuckets(engine.buckets(), () => 'all'));
  return { input: t.input, output: t.output, cacheCreation: t.cacheCreation, cacheRead: t.cacheRead, entries: t.entries };
}

describe('UsageEngine counting', () => {
  it('counts a streamed response once, with its largest output', async () => {
    const root = tempDir();
    writeTranscript(root, '-work-a/s1.jsonl', [
      usageLine({ at: T0, messageId: 'm1', requestId: 'r1', input: 10, output: 1 }),
      usageLine({ at: T0, messageId: 'm1', requestId: 'r1', input: 10, output: 40 }),
      usageLine({ at: T0, messageId: 'm1', requestId: 'r1', input: 10, output: 12 }),
      usageLine({ at: T0, messageId: 'm2', requestId: 'r2', input: 1, output: 2 }),
    ]);
    const { engine } = await openEngine([root]);
    expect(totals(engine)).toEqual({ input: 11, output: 42, cacheCreation: 0, cacheRead: 0, entries: 2 });
  });

  it('counts a response copied into a resumed session and a second root once', async () => {
    const rootA = tempDir();
    const rootB = tempDir();
    const lines = [usageLine({ at: T0, messageId: 'm1', requestId: 'r1', input: 100, output: 5 })];
    writeTranscript(rootA, '-work-a/s1.jsonl', lines);
    writeTranscript(rootA, '-work-a/s2-resumed.jsonl', [...lines, usageLine({ at: T0, messageId: 'm9', requestId: 'r9', input: 1, output: 1 })]);
    writeTranscript(rootB, '-work-a/s1.jsonl', lines);
    const { engine } = await openEngine([rootA, rootB]);
    expect(totals(engine)).toEqual({ input: 101, output: 6, cacheCreation: 0, cacheRead: 0, entries: 2 });
  });

  it('counts a file reached through two roots (symlink) once and reports the same file once', async () => {
    const root = tempDir();
    writeTranscript(root, '-work-a/s1.jsonl', [usageLine({ at: T0, input: 7, output: 1, requestId: null, messageId: undefined as unknown as string })]);
    const alias = join(tempDir(), 'alias');
    symlinkSync(root, alias);
    const { engine } = await openEngine([root, alias]);
    expect(engine.health().files).toBe(1);
    expect(totals(engine).input).toBe(7);
  });

  it('reads every subagent layout under projects/', async () => {
    const root = tempDir();
    writeTranscript(root, '-work-a/s1.jsonl', [usageLine({ at: T0, input: 1 }), JSON.stringify({ ...JSON.parse(usageLine({ at: T0, input: 2 })), isSidechain: true })]);
    writeTranscript(root, '-work-a/agent-abc.jsonl', [usageLine({ at: T0, input: 4 })]);
    writeTranscript(root, '-work-a/s1/subagents/agent-def.jsonl', [usageLine({ at: T0, input: 8 })]);
    writeFileSync(join(root, 'projects', '-work-a', 's1', 'subagents', 'agent-def.meta.json'), '{}');
    const { engine } = await openEngine([root]);
    expect(totals(engine).input).toBe(15);
    expect(engine.health().files).toBe(3);
  });

  it('skips and counts bad lines by reason without losing the good ones', async () => {
    const root = tempDir();
    const path = writeTranscript(root, '-work-a/s1.jsonl', [
      usageLine({ at: T0, input: 1 }),
      'garbage here',
      '{"type":"assistant","message":{"usage":',
      '[]',
      usageLine({ at: T0, input: 2 }),
    ]);
    appendTo(path, Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff, 0xfe]), Buffer.from('","usage":1}\n')]));
    const { engine } = await openEngine([root]);
    expect(totals(engine).input).toBe(3);
    expect(engine.health().skippedLines).toEqual({ garbage: 1, 'truncated-json': 1, 'non-object-json': 1, 'invalid-utf8': 1 });
  });
});

describe('UsageEngine staying live', () => {
  it('finishes a line split across two writes and counts it exactly once', async () => {
    const root = tempDir();
    const line = usageLine({ at: T0, messageId: 'split', requestId: 'r', input: 33, output: 3 });
    const path = writeTranscript(root, '-work-a/s1.jsonl', [usageLine({ at: T0, input: 1 })]);
    appendTo(path, line.slice(0, 50));
    const { engine } = await openEngine([root]);
    expect(totals(engine).input).toBe(1);
    expect(engine.health().unfinishedLines).toBe(1);
    expect(engine.health().skippedLines).toEqual({});

    appendTo(path, `${line.slice(50)}\n`);
    const second = await engine.refreshPaths([path]);
    expect(second.bytesRead).toBe(line.length + 1);
    expect(totals(engine).input).toBe(34);
    expect(engine.health().unfinishedLines).toBe(0);
    await engine.refreshPaths([path]);
    expect(totals(engine).input).toBe(34);
  });

  it('reads only the appended bytes when a file grows', async () => {
    const root = tempDir();
    const path = writeTranscript(root, '-work-a/s1.jsonl', [usageLine({ at: T0, input: 1, text: 'x'.repeat(100_000) })]);
    const { engine } = await openEngine([root]);
    const extra = `${usageLine({ at: T0, input: 5 })}\n`;
    appendTo(path, extra);
    const result = await engine.refresh();
    expect(result.bytesRead).toBe(Buffer.byteLength(extra));
    expect(totals(engine).input).toBe(6);
  });

  it('retracts a truncated or replaced file and re-reads it', async () => {
    const root = tempDir();
    const path = writeTranscript(root, '-work-a/s1.jsonl', [usageLine({ at: T0, input: 10 }), usageLine({ at: T0, input: 20 })]);
    const { engine } = await openEngine([root]);
    expect(totals(engine).input).toBe(30);
    truncateSync(path, 0);
    writeFileSync(path, `${usageLine({ at: T0, input: 4 })}\n`);
    await engine.refresh();
    expect(totals(engine).input).toBe(4);
    // Replaced by rename (new inode), same size as before or not.
    const replacement = join(root, 'tmp.jsonl');
    writeFileSync(replacement, `${usageLine({ at: T0, input: 9 })}\n`);
    renameSync(replacement, path);
    await engine.refresh();
    expect(totals(engine).input).toBe(9);
  });

  it('when a file holding a response is removed, its copy elsewhere still counts', async () => {
    const root = tempDir();
    const shared = usageLine({ at: T0, messageId: 'm1', requestId: 'r1', input: 50, output: 5 });
    const original = writeTranscript(root, '-work-a/s1.jsonl', [shared]);
    writeTranscript(root, '-work-a/s2.jsonl', [shared, usageLine({ at: T0, input: 1 })]);
    const { engine } = await openEngine([root]);
    expect(totals(engine).input).toBe(51);
    rmSync(original);
    await engine.refresh();
    expect(totals(engine).input).toBe(51);
    expect(engine.health().files).toBe(1);
  });

  it('handles new and deleted files', async () => {
    const root = tempDir();
    const a = writeTranscript(root, '-work-a/s1.jsonl', [usageLine({ at: T0, input: 1 })]);
    const { engine } = await openEngine([root]);
    const b = writeTranscript(root, '-work-b/s2.jsonl', [usageLine({ at: T0, input: 2, cwd: '/work/b' })]);
    await engine.refreshPaths([b]);
    expect(totals(engine).input).toBe(3);
    rmSync(a);
    await engine.refreshPaths([a]);
    expect(totals(engine).input).toBe(2);
  });
});

describe('UsageEngine persistence', () => {
  it('a restart with nothing changed reads no transcript bytes and gives the same figures', async () => {
    const root = tempDir();
    const state = tempDir();
    writeTranscript(root, '-work-a/s1.jsonl', [usageLine({ at: T0, input: 10, output: 3 }), usageLine({ at: T0, input: 5 })]);
    const { engine, first } = await openEngine([root], state);
    expect(first.bytesRead).toBeGreaterThan(0);
    await engine.persist();
    const again = new UsageEngine({ roots: [root], stateDir: state });
    expect(await again.open()).toBe('loaded');
    const second = await again.refresh();
    expect(second).toEqual({ changedFiles: 0, bytesRead: 0, onlyGrowth: true, oldestReadMtimeMs: null });
    expect(totals(again)).toEqual(totals(engine));
    expect(again.health().index).toBe('loaded');
  });

  it('after a restart, a response completed in the file replaces its partial count instead of adding to it', async () => {
    const root = tempDir();
    const state = tempDir();
    const path = writeTranscript(root, '-work-a/s1.jsonl', [usageLine({ at: T0, messageId: 'm', requestId: 'r', input: 10, output: 1 })]);
    const { engine } = await openEngine([root], state);
    await engine.persist();
    appendTo(path, `${usageLine({ at: T0, messageId: 'm', requestId: 'r', input: 10, output: 99 })}\n`);
    const again = new UsageEngine({ roots: [root], stateDir: state });
    await again.open();
    await again.refresh();
    expect(totals(again)).toMatchObject({ input: 10, output: 99, entries: 1 });
  });

  // A framed file (index-codec.ts) holding just a head.
  const framed = (head: object): Buffer => {
    const text = Buffer.from(JSON.stringify(head));
    const length = Buffer.alloc(4);
    length.writeUInt32LE(text.length);
    return Buffer.concat([length, text, Buffer.alloc((8 - ((4 + text.length) % 8)) % 8)]);
  };

  it.each([
    ['garbage', Buffer.from('garbage{')],
    ['an old version', framed({ format: 'breather-usage-index', version: -1, strings: [], notes: [], files: 0, buckets: 0, generation: 'x', priceTable: '0' })],
    ['rows that do not add up', framed({ format: 'breather-usage-index', version: INDEX_FORMAT_VERSION, strings: [], notes: [], files: 3, buckets: 0, generation: 'x', priceTable: PRICE_TABLE_VERSION })],
  ])('rebuilds a corrupt or old index instead of trusting it (%s)', async (_name, content) => {
    const root = tempDir();
    const state = tempDir();
    writeTranscript(root, '-work-a/s1.jsonl', [usageLine({ at: T0, input: 10 })]);
    const { engine } = await openEngine([root], state);
    await engine.persist();
    const indexRoot = join(state, 'index');
    const dir = join(indexRoot, readdirSync(indexRoot)[0]!);
    writeFileSync(join(dir, 'usage-index.bin'), content);
    const again = new UsageEngine({ roots: [root], stateDir: state });
    expect(['corrupt', 'outdated']).toContain(await again.open());
    const result = await again.refresh();
    expect(result.bytesRead).toBeGreaterThan(0);
    expect(totals(again).input).toBe(10);
    expect(again.health().index).toBe('rebuilt');
    await again.persist();
    const third = new UsageEngine({ roots: [root], stateDir: state });
    expect(await third.open()).toBe('loaded');
    await third.refresh();
    expect(totals(third).input).toBe(10);
  });

  // The last number is not what was written (the head is whole): a crash kept the length but not all the data.
  const lastNumberChanged = (bytes: Buffer): Buffer => {
    bytes.writeDoubleLE(bytes.readDoubleLE(bytes.length - 8) + 1, bytes.length - 8);
    return bytes;
  };
  it.each([
    ['the aggregates no longer match their checksum', 'usage-index.bin', lastNumberChanged, 'corrupt'],
    ['the response keys no longer match their checksum', 'usage-responses.bin', lastNumberChanged, 'loaded'],
    ['the response keys do not match the aggregates', 'usage-responses.bin', () => Buffer.from('{}'), 'loaded'],
  ] as const)('rebuilds when %s', async (_name, file, damage, openState) => {
    const root = tempDir();
    const state = tempDir();
    const path = writeTranscript(root, '-work-a/s1.jsonl', [usageLine({ at: T0, input: 10 })]);
    const { engine } = await openEngine([root], state);
    await engine.persist();
    const indexRoot = join(state, 'index');
    const damaged = join(indexRoot, readdirSync(indexRoot)[0]!, file);
    writeFileSync(damaged, damage(readFileSync(damaged)));
    appendTo(path, `${usageLine({ at: T0, input: 1 })}\n`);
    const again = new UsageEngine({ roots: [root], stateDir: state });
    expect(await again.open()).toBe(openState);
    await again.refresh();
    expect(totals(again).input).toBe(11);
    expect(again.health().index).toBe('rebuilt');
  });
});

describe('UsageEngine diagnostics', () => {
  it('reports symlink loops and broken links instead of throwing', async () => {
    const root = tempDir();
    writeTranscript(root, '-work-a/s1.jsonl', [usageLine({ at: T0, input: 1 })]);
    symlinkSync(join(root, 'projects'), join(root, 'projects', '-work-a', 'loop'));
    symlinkSync(join(root, 'nowhere'), join(root, 'projects', 'broken.jsonl'));
    const { engine } = await openEngine([root]);
    expect(totals(engine).input).toBe(1);
    const diagnostics = engine.health().diagnostics.join('\n');
    expect(diagnostics).toMatch(/symlink loop/);
    expect(diagnostics).toMatch(/broken link .*broken\.jsonl/);
  });

  it('reports an unreadable folder instead of throwing', async () => {
    const root = tempDir();
    writeTranscript(root, '-work-a/s1.jsonl', [usageLine({ at: T0, input: 1 })]);
    const locked = join(root, 'projects', '-work-locked');
    mkdirSync(locked);
    // A file where a folder is expected reads as ENOTDIR for everyone, root included.
    const notADir = join(root, 'projects', '-work-locked', 'sub');
    writeFileSync(notADir, 'x');
    chmodSync(locked, 0o000);
    try {
      const { engine } = await openEngine([root]);
      expect(totals(engine).input).toBe(1);
      if (process.getuid?.() !== 0) expect(engine.health().diagnostics.join('\n')).toMatch(/cannot read .*-work-locked/);
    } finally {
      chmodSync(locked, 0o755);
    }
  });

  it('reports roots that do not exist', async () => {
    const missing = join(tempDir(), 'missing');
    const { engine } = await openEngine([missing]);
    expect(engine.health().roots).toEqual([{ path: missing, exists: false }]);
    expect(engine.health().files).toBe(0);
  });
});
