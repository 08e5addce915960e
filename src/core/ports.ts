// Small ports between the domain and the outside world. Core code takes these
// as parameters; adapters live at the edges (src/cli, src/main), fakes in tests.

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

export const silentLogger: Logger = { info: () => {}, warn: () => {} };

export interface NotificationAction {
  id: 'checkpoint' | 'snooze';
  label: string;
}

export interface NotificationRequest {
  title: string;
  body: string;
  /** Stable id so a platform can replace rather than stack notices. */
  tag?: string;
  actions?: NotificationAction[];
}

export interface Notifier {
  notify(request: NotificationRequest): Promise<void>;
}

export interface GitResult {
  stdout: Buffer;
  stderr: string;
  code: number;
}

/** Runs git with an argument array (never a shell). */
export interface GitRunner {
  run(args: string[], options: { cwd: string; env?: Record<string, string>; input?: Buffer }): Promise<GitResult>;
}

export interface Clipboard {
  writeText(text: string): Promise<void>;
}
