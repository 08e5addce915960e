// Issue #10 items 6 and 7 and the reader's weaker points, reproduced with the
// built CLI as a user hits them: an extreme date, a huge token count (fresh
// and from the saved index), an unreadable transcript, a line over the cap.
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { tempDir, usageLine, writeTranscript } from '../support/usage-lines.js';

function world(lines: string[]) {
  const root = tempDir();
  const home = tempDir();
  writeTranscript(root, '-work-a/s1.jsonl', lines);
  return { root, env: { BREATHER_HOME: home } };
}

const AT = '2026-11-01T10:05:00.000Z';

describe('hostile transcripts through the CLI', () => {
  it('an extreme date is skipped; status and blocks still answer (it crashed them)', async () => {
    const { root, env } = world([usageLine({ at: AT, input: 10 }), usageLine({ at: '+275760-09-13T00:00:00.000Z', input: 99 })]);
    const blocks = await runCli(['blocks', '--json', '--data-dir', root], env);
    expect(blocks.stderr).toBe('');
    expect(JSON.parse(blocks.stdout).blocks.map((b: { tokenCounts: { inputTokens: number } }) => b.tokenCounts.inputTokens)).toEqual([10]);
    const status = await runCli(['status', '--json', '--data-dir', root], env);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout).health.skippedLines).toEqual({ 'invalid-timestamp': 1 });
  });

  it('a huge token count is skipped as implausible-usage; a cached run agrees with a fresh one', async () => {
    const huge = usageLine({ at: AT, input: 5 }).replace('"input_tokens":5', '"input_tokens":1e308');
    const { root, env } = world([usageLine({ at: AT, input: 10, output: 2 }), huge]);
    const first = JSON.parse((await runCli(['daily', '--json', '--timezone', 'UTC', '--data-dir', root], env)).stdout);
    const cached = JSON.parse((await runCli(['daily', '--json', '--timezone', 'UTC', '--data-dir', root], env)).stdout);
    expect(first.totals.totalTokens).toBe(12);
    expect(first.totals.totalCost).toBeGreaterThan(0);
    expect(cached).toEqual(first);
    const status = JSON.parse((await runCli(['status', '--json', '--data-dir', root], env)).stdout);
    expect(status.health.skippedLines).toEqual({ 'implausible-usage': 1 });
  });

  it.each(['daily', 'blocks', 'session'])('%s warns on stderr, in one line, when a transcript could not be read', async (report) => {
    const { root, env } = world([usageLine({ at: AT, input: 10 })]);
    symlinkSync(join(root, 'nowhere.jsonl'), join(root, 'projects', '-work-a', 'lost.jsonl'));
    const result = await runCli([report, '--json', '--data-dir', root], env);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toBeTruthy();
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^breather: warning: totals may be incomplete: .*lost\.jsonl/);
  });

  it('a line over the ingest.maxLineMB cap is skipped as oversized-line, the rest still counts', async () => {
    const { root, env } = world([usageLine({ at: AT, input: 10 }), JSON.stringify({ type: 'user', message: { content: 'x'.repeat(3_000_000) } }), usageLine({ at: AT, input: 20 })]);
    expect((await runCli(['config', 'set', 'ingest.maxLineMB', '1'], env)).code).toBe(0);
    const status = JSON.parse((await runCli(['status', '--json', '--data-dir', root], env)).stdout);
    expect(status.health.skippedLines).toEqual({ 'oversized-line': 1 });
    const daily = JSON.parse((await runCli(['daily', '--json', '--data-dir', root], env)).stdout);
    expect(daily.totals.inputTokens).toBe(30);
  });
});
