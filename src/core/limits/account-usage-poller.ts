// When to ask the account usage endpoint again (pure policy), and the poller
// that does it on a single timer chain.
import type { Clock } from '../ports.js';
import type { OfficialLimits } from './official-limits.js';
import {
  ACCOUNT_USAGE_MAX_BACKOFF_MS,
  ACCOUNT_USAGE_MAX_RETRY_AFTER_MS,
  ACCOUNT_USAGE_MIN_INTERVAL_MS,
  AccountUsageError,
  MINUTE_MS,
  unauthorizedError,
} from './account-usage-errors.js';
import { parseAccountUsage } from './account-usage-parse.js';

// ---------------------------------------------------------------------------
// Polling policy (pure)

/** Retry-After as milliseconds from now: delay-seconds or an HTTP date. null when absent or unreadable. */
export function parseRetryAfterMs(value: string | null | undefined, nowMs: number): number | null {
  if (value === null || value === undefined) return null;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

export type PollOutcome =
  | { kind: 'ok' }
  | { kind: 'unauthorized' }
  | { kind: 'rate-limited'; retryAfterMs: number | null }
  | { kind: 'failed' };

export interface PollPolicy {
  minIntervalMs: number;
  maxBackoffMs: number;
}

/** Delay after the n-th failure in a row (n ≥ 1): min, 2×min, 4×min, … capped. */
export function backoffDelayMs(consecutiveFailures: number, policy: PollPolicy): number {
  const doublings = Math.max(0, consecutiveFailures - 1);
  return Math.min(policy.maxBackoffMs, policy.minIntervalMs * 2 ** Math.min(doublings, 30));
}

/**
 * How long to wait before the next request, or null to stop polling.
 * `consecutiveFailures` counts this outcome when it is a failure.
 */
export function nextPollDelayMs(outcome: PollOutcome, consecutiveFailures: number, policy: PollPolicy): number | null {
  switch (outcome.kind) {
    case 'ok':
      return policy.minIntervalMs;
    case 'unauthorized':
      return null;
    case 'rate-limited':
      if (outcome.retryAfterMs !== null) {
        return Math.max(policy.minIntervalMs, Math.min(outcome.retryAfterMs, ACCOUNT_USAGE_MAX_RETRY_AFTER_MS));
      }
      return backoffDelayMs(consecutiveFailures, policy);
    case 'failed':
      return backoffDelayMs(consecutiveFailures, policy);
  }
}

// ---------------------------------------------------------------------------
// Poller (thin effect around the policy)

/** The parts of a fetch Response the poller uses. */
export interface AccountUsageResponseLike {
  status: number;
  headers: { get(name: string): string | null };
  json(): Promise<unknown>;
  body?: { cancel?(): Promise<unknown> } | null;
}

export interface PollTimer {
  cancel(): void;
}

export interface PollScheduler {
  schedule(run: () => void, delayMs: number): PollTimer;
}

/** Real timers, unref'd so a pending poll never keeps the process alive. */
export const unrefScheduler: PollScheduler = {
  schedule(run, delayMs) {
    const handle = setTimeout(run, delayMs);
    handle.unref();
    return { cancel: () => clearTimeout(handle) };
  },
};

export interface AccountUsagePollerOptions {
  fetchUsage: () => Promise<AccountUsageResponseLike>;
  clock: Clock;
  /** Floored at 5 minutes: the endpoint is shared with Claude Code and rate-limits readily. */
  minIntervalMs?: number;
  maxBackoffMs?: number;
  onUpdate: (limits: OfficialLimits) => void;
  onError?: (error: AccountUsageError) => void;
  scheduler?: PollScheduler;
}

/**
 * Polls the account usage endpoint on a single timer chain: one request, then
 * one timer for the next. Every request, timed or pollNow(), waits until
 * `nextPollAt`, which is at least minIntervalMs after the last answer and
 * later under Retry-After or backoff. 401/403 or a missing token stops it.
 */
export class AccountUsagePoller {
  private readonly fetchUsage: () => Promise<AccountUsageResponseLike>;
  private readonly clock: Clock;
  private readonly policy: PollPolicy;
  private readonly onUpdate: (limits: OfficialLimits) => void;
  private readonly onError: (error: AccountUsageError) => void;
  private readonly scheduler: PollScheduler;

  private isRunning = false;
  private timer: PollTimer | null = null;
  private inFlight: Promise<void> | null = null;
  private consecutiveFailures = 0;
  private earliestNextPoll: number | null = null;
  /** Stopped on 401/403 or a missing token: a new sign-in (credentialsChanged) starts it again. */
  private stoppedUnauthorized = false;

  constructor(options: AccountUsagePollerOptions) {
    this.fetchUsage = options.fetchUsage;
    this.clock = options.clock;
    const minIntervalMs = Math.max(ACCOUNT_USAGE_MIN_INTERVAL_MS, options.minIntervalMs ?? ACCOUNT_USAGE_MIN_INTERVAL_MS);
    this.policy = { minIntervalMs, maxBackoffMs: Math.max(minIntervalMs, options.maxBackoffMs ?? ACCOUNT_USAGE_MAX_BACKOFF_MS) };
    this.onUpdate = options.onUpdate;
    this.onError = options.onError ?? (() => {});
    this.scheduler = options.scheduler ?? unrefScheduler;
  }

  get running(): boolean {
    return this.isRunning;
  }

  /** Epoch ms before which no request is made; null before the first request. */
  get nextPollAt(): number | null {
    return this.earliestNextPoll;
  }

  /** Starts the chain: polls as soon as allowed, then keeps going. */
  start(): void {
    if (this.isRunning) return;
    this.isRunning = true;
    if (!this.inFlight) this.scheduleNext();
  }

  /** Cancels the pending timer. A request already in flight still reports, but schedules nothing. */
  stop(): void {
    this.isRunning = false;
    this.timer?.cancel();
    this.timer = null;
  }

  /**
   * Polls now if allowed (not before nextPollAt, nothing in flight). Resolves
   * true when a request was made. Works whether or not the chain is running.
   */
  async pollNow(): Promise<boolean> {
    if (this.inFlight || !this.mayPoll()) return false;
    this.timer?.cancel();
    this.timer = null;
    await this.poll();
    return true;
  }

  /**
   * Claude Code's credentials changed (the user signed in again). A poller that
   * stopped for want of a valid token tries again at once; otherwise nothing.
   * Returns whether it restarted.
   */
  credentialsChanged(): boolean {
    if (!this.stoppedUnauthorized || this.inFlight) return false;
    this.stoppedUnauthorized = false;
    this.consecutiveFailures = 0;
    this.earliestNextPoll = this.clock.now();
    this.start();
    return true;
  }

  /** Resolves once no request is in flight (for shutdown and tests). */
  async settled(): Promise<void> {
    while (this.inFlight) await this.inFlight;
  }

  private mayPoll(): boolean {
    return this.earliestNextPoll === null || this.clock.now() >= this.earliestNextPoll;
  }

  private scheduleNext(): void {
    this.timer?.cancel();
    const wait = this.earliestNextPoll === null ? 0 : Math.max(0, this.earliestNextPoll - this.clock.now());
    this.timer = this.scheduler.schedule(() => this.onTimer(), wait);
  }

  private onTimer(): void {
    this.timer = null;
    if (!this.isRunning || this.inFlight) return;
    // A timer can fire early against the clock (clock changes, sleep): re-arm rather than poll early.
    if (!this.mayPoll()) {
      this.scheduleNext();
      return;
    }
    void this.poll();
  }

  private poll(): Promise<void> {
    const run = this.requestOnce().finally(() => {
      this.inFlight = null;
      if (this.isRunning) this.scheduleNext();
    });
    this.inFlight = run;
    return run;
  }

  private async requestOnce(): Promise<void> {
    // Block other requests while this one is out, even before it answers.
    this.earliestNextPoll = this.clock.now() + this.policy.minIntervalMs;
    let outcome: PollOutcome;
    let report: { limits: OfficialLimits } | { error: AccountUsageError };
    try {
      const response = await this.fetchUsage();
      ({ outcome, report } = await this.interpret(response));
    } catch (error) {
      const usageError =
        error instanceof AccountUsageError
          ? error
          : new AccountUsageError('network', `Account usage request failed: ${error instanceof Error ? error.message : String(error)}`);
      outcome = usageError.kind === 'no-token' || usageError.kind === 'unauthorized' ? { kind: 'unauthorized' } : { kind: 'failed' };
      report = { error: usageError };
    }

    this.consecutiveFailures = outcome.kind === 'ok' ? 0 : this.consecutiveFailures + 1;
    const delay = nextPollDelayMs(outcome, this.consecutiveFailures, this.policy);
    this.earliestNextPoll = this.clock.now() + (delay ?? this.policy.minIntervalMs);
    if (delay === null) {
      this.stoppedUnauthorized = true;
      this.stop();
    }

    // A throwing callback must not break the chain.
    try {
      if ('limits' in report) this.onUpdate(report.limits);
      else this.onError(report.error);
    } catch {
      // Ignored on purpose.
    }
  }

  private async interpret(
    response: AccountUsageResponseLike,
  ): Promise<{ outcome: PollOutcome; report: { limits: OfficialLimits } | { error: AccountUsageError } }> {
    const status = response.status;
    if (status >= 200 && status < 300) {
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        // No details: a JSON error message quotes the body.
        return { outcome: { kind: 'failed' }, report: { error: new AccountUsageError('bad-response', 'Account usage: the response was not JSON.', status) } };
      }
      const limits = parseAccountUsage(body, new Date(this.clock.now()));
      if (limits === null) {
        return { outcome: { kind: 'failed' }, report: { error: new AccountUsageError('bad-response', 'Account usage: unexpected response shape.', status) } };
      }
      return { outcome: { kind: 'ok' }, report: { limits } };
    }

    // The body of a failure is never read: it is not needed, and it could echo anything.
    try {
      void response.body?.cancel?.().catch(() => {});
    } catch {
      // Already consumed or locked: nothing to free.
    }
    if (status === 401 || status === 403) {
      return { outcome: { kind: 'unauthorized' }, report: { error: unauthorizedError(status) } };
    }
    if (status === 429) {
      const retryAfterMs = parseRetryAfterMs(response.headers.get('retry-after'), this.clock.now());
      const wait = nextPollDelayMs({ kind: 'rate-limited', retryAfterMs }, this.consecutiveFailures + 1, this.policy) ?? 0;
      const error = new AccountUsageError(
        'rate-limited',
        `Account usage: rate-limited (HTTP 429); next try in ${Math.round(wait / MINUTE_MS)} min.`,
        status,
      );
      return { outcome: { kind: 'rate-limited', retryAfterMs }, report: { error } };
    }
    return { outcome: { kind: 'failed' }, report: { error: new AccountUsageError('http', `Account usage request failed: HTTP ${status}.`, status) } };
  }
}
