// Reads one Claude Code session (its transcript file plus its subagent files)
// and distils what a resume prompt needs: what was asked, what is pending,
// which files changed, what was said last and whether a usage limit stopped it.
// Reading is streamed and forgiving: bad lines are counted, never fatal.

import { createReadStream } from 'node:fs';
import { readdir, open } from 'node:fs/promises';
import path from 'node:path';

export interface UserPrompt {
  text: string;
  timestamp: string | null;
}

export type TaskSource = 'todo-write' | 'task-tool';

export interface PendingTask {
  content: string;
  /** As written by Claude Code: "pending", "in_progress", or anything newer. */
  status: string;
  activeForm?: string;
  /** Task-system id, when known. */
  id?: string;
  source: TaskSource;
}

export interface TimedText {
  text: string;
  timestamp: string | null;
}

export interface FilesChanged {
  /** Files changed by the main conversation, in order of first change. */
  main: string[];
  /** Files changed by subagents (sidechains), in order of first change. */
  subagents: string[];
}

export interface LineCounts {
  /** Complete lines parsed as JSON objects. */
  parsed: number;
  /** Complete lines that were not JSON objects. */
  malformed: number;
  /** Lines longer than maxLineBytes, skipped unread. */
  oversized: number;
  /** Trailing bytes without a newline: a record still being written. */
  unfinished: number;
}

export interface SessionDigest {
  /** The id `claude --resume` takes: the session file's name, else the records' sessionId. */
  sessionId: string | null;
  transcriptPaths: string[];
  /** Distinct working directories seen in the main conversation, in order. */
  cwds: string[];
  /** Last git branch recorded by the main conversation. */
  gitBranch: string | null;
  firstTimestamp: string | null;
  lastTimestamp: string | null;
  originalRequest: UserPrompt | null;
  /** The last few real user prompts, oldest first (may include the original request). */
  recentPrompts: UserPrompt[];
  userPromptCount: number;
  interruptedTurns: number;
  pendingTasks: PendingTask[];
  completedTaskCount: number;
  filesChanged: FilesChanged;
  lastAssistantMessage: TimedText | null;
  lastLimitHit: TimedText | null;
  subagentFileCount: number;
  lines: LineCounts;
  unreadableFiles: { path: string; error: string }[];
}

export interface ReadSessionDigestOptions {
  /** How many of the latest real prompts to keep. Default 5. */
  recentPromptCount?: number;
  /** Lines longer than this are skipped (counted as oversized). Default 64 MiB. */
  maxLineBytes?: number;
}

const DEFAULT_RECENT_PROMPTS = 5;
const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;
const NEWLINE = 0x0a;

type JsonObject = Record<string, unknown>;
type Scope = 'main' | 'subagent';

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asString(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

// ---------------------------------------------------------------------------
// Files

/** Subagent transcripts are `agent-*.jsonl`, in the session folder (2.1.x) or beside it (2.0.x). */
export function isSubagentTranscriptPath(filePath: string): boolean {
  const base = path.basename(filePath);
  const parent = path.basename(path.dirname(filePath));
  return base.startsWith('agent-') || parent === 'subagents';
}

/**
 * Lists a session's transcript files: the session file, then its subagent
 * files in the 2.1.x folder, then 2.0.x `agent-*.jsonl` siblings whose first
 * record names this session. Missing folders are not errors.
 */
export async function findSessionTranscriptPaths(sessionFilePath: string): Promise<string[]> {
  const dir = path.dirname(sessionFilePath);
  const sessionId = path.basename(sessionFilePath, '.jsonl');
  const found: string[] = [sessionFilePath];

  const subagentDir = path.join(dir, sessionId, 'subagents');
  for (const name of (await listDir(subagentDir)).sort()) {
    if (name.startsWith('agent-') && name.endsWith('.jsonl')) found.push(path.join(subagentDir, name));
  }
  for (const name of (await listDir(dir)).sort()) {
    if (!name.startsWith('agent-') || !name.endsWith('.jsonl')) continue;
    const candidate = path.join(dir, name);
    if ((await readFirstSessionId(candidate)) === sessionId) found.push(candidate);
  }
  return found;
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

/** Reads just enough of a file to find the first record's sessionId. */
async function readFirstSessionId(filePath: string): Promise<string | null> {
  let handle;
  try {
    handle = await open(filePath, 'r');
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const head = buffer.subarray(0, bytesRead).toString('utf8');
    const match = /"sessionId"\s*:\s*"([^"]+)"/.exec(head);
    return match?.[1] ?? null;
  } catch {
    return null;
  } finally {
    await handle?.close();
  }
}

/**
 * Yields each complete line of a file as a string. Bytes after the last
 * newline are an unfinished record and are not yielded. Lines over
 * maxLineBytes are dropped without being held in memory.
 */
async function* readCompleteLines(
  filePath: string,
  maxLineBytes: number,
  counts: LineCounts,
): AsyncGenerator<string> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let discarding = false;

  for await (const chunk of createReadStream(filePath, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
    let start = 0;
    for (let newline = chunk.indexOf(NEWLINE, start); newline !== -1; newline = chunk.indexOf(NEWLINE, start)) {
      const piece = chunk.subarray(start, newline);
      start = newline + 1;
      if (discarding || pendingBytes + piece.length > maxLineBytes) {
        counts.oversized += 1;
      } else {
        const line = pending.length === 0 ? piece : Buffer.concat([...pending, piece]);
        yield line.toString('utf8');
      }
      pending = [];
      pendingBytes = 0;
      discarding = false;
    }
    if (start < chunk.length && !discarding) {
      const rest = chunk.subarray(start);
      if (pendingBytes + rest.length > maxLineBytes) {
        pending = [];
        pendingBytes = 0;
        discarding = true;
      } else {
        // Copy: the stream may reuse its buffer.
        pending.push(Buffer.from(rest));
        pendingBytes += rest.length;
      }
    }
  }
  const tail = Buffer.concat(pending).toString('utf8');
  if (discarding || tail.trim() !== '') counts.unfinished += 1;
}

// ---------------------------------------------------------------------------
// Record classification (pure)

const INTERRUPT_PREFIX = '[Request interrupted by user';

// User text that Claude Code injects or echoes rather than the human typing a request.
const NON_PROMPT_PREFIXES = [
  '<command-name>',
  '<command-message>',
  '<command-args>',
  '<local-command-stdout>',
  '<local-command-stderr>',
  '<local-command-caveat>',
  'Caveat: The messages below were generated by the user while running local commands',
  '<bash-input>',
  '<bash-stdout>',
  '<bash-stderr>',
  'This session is being continued from a previous conversation',
];

// Text blocks attached to a prompt by the IDE or harness, not typed by the human.
const ATTACHED_BLOCK_PREFIXES = ['<system-reminder>', '<ide_opened_file>', '<ide_selection>', '<ide_diagnostics>'];

interface ContentParts {
  texts: string[];
  imageCount: number;
  toolResults: JsonObject[];
  toolUses: JsonObject[];
}

function contentParts(message: unknown): ContentParts {
  const parts: ContentParts = { texts: [], imageCount: 0, toolResults: [], toolUses: [] };
  const content = isObject(message) ? message.content : undefined;
  if (typeof content === 'string') {
    parts.texts.push(content);
    return parts;
  }
  if (!Array.isArray(content)) return parts;
  for (const block of content) {
    if (!isObject(block)) continue;
    if (block.type === 'text' && typeof block.text === 'string') parts.texts.push(block.text);
    else if (block.type === 'image') parts.imageCount += 1;
    else if (block.type === 'tool_result') parts.toolResults.push(block);
    else if (block.type === 'tool_use') parts.toolUses.push(block);
  }
  return parts;
}

export function isInterruptText(text: string): boolean {
  return text.trimStart().startsWith(INTERRUPT_PREFIX);
}

/** The human-typed prompt in a user record, or null when the record is not one. */
export function realPromptText(record: JsonObject): string | null {
  if (record.type !== 'user' || record.isMeta === true || record.isCompactSummary === true) return null;
  if (record.isVisibleInTranscriptOnly === true) return null;
  const parts = contentParts(record.message);
  if (parts.toolResults.length > 0) return null;
  const typed = parts.texts.filter((text) => {
    const start = text.trimStart();
    return !ATTACHED_BLOCK_PREFIXES.some((prefix) => start.startsWith(prefix));
  });
  const text = typed.join('\n\n').trim();
  if (text === '') return parts.imageCount > 0 ? `[${parts.imageCount} image(s)]` : null;
  if (isInterruptText(text) || NON_PROMPT_PREFIXES.some((prefix) => text.startsWith(prefix))) return null;
  return parts.imageCount > 0 ? `${text}\n[${parts.imageCount} image(s)]` : text;
}

const PLAN_LIMIT_TEXT = /(limit reached|hit your|usage limit|out of extra usage|limit resets|limit · resets|limit ∙ resets)/i;
// Throttling and billing errors that are not a plan limit (see the data notes, section 4).
const NOT_PLAN_LIMIT_TEXT = /(not your usage limit|temporary capacity|credit balance is too low)/i;

/** The limit text of a synthetic "limit hit" assistant record, else null. */
export function limitHitText(record: JsonObject): string | null {
  if (record.type !== 'assistant') return null;
  const message = isObject(record.message) ? record.message : {};
  const synthetic = record.isApiErrorMessage === true || message.model === '<synthetic>' || record.error === 'rate_limit';
  if (!synthetic) return null;
  const text = contentParts(message).texts.join('\n').trim();
  if (text === '' || NOT_PLAN_LIMIT_TEXT.test(text)) return null;
  if (record.error === 'rate_limit' || PLAN_LIMIT_TEXT.test(text)) return text;
  return null;
}

const EDIT_TOOLS = new Set(['Edit', 'Write', 'MultiEdit', 'NotebookEdit']);

function editedPath(input: unknown): string | null {
  if (!isObject(input)) return null;
  return asString(input.file_path) ?? asString(input.notebook_path) ?? asString(input.path);
}

/** Todo items of a TodoWrite input, tolerating older shapes (priority, id, missing activeForm). */
export function todoItems(input: unknown): { content: string; status: string; activeForm?: string }[] {
  const todos = isObject(input) ? input.todos : undefined;
  if (!Array.isArray(todos)) return [];
  const items: { content: string; status: string; activeForm?: string }[] = [];
  for (const todo of todos) {
    if (!isObject(todo)) continue;
    const content = asString(todo.content) ?? asString(todo.subject) ?? asString(todo.title);
    if (content === null || content.trim() === '') continue;
    const item: { content: string; status: string; activeForm?: string } = {
      content,
      status: asString(todo.status) ?? 'pending',
    };
    const activeForm = asString(todo.activeForm);
    if (activeForm !== null) item.activeForm = activeForm;
    items.push(item);
  }
  return items;
}

const DONE_STATUSES = new Set(['completed', 'complete', 'done', 'deleted', 'cancelled', 'canceled']);

export function isUnfinishedStatus(status: string): boolean {
  return !DONE_STATUSES.has(status.toLowerCase());
}

function toolResultText(block: JsonObject): string {
  const content = block.content;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => (isObject(part) && typeof part.text === 'string' ? part.text : ''))
    .filter((text) => text !== '')
    .join('\n');
}

/** The id Claude Code gave a created task, from the structured result or the result text. */
export function createdTaskId(toolUseResult: unknown, resultText: string): string | null {
  if (isObject(toolUseResult)) {
    const task = isObject(toolUseResult.task) ? toolUseResult.task : null;
    for (const candidate of [task?.id, toolUseResult.taskId, toolUseResult.id]) {
      if (typeof candidate === 'string' && candidate !== '') return candidate;
      if (typeof candidate === 'number') return String(candidate);
    }
  }
  const match = /#(\w[\w-]*)/.exec(resultText) ?? /\btask\s+(?:id\s*[:=]?\s*)?["']?(\w[\w-]*)["']?\s+(?:was\s+)?created/i.exec(resultText);
  return match?.[1] ?? null;
}

// ---------------------------------------------------------------------------
// Accumulation

interface Ordered {
  seq: number;
  timeMs: number;
}

interface ToolOutcome {
  isError: boolean;
  text: string;
  toolUseResult: unknown;
}

interface EditCall extends Ordered {
  toolUseId: string;
  filePath: string;
  scope: Scope;
}

interface TodoCall extends Ordered {
  toolUseId: string;
  items: { content: string; status: string; activeForm?: string }[];
}

interface TaskCall extends Ordered {
  toolUseId: string;
  name: 'TaskCreate' | 'TaskUpdate';
  input: JsonObject;
}

class DigestAccumulator {
  seq = 0;
  readonly seenUuids = new Set<string>();
  readonly cwds: string[] = [];
  recordSessionId: string | null = null;
  gitBranch: string | null = null;
  firstTimeMs = Infinity;
  lastTimeMs = -Infinity;
  firstTimestamp: string | null = null;
  lastTimestamp: string | null = null;
  readonly prompts: UserPrompt[] = [];
  interruptedTurns = 0;
  readonly outcomes = new Map<string, ToolOutcome>();
  readonly edits: EditCall[] = [];
  readonly todoCalls: TodoCall[] = [];
  readonly taskCalls: TaskCall[] = [];
  lastAssistant: (TimedText & { messageId: string | null }) | null = null;
  lastLimitHit: (TimedText & Ordered) | null = null;

  add(record: JsonObject, fileScope: Scope): void {
    const uuid = asString(record.uuid);
    if (uuid !== null) {
      // Resumed sessions copy earlier lines: count each record once.
      if (this.seenUuids.has(uuid)) return;
      this.seenUuids.add(uuid);
    }
    const scope: Scope = fileScope === 'subagent' || record.isSidechain === true ? 'subagent' : 'main';
    const timestamp = asString(record.timestamp);
    const timeMs = timestamp === null ? NaN : Date.parse(timestamp);
    const order: Ordered = { seq: this.seq++, timeMs };
    this.noteEnvelope(record, scope, timestamp, timeMs);

    if (record.type === 'user') this.addUser(record, scope, timestamp);
    else if (record.type === 'assistant') this.addAssistant(record, scope, timestamp, order);
  }

  private noteEnvelope(record: JsonObject, scope: Scope, timestamp: string | null, timeMs: number): void {
    if (timestamp !== null && Number.isFinite(timeMs)) {
      if (timeMs < this.firstTimeMs) {
        this.firstTimeMs = timeMs;
        this.firstTimestamp = timestamp;
      }
      if (timeMs > this.lastTimeMs) {
        this.lastTimeMs = timeMs;
        this.lastTimestamp = timestamp;
      }
    }
    if (scope !== 'main') return;
    const sessionId = asString(record.sessionId);
    if (sessionId !== null && this.recordSessionId === null) this.recordSessionId = sessionId;
    const cwd = asString(record.cwd);
    if (cwd !== null && cwd !== '' && !this.cwds.includes(cwd)) this.cwds.push(cwd);
    const branch = asString(record.gitBranch);
    if (branch !== null && branch !== '') this.gitBranch = branch;
  }

  private addUser(record: JsonObject, scope: Scope, timestamp: string | null): void {
    const parts = contentParts(record.message);
    for (const block of parts.toolResults) {
      const toolUseId = asString(block.tool_use_id);
      if (toolUseId === null) continue;
      this.outcomes.set(toolUseId, {
        isError: block.is_error === true,
        text: toolResultText(block),
        toolUseResult: record.toolUseResult,
      });
    }
    if (scope !== 'main') return;
    if (parts.toolResults.length === 0 && parts.texts.some(isInterruptText)) this.interruptedTurns += 1;
    const prompt = realPromptText(record);
    if (prompt !== null) this.prompts.push({ text: prompt, timestamp });
  }

  private addAssistant(record: JsonObject, scope: Scope, timestamp: string | null, order: Ordered): void {
    const limitText = limitHitText(record);
    if (limitText !== null) {
      if (this.lastLimitHit === null || isLater(order, this.lastLimitHit)) {
        this.lastLimitHit = { text: limitText, timestamp, ...order };
      }
      return;
    }
    if (record.isApiErrorMessage === true) return;
    const message = isObject(record.message) ? record.message : {};
    if (message.model === '<synthetic>') return;
    const parts = contentParts(message);

    for (const block of parts.toolUses) {
      const toolUseId = asString(block.id) ?? '';
      const name = asString(block.name) ?? '';
      const input = block.input;
      if (EDIT_TOOLS.has(name)) {
        const filePath = editedPath(input);
        if (filePath !== null) this.edits.push({ toolUseId, filePath, scope, ...order });
      } else if (name === 'TodoWrite' && scope === 'main') {
        this.todoCalls.push({ toolUseId, items: todoItems(input), ...order });
      } else if ((name === 'TaskCreate' || name === 'TaskUpdate') && isObject(input)) {
        // The task list is shared with subagents, so their updates count too.
        this.taskCalls.push({ toolUseId, name, input, ...order });
      }
    }

    if (scope !== 'main') return;
    const text = parts.texts.join('\n\n').trim();
    if (text === '') return;
    // One response is split over several lines sharing message.id: join its text blocks.
    const messageId = asString(message.id);
    if (this.lastAssistant !== null && messageId !== null && this.lastAssistant.messageId === messageId) {
      this.lastAssistant = { ...this.lastAssistant, text: `${this.lastAssistant.text}\n\n${text}`, timestamp };
    } else {
      this.lastAssistant = { text, timestamp, messageId };
    }
  }

  /** A call counts unless its result says it failed; a call with no result yet is assumed applied. */
  private failed(toolUseId: string): boolean {
    return this.outcomes.get(toolUseId)?.isError === true;
  }

  filesChanged(): FilesChanged {
    const result: FilesChanged = { main: [], subagents: [] };
    // An edit is a change only once its result confirms it; a pending call may never have run.
    const confirmed = this.edits.filter((edit) => this.outcomes.has(edit.toolUseId) && !this.failed(edit.toolUseId));
    for (const edit of confirmed.sort(byTimeThenSeq)) {
      const list = edit.scope === 'main' ? result.main : result.subagents;
      if (!list.includes(edit.filePath)) list.push(edit.filePath);
    }
    return result;
  }

  tasks(): { pending: PendingTask[]; completed: number } {
    const pending: PendingTask[] = [];
    let completed = 0;

    const lastTodoCall = this.todoCalls.filter((call) => !this.failed(call.toolUseId)).at(-1);
    for (const item of lastTodoCall?.items ?? []) {
      if (isUnfinishedStatus(item.status)) pending.push({ ...item, source: 'todo-write' });
      else completed += 1;
    }

    const tasks = new Map<string, PendingTask>();
    let createdCount = 0;
    for (const call of [...this.taskCalls].sort(byTimeThenSeq)) {
      if (this.failed(call.toolUseId)) continue;
      const outcome = this.outcomes.get(call.toolUseId);
      if (call.name === 'TaskCreate') {
        createdCount += 1;
        const subject = asString(call.input.subject) ?? asString(call.input.description);
        if (subject === null) continue;
        // Task ids are sequential per list; the count is the best guess when the result is missing.
        const id = createdTaskId(outcome?.toolUseResult, outcome?.text ?? '') ?? String(createdCount);
        const task: PendingTask = { id, content: subject, status: asString(call.input.status) ?? 'pending', source: 'task-tool' };
        const activeForm = asString(call.input.activeForm);
        if (activeForm !== null) task.activeForm = activeForm;
        tasks.set(id, task);
      } else {
        const rawId = call.input.taskId;
        const id = typeof rawId === 'number' ? String(rawId) : asString(rawId);
        const task = id === null ? undefined : tasks.get(id);
        if (task === undefined) continue;
        const status = asString(call.input.status);
        if (status !== null) task.status = status;
        const subject = asString(call.input.subject);
        if (subject !== null) task.content = subject;
        const activeForm = asString(call.input.activeForm);
        if (activeForm !== null) task.activeForm = activeForm;
      }
    }
    for (const task of tasks.values()) {
      if (task.status === 'deleted') continue;
      if (isUnfinishedStatus(task.status)) pending.push(task);
      else completed += 1;
    }
    return { pending, completed };
  }
}

function isLater(a: Ordered, b: Ordered): boolean {
  return byTimeThenSeq(a, b) > 0;
}

/** Orders by timestamp when both have one, else by reading order. */
function byTimeThenSeq(a: Ordered, b: Ordered): number {
  if (Number.isFinite(a.timeMs) && Number.isFinite(b.timeMs) && a.timeMs !== b.timeMs) return a.timeMs - b.timeMs;
  return a.seq - b.seq;
}

// ---------------------------------------------------------------------------
// Entry point

/**
 * Streams the given transcript files of one session and returns its digest.
 * Pass the session file and its subagent files (see findSessionTranscriptPaths);
 * files named `agent-*.jsonl` or under `subagents/` are read as subagents.
 */
export async function readSessionDigest(
  transcriptPaths: string[],
  options: ReadSessionDigestOptions = {},
): Promise<SessionDigest> {
  const recentPromptCount = options.recentPromptCount ?? DEFAULT_RECENT_PROMPTS;
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const lines: LineCounts = { parsed: 0, malformed: 0, oversized: 0, unfinished: 0 };
  const unreadableFiles: { path: string; error: string }[] = [];
  const acc = new DigestAccumulator();

  // Main files first so their records win de-duplication and set the session's envelope.
  const mainPaths = transcriptPaths.filter((p) => !isSubagentTranscriptPath(p));
  const subagentPaths = transcriptPaths.filter((p) => isSubagentTranscriptPath(p));

  for (const [filePath, scope] of [
    ...mainPaths.map((p) => [p, 'main'] as const),
    ...subagentPaths.map((p) => [p, 'subagent'] as const),
  ]) {
    try {
      for await (const line of readCompleteLines(filePath, maxLineBytes, lines)) {
        const trimmed = line.trim();
        if (trimmed === '') continue;
        let record: unknown;
        try {
          record = JSON.parse(trimmed);
        } catch {
          lines.malformed += 1;
          continue;
        }
        if (!isObject(record)) {
          lines.malformed += 1;
          continue;
        }
        lines.parsed += 1;
        acc.add(record, scope);
      }
    } catch (error) {
      unreadableFiles.push({ path: filePath, error: error instanceof Error ? error.message : String(error) });
    }
  }

  const mainFile = mainPaths[0];
  const sessionId = mainFile !== undefined ? path.basename(mainFile, '.jsonl') : acc.recordSessionId;
  const { pending, completed } = acc.tasks();
  const lastAssistant = acc.lastAssistant;

  return {
    sessionId: sessionId ?? null,
    transcriptPaths: [...transcriptPaths],
    cwds: acc.cwds,
    gitBranch: acc.gitBranch,
    firstTimestamp: acc.firstTimestamp,
    lastTimestamp: acc.lastTimestamp,
    originalRequest: acc.prompts[0] ?? null,
    recentPrompts: recentPromptCount > 0 ? acc.prompts.slice(-recentPromptCount) : [],
    userPromptCount: acc.prompts.length,
    interruptedTurns: acc.interruptedTurns,
    pendingTasks: pending,
    completedTaskCount: completed,
    filesChanged: acc.filesChanged(),
    lastAssistantMessage: lastAssistant === null ? null : { text: lastAssistant.text, timestamp: lastAssistant.timestamp },
    lastLimitHit: acc.lastLimitHit === null ? null : { text: acc.lastLimitHit.text, timestamp: acc.lastLimitHit.timestamp },
    subagentFileCount: subagentPaths.length,
    lines,
    unreadableFiles,
  };
}
