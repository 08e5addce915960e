import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORPUS_MODELS, type CorpusSummary, generateCorpus } from './corpus-generator.js';

const ASSISTANT_KEY_ORDER = [
  'parentUuid',
  'isSidechain',
  'userType',
  'cwd',
  'sessionId',
  'version',
  'gitBranch',
  'message',
  'requestId',
  'type',
  'uuid',
  'timestamp',
];
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const HOUR = 3_600_000;

interface ParsedLine {
  file: string;
  record: Record<string, any>;
}

interface ParsedCorpus {
  files: string[];
  lines: ParsedLine[];
  badLines: number;
  bytesByFile: Map<string, Buffer>;
}

function listJsonl(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.push(path);
    }
  };
  walk(join(root, 'projects'));
  return out.sort();
}

/** Lenient reader: invalid UTF-8 becomes U+FFFD; lines that don't parse to an object count as bad. */
function parseCorpus(root: string): ParsedCorpus {
  const files = listJsonl(root).filter((f) => f.endsWith('.jsonl'));
  const lines: ParsedLine[] = [];
  const bytesByFile = new Map<string, Buffer>();
  let badLines = 0;
  for (const file of files) {
    const bytes = readFileSync(file);
    bytesByFile.set(file, bytes);
    for (const text of bytes.toString('utf8').split('\n')) {
      if (text === '') continue;
      let record: unknown;
      try {
        record = JSON.parse(text);
      } catch {
        badLines++;
        continue;
      }
      if (typeof record !== 'object' || record === null || Array.isArray(record)) {
        badLines++;
        continue;
      }
      lines.push({ file: relative(join(root, 'projects'), file), record: record as Record<string, any> });
    }
  }
  return { files, lines, badLines, bytesByFile };
}

/** Independent de-duplication: message.id + requestId, largest output_tokens wins. */
function dedupedTotals(lines: ParsedLine[]): { responses: number; tokens: CorpusSummary['tokens'] } {
  const byKey = new Map<string, Record<string, number>>();
  for (const { record } of lines) {
    const usage = record.message?.usage;
    if (record.type !== 'assistant' || !usage || record.message.model === '<synthetic>') continue;
    const key = `${record.message.id}:${record.requestId ?? ''}`;
    const previous = byKey.get(key);
    if (!previous || (usage.output_tokens as number) > (previous.output_tokens as number)) byKey.set(key, usage);
  }
  const tokens = { inputTokens: 0, outputTokens: 0, cacheCreationTokens: 0, cacheReadTokens: 0 };
  for (const u of byKey.values()) {
    tokens.inputTokens += u.input_tokens as number;
    tokens.outputTokens += u.output_tokens as number;
    tokens.cacheCreationTokens += u.cache_creation_input_tokens as number;
    tokens.cacheReadTokens += u.cache_read_input_tokens as number;
  }
  return { responses: byKey.size, tokens };
}

function digest(root: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of listJsonl(root)) {
    out.set(relative(root, file), createHash('sha256').update(readFileSync(file)).digest('hex'));
  }
  return out;
}

describe('corpus generator', () => {
  const temp = mkdtempSync(join(tmpdir(), 'breather-gen-'));
  const root = join(temp, 'main');
  let summary: CorpusSummary;
  let corpus: ParsedCorpus;

  beforeAll(async () => {
    summary = await generateCorpus({ root, targetBytes: 4_000_000, seed: 42 });
    corpus = parseCorpus(root);
  });

  afterAll(() => rmSync(temp, { recursive: true, force: true }));

  it('is deterministic for a seed and differs across seeds', async () => {
    const again = join(temp, 'again');
    const other = join(temp, 'other');
    const options = { targetBytes: 1_000_000, seed: 7, startTime: new Date('2026-01-05T00:00:00.000Z'), days: 10 };
    const first = await generateCorpus({ root: again, ...options });
    const second = await generateCorpus({ root: join(temp, 'again2'), ...options });
    expect(second).toEqual(first);
    expect(digest(join(temp, 'again2'))).toEqual(digest(again));
    await generateCorpus({ root: other, ...options, seed: 8 });
    expect(digest(other)).not.toEqual(digest(again));
  });

  it('reports what it wrote, and its token totals match an independent de-duplication', () => {
    const bytes = [...corpus.bytesByFile.values()].reduce((n, b) => n + b.length, 0);
    expect(summary.bytes).toBe(bytes);
    expect(summary.bytes).toBeGreaterThanOrEqual(4_000_000);
    expect(summary.files).toBe(corpus.files.length);
    expect(summary.lines).toBe(corpus.lines.length);
    expect(corpus.badLines).toBe(0);
    expect(dedupedTotals(corpus.lines)).toEqual({ responses: summary.responses, tokens: summary.tokens });
  });

  it('writes several projects, with cwd read from records (folder names collide)', () => {
    const folders = new Set(corpus.lines.map((l) => l.file.split(sep)[0]));
    const cwds = new Set(corpus.lines.map((l) => l.record.cwd).filter(Boolean));
    expect(folders.size).toBeGreaterThanOrEqual(4);
    expect(cwds.size).toBeGreaterThan(folders.size);
    for (const { file, record } of corpus.lines) {
      if (record.sessionId && !file.includes('agent-') && record.type !== 'queue-operation') {
        // Session files are named after their session (copied lines keep the old id).
        expect(file).toMatch(/[0-9a-f-]{36}\.jsonl$/);
      }
    }
  });

  it('writes assistant records in Claude Code field order with ISO-ms UTC timestamps', () => {
    const assistants = corpus.lines.filter((l) => l.record.type === 'assistant' && l.record.requestId);
    expect(assistants.length).toBeGreaterThan(100);
    const mainThread = assistants.find((l) => !l.record.isSidechain) as ParsedLine;
    expect(Object.keys(mainThread.record)).toEqual(ASSISTANT_KEY_ORDER);
    for (const { record } of corpus.lines) if (record.timestamp) expect(record.timestamp).toMatch(ISO_MS);
  });

  it('streams responses as 2–4 lines sharing ids, partial output first', () => {
    // Grouped per file: resumed sessions hold copies of the same lines.
    const groups = new Map<string, Record<string, any>[]>();
    for (const { file, record } of corpus.lines) {
      if (record.type !== 'assistant' || !record.requestId) continue;
      const key = `${file}:${record.message.id}`;
      const list = groups.get(key) ?? [];
      list.push(record);
      groups.set(key, list);
    }
    const sizes = [...groups.values()].map((l) => l.length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(4);
    expect(sizes.filter((n) => n >= 2).length).toBeGreaterThan(groups.size / 2);
    for (const lines of groups.values()) expect(new Set(lines.map((r) => r.requestId)).size).toBe(1);
    const blockTypes = (lines: Record<string, any>[]): string[] =>
      lines.map((r) => r.message.content.map((c: { type: string }) => c.type).join('+'));
    const streamed = [...groups.values()].find(
      (l) => l.length === 3 && blockTypes(l)[0] === 'thinking' && blockTypes(l)[2] === 'tool_use',
    ) as Record<string, any>[];
    expect(streamed).toBeDefined();
    const outputs = streamed.map((r) => r.message.usage.output_tokens as number);
    expect(outputs[0]).toBeLessThanOrEqual(outputs[1] as number);
    expect(outputs[1]).toBeLessThan(outputs[2] as number);
  });

  it('uses all models and splits cache creation into 5m/1h', () => {
    const models = new Set(corpus.lines.map((l) => l.record.message?.model).filter(Boolean));
    for (const model of CORPUS_MODELS) expect(models).toContain(model);
    expect(models).toContain('<synthetic>');
    let withSplit = 0;
    let oneHour = 0;
    for (const { record } of corpus.lines) {
      const u = record.message?.usage;
      if (record.type !== 'assistant' || !u?.cache_creation) continue;
      withSplit++;
      expect(u.cache_creation.ephemeral_5m_input_tokens + u.cache_creation.ephemeral_1h_input_tokens).toBe(
        u.cache_creation_input_tokens,
      );
      if (u.cache_creation.ephemeral_1h_input_tokens > 0) oneHour++;
    }
    expect(withSplit).toBeGreaterThan(50);
    expect(oneHour).toBeGreaterThan(0);
  });

  it('writes large tool results with toolUseResult, and Task results carrying their own usage', () => {
    const results = corpus.lines.filter((l) => l.record.toolUseResult !== undefined);
    expect(results.length).toBeGreaterThan(50);
    const biggest = Math.max(...results.map((l) => JSON.stringify(l.record.message.content).length));
    expect(biggest).toBeGreaterThan(20_000);
    const tasks = results.filter((l) => l.record.toolUseResult?.usage);
    expect(tasks.length).toBeGreaterThan(0);
    expect(tasks[0]?.record.toolUseResult.usage.cache_read_input_tokens).toBeGreaterThan(0);
  });

  it('writes subagents in all three layouts', () => {
    const inline = corpus.lines.filter((l) => l.record.isSidechain === true && !l.file.includes('agent-'));
    const sibling = corpus.files.filter((f) => /[\\/]projects[\\/][^\\/]+[\\/]agent-[0-9a-f]+\.jsonl$/.test(f));
    const nested = corpus.files.filter((f) => /[\\/]subagents[\\/]agent-a[0-9a-f]+\.jsonl$/.test(f));
    expect(inline.length).toBeGreaterThan(0);
    expect(sibling.length).toBeGreaterThan(0);
    expect(nested.length).toBeGreaterThan(0);
    const metas = listJsonl(root).filter((f) => f.endsWith('.meta.json'));
    expect(metas.length).toBe(nested.length);
    const agentLine = corpus.lines.find((l) => l.file.includes('agent-'));
    expect(agentLine?.record.isSidechain).toBe(true);
    expect(agentLine?.record.agentId).toBeTruthy();
  });

  it('copies lines into resumed sessions with the same ids', () => {
    const filesByKey = new Map<string, Set<string>>();
    for (const { file, record } of corpus.lines) {
      if (record.type !== 'assistant' || !record.requestId) continue;
      const key = `${record.message.id}:${record.requestId}`;
      const set = filesByKey.get(key) ?? new Set();
      set.add(file);
      filesByKey.set(key, set);
    }
    expect([...filesByKey.values()].some((s) => s.size > 1)).toBe(true);
    expect(summary.resumedSessions).toBeGreaterThan(0);
  });

  it('writes metadata lines and <synthetic> limit hits', () => {
    const types = new Set(corpus.lines.map((l) => l.record.type));
    for (const t of ['summary', 'file-history-snapshot', 'queue-operation', 'user', 'assistant']) expect(types).toContain(t);
    const synthetic = corpus.lines.filter((l) => l.record.message?.model === '<synthetic>').map((l) => l.record);
    expect(synthetic.length).toBeGreaterThan(0);
    for (const r of synthetic) {
      expect(r.isApiErrorMessage).toBe(true);
      expect(r.requestId).toBeUndefined();
      expect(r.message.usage.output_tokens + r.message.usage.input_tokens).toBe(0);
    }
    const snapshots = corpus.lines.filter((l) => l.record.type === 'file-history-snapshot');
    expect(Math.max(...snapshots.map((l) => Object.keys(l.record.snapshot.trackedFileBackups).length))).toBeGreaterThan(3);
  });

  it('has bursts with gaps over 5 h and stretches of activity over 5 h', () => {
    const times = corpus.lines
      .filter((l) => l.record.type === 'assistant' && l.record.requestId)
      .map((l) => Date.parse(l.record.timestamp))
      .sort((a, b) => a - b);
    let longGap = false;
    let longRun = false;
    let runStart = times[0] as number;
    for (let i = 1; i < times.length; i++) {
      const t = times[i] as number;
      if (t - (times[i - 1] as number) > 5 * HOUR) {
        longGap = true;
        runStart = t;
      } else if (t - runStart > 5 * HOUR) longRun = true;
    }
    expect(longGap).toBe(true);
    expect(longRun).toBe(true);
    expect(Date.parse(summary.lastTimestamp) - Date.parse(summary.firstTimestamp)).toBeGreaterThan(20 * 24 * HOUR);
  });

  it('puts most bytes in user/tool results and snapshots, 15–40 % in assistant lines', () => {
    const k = summary.bytesByKind;
    const share = (n: number): number => n / summary.bytes;
    expect(share(k.assistant)).toBeGreaterThan(0.15);
    expect(share(k.assistant)).toBeLessThan(0.4);
    expect(share(k.toolResult + k.snapshot + k.userPrompt + k.compactSummary)).toBeGreaterThan(0.5);
  });

  it('injects bad lines on request, keeping the counted totals exact', async () => {
    const badRoot = join(temp, 'bad');
    const bad = await generateCorpus({ root: badRoot, targetBytes: 1_500_000, seed: 3, badLines: true });
    const parsed = parseCorpus(badRoot);
    expect(bad.badLines).toEqual({
      garbage: 1,
      invalidUtf8: 2,
      truncatedJson: 1,
      nonObjectJson: 4,
      missingUsage: 1,
      emptyLine: 2,
      hugeLine: 1,
      unfinishedLastLine: 1,
    });
    // Not parseable: garbage, invalid UTF-8 outside a string, truncated, 4 non-objects, a blank line, the unfinished line.
    expect(parsed.badLines).toBe(9);
    expect(dedupedTotals(parsed.lines)).toEqual({ responses: bad.responses, tokens: bad.tokens });
    const all = [...parsed.bytesByFile.values()];
    expect(all.some((b) => b.length > 0 && b[b.length - 1] !== 0x0a)).toBe(true);
    expect(all.some((b) => b.includes(Buffer.from([0xc3, 0x28, 0xff, 0xfe])))).toBe(true);
    const longest = Math.max(...all.flatMap((b) => b.toString('latin1').split('\n').map((l) => l.length)));
    expect(longest).toBeGreaterThan(4_500_000);
    const noUsage = parsed.lines.filter((l) => l.record.type === 'assistant' && !l.record.message?.usage);
    expect(noUsage.length).toBe(1);
  });
});
