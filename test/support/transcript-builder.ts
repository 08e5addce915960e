// Generates realistic Claude Code transcript records (see the data notes,
// sections 1, 2 and 4) and writes them to real files, so tests never depend
// on pasted fixtures. Timestamps advance one second per record.

import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export type ContentBlock =
  | { type: 'text'; text: string }
  | { type: 'image'; source: { type: 'base64'; media_type: string; data: string } }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> }
  | { type: 'tool_result'; tool_use_id: string; content: string | { type: 'text'; text: string }[]; is_error?: boolean | null };

export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

export interface TranscriptRecord {
  type: string;
  uuid: string;
  parentUuid: string | null;
  sessionId: string;
  cwd: string;
  gitBranch: string;
  version: string;
  timestamp: string;
  isSidechain: boolean;
  userType?: 'external';
  agentId?: string;
  isMeta?: boolean;
  isCompactSummary?: boolean;
  isApiErrorMessage?: boolean;
  error?: string;
  requestId?: string;
  toolUseResult?: unknown;
  message?: {
    id?: string;
    type?: 'message';
    role: 'user' | 'assistant';
    model?: string;
    content: string | ContentBlock[];
    stop_reason?: string | null;
    usage?: Usage;
  };
  [extra: string]: unknown;
}

export interface ToolCallOptions {
  /** Text of the tool_result; null writes no result (the call never finished). Default "ok". */
  result?: string | null;
  isError?: boolean;
  toolUseResult?: unknown;
  /** Share a message id with the previous assistant line (one response, several lines). */
  sameMessageAsPrevious?: boolean;
}

export interface BuilderOptions {
  sessionId?: string;
  cwd?: string;
  gitBranch?: string;
  version?: string;
  start?: string;
  isSidechain?: boolean;
  agentId?: string;
}

const DEFAULT_USAGE: Usage = { input_tokens: 12, output_tokens: 34, cache_creation_input_tokens: 100, cache_read_input_tokens: 5000 };

export class TranscriptBuilder {
  readonly sessionId: string;
  cwd: string;
  gitBranch: string;
  readonly version: string;
  readonly isSidechain: boolean;
  readonly agentId: string | undefined;
  /** Raw lines, in order: JSON records or deliberately broken text. */
  readonly lines: string[] = [];
  readonly records: TranscriptRecord[] = [];
  private clockMs: number;
  private lastUuid: string | null = null;
  private lastMessageId: string | null = null;
  private toolCounter = 0;

  constructor(options: BuilderOptions = {}) {
    this.sessionId = options.sessionId ?? randomUUID();
    this.cwd = options.cwd ?? '/home/dev/project';
    this.gitBranch = options.gitBranch ?? 'main';
    this.version = options.version ?? '2.1.80';
    this.isSidechain = options.isSidechain ?? false;
    this.agentId = options.agentId;
    this.clockMs = Date.parse(options.start ?? '2026-03-02T09:00:00.000Z');
  }

  private envelope(type: string): TranscriptRecord {
    const record: TranscriptRecord = {
      type,
      uuid: randomUUID(),
      parentUuid: this.lastUuid,
      sessionId: this.sessionId,
      cwd: this.cwd,
      gitBranch: this.gitBranch,
      version: this.version,
      timestamp: new Date(this.clockMs).toISOString(),
      isSidechain: this.isSidechain,
      userType: 'external',
    };
    if (this.agentId !== undefined) record.agentId = this.agentId;
    this.clockMs += 1000;
    return record;
  }

  /** Moves the clock: the next record is written at this instant (ISO or epoch ms). */
  at(time: string | number): this {
    this.clockMs = typeof time === 'number' ? time : Date.parse(time);
    return this;
  }

  /** The instant the next record will carry. */
  get nextMs(): number {
    return this.clockMs;
  }

  /** Appends a record and returns it. */
  push(record: TranscriptRecord): TranscriptRecord {
    this.records.push(record);
    this.lines.push(JSON.stringify(record));
    this.lastUuid = record.uuid;
    return record;
  }

  user(content: string | ContentBlock[], extra: Partial<TranscriptRecord> = {}): TranscriptRecord {
    return this.push({ ...this.envelope('user'), message: { role: 'user', content }, ...extra });
  }

  /** A prompt typed by the human. */
  prompt(text: string): TranscriptRecord {
    return this.user(text);
  }

  /** Text injected by Claude Code (isMeta), e.g. an expanded slash command. */
  metaPrompt(text: string): TranscriptRecord {
    return this.user([{ type: 'text', text }], { isMeta: true });
  }

  /** The echo of a slash command, as Claude Code writes it. */
  slashCommand(name: string, args = ''): TranscriptRecord {
    return this.user(
      `<command-name>/${name}</command-name>\n<command-message>${name}</command-message>\n<command-args>${args}</command-args>`,
    );
  }

  interrupt(forToolUse = false): TranscriptRecord {
    return this.user([{ type: 'text', text: forToolUse ? '[Request interrupted by user for tool use]' : '[Request interrupted by user]' }]);
  }

  compactSummary(text: string): TranscriptRecord {
    this.push({ ...this.envelope('system'), subtype: 'compact_boundary', compactMetadata: { trigger: 'auto', preTokens: 150000 } });
    return this.user(`This session is being continued from a previous conversation that ran out of context.\n\n${text}`, {
      isCompactSummary: true,
      isVisibleInTranscriptOnly: true,
    });
  }

  assistant(content: ContentBlock[], options: { sameMessageAsPrevious?: boolean; model?: string } = {}): TranscriptRecord {
    const messageId =
      options.sameMessageAsPrevious === true && this.lastMessageId !== null ? this.lastMessageId : `msg_${randomUUID().replace(/-/g, '')}`;
    this.lastMessageId = messageId;
    return this.push({
      ...this.envelope('assistant'),
      requestId: `req_${messageId.slice(4, 28)}`,
      message: {
        id: messageId,
        type: 'message',
        role: 'assistant',
        model: options.model ?? 'claude-sonnet-4-5-20250929',
        content,
        stop_reason: null,
        usage: { ...DEFAULT_USAGE },
      },
    });
  }

  say(text: string, options: { sameMessageAsPrevious?: boolean } = {}): TranscriptRecord {
    return this.assistant([{ type: 'text', text }], options);
  }

  think(thought: string): TranscriptRecord {
    return this.assistant([{ type: 'thinking', thinking: thought, signature: 'c2lnbmF0dXJl' }]);
  }

  /** An assistant tool_use line, then (unless result is null) the user tool_result line. Returns the tool_use id. */
  tool(name: string, input: Record<string, unknown>, options: ToolCallOptions = {}): string {
    this.toolCounter += 1;
    const id = `toolu_${String(this.toolCounter).padStart(4, '0')}_${randomUUID().slice(0, 8)}`;
    const assistantOptions = options.sameMessageAsPrevious === undefined ? {} : { sameMessageAsPrevious: options.sameMessageAsPrevious };
    this.assistant([{ type: 'tool_use', id, name, input }], assistantOptions);
    const result = options.result === undefined ? 'ok' : options.result;
    if (result !== null) this.toolResult(id, result, options.isError ?? false, options.toolUseResult);
    return id;
  }

  toolResult(toolUseId: string, text: string, isError = false, toolUseResult?: unknown): TranscriptRecord {
    const block: ContentBlock = { type: 'tool_result', tool_use_id: toolUseId, content: text };
    if (isError) block.is_error = true;
    const extra: Partial<TranscriptRecord> = toolUseResult === undefined ? {} : { toolUseResult };
    return this.user([block], extra);
  }

  edit(filePath: string, options: ToolCallOptions = {}): string {
    return this.tool(
      'Edit',
      { file_path: filePath, old_string: 'before', new_string: 'after' },
      {
        toolUseResult: options.isError ? undefined : { filePath, oldString: 'before', newString: 'after', structuredPatch: [] },
        result: `The file ${filePath} has been updated.`,
        ...options,
      },
    );
  }

  write(filePath: string, content: string, options: ToolCallOptions = {}): string {
    return this.tool(
      'Write',
      { file_path: filePath, content },
      { result: `File created successfully at: ${filePath}`, toolUseResult: { type: 'create', filePath }, ...options },
    );
  }

  todoWrite(todos: { content: string; status: string; activeForm?: string; priority?: string; id?: string }[]): string {
    return this.tool('TodoWrite', { todos }, { result: 'Todos have been modified successfully.', toolUseResult: { oldTodos: [], newTodos: todos } });
  }

  /** A TaskCreate call whose result names the new task, the way 2.1.x reports it. */
  taskCreate(id: string, subject: string, options: { description?: string; reportId?: 'text' | 'structured' | 'none' } = {}): string {
    const reportId = options.reportId ?? 'text';
    const input: Record<string, unknown> = { subject };
    if (options.description !== undefined) input.description = options.description;
    return this.tool('TaskCreate', input, {
      result: reportId === 'text' ? `Task #${id} created successfully: ${subject}` : 'Task created successfully',
      toolUseResult: reportId === 'structured' ? { task: { id, subject } } : undefined,
    });
  }

  taskUpdate(taskId: string, status: string): string {
    return this.tool('TaskUpdate', { taskId, status }, { result: `Updated task #${taskId} status` });
  }

  /** The synthetic record Claude Code writes when a plan limit stops the turn (2.0.76+ shape). */
  limitHit(text: string): TranscriptRecord {
    return this.push({
      ...this.envelope('assistant'),
      isApiErrorMessage: true,
      error: 'rate_limit',
      apiErrorStatus: 429,
      message: {
        id: randomUUID(),
        type: 'message',
        role: 'assistant',
        model: '<synthetic>',
        content: [{ type: 'text', text }],
        stop_reason: 'stop_sequence',
        usage: { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
      },
    });
  }

  /** A metadata record type the reader should ignore. */
  metadata(type: string, fields: Record<string, unknown> = {}): void {
    this.lines.push(JSON.stringify({ type, ...fields }));
  }

  /** A raw line, e.g. garbage, to test tolerance. */
  rawLine(text: string): void {
    this.lines.push(text);
  }

  toJsonl(): string {
    return this.lines.map((line) => `${line}\n`).join('');
  }

  /** Writes the transcript; `unfinishedTail` is appended with no newline, like a record still being written. */
  async writeTo(filePath: string, options: { unfinishedTail?: string } = {}): Promise<string> {
    await mkdir(path.dirname(filePath), { recursive: true });
    await writeFile(filePath, this.toJsonl() + (options.unfinishedTail ?? ''));
    return filePath;
  }
}

export function makeTempDir(prefix = 'breather-test-'): Promise<string> {
  return mkdtemp(path.join(tmpdir(), prefix));
}

export type SubagentLayout = '2.1' | '2.0';

/** Where Claude Code puts a subagent transcript, by version (data notes, section 1). */
export function subagentTranscriptPath(projectDir: string, sessionId: string, agentId: string, layout: SubagentLayout): string {
  return layout === '2.1'
    ? path.join(projectDir, sessionId, 'subagents', `agent-${agentId}.jsonl`)
    : path.join(projectDir, `agent-${agentId}.jsonl`);
}

/** Builder for a subagent of `parent`: same session, sidechain lines. */
export function subagentOf(parent: TranscriptBuilder, agentId: string, start?: string): TranscriptBuilder {
  const options: BuilderOptions = {
    sessionId: parent.sessionId,
    cwd: parent.cwd,
    gitBranch: parent.gitBranch,
    version: parent.version,
    isSidechain: true,
    agentId,
  };
  if (start !== undefined) options.start = start;
  return new TranscriptBuilder(options);
}
