import { existsSync, readFileSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CliProcess, runCli } from '../support/run-cli.js';
import { appendTo, tempDir, usageLine, writeTranscript } from '../support/usage-lines.js';

function corpus() {
  const root = tempDir();
  const home = tempDir();
  writeTranscript(root, '-work-a/s1.jsonl', [
    usageLine({ at: '2026-11-01T10:05:00.000Z', messageId: 'm1', requestId: 'r1', input: 100, output: 1, cacheCreation: 1000, cacheRead: 5000 }),
    usageLine({ at: '2026-11-01T10:05:01.000Z', messageId: 'm1', requestId: 'r1', input: 100, output: 20, cacheCreation: 1000, cacheRead: 5000 }),
    usageLine({ at: '2026-11-01T16:30:00.000Z', messageId: 'm2', requestId: 'r2', input: 7, output: 3, model: 'claude-opus-4-1-20250805' }),
    'not json',
  ]);
  return { root, env: { BREATHER_HOME: home }, home };
}

describe('breather daily|session|blocks', () => {
  it('daily --json uses ccusage field names', async () => {
    const { root, env } = corpus();
    const result = await runCli(['daily', '--json', '--timezone', 'UTC', '--data-dir', root], env);
    expect(result.code).toBe(0);
    const data = JSON.parse(result.stdout);
    expect(data.daily).toHaveLength(1);
    expect(data.daily[0]).toMatchObject({ date: '2026-11-01', inputTokens: 107, outputTokens: 23, cacheCreationTokens: 1000, cacheReadTokens: 5000, totalTokens: 6130 });
    expect(data.daily[0].modelsUsed).toEqual(['claude-opus-4-1-20250805', 'claude-sonnet-4-5-20250929']);
    expect(data.daily[0].modelBreakdowns.map((m: { modelName: string }) => m.modelName)).toEqual(['claude-sonnet-4-5-20250929', 'claude-opus-4-1-20250805']);
    expect(data.totals.totalTokens).toBe(6130);
    expect(data.totals.totalCost).toBeGreaterThan(0);
  });

  it('blocks --json follows the ccusage block shape', async () => {
    const { root, env } = corpus();
    const data = JSON.parse((await runCli(['blocks', '--json', '--data-dir', root], env)).stdout);
    expect(data.blocks.map((b: { id: string; isGap: boolean }) => [b.id, b.isGap])).toEqual([
      ['2026-11-01T10:00:00.000Z', false],
      ['gap-2026-11-01T15:05:01.000Z', true],
      ['2026-11-01T16:00:00.000Z', false],
    ]);
    expect(data.blocks[0]).toMatchObject({
      startTime: '2026-11-01T10:00:00.000Z', endTime: '2026-11-01T15:00:00.000Z', actualEndTime: '2026-11-01T10:05:01.000Z',
      isActive: false, entries: 1, tokenCounts: { inputTokens: 100, outputTokens: 20, cacheCreationInputTokens: 1000, cacheReadInputTokens: 5000 },
      totalTokens: 6120, models: ['claude-sonnet-4-5-20250929'], burnRate: null, projection: null,
    });
  });

  it('prints readable tables without --json', async () => {
    const { root, env } = corpus();
    const result = await runCli(['session', '--data-dir', root], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('session-');
    expect(result.stdout).toContain('6,130');
  });

  it('reads a comma-separated CLAUDE_CONFIG_DIR', async () => {
    const a = corpus();
    const b = corpus();
    const data = JSON.parse((await runCli(['daily', '--json'], { ...a.env, CLAUDE_CONFIG_DIR: `${a.root},${b.root}` })).stdout);
    expect(data.totals.inputTokens).toBe(107); // the same responses in both roots count once
  });

  it.each([
    [['daily', '--bogus'], /unknown option/],
    [['daily', '--timezone', 'Mars/Base'], /Unknown time zone "Mars\/Base"/],
    [['daily', '--since', '2026-99-01'], /--since is not a real date/],
    [['blocks', '--data-dir', '/does/not/exist'], /Data directory \/does\/not\/exist does not exist/],
  ])('rejects %j with a clear message and exit code 2', async (args, message) => {
    const { env } = corpus();
    const result = await runCli(args, env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});

describe('breather status', () => {
  it('reports data health: roots, files, bytes and skipped lines by reason', async () => {
    const { root, env } = corpus();
    const status = JSON.parse((await runCli(['status', '--json', '--data-dir', root], env)).stdout);
    expect(status.health).toMatchObject({ roots: [{ path: root, exists: true }], files: 1, skippedLines: { garbage: 1 } });
    expect(status.health.bytesIndexed).toBeGreaterThan(0);
    expect(status.windows.five_hour).toMatchObject({ id: 'five_hour', usedPercent: null, source: 'none' });
    const text = await runCli(['status', '--data-dir', root], env);
    expect(text.stdout).toMatch(/skipped lines: garbage 1/);
  });

  it('persists the index in BREATHER_HOME and reuses it', async () => {
    const { root, env, home } = corpus();
    await runCli(['status', '--json', '--data-dir', root], env);
    expect(existsSync(join(home, 'index'))).toBe(true);
    const [indexDir] = readdirSync(join(home, 'index'));
    expect(readdirSync(join(home, 'index', indexDir!)).sort()).toEqual(['usage-index.bin', 'usage-responses.bin']);
    const second = JSON.parse((await runCli(['status', '--json', '--data-dir', root], env)).stdout);
    expect(second.health.index).toBe('loaded');
  });

  it('leaves the saved index as it is after a few new lines (the next run reads them again), and saves once 4 MB have piled up', async () => {
    const { root, env, home } = corpus();
    const path = join(root, 'projects', '-work-a', 's1.jsonl');
    const status = async () => JSON.parse((await runCli(['status', '--json', '--data-dir', root], env)).stdout);
    const generation = () => {
      const [indexDir] = readdirSync(join(home, 'index'));
      const bytes = readFileSync(join(home, 'index', indexDir!, 'usage-index.bin'));
      return (JSON.parse(bytes.toString('utf8', 4, 4 + bytes.readUInt32LE(0))) as { generation: string }).generation;
    };
    const now = Date.now();
    const tokens = (s: { windows: { five_hour: { tokens: number } } }) => s.windows.five_hour.tokens;
    await status();
    const saved = generation();

    appendTo(path, `${usageLine({ at: new Date(now - 60_000).toISOString(), messageId: 'm10', requestId: 'r10', input: 1000, output: 10 })}\n`);
    const first = await status();
    expect(first.health.index).toBe('updated');
    appendTo(path, `${usageLine({ at: new Date(now - 30_000).toISOString(), messageId: 'm11', requestId: 'r11', input: 500, output: 5 })}\n`);
    const second = await status();
    expect(tokens(second) - tokens(first)).toBe(505);
    expect(generation()).toBe(saved);

    // A big tool result: more than 4 MB unsaved, so this run saves, and the next one reads nothing.
    appendTo(path, `${JSON.stringify({ type: 'user', timestamp: new Date(now).toISOString(), message: { role: 'user', content: 'x'.repeat(4_300_000) } })}\n`);
    const third = await status();
    expect(tokens(third)).toBe(tokens(second));
    expect(generation()).not.toBe(saved);
    const fourth = await status();
    expect(fourth.health.index).toBe('loaded');
    expect(tokens(fourth)).toBe(tokens(second));

    // Left unsaved only while the transcript is being written: once it has gone quiet, the next run saves.
    appendTo(path, `${usageLine({ at: new Date(now - 10_000).toISOString(), messageId: 'm12', requestId: 'r12', input: 7, output: 3 })}\n`);
    await status();
    const beforeQuiet = generation();
    const quiet = new Date(Date.now() - 5 * 60_000);
    utimesSync(path, quiet, quiet);
    const fifth = await status();
    expect(tokens(fifth) - tokens(fourth)).toBe(10);
    expect(generation()).not.toBe(beforeQuiet);
    expect((await status()).health.index).toBe('loaded');
  });

  it('saves at once when a transcript is gone (nothing to read again)', async () => {
    const { root, env, home } = corpus();
    writeTranscript(root, '-work-b/s2.jsonl', [usageLine({ at: new Date(Date.now() - 60_000).toISOString(), input: 5, output: 5 })]);
    await runCli(['status', '--json', '--data-dir', root], env);
    rmSync(join(root, 'projects', '-work-b', 's2.jsonl'));
    const after = JSON.parse((await runCli(['status', '--json', '--data-dir', root], env)).stdout);
    expect(after.health.files).toBe(1);
    const again = JSON.parse((await runCli(['status', '--json', '--data-dir', root], { ...env, BREATHER_HOME: home })).stdout);
    expect(again.health.index).toBe('loaded');
  });
});

describe('breather watch --json', () => {
  let watcher: CliProcess | null = null;
  afterEach(async () => {
    await watcher?.stop();
    watcher = null;
  });

  it('prints a status line after the first scan, then one each time an appended response changes the numbers', async () => {
    const { root, env, home } = corpus();
    const path = join(root, 'projects', '-work-a', 's1.jsonl');
    const now = new Date();
    appendTo(path, `${usageLine({ at: now.toISOString(), input: 1000, output: 10 })}\n`);
    watcher = new CliProcess(['watch', '--json', '--data-dir', root], env);
    const first = JSON.parse(await watcher.nextLine());
    expect(first.type).toBe('status');
    expect(first.windows.five_hour.tokens).toBe(1010);

    // A response written in two pieces counts once, when its line is complete.
    const line = usageLine({ at: new Date().toISOString(), input: 500, output: 5 });
    appendTo(path, line.slice(0, 40));
    await new Promise((r) => setTimeout(r, 300));
    appendTo(path, `${line.slice(40)}\n`);
    // The half-written line may show up as an unfinished line in health, never as usage.
    let second = JSON.parse(await watcher.nextLine());
    while (second.windows.five_hour.tokens === 1010) {
      expect(second.health.unfinishedLines).toBe(1);
      second = JSON.parse(await watcher.nextLine());
    }
    expect(second.windows.five_hour.tokens).toBe(1515);
    expect(second.health.unfinishedLines).toBe(0);

    expect(await watcher.stop()).toBe(0);
    watcher = null;
    // The index was saved on exit: a later status reads nothing new.
    const status = JSON.parse((await runCli(['status', '--json', '--data-dir', root], { ...env, BREATHER_HOME: home })).stdout);
    expect(status.health.index).toBe('loaded');
    expect(status.windows.five_hour.tokens).toBe(1515);
  });
});
