// A private Linux desktop for notification tests: its own D-Bus session bus,
// an Xvfb display, the dunst notification daemon and dbus-monitor recording
// every org.freedesktop.Notifications.Notify call. Nothing touches the user's
// session; every process started here is tracked so it can be killed.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export const DESKTOP_BINARIES = ['dbus-daemon', 'dbus-monitor', 'dbus-send', 'Xvfb', 'dunst', 'dunstctl', 'notify-send'] as const;

export function findBinary(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** Throws (never skips) when a binary is missing: CI installs them. */
export function requireBinaries(names: readonly string[] = DESKTOP_BINARIES): void {
  const missing = names.filter((name) => findBinary(name) === null);
  if (missing.length > 0) {
    throw new Error(
      `Linux notification test needs ${missing.join(', ')} on PATH (Debian/Ubuntu: apt-get install dbus dbus-x11 xvfb dunst libnotify-bin). CI installs them; this test does not skip.`,
    );
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function pollUntil<T>(probe: () => T | null | undefined | false | Promise<T | null | undefined | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

/** One tracked child process with its output collected. */
export class Tracked {
  stdout = '';
  stderr = '';
  exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (d: Buffer) => (this.stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.stderr += d.toString()));
    child.once('exit', (code, signal) => (this.exited = { code, signal }));
    child.once('error', (error) => {
      this.stderr += `\n[spawn error] ${error.message}`;
      this.exited ??= { code: null, signal: null };
    });
  }

  describe(): string {
    return `${this.name} (pid ${this.child.pid}) ${this.exited ? `exited ${JSON.stringify(this.exited)}` : 'running'}; stderr: ${this.stderr.trim().slice(-2000)}`;
  }

  /** SIGTERM, then SIGKILL after a grace period. */
  async kill(): Promise<void> {
    if (this.exited || this.child.pid === undefined) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timedOut = await Promise.race([gone.then(() => false), sleep(3000).then(() => true)]);
    if (timedOut && !this.exited) {
      this.child.kill('SIGKILL');
      await Promise.race([gone, sleep(2000)]);
    }
  }
}

export class PrivateDesktop {
  readonly processes: Tracked[] = [];
  busAddress = '';
  display = '';

  get env(): Record<string, string> {
    return { DBUS_SESSION_BUS_ADDRESS: this.busAddress, DISPLAY: this.display };
  }

  private start(name: string, command: string, args: string[], env: Record<string, string> = {}): Tracked {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const tracked = new Tracked(name, child);
    this.processes.push(tracked);
    return tracked;
  }

  /** A session bus of our own; its address is what it prints first. */
  async startBus(): Promise<void> {
    const bus = this.start('dbus-daemon', 'dbus-daemon', ['--session', '--nofork', '--print-address=1']);
    const address = await pollUntil(() => {
      if (bus.exited) throw new Error(`dbus-daemon did not start: ${bus.describe()}`);
      const line = bus.stdout.split('\n')[0]?.trim();
      return bus.stdout.includes('\n') && line ? line : null;
    }, 'dbus-daemon to print its address', 15_000);
    this.busAddress = address;
  }

  /** Xvfb on a random free display number, without TCP. */
  async startDisplay(): Promise<void> {
    for (let attempt = 0; attempt < 8; attempt++) {
      const n = 100 + Math.floor(Math.random() * 800);
      if (existsSync(`/tmp/.X${n}-lock`) || existsSync(`/tmp/.X11-unix/X${n}`)) continue;
      const xvfb = this.start('Xvfb', 'Xvfb', [`:${n}`, '-nolisten', 'tcp', '-screen', '0', '1024x768x24']);
      const ok = await pollUntil(
        () => (xvfb.exited ? 'exited' : existsSync(`/tmp/.X11-unix/X${n}`) ? 'ready' : null),
        `Xvfb :${n} to create its socket`,
        15_000,
      );
      if (ok === 'ready') {
        this.display = `:${n}`;
        return;
      }
    }
    throw new Error(`Xvfb did not start: ${this.processes.filter((p) => p.name === 'Xvfb').map((p) => p.describe()).join(' | ')}`);
  }

  /** Runs a short command on our bus and display. */
  run(command: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(command, args, { env: { ...process.env, ...this.env }, timeout: 10_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
      );
    });
  }

  async notificationsOwned(): Promise<boolean> {
    const reply = await this.run('dbus-send', [
      `--bus=${this.busAddress}`,
      '--print-reply',
      '--dest=org.freedesktop.DBus',
      '/org/freedesktop/DBus',
      'org.freedesktop.DBus.NameHasOwner',
      'string:org.freedesktop.Notifications',
    ]);
    return reply.stdout.includes('boolean true');
  }

  /** dunst on our display and bus; ready once it owns org.freedesktop.Notifications. */
  /** args: e.g. ['-config', path] for a dunstrc (a scripted dmenu for the context menu). */
  async startDunst(args: string[] = []): Promise<Tracked> {
    const dunst = this.start('dunst', 'dunst', args, this.env);
    await pollUntil(async () => {
      if (dunst.exited) throw new Error(`dunst did not start: ${dunst.describe()}`);
      return this.notificationsOwned();
    }, 'dunst to own org.freedesktop.Notifications', 20_000);
    return dunst;
  }

  /** dbus-monitor on our bus, for Notify calls only; ready once it has become a monitor. */
  async startNotifyMonitor(): Promise<Tracked> {
    const monitor = this.start('dbus-monitor', 'dbus-monitor', ['--address', this.busAddress, "interface='org.freedesktop.Notifications',member='Notify'"]);
    await pollUntil(() => {
      if (monitor.exited) throw new Error(`dbus-monitor did not start: ${monitor.describe()}`);
      return monitor.stdout.includes('NameLost');
    }, 'dbus-monitor to become a monitor', 15_000);
    return monitor;
  }

  async stopAll(): Promise<void> {
    // Reverse start order: clients first, the bus last.
    for (const tracked of [...this.processes].reverse()) await tracked.kill();
  }
}

export interface NotifyCall {
  appName: string;
  icon: string;
  summary: string;
  body: string;
  /** Lines of the whole call, for failure messages. */
  raw: string;
}

/**
 * The Notify method calls in dbus-monitor's text output. Arguments at the top
 * level are indented three spaces: app_name, replaces_id, app_icon, summary,
 * body, actions, hints, expire_timeout.
 */
export function parseNotifyCalls(output: string): NotifyCall[] {
  const calls: NotifyCall[] = [];
  const lines = output.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const header = lines[i]!;
    if (!header.startsWith('method call') || !header.includes('member=Notify')) continue;
    const body: string[] = [];
    for (let j = i + 1; j < lines.length && /^\s/.test(lines[j]!); j++) body.push(lines[j]!);
    const topLevel = body.filter((l) => /^ {3}\S/.test(l));
    const strings = topLevel.map((l) => /^ {3}string "(.*)"$/.exec(l)?.[1] ?? null);
    // app_name, (uint32 replaces_id), app_icon, summary, body
    if (topLevel.length < 5 || strings[0] === null || strings[2] === null || strings[3] === null || strings[4] === null) continue;
    calls.push({ appName: strings[0]!, icon: strings[2]!, summary: strings[3]!, body: strings[4]!, raw: [header, ...body].join('\n') });
  }
  return calls;
}
