// Runs the built CLI (dist/cli/breather.mjs) as a user would.
import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

export const CLI = resolve(import.meta.dirname, '../../dist/cli/breather.mjs');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, CLAUDE_CONFIG_DIR: '', ...env }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

/** A long-running CLI process whose stdout lines can be awaited one by one. */
export class CliProcess {
  readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: string[] = [];
  private waiters: ((line: string) => void)[] = [];
  stderr = '';

  constructor(args: string[], env: Record<string, string | undefined> = {}) {
    this.child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, CLAUDE_CONFIG_DIR: '', ...env } });
    this.child.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      const waiter = this.waiters.shift();
      if (waiter) waiter(line);
      else this.lines.push(line);
    });
  }

  nextLine(timeoutMs = 15_000): Promise<string> {
    const queued = this.lines.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolveLine, reject) => {
      const timer = setTimeout(() => reject(new Error(`no output line within ${timeoutMs} ms; stderr: ${this.stderr}`)), timeoutMs);
      this.waiters.push((line) => {
        clearTimeout(timer);
        resolveLine(line);
      });
    });
  }

  stop(): Promise<number | null> {
    return new Promise((done) => {
      if (this.child.exitCode !== null) return done(this.child.exitCode);
      this.child.once('exit', (code) => done(code));
      this.child.kill('SIGTERM');
    });
  }
}
