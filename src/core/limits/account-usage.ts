// The opt-in account usage endpoint: the server's own percentages for every
// window, read with Claude Code's OAuth token. Undocumented and quick to answer
// 429, so Breather polls it rarely, honours Retry-After and backs off.
//
// The token is Claude Code's, not ours. Breather reads it fresh for each
// request, never refreshes it (refresh tokens are single-use: refreshing would
// sign Claude Code out), never stores it and never puts it in a message.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../ports.js';
import type { WindowId } from '../../shared/status.js';
import { type OfficialLimits, type OfficialWindow, WINDOW_IDS, clampPercent, epochMsFromUnix, isWindowId } from './official-limits.js';

export const DEFAULT_ACCOUNT_BASE_URL = 'https://api.anthropic.com';
export const ACCOUNT_USAGE_PATH = '/api/oauth/usage';
export const OAUTH_BETA = 'oauth-2025-04-20';
export const KEYCHAIN_SERVICE = 'Claude Code-credentials';

const MINUTE_MS = 60_000;
/** The floor for any polling interval, whatever the options say. */
export const ACCOUNT_USAGE_MIN_INTERVAL_MS = 5 * MINUTE_MS;
export const ACCOUNT_USAGE_MAX_BACKOFF_MS = 120 * MINUTE_MS;
/** Longest Retry-After honoured; a far-future date should not silence polling forever. */
export const ACCOUNT_USAGE_MAX_RETRY_AFTER_MS = 24 * 60 * MINUTE_MS;
const REQUEST_TIMEOUT_MS = 30_000;

// ---------------------------------------------------------------------------
// Errors

export type AccountUsageErrorKind = 'no-token' | 'unauthorized' | 'rate-limited' | 'http' | 'network' | 'bad-response';

/** Messages carry a status and a reason, never a token or a response body. */
export class AccountUsageError extends Error {
  readonly kind: AccountUsageErrorKind;
  readonly status: number | null;

  constructor(kind: AccountUsageErrorKind, message: string, status: number | null = null) {
    super(message);
    this.name = 'AccountUsageError';
    this.kind = kind;
    this.status = status;
  }
}

function unauthorizedError(status: number | null): AccountUsageError {
  const http = status === null ? '' : ` (HTTP ${status})`;
  return new AccountUsageError(
    'unauthorized',
    `Account usage: not signed in or the Claude Code token expired${http}. Sign in to or use Claude Code to renew it; Breather never refreshes tokens.`,
    status,
  );
}

/** Replaces every occurrence of the token: a defence in depth for messages built from other errors. */
export function redactToken(text: string, token: string): string {
  return token.length > 0 ? text.split(token).join('[redacted]') : text;
}

// ---------------------------------------------------------------------------
// Parsing (pure)

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** ISO reset time from an ISO string or a unix timestamp; null when absent or unreadable. */
function resetTimeIso(value: unknown): string | null {
  if (typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? null : new Date(ms).toISOString();
  }
  const ms = epochMsFromUnix(value);
  return ms === null ? null : new Date(ms).toISOString();
}

const WINDOW_ALIASES: Readonly<Record<string, WindowId>> = {
  '5h': 'five_hour',
  five_hours: 'five_hour',
  session: 'five_hour',
  '7d': 'seven_day',
  weekly: 'seven_day',
  week: 'seven_day',
  opus: 'seven_day_opus',
  weekly_opus: 'seven_day_opus',
  opus_weekly: 'seven_day_opus',
  '7d_opus': 'seven_day_opus',
  sonnet: 'seven_day_sonnet',
  weekly_sonnet: 'seven_day_sonnet',
  sonnet_weekly: 'seven_day_sonnet',
  '7d_sonnet': 'seven_day_sonnet',
};

/** A window id from a limits[] label such as "five_hour", "Five-Hour" or "weekly_opus"; null otherwise. */
export function windowIdFromLabel(label: unknown): WindowId | null {
  if (typeof label !== 'string') return null;
  const key = label.trim().toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  if (isWindowId(key)) return key;
  return WINDOW_ALIASES[key] ?? null;
}

function firstPresent(item: Record<string, unknown>, keys: readonly string[]): unknown {
  for (const key of keys) if (item[key] !== undefined && item[key] !== null) return item[key];
  return undefined;
}

const LABEL_KEYS = ['id', 'type', 'window', 'name', 'kind'] as const;
const PERCENT_KEYS = ['utilization', 'used_percentage', 'used_percent', 'percent', 'percentage'] as const;
const RESET_KEYS = ['resets_at', 'resetsAt', 'reset_at', 'resetAt'] as const;

function windowFrom(item: Record<string, unknown>, asOf: string): OfficialWindow | null {
  const usedPercent = clampPercent(firstPresent(item, PERCENT_KEYS));
  if (usedPercent === null) return null;
  return { usedPercent, resetsAt: resetTimeIso(firstPresent(item, RESET_KEYS)), asOf };
}

/**
 * Official limits from the endpoint's JSON. Reads the flat shape
 * (`five_hour: {utilization, resets_at}`, …; null windows and unknown keys
 * ignored) and the newer `limits[]` array (labels and field names vary, so
 * several spellings are tried; items that map to no window are ignored).
 * Where both give a window, the flat shape wins: it is the documented one.
 * null when the body is not a JSON object.
 */
export function parseAccountUsage(body: unknown, asOf: Date): OfficialLimits | null {
  if (!isRecord(body)) return null;
  const at = asOf.toISOString();
  const windows: OfficialLimits['windows'] = {};
  for (const id of WINDOW_IDS) {
    const item = body[id];
    if (!isRecord(item)) continue;
    const window = windowFrom(item, at);
    if (window) windows[id] = window;
  }
  if (Array.isArray(body.limits)) {
    for (const item of body.limits) {
      if (!isRecord(item)) continue;
      const id = LABEL_KEYS.map((key) => windowIdFromLabel(item[key])).find((found) => found !== null);
      if (!id || windows[id]) continue;
      const window = windowFrom(item, at);
      if (window) windows[id] = window;
    }
  }
  return { source: 'account', windows };
}

// ---------------------------------------------------------------------------
// Token (read only)

function accessTokenFromCredentials(text: string): string | null {
  try {
    const parsed: unknown = JSON.parse(text);
    if (!isRecord(parsed) || !isRecord(parsed.claudeAiOauth)) return null;
    const token = parsed.claudeAiOauth.accessToken;
    return typeof token === 'string' && token.length > 0 ? token : null;
  } catch {
    // Swallowed on purpose: a JSON error message quotes the text, which holds secrets.
    return null;
  }
}

/** The Keychain item's secret (`security … -w`), or null. Output is never logged. */
export function readKeychainSecret(service: string): Promise<string | null> {
  return new Promise((resolve) => {
    // The first read may show a macOS access prompt; give the user time to answer it.
    execFile('security', ['find-generic-password', '-s', service, '-w'], { timeout: 60_000 }, (error, stdout) => {
      resolve(error ? null : String(stdout).trim() || null);
    });
  });
}

export interface ReadAccessTokenOptions {
  /** Injectable for tests; defaults to the macOS `security` tool. */
  readKeychain?: (service: string) => Promise<string | null>;
}

/**
 * Claude Code's OAuth access token: on macOS from the Keychain item
 * "Claude Code-credentials", then (everywhere) from `<root>/.credentials.json`,
 * first root that has one. null when none is found. Never throws, never
 * refreshes, never writes.
 */
export async function readClaudeAccessToken(
  roots: string[],
  platform: NodeJS.Platform = process.platform,
  options: ReadAccessTokenOptions = {},
): Promise<string | null> {
  if (platform === 'darwin') {
    const secret = await (options.readKeychain ?? readKeychainSecret)(KEYCHAIN_SERVICE).catch(() => null);
    const token = secret === null ? null : accessTokenFromCredentials(secret);
    if (token !== null) return token;
  }
  for (const root of roots) {
    try {
      const token = accessTokenFromCredentials(await readFile(join(root, '.credentials.json'), 'utf8'));
      if (token !== null) return token;
    } catch {
      // Missing or unreadable: try the next root.
    }
  }
  return null;
}

// ---------------------------------------------------------------------------
// Request (thin effect)

export interface AccountUsageRequest {
  token: string;
  baseUrl?: string;
  fetchImpl?: typeof fetch;
  timeoutMs?: number;
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  const code = isRecord(cause) && typeof cause.code === 'string' ? ` (${cause.code})` : '';
  return `${error.message}${code}`;
}

/** One GET of the usage endpoint. A network failure rejects with an AccountUsageError (kind "network"). */
export async function fetchAccountUsage(request: AccountUsageRequest): Promise<Response> {
  const url = (request.baseUrl ?? DEFAULT_ACCOUNT_BASE_URL).replace(/\/+$/, '') + ACCOUNT_USAGE_PATH;
  try {
    return await (request.fetchImpl ?? fetch)(url, {
      method: 'GET',
      headers: {
        Authorization: `Bearer ${request.token}`,
        'anthropic-beta': OAUTH_BETA,
        Accept: 'application/json',
      },
      signal: AbortSignal.timeout(request.timeoutMs ?? REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    throw new AccountUsageError('network', redactToken(`Account usage request failed: ${describeError(error)}`, request.token));
  }
}

export interface AccountUsageFetcherOptions {
  roots: string[];
  platform?: NodeJS.Platform;
  baseUrl?: string;
  fetchImpl?: typeof fetch;
  readToken?: (roots: string[], platform: NodeJS.Platform) => Promise<string | null>;
}

/**
 * The `fetchUsage` for an AccountUsagePoller: reads the token afresh each time
 * (Claude Code renews it on its own), then requests. No token: rejects with
 * kind "no-token", which stops the poller.
 */
export function createAccountUsageFetcher(options: AccountUsageFetcherOptions): () => Promise<Response> {
  const platform = options.platform ?? process.platform;
  const readToken = options.readToken ?? ((roots, p) => readClaudeAccessToken(roots, p));
  return async () => {
    const token = await readToken(options.roots, platform);
    if (token === null) {
      throw new AccountUsageError(
        'no-token',
        'Account usage: no Claude Code sign-in found (no OAuth token in the Keychain or .credentials.json). Breather never refreshes tokens.',
      );
    }
    return fetchAccountUsage({ token, baseUrl: options.baseUrl, fetchImpl: options.fetchImpl });
  };
}

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
    if (delay === null) this.stop();

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
