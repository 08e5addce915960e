// The opt-in account usage endpoint: the server's own percentages for every
// window, read with Claude Code's OAuth token. Undocumented and quick to answer
// 429, so Breather polls it rarely, honours Retry-After and backs off.
//
// The token is Claude Code's, not ours. Breather reads it fresh for each
// request, never refreshes it (refresh tokens are single-use: refreshing would
// sign Claude Code out), never stores it and never puts it in a message.
//
// Split along its seams: constants and errors, parsing (pure), token and
// request (effects), polling policy (pure) and the poller. This module is the
// one import for all of it.
export * from './account-usage-errors.js';
export * from './account-usage-parse.js';
export * from './account-usage-request.js';
export * from './account-usage-poller.js';
