// A LiveMonitor on real files: a real UsageEngine over a temp Claude root, a
// temp state dir, a recording Notifier and a settable Clock.
import { UsageEngine } from '../../src/core/ingest/usage-engine.js';
import { recordToLimitHit } from '../../src/core/limits/limit-hit-parser.js';
import { LiveMonitor, type PersistTiming } from '../../src/core/monitor/live-monitor.js';
import type { Clock, NotificationRequest, Notifier } from '../../src/core/ports.js';
import { costOfResponse } from '../../src/core/usage/pricing.js';
import type { Settings } from '../../src/shared/settings.js';
import type { Alert, Status } from '../../src/shared/status.js';
import { recordEnvelope, usageLine } from './usage-lines.js';

export class FakeClock implements Clock {
  constructor(public ms: number) {}
  now(): number {
    return this.ms;
  }
  set(ms: number): void {
    this.ms = ms;
  }
}

export class RecordingNotifier implements Notifier {
  readonly sent: NotificationRequest[] = [];
  async notify(request: NotificationRequest): Promise<void> {
    this.sent.push(request);
  }
}

export interface MonitorHarness {
  engine: UsageEngine;
  monitor: LiveMonitor;
  notifier: RecordingNotifier;
  alerts: { alert: Alert; suppressed: string | null }[];
  statuses: Status[];
  errors: Error[];
  latest(): Status;
}

export async function openMonitor(options: { roots: string[]; stateDir: string; settings: () => Settings; clock: Clock; persistTiming?: PersistTiming }): Promise<MonitorHarness> {
  const engine = new UsageEngine({ roots: options.roots, stateDir: options.stateDir, detectLimitHit: (record) => recordToLimitHit(record, 'UTC') });
  await engine.open();
  await engine.refresh();
  const notifier = new RecordingNotifier();
  const alerts: MonitorHarness['alerts'] = [];
  const statuses: Status[] = [];
  const errors: Error[] = [];
  const monitor = new LiveMonitor({
    engine,
    stateDir: options.stateDir,
    settings: options.settings,
    notifier,
    clock: options.clock,
    onStatus: (status) => statuses.push(status),
    onAlert: (alert, suppressed) => alerts.push({ alert, suppressed }),
    onError: (error) => errors.push(error),
    ...(options.persistTiming ? { persistTiming: options.persistTiming } : {}),
  });
  return {
    engine,
    monitor,
    notifier,
    alerts,
    statuses,
    errors,
    latest: () => {
      const status = statuses.at(-1);
      if (!status) throw new Error('no status yet');
      return status;
    },
  };
}

/** Polls until `probe` returns something truthy. */
export async function waitFor<T>(probe: () => T | null | undefined | false, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const SONNET = 'claude-sonnet-4-5-20250929';

/** A usage line worth about `usd` at list prices (output tokens only). */
export function costLine(atMs: number, usd: number, extra: { sessionId?: string; cwd?: string } = {}): { line: string; costUSD: number } {
  const output = Math.round((usd / 15) * 1_000_000);
  const costUSD = costOfResponse(SONNET, { input: 0, output, cacheCreation: 0, cacheCreation1h: 0, cacheRead: 0 })!;
  return { line: usageLine({ at: new Date(atMs).toISOString(), model: SONNET, input: 0, output, ...extra }), costUSD };
}

/** The synthetic assistant record Claude Code writes when a plan limit stops a turn. */
export function limitHitLine(atMs: number, text: string, extra: { sessionId?: string; cwd?: string } = {}): string {
  return JSON.stringify({
    ...recordEnvelope(extra),
    type: 'assistant',
    uuid: `limit-${atMs}`,
    timestamp: new Date(atMs).toISOString(),
    isApiErrorMessage: true,
    error: 'rate_limit',
    message: {
      id: `msg-limit-${atMs}`,
      type: 'message',
      role: 'assistant',
      model: '<synthetic>',
      content: [{ type: 'text', text }],
      stop_reason: 'stop_sequence',
      stop_sequence: '',
      usage: { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    },
  });
}
