// The account usage endpoint against a real HTTP server on loopback; time is a
// fake clock plus a recording scheduler, so backoff is checked without waiting.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ACCOUNT_USAGE_MIN_INTERVAL_MS,
  AccountUsageError,
  AccountUsagePoller,
  type AccountUsagePollerOptions,
  type PollScheduler,
  createAccountUsageFetcher,
  nextPollDelayMs,
  parseAccountUsage,
  parseRetryAfterMs,
  readClaudeAccessToken,
  unrefScheduler,
} from '../../../src/core/limits/account-usage.js';
import type { OfficialLimits } from '../../../src/core/limits/official-limits.js';
import type { Clock } from '../../../src/core/ports.js';

const TOKEN = 'sk-ant-oat01-SECRET-test-token-do-not-leak';
const MIN = 60_000;

// --- fake server -----------------------------------------------------------

interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

let server: Server;
let baseUrl: string;
let handler: Handler;
let seen: SeenRequest[];

function json(status: number, body: unknown, headers: Record<string, string> = {}): Handler {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
}

/** Answers in turn, repeating the last. */
function sequence(...handlers: Handler[]): Handler {
  let i = 0;
  return (req, res) => (handlers[Math.min(i++, handlers.length - 1)] as Handler)(req, res);
}

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

// --- fake time -------------------------------------------------------------

interface FakeTimer {
  run: () => void;
  delayMs: number;
  at: number;
  cancelled: boolean;
  fired: boolean;
}

class FakeTime implements Clock, PollScheduler {
  t = Date.parse('2026-03-02T12:00:00.000Z');
  timers: FakeTimer[] = [];
  now(): number {
    return this.t;
  }
  schedule(run: () => void, delayMs: number) {
    const timer: FakeTimer = { run, delayMs, at: this.t + delayMs, cancelled: false, fired: false };
    this.timers.push(timer);
    return { cancel: () => void (timer.cancelled = true) };
  }
  pending(): FakeTimer[] {
    return this.timers.filter((timer) => !timer.cancelled && !timer.fired);
  }
  /** The one pending timer's delay (the poller keeps a single chain). */
  nextDelay(): number | undefined {
    const pending = this.pending();
    expect(pending.length).toBeLessThanOrEqual(1);
    return pending[0]?.delayMs;
  }
  /** Jumps the clock to the pending timer, fires it and waits for the poll to finish. */
  async fire(poller: AccountUsagePoller): Promise<void> {
    const [timer] = this.pending();
    if (!timer) throw new Error('no pending timer');
    this.t = timer.at;
    timer.fired = true;
    timer.run();
    await poller.settled();
  }
}

// --- fixtures --------------------------------------------------------------

let root: string;
let time: FakeTime;
let updates: OfficialLimits[];
let errors: AccountUsageError[];

beforeEach(async () => {
  seen = [];
  handler = json(200, {});
  time = new FakeTime();
  updates = [];
  errors = [];
  root = await mkdtemp(join(tmpdir(), 'breather-account-'));
  await writeFile(join(root, '.credentials.json'), JSON.stringify({ claudeAiOauth: { accessToken: TOKEN, refreshToken: 'r', expiresAt: 1 } }));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(root, { recursive: true, force: true });
});

function makePoller(options: Partial<AccountUsagePollerOptions> = {}): AccountUsagePoller {
  return new AccountUsagePoller({
    fetchUsage: createAccountUsageFetcher({ roots: [root], platform: 'linux', baseUrl }),
    clock: time,
    scheduler: time,
    onUpdate: (limits) => updates.push(limits),
    onError: (error) => errors.push(error),
    ...options,
  });
}

const FLAT_BODY = {
  five_hour: { utilization: 37, resets_at: '2026-03-02T15:00:00.000000+00:00' },
  seven_day: { utilization: 12.5, resets_at: '2026-03-06T08:00:00Z' },
  seven_day_opus: null,
  seven_day_sonnet: { utilization: 4, resets_at: null },
  seven_day_oauth_apps: null,
  extra_usage: { is_enabled: false, monthly_limit: null },
};

// --- tests -----------------------------------------------------------------

describe('account usage request', () => {
  it('sends GET /api/oauth/usage with the bearer token and the OAuth beta header', async () => {
    handler = json(200, FLAT_BODY);
    expect(await makePoller().pollNow()).toBe(true);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.method).toBe('GET');
    expect(seen[0]?.url).toBe('/api/oauth/usage');
    expect(seen[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(seen[0]?.headers['anthropic-beta']).toBe('oauth-2025-04-20');
  });

  it('parses the flat shape, skipping null windows and unknown keys', async () => {
    handler = json(200, FLAT_BODY);
    await makePoller().pollNow();
    const asOf = new Date(time.t).toISOString();
    expect(errors).toEqual([]);
    expect(updates).toEqual([
      {
        source: 'account',
        windows: {
          five_hour: { usedPercent: 37, resetsAt: '2026-03-02T15:00:00.000Z', asOf },
          seven_day: { usedPercent: 12.5, resetsAt: '2026-03-06T08:00:00.000Z', asOf },
          seven_day_sonnet: { usedPercent: 4, resetsAt: null, asOf },
        },
      },
    ]);
  });

  it('parses the limits[] shape defensively', async () => {
    handler = json(200, {
      limits: [
        { id: 'five_hour', utilization: 61, resets_at: '2026-03-02T16:00:00Z' },
        { type: 'Seven-Day', used_percentage: 120, resetsAt: 1772784000 },
        { id: 'lim_123', window: 'weekly_opus', percent: 8 },
        { name: 'seven_day_sonnet', utilization: 'high' },
        { id: 'monthly_credits', utilization: 50 },
        'garbage',
        null,
      ],
    });
    await makePoller().pollNow();
    const asOf = new Date(time.t).toISOString();
    expect(updates[0]).toEqual({
      source: 'account',
      windows: {
        five_hour: { usedPercent: 61, resetsAt: '2026-03-02T16:00:00.000Z', asOf },
        seven_day: { usedPercent: 100, resetsAt: new Date(1772784000 * 1000).toISOString(), asOf },
        seven_day_opus: { usedPercent: 8, resetsAt: null, asOf },
      },
    });
  });

  it('prefers the flat shape when both give a window, fills the rest from limits[]', () => {
    const at = new Date('2026-03-02T12:00:00Z');
    const limits = parseAccountUsage(
      {
        five_hour: { utilization: 10, resets_at: null },
        limits: [
          { id: 'five_hour', utilization: 99 },
          { id: 'seven_day_opus', utilization: 20 },
        ],
      },
      at,
    );
    expect(limits?.windows.five_hour?.usedPercent).toBe(10);
    expect(limits?.windows.seven_day_opus?.usedPercent).toBe(20);
    expect(parseAccountUsage([1, 2], at)).toBeNull();
    expect(parseAccountUsage('nope', at)).toBeNull();
  });
});

describe('account usage poller timing', () => {
  it('starts at once, then waits the 5-minute minimum; pollNow cannot jump the queue', async () => {
    handler = json(200, FLAT_BODY);
    const poller = makePoller({ minIntervalMs: 1000 }); // floored to 5 min
    poller.start();
    expect(time.nextDelay()).toBe(0);
    await time.fire(poller);
    expect(seen).toHaveLength(1);
    expect(time.nextDelay()).toBe(ACCOUNT_USAGE_MIN_INTERVAL_MS);

    time.t += 4 * MIN;
    expect(await poller.pollNow()).toBe(false);
    expect(seen).toHaveLength(1);

    await time.fire(poller);
    expect(seen).toHaveLength(2);
    expect(time.nextDelay()).toBe(5 * MIN);
    poller.stop();
    expect(time.pending()).toHaveLength(0);
  });

  it('restarting soon after a poll still waits out the minimum', async () => {
    handler = json(200, FLAT_BODY);
    const poller = makePoller();
    await poller.pollNow();
    time.t += 2 * MIN;
    poller.start();
    expect(time.nextDelay()).toBe(3 * MIN);
    poller.stop();
  });

  it('re-arms rather than polls when a timer fires before its time', async () => {
    handler = json(200, FLAT_BODY);
    const poller = makePoller();
    await poller.pollNow();
    poller.start();
    const [timer] = time.pending();
    timer!.fired = true;
    time.t += 1 * MIN; // the clock says only one minute passed
    timer!.run();
    await poller.settled();
    expect(seen).toHaveLength(1);
    expect(time.nextDelay()).toBe(4 * MIN);
    poller.stop();
  });

  it('honours Retry-After in seconds, with the 5-minute floor', async () => {
    handler = sequence(json(429, {}, { 'retry-after': '900' }), json(429, {}, { 'retry-after': '30' }), json(200, FLAT_BODY));
    const poller = makePoller();
    poller.start();
    await time.fire(poller);
    expect(errors[0]?.kind).toBe('rate-limited');
    expect(errors[0]?.message).toContain('15 min');
    expect(time.nextDelay()).toBe(15 * MIN);
    await time.fire(poller);
    expect(time.nextDelay()).toBe(5 * MIN);
    await time.fire(poller);
    expect(updates).toHaveLength(1);
    poller.stop();
  });

  it('honours Retry-After as an HTTP date', async () => {
    handler = (_req, res) => {
      res.writeHead(429, { 'retry-after': new Date(time.t + 42 * MIN).toUTCString() });
      res.end();
    };
    const poller = makePoller();
    poller.start();
    await time.fire(poller);
    expect(time.nextDelay()).toBe(42 * MIN);
    poller.stop();
  });

  it('backs off 5, 10, 20, 40 … minutes, capped at 2 hours, and resets on success', async () => {
    const failures = [json(429, {}), json(500, {}), json(429, {}), json(503, {}), json(429, {}), json(429, {}), json(429, {})];
    handler = sequence(...failures, json(200, FLAT_BODY), json(500, {}));
    const poller = makePoller();
    poller.start();
    const delays: (number | undefined)[] = [];
    for (let i = 0; i < failures.length + 2; i++) {
      await time.fire(poller);
      delays.push(time.nextDelay());
    }
    expect(delays.map((ms) => (ms ?? 0) / MIN)).toEqual([5, 10, 20, 40, 80, 120, 120, 5, 5]);
    expect(errors.map((e) => e.kind)).toEqual([
      'rate-limited',
      'http',
      'rate-limited',
      'http',
      'rate-limited',
      'rate-limited',
      'rate-limited',
      'http',
    ]);
    expect(updates).toHaveLength(1);
    poller.stop();
  });

  it('backs off on network failures too', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));

    const poller = makePoller({ fetchUsage: createAccountUsageFetcher({ roots: [root], platform: 'linux', baseUrl: deadUrl }) });
    poller.start();
    await time.fire(poller);
    await time.fire(poller);
    expect(errors.map((e) => e.kind)).toEqual(['network', 'network']);
    expect(time.nextDelay()).toBe(10 * MIN);
    poller.stop();
  });

  it.each([401, 403])('stops on %i with a clear not-signed-in error', async (status) => {
    handler = json(status, { error: { type: 'authentication_error' } });
    const poller = makePoller();
    poller.start();
    await time.fire(poller);
    expect(poller.running).toBe(false);
    expect(time.pending()).toHaveLength(0);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.kind).toBe('unauthorized');
    expect(errors[0]?.status).toBe(status);
    expect(errors[0]?.message).toMatch(/not signed in or the Claude Code token expired/);
    expect(errors[0]?.message).toMatch(/Breather never refreshes tokens/);
    // Even an explicit poll waits out the minimum before trying again.
    expect(await poller.pollNow()).toBe(false);
    expect(seen).toHaveLength(1);
  });

  it('after a 401, resumes at once when Claude Code writes new credentials (the real file watch)', async () => {
    handler = sequence(json(401, {}), json(200, { five_hour: { utilization: 12, resets_at: '2026-03-02T14:00:00Z' } }));
    const poller = makePoller();
    poller.start();
    await time.fire(poller);
    expect(poller.running).toBe(false);
    const { watchCredentials } = await import('../../../src/core/limits/credentials-watch.js');
    const restarted = new Promise<boolean>((resolve) => {
      const watch = watchCredentials([root], () => {
        watch.close();
        resolve(poller.credentialsChanged());
      });
    });
    await writeFile(join(root, '.credentials.json'), JSON.stringify({ claudeAiOauth: { accessToken: `${TOKEN}-renewed` } }));
    expect(await restarted).toBe(true);
    expect(time.nextDelay()).toBe(0);
    await time.fire(poller);
    expect(updates.map((u) => u.windows.five_hour?.usedPercent)).toEqual([12]);
    expect(seen.map((r) => r.headers.authorization)).toEqual([`Bearer ${TOKEN}`, `Bearer ${TOKEN}-renewed`]);
    // Running (not stopped by a 401): another change restarts nothing.
    expect(poller.credentialsChanged()).toBe(false);
    poller.stop();
  });

  it('reads per-model weekly windows from limits[] entries of kind weekly_scoped', () => {
    const asOf = new Date('2026-03-02T12:00:00.000Z');
    const limits = parseAccountUsage(
      {
        five_hour: { utilization: 40, resets_at: '2026-03-02T14:00:00Z' },
        seven_day_opus: null,
        limits: [
          { kind: 'weekly_scoped', percent: 33, resets_at: '2026-03-06T09:00:00Z', scope: { model: { display_name: 'Opus 4.5' } }, is_active: true },
          { kind: 'weekly_scoped', percent: 71, resets_at: '2026-03-06T09:00:00Z', scope: { model: { display_name: 'Sonnet 4.5' } }, is_active: false },
          { kind: 'weekly_scoped', percent: 90, resets_at: '2026-03-06T09:00:00Z', scope: { model: { display_name: 'Fable 5' } }, is_active: true },
        ],
      },
      asOf,
    );
    expect(limits?.windows).toEqual({
      five_hour: { usedPercent: 40, resetsAt: '2026-03-02T14:00:00.000Z', asOf: asOf.toISOString() },
      seven_day_opus: { usedPercent: 33, resetsAt: '2026-03-06T09:00:00.000Z', asOf: asOf.toISOString() },
      seven_day_sonnet: { usedPercent: 71, resetsAt: '2026-03-06T09:00:00.000Z', asOf: asOf.toISOString() },
    });
  });

  it('stops without a request when there is no token', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'breather-account-empty-'));
    try {
      const poller = makePoller({ fetchUsage: createAccountUsageFetcher({ roots: [empty], platform: 'linux', baseUrl }) });
      poller.start();
      await time.fire(poller);
      expect(seen).toHaveLength(0);
      expect(poller.running).toBe(false);
      expect(errors[0]?.kind).toBe('no-token');
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('a throwing onUpdate does not break the chain', async () => {
    handler = json(200, FLAT_BODY);
    const poller = makePoller({
      onUpdate: () => {
        throw new Error('ui blew up');
      },
    });
    poller.start();
    await time.fire(poller);
    expect(time.nextDelay()).toBe(5 * MIN);
    poller.stop();
  });

  it('the default scheduler unrefs its timers', () => {
    const spy = vi.spyOn(globalThis, 'setTimeout');
    const timer = unrefScheduler.schedule(() => {}, 10 * MIN);
    const handle = spy.mock.results[0]?.value as NodeJS.Timeout;
    expect(handle.hasRef()).toBe(false);
    timer.cancel();
  });
});

describe('the token never leaks', () => {
  /** A hostile server that echoes the Authorization header back in every way it can. */
  const echo =
    (status: number, asJson = true): Handler =>
    (req, res) => {
      const auth = req.headers.authorization ?? '';
      res.writeHead(status, { 'content-type': 'application/json', 'x-echo': auth, 'retry-after': auth });
      res.end(asJson ? JSON.stringify({ error: auth }) : `not json ${auth}`);
    };

  it('is absent from every error and from the console', async () => {
    const consoleCalls: unknown[] = [];
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void consoleCalls.push(args));
    }
    const cases = [echo(500), echo(429), echo(200, false), echo(401)];
    for (const respond of cases) {
      handler = respond;
      time.t += ACCOUNT_USAGE_MIN_INTERVAL_MS * 100;
      await makePoller().pollNow();
    }
    // And a network failure.
    const poller = makePoller({ fetchUsage: createAccountUsageFetcher({ roots: [root], platform: 'linux', baseUrl: 'http://127.0.0.1:1' }) });
    await poller.pollNow();

    expect(errors.map((e) => e.kind)).toEqual(['http', 'rate-limited', 'bad-response', 'unauthorized', 'network']);
    for (const error of errors) {
      expect(error).toBeInstanceOf(AccountUsageError);
      const everything = `${error.message}\n${error.stack}\n${JSON.stringify(error)}\n${String((error as { cause?: unknown }).cause)}`;
      expect(everything).not.toContain(TOKEN);
    }
    expect(JSON.stringify(consoleCalls)).not.toContain(TOKEN);
    expect(seen.every((request) => request.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });
});

describe('readClaudeAccessToken', () => {
  const keychain = (value: string | null) => async () => value;

  it('reads <root>/.credentials.json, first root that has a token', async () => {
    const empty = join(root, 'none');
    const other = join(root, 'other');
    await mkdir(other);
    await writeFile(join(other, '.credentials.json'), JSON.stringify({ claudeAiOauth: { accessToken: 'second' } }));
    expect(await readClaudeAccessToken([empty, root, other], 'linux')).toBe(TOKEN);
    expect(await readClaudeAccessToken([empty, other], 'win32')).toBe('second');
    expect(await readClaudeAccessToken([empty], 'linux')).toBeNull();
  });

  it('on macOS prefers the Keychain item, falling back to the file', async () => {
    const keychainJson = JSON.stringify({ claudeAiOauth: { accessToken: 'from-keychain' } });
    const services: string[] = [];
    const read = async (service: string) => {
      services.push(service);
      return keychainJson;
    };
    expect(await readClaudeAccessToken([root], 'darwin', { readKeychain: read })).toBe('from-keychain');
    expect(services).toEqual(['Claude Code-credentials']);
    expect(await readClaudeAccessToken([root], 'darwin', { readKeychain: keychain(null) })).toBe(TOKEN);
    expect(await readClaudeAccessToken([root], 'darwin', { readKeychain: keychain(`{"broken ${TOKEN}`) })).toBe(TOKEN);
    const failing = async () => {
      throw new Error('security: item not found');
    };
    expect(await readClaudeAccessToken([root], 'darwin', { readKeychain: failing })).toBe(TOKEN);
  });

  it('never consults the Keychain elsewhere', async () => {
    const read = vi.fn(keychain(JSON.stringify({ claudeAiOauth: { accessToken: 'from-keychain' } })));
    expect(await readClaudeAccessToken([root], 'linux', { readKeychain: read })).toBe(TOKEN);
    expect(read).not.toHaveBeenCalled();
  });

  it('treats corrupt or token-less files as no token, without throwing', async () => {
    for (const content of [`{"claudeAiOauth": {"accessToken": "${TOKEN}"`, '[]', '{"claudeAiOauth": {}}', '{"claudeAiOauth": {"accessToken": 5}}']) {
      await writeFile(join(root, '.credentials.json'), content);
      expect(await readClaudeAccessToken([root], 'linux')).toBeNull();
    }
  });
});

describe('polling policy', () => {
  const policy = { minIntervalMs: 5 * MIN, maxBackoffMs: 120 * MIN };
  it('parses Retry-After seconds and HTTP dates', () => {
    const now = Date.parse('2026-03-02T12:00:00Z');
    expect(parseRetryAfterMs('120', now)).toBe(120_000);
    expect(parseRetryAfterMs(' 7 ', now)).toBe(7_000);
    expect(parseRetryAfterMs('Mon, 02 Mar 2026 12:10:00 GMT', now)).toBe(10 * MIN);
    expect(parseRetryAfterMs('Mon, 02 Mar 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfterMs('soon', now)).toBeNull();
    expect(parseRetryAfterMs(null, now)).toBeNull();
  });
  it('caps an absurd Retry-After at a day and stops on unauthorized', () => {
    expect(nextPollDelayMs({ kind: 'rate-limited', retryAfterMs: 30 * 24 * 60 * MIN }, 1, policy)).toBe(24 * 60 * MIN);
    expect(nextPollDelayMs({ kind: 'unauthorized' }, 1, policy)).toBeNull();
    expect(nextPollDelayMs({ kind: 'ok' }, 0, policy)).toBe(5 * MIN);
  });
});
