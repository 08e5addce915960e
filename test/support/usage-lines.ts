// Builds transcript lines for usage tests, in Claude Code's field order
// (envelope, message with content before usage, then requestId/type/uuid/timestamp).
import { mkdirSync, mkdtempSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface UsageLineOptions {
  messageId?: string;
  requestId?: string | null;
  model?: string;
  at: string;
  sessionId?: string;
  cwd?: string;
  input?: number;
  output?: number;
  cacheCreation?: number;
  cacheRead?: number;
  cache1h?: number;
  text?: string;
  /** Put `type` first and usage before content, as some older builds did. */
  oldLayout?: boolean;
  /** The record's first field (null on a conversation's first line). */
  parentUuid?: string | null;
}

let counter = 0;

/** The fields Claude Code writes first on every record, in its order. */
export function recordEnvelope(o: { cwd?: string; sessionId?: string; version?: string; parentUuid?: string | null } = {}) {
  return {
    parentUuid: o.parentUuid ?? null,
    isSidechain: false,
    userType: 'external',
    cwd: o.cwd ?? '/work/project-a',
    sessionId: o.sessionId ?? 'session-1',
    version: o.version ?? '2.1.80',
    gitBranch: 'main',
  };
}

export function usageLine(o: UsageLineOptions): string {
  counter += 1;
  const usage: Record<string, unknown> = {
    input_tokens: o.input ?? 10,
    cache_creation_input_tokens: o.cacheCreation ?? 0,
    cache_read_input_tokens: o.cacheRead ?? 0,
    output_tokens: o.output ?? 5,
  };
  if (o.cache1h !== undefined) usage.cache_creation = { ephemeral_5m_input_tokens: (o.cacheCreation ?? 0) - o.cache1h, ephemeral_1h_input_tokens: o.cache1h };
  const content = [{ type: 'text', text: o.text ?? 'Done.' }];
  const message = o.oldLayout
    ? { id: o.messageId ?? `msg_${counter}`, usage, model: o.model ?? 'claude-sonnet-4-5-20250929', role: 'assistant', content }
    : { model: o.model ?? 'claude-sonnet-4-5-20250929', id: o.messageId ?? `msg_${counter}`, type: 'message', role: 'assistant', content, stop_reason: 'end_turn', stop_sequence: null, usage };
  const envelope = recordEnvelope(o);
  const tail: Record<string, unknown> = {};
  if (o.requestId !== null) tail.requestId = o.requestId ?? `req_${counter}`;
  const record = o.oldLayout
    ? { type: 'assistant', ...envelope, message, ...tail, uuid: `u-${counter}`, timestamp: o.at }
    : { ...envelope, message, ...tail, type: 'assistant', uuid: `u-${counter}`, timestamp: o.at };
  return JSON.stringify(record);
}

export function userLine(at: string, text: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ parentUuid: null, isSidechain: false, cwd: '/work/project-a', sessionId: 'session-1', type: 'user', message: { role: 'user', content: text }, uuid: `u-${++counter}`, timestamp: at, ...extra });
}

export function tempDir(prefix = 'breather-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A Claude root with projects/<project>/<file>; returns the file path. */
export function writeTranscript(root: string, relative: string, lines: string[], options: { finalNewline?: boolean } = {}): string {
  const path = join(root, 'projects', relative);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, lines.join('\n') + (options.finalNewline === false || lines.length === 0 ? '' : '\n'));
  return path;
}

export function appendTo(path: string, text: string | Buffer): void {
  appendFileSync(path, text);
}

/**
 * The `agent_progress` record Claude Code 2.1.x writes into the parent transcript
 * while a subagent runs (data notes §3): the subagent's assistant line, relayed.
 */
export function agentProgressLine(subagentLine: string, o: { agentId: string; at: string; sessionId?: string; cwd?: string }): string {
  const relayed = JSON.parse(subagentLine) as Record<string, unknown>;
  counter += 1;
  return JSON.stringify({
    ...recordEnvelope({ ...o, version: '2.1.39', parentUuid: `u-${counter - 1}` }),
    type: 'progress',
    data: {
      type: 'agent_progress',
      agentId: o.agentId,
      prompt: '',
      message: { type: 'assistant', timestamp: relayed.timestamp, requestId: relayed.requestId, message: relayed.message },
      normalizedMessages: [],
    },
    toolUseID: 'toolu_01',
    parentToolUseID: 'toolu_01',
    uuid: `u-${counter}`,
    timestamp: o.at,
  });
}
