
export const DEFAULT_ACCOUNT_BASE_URL = 'https://api.anthropic.com';
export const ACCOUNT_USAGE_PATH = '/api/oauth/usage';
export const OAUTH_BETA = 'oauth-2025-04-20';
export const KEYCHAIN_SERVICE = 'Claude Code-credentials';

export const MINUTE_MS = 60_000;
/** The floor for any polling interval, whatever the options say. */
export const ACCOUNT_USAGE_MIN_INTERVAL_MS = 5 * MINUTE_MS;
export const ACCOUNT_USAGE_MAX_BACKOFF_MS = 120 * MINUTE_MS;
/** Longest Retry-After honoured; a far-future date should not silence polling forever. */
export const ACCOUNT_USAGE_MAX_RETRY_AFTER_MS = 24 * 60 * MINUTE_MS;
export const REQUEST_TIMEOUT_MS = 30_000;

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

export function unauthorizedError(status: number | null): AccountUsageError {
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

