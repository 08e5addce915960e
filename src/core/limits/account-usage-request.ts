// Claude Code's OAuth token (read only, never refreshed or stored) and one
// request to the account usage endpoint.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ACCOUNT_USAGE_PATH,
  AccountUsageError,
  DEFAULT_ACCOUNT_BASE_URL,
  KEYCHAIN_SERVICE,
  OAUTH_BETA,
  REQUEST_TIMEOUT_MS,
  redactToken,
} from './account-usage-errors.js';
import { isRecord } from '../json-object.js';

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
export async function readKeychainSecret(service: string): Promise<string | null> {
  const { execFile } = await import('node:child_process');
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

