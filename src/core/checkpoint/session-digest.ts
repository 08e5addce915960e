// Reads one Claude Code session (its transcript file plus its subagent files)
// and distils what a resume prompt needs: what was asked, what is pending,
// which files changed, what was said last and whether a usage limit stopped it.
// Reading is streamed and forgiving: bad lines are counted, never fatal.
// Split: types (session-digest-types), files and lines (session-transcript-files),
// single records (session-records); this file accumulates them.

import path from 'node:path';
import { DEFAULT_MAX_LINE_BYTES } from '../ingest/line-reader.js';
import type { LineCounts, PendingTask, ReadSessionDigestOptions, SessionDigest, TimedText, UserPrompt, FilesChanged } from './session-digest-types.js';
import { isSubagentTranscriptPath, readCompleteLines } from './session-transcript-files.js';
import { EDIT_TOOLS, type JsonObject, type Scope, asString, contentParts, createdTaskId, editedPath, isInterruptText, isObject, isUnfinishedStatus, limitHitText, realPromptText, todoItems, toolResultText } from './session-records.js';

export type * from './session-digest-types.js';
export { findSessionTranscriptPaths, isSubagentTranscriptPath } from './session-transcript-files.js';
export { createdTaskId, isInterruptText, isUnfinishedStatus, limitHitText, realPromptText, todoItems } from './session-records.js';

const DEFAULT_RECENT_PROMPTS = 5;

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

