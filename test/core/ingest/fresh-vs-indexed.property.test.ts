// Property (issue #10 item 7): whatever the transcripts hold — hostile token
// counts and dates, damaged lines, streamed and copied responses, subagent
// relays — and however they were written (appends in odd pieces, unfinished
// lines, rewrites in place, runs in between), a run from the saved index says
// exactly what a fresh scan of the final files says.
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UsageEngine } from '../../../src/core/ingest/usage-engine.js';
import { groupBuckets } from '../../../src/core/usage/usage-reports.js';
import { Prng } from '../../support/corpus-generator.js';
import { agentProgressLine, appendTo, tempDir, usageLine, writeTranscript } from '../../support/usage-lines.js';

const FILES = ['-work-a/s1.jsonl', '-work-a/s2-resumed.jsonl', '-work-a/s1/subagents/agent-x.jsonl', '-work-b/s3.jsonl'];
const MODELS = ['claude-sonnet-4-5-20250929', 'claude-opus-4-1-20250805', 'claude-haiku-4-5-20251001', 'some-unpriced-model'];
const HOSTILE_USAGE = ['1e308', '-5', '"12"', 'null', '{"n":1}', '10.5', '2000000000', '9007199254740993'];
const HOSTILE_TIMES = ['+275760-09-13T00:00:00.000Z', '2026-02-30T10:00:00.000Z', '2026-11-20T10:00:00.000', '2022-06-01T00:00:00.000Z', '2999-01-01T00:00:00.000Z', 'soon'];

function randomLine(rng: Prng, file: number): string {
  const at = new Date(Date.parse('2026-11-01T00:00:00.000Z') + rng.int(0, 20 * 86_400) * 1000).toISOString();
  const key = rng.int(0, 40); // a small pool: streamed lines and copies share keys across files
  const base = {
    at,
    messageId: `msg_${key}`,
    requestId: rng.chance(0.1) ? null : `req_${key}`,
    model: MODELS[key % MODELS.length]!,
    sessionId: file === 3 ? 's3' : 's1',
    input: rng.int(0, 5000),
    output: rng.int(0, 900),
    cacheCreation: rng.int(0, 3000),
    cacheRead: rng.int(0, 90_000),
    ...(rng.chance(0.3) ? { cache1h: 0 } : {}),
  };
  const kind = rng.int(0, 99);
  const good = usageLine(base);
  if (kind < 55) return good;
  if (kind < 63) return good.replace(/"output_tokens":\d+/, `"output_tokens":${rng.pick(HOSTILE_USAGE)}`);
  if (kind < 70) return good.replace(`"timestamp":"${at}"`, `"timestamp":"${rng.pick(HOSTILE_TIMES)}"`);
  if (kind < 80) return agentProgressLine(good, { agentId: 'x', at, sessionId: base.sessionId });
  if (kind < 83) return good.replace('"output_tokens"', '"output_tokens":NaN,"x"');
  if (kind < 86) return `${good}\u0000`;
  if (kind < 89) return good.slice(0, rng.int(1, good.length - 1));
  if (kind < 92) return rng.pick(['garbage', '[1,2]', '{"type":"user","message":{"content":"hi"}}', '']);
  if (kind < 95) return good.replace('"model":"', '"model":"<synthetic>').replace(/"output_tokens":\d+/, '"output_tokens":0');
  return usageLine({ ...base, at: new Date(Date.now() + rng.int(-3, 3) * 3_600_000).toISOString() });
}

/** What the reports see: per day, model and session, every token field, cost and response count; and the skip counts. */
function summary(engine: UsageEngine) {
  const byKey = groupBuckets(engine.buckets(), (b) => `${new Date(b.quarterMs).toISOString().slice(0, 10)} ${b.model} ${b.sessionId} ${b.cwd}`);
  const rows = byKey
    .map((g) => [g.key, g.input, g.output, g.cacheCreation, g.cacheRead, g.entries, Math.round(g.costUSD * 1e6)])
    .sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1));
  const health = engine.health();
  return { rows, skipped: health.skippedLines, unfinished: health.unfinishedLines };
}

async function run(root: string, stateDir: string | null, existing?: UsageEngine): Promise<UsageEngine> {
  const engine = existing ?? new UsageEngine({ roots: [root], stateDir });
  if (!existing) await engine.open();
  await engine.refresh();
  await engine.persist();
  return engine;
}

describe('a run from the saved index agrees with a fresh scan', () => {
  it.each(Array.from({ length: 30 }, (_, i) => i + 1))('on generated history #%i', async (seed) => {
    const rng = new Prng(seed * 7919);
    const root = tempDir('breather-prop-');
    const state = tempDir('breather-prop-state-');
    const paths = FILES.map((f) => writeTranscript(root, f, []));
    const written = FILES.map(() => '');
    let engine: UsageEngine | undefined;
    for (let step = 0; step < 8; step++) {
      for (let n = rng.int(1, 25); n > 0; n--) {
        const file = rng.int(0, FILES.length - 1);
        // Sometimes a line arrives in two pieces, with a run in between.
        const text = `${randomLine(rng, file)}\n`;
        const cut = rng.chance(0.15) ? rng.int(1, text.length - 1) : text.length;
        appendTo(paths[file]!, text.slice(0, cut));
        written[file] += text.slice(0, cut);
        if (cut < text.length) {
          engine = await run(root, state, rng.chance(0.5) ? engine : undefined);
          appendTo(paths[file]!, text.slice(cut));
          written[file] += text.slice(cut);
        }
      }
      if (rng.chance(0.15)) {
        // Rewritten in place with other content, larger (a restored backup, rsync --inplace).
        const file = rng.int(0, FILES.length - 1);
        const replacement = `${Array.from({ length: rng.int(3, 12) }, () => randomLine(rng, file)).join('\n')}\n`;
        writeFileSync(paths[file]!, replacement.repeat(2) + written[file]);
        written[file] = replacement.repeat(2) + written[file];
      }
      // Same process, or a new one from the saved index.
      engine = await run(root, state, rng.chance(0.5) ? engine : undefined);
    }
    const fresh = await run(root, null);
    expect(summary(engine!)).toEqual(summary(fresh));
    expect(summary(await run(root, state))).toEqual(summary(fresh));
  }, 30_000);
});
