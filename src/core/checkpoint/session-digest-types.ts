// The shape of a session digest: what a resume prompt knows about one session.

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
