// The small entry point Claude Code runs (dist/cli/breather-hook.mjs): the
// statusline bridge and the hooks. It runs on every assistant message and
// tool call, so it loads no commander, no zod and reads no transcripts: only
// stdin, Breather's state files and its settings file. Every path exits 0
// and never blocks by accident: a problem is logged in <state>/hooks.log.
import { fileURLToPath } from 'node:url';
import { logHookProblem, readHookSettings, readStdinText } from '../core/integration/hook-runtime.js';
import { parseJsonObject } from '../core/json-object.js';
import { sessionStartContext, stopFailureHook } from '../core/integration/limit-hooks.js';
import { pauseGate } from '../core/integration/pause-gate.js';
import { runStatuslineBridge } from '../core/integration/statusline-bridge.js';
import { resolveStateDir } from '../core/state-dir.js';

/** The full CLI beside this bundle; in the packaged app it stays inside app.asar (only this bundle is unpacked). */
const CLI_SCRIPT = fileURLToPath(new URL('./breather.mjs', import.meta.url)).replace(/([\\/])app\.asar\.unpacked([\\/])/, '$1app.asar$2');

/** Each hook answers well inside the timeout its settings entry gives Claude Code (see HOOK_TIMEOUT_SECONDS). */
const GUARD_MS: Record<string, number> = { 'pre-tool-use': 4000, 'stop-failure': 12_000, 'session-start': 4000 };

async function main(subcommand: string | undefined): Promise<void> {
  const stateDir = resolveStateDir();
  const settings = readHookSettings(stateDir);
  const guard = subcommand === 'statusline' ? settings.statuslineTimeoutMs + 1000 : (GUARD_MS[subcommand ?? ''] ?? 4000);
  // Whatever happens, answer in time: silence means "allow" to Claude Code.
  setTimeout(() => {
    logHookProblem(stateDir, subcommand ?? 'hook', `gave up after ${guard} ms`);
    process.exit(0);
  }, guard).unref();
  const stdin = await readStdinText();
  const now = new Date();
  switch (subcommand) {
    case 'statusline': {
      const run = await runStatuslineBridge(stdin, stateDir, settings.statuslineTimeoutMs, now);
      if (run.problem) logHookProblem(stateDir, 'statusline', run.problem, now);
      process.stdout.write(run.output);
      return;
    }
    case 'pre-tool-use': {
      const decision = pauseGate(parseJsonObject(stdin), stateDir, settings.pauseEndsAt, now);
      if (decision.output) process.stdout.write(decision.output);
      return;
    }
    case 'stop-failure':
      await stopFailureHook(parseJsonObject(stdin), stateDir, CLI_SCRIPT, now);
      return;
    case 'session-start': {
      if (!settings.sessionStartContext) return;
      const context = sessionStartContext(parseJsonObject(stdin), stateDir, settings.pauseEndsAt, now);
      if (context) process.stdout.write(`${JSON.stringify({ hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: context } })}\n`);
      return;
    }
    default:
      process.stderr.write('usage: breather-hook.mjs statusline|pre-tool-use|stop-failure|session-start (JSON on stdin)\n');
  }
}

try {
  await main(process.argv[2]);
} catch (error) {
  logHookProblem(resolveStateDir(), process.argv[2] ?? 'hook', `failed: ${(error as Error).stack ?? String(error)}`);
  // The statusline still shows something; hooks stay silent (allow).
  if (process.argv[2] === 'statusline') process.stdout.write('Breather: statusline error (see hooks.log)\n');
}
