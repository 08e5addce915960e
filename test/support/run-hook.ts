// Runs the built hook bundle (dist/cli/breather-hook.mjs) the way Claude Code
// does: a child process with JSON on stdin, its exit code and stdout read back.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

export const HOOK_BUNDLE = resolve(import.meta.dirname, '../../dist/cli/breather-hook.mjs');

export interface HookResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export function runHook(subcommand: string, stdin: unknown, env: Record<string, string | undefined>, options: { cwd?: string } = {}): Promise<HookResult> {
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(process.execPath, [HOOK_BUNDLE, subcommand], { env: { ...process.env, ...env } as NodeJS.ProcessEnv, ...(options.cwd ? { cwd: options.cwd } : {}) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr, ms: performance.now() - started }));
    child.stdin.end(typeof stdin === 'string' ? stdin : JSON.stringify(stdin));
  });
}
