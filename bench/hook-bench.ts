// The cost Claude Code pays for Breather on every assistant message (the
// statusline bridge) and every tool call (the PreToolUse gate): the median of
// 20 runs of the built hook bundle, over the median of 20 bare `node -e 0`.
// Target: each at most 30 ms above bare Node.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const RUNS = 20;
export const HOOK_OVERHEAD_TARGET_MS = 30;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** CPU time (user + system) of this process's waited-for children so far, from /proc (Linux); null elsewhere. */
function childrenCpuMs(): number | null {
  if (!existsSync('/proc/self/stat')) return null;
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  // cutime and cstime: fields 16 and 17 of the whole line, in clock ticks (100 a second).
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

const cpu = { bare: 0, statusline: 0, gate: 0 };

function timed(args: string[], input: string, env: NodeJS.ProcessEnv, kind?: keyof typeof cpu): number {
  const cpuBefore = childrenCpuMs();
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { input, env, stdio: ['pipe', 'ignore', 'ignore'] });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}`);
  const cpuAfter = childrenCpuMs();
  if (kind && cpuBefore !== null && cpuAfter !== null) cpu[kind] += cpuAfter - cpuBefore;
  return ms;
}

export interface HookBenchResult {
  bareNodeMs: number;
  statuslineMs: number;
  gateMs: number;
  /** Median of the per-round differences (each round runs all three back to back): steadier on a busy machine. */
  statuslineOverMs: number;
  gateOverMs: number;
  /** Mean CPU time per run (Linux /proc; 10 ms ticks, averaged): what a loaded machine cannot inflate. */
  cpuMs: { bare: number; statusline: number; gate: number } | null;
}

export function benchHooks(hookBundle: string): HookBenchResult {
  const state = mkdtempSync(join(tmpdir(), 'breather-hook-bench-'));
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, BREATHER_HOME: state };
    const nowSec = Math.floor(Date.now() / 1000);
    const statusline = JSON.stringify({
      session_id: 'bench',
      cwd: state,
      model: { id: 'claude-opus-4-5', display_name: 'Opus' },
      version: '2.1.90',
      rate_limits: { five_hour: { used_percentage: 37, resets_at: nowSec + 4800 }, seven_day: { used_percentage: 12, resets_at: nowSec + 400_000 } },
    });
    // A realistic gate: a few paused projects, none of them this one.
    writeFileSync(join(state, 'paused.json'), JSON.stringify({ version: 1, paused: [1, 2, 3].map((i) => ({ projectDir: `/elsewhere/${i}`, since: new Date().toISOString(), checkpointId: `cp${i}`, window: 'five_hour', resetsAt: null })) }));
    const gate = JSON.stringify({ session_id: 'bench', cwd: process.cwd(), hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'ls' } });
    // Warm the page cache once for each.
    timed(['-e', '0'], '', env);
    timed([hookBundle, 'statusline'], statusline, env);
    const bare: number[] = [];
    const bridge: number[] = [];
    const gated: number[] = [];
    // Interleaved, so a noisy moment on a shared machine hits all three alike.
    for (let i = 0; i < RUNS; i++) {
      bare.push(timed(['-e', '0'], '', env, 'bare'));
      bridge.push(timed([hookBundle, 'statusline'], statusline, env, 'statusline'));
      gated.push(timed([hookBundle, 'pre-tool-use'], gate, env, 'gate'));
    }
    return {
      bareNodeMs: median(bare),
      statuslineMs: median(bridge),
      gateMs: median(gated),
      statuslineOverMs: median(bridge.map((ms, i) => ms - bare[i]!)),
      gateOverMs: median(gated.map((ms, i) => ms - bare[i]!)),
      cpuMs: childrenCpuMs() === null ? null : { bare: cpu.bare / RUNS, statusline: cpu.statusline / RUNS, gate: cpu.gate / RUNS },
    };
  } finally {
    rmSync(state, { recursive: true, force: true });
  }
}

export function hookBenchTable(r: HookBenchResult): string {
  const row = (name: string, ms: number, over: number) => {
    return `  ${name.padEnd(22)} ${ms.toFixed(1).padStart(7)} ms  +${over.toFixed(1).padStart(5)} ms over node (paired)  ×${(ms / r.bareNodeMs).toFixed(2)}  ${over <= HOOK_OVERHEAD_TARGET_MS ? 'ok' : 'OVER'} (target +${HOOK_OVERHEAD_TARGET_MS} ms)`;
  };
  return [
    `Claude Code hooks (median of ${RUNS} runs each; bare \`node -e 0\`: ${r.bareNodeMs.toFixed(1)} ms)`,
    row('statusline bridge', r.statuslineMs, r.statuslineOverMs),
    row('PreToolUse gate', r.gateMs, r.gateOverMs),
    ...(r.cpuMs
      ? [
          `  CPU per run: node ${r.cpuMs.bare.toFixed(1)} ms, bridge ${r.cpuMs.statusline.toFixed(1)} ms (+${(r.cpuMs.statusline - r.cpuMs.bare).toFixed(1)}), ` +
            `gate ${r.cpuMs.gate.toFixed(1)} ms (+${(r.cpuMs.gate - r.cpuMs.bare).toFixed(1)})`,
        ]
      : []),
  ].join('\n');
}
