// The session parts of the resume prompt: one section per session (newest
// first, the oldest summarised first when the budget is tight) and the plain
// paragraph at the top saying what was being done, what is pending and where
// the work stopped. Built from the transcript digest alone: no model, no network.
import path from 'node:path';
import { formatStamp } from '../limits/zoned-time.js';
import { redactSecrets } from './redact-secrets.js';
import { capList, displayPath, fenced, inlineCode, inlineText, moreLine, shellQuote, trimText } from './resume-markdown.js';
import type { PendingTask, SessionDigest, UserPrompt } from './session-digest.js';

export interface DetailLimits {
  /** Characters kept of one prompt or message. */
  textChars: number;
  /** Items kept of one list (tasks, files, skipped files…). */
  listItems: number;
  /** Lines kept of the diff stat. */
  diffStatLines: number;
  /** Newest sessions described in full; older ones are summarised in a few lines. */
  detailedSessions: number;
  /** Latest prompts quoted per detailed session (after the first request). */
  promptsPerSession: number;
  /** Whether Claude's last message is quoted. */
  lastMessage: boolean;
}

export interface SessionRenderContext {
  projectDir: string;
  limits: DetailLimits;
  /** IANA zone the times are shown in. */
  timeZone: string;
  redactions: number;
}

/** Redacts, then trims: a secret must never be cut into a shape the rules no longer match. */
export function cleanText(ctx: SessionRenderContext, text: string): string {
  const { text: redacted, redactions } = redactSecrets(text);
  ctx.redactions += redactions;
  return trimText(redacted, ctx.limits.textChars);
}

/** Redacted, on one line, cut to maxChars: for inline code spans. */
export function cleanLine(ctx: SessionRenderContext, text: string, maxChars = 300): string {
  const { text: redacted, redactions } = redactSecrets(text);
  ctx.redactions += redactions;
  const single = redacted.replace(/\s+/g, ' ').trim();
  return single.length > maxChars ? `${single.slice(0, maxChars)}…` : single;
}

/** Redacted, on one line, cut to maxChars, Markdown escaped: for prose. */
export function cleanInline(ctx: SessionRenderContext, text: string, maxChars = 300): string {
  return inlineText(cleanLine(ctx, text, maxChars));
}

export function stamp(ctx: SessionRenderContext, iso: string | null): string {
  return iso ? formatStamp(iso, ctx.timeZone) : 'an unknown time';
}

export function sessionLabel(digest: SessionDigest): string {
  return digest.sessionId ?? 'unknown session';
}

/** Newest first: the session that stopped last is the one to pick up. */
export function newestFirst(sessions: readonly SessionDigest[]): SessionDigest[] {
  return [...sessions].sort((a, b) => (b.lastTimestamp ?? '').localeCompare(a.lastTimestamp ?? ''));
}

/** The recent prompts minus the original request, which is quoted on its own. */
function laterPrompts(digest: SessionDigest): UserPrompt[] {
  const original = digest.originalRequest;
  return digest.recentPrompts.filter(
    (prompt, index) => !(index === 0 && original !== null && prompt.text === original.text && prompt.timestamp === original.timestamp),
  );
}

function lastPrompt(digest: SessionDigest): UserPrompt | null {
  return digest.recentPrompts.at(-1) ?? null;
}

function statusLabel(status: string): string {
  return status.replace(/_/g, ' ');
}

function renderTask(ctx: SessionRenderContext, task: PendingTask): string {
  const id = task.id !== undefined ? `#${inlineText(task.id)} ` : '';
  return `- [${inlineText(statusLabel(task.status))}] ${id}${cleanInline(ctx, task.content, Math.min(300, ctx.limits.textChars))}`;
}

function renderFileList(ctx: SessionRenderContext, title: string, files: string[]): string[] {
  if (files.length === 0) return [];
  const { shown, more } = capList(files, ctx.limits.listItems);
  return [`${title} (${files.length}):`, '', ...shown.map((file) => `- ${inlineCode(cleanLine(ctx, displayPath(file, ctx.projectDir), 400))}`), ...moreLine(more), ''];
}

function factsLine(ctx: SessionRenderContext, digest: SessionDigest): string {
  const facts = [`active ${stamp(ctx, digest.firstTimestamp)} → ${stamp(ctx, digest.lastTimestamp)}`];
  if (digest.gitBranch) facts.push(`branch ${inlineCode(digest.gitBranch)}`);
  if (digest.subagentFileCount > 0) facts.push(`${digest.subagentFileCount} subagent transcript(s)`);
  const otherCwds = digest.cwds.filter((cwd) => path.resolve(cwd) !== path.resolve(ctx.projectDir));
  if (otherCwds.length > 0) facts.push(`also worked in ${otherCwds.slice(0, 3).map(inlineCode).join(', ')}`);
  return `- ${capitalise(facts.join('; '))}.`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function resumeLine(digest: SessionDigest): string {
  return digest.sessionId ? `- Resume it with ${inlineCode(`claude --resume ${shellQuote(digest.sessionId)}`)} from the project directory.` : '- Its id is unknown, so it cannot be resumed by id.';
}

/** A session in full: request, latest prompts, pending tasks, files, last message. */
function detailedSession(ctx: SessionRenderContext, digest: SessionDigest): string[] {
  const lines = [`## Session ${inlineCode(sessionLabel(digest))}`, '', factsLine(ctx, digest), resumeLine(digest), ''];
  if (digest.originalRequest) {
    lines.push(`First request (${stamp(ctx, digest.originalRequest.timestamp)}):`, '', fenced(cleanText(ctx, digest.originalRequest.text), 'text'), '');
  } else {
    lines.push('No typed user request was found in this session.', '');
  }
  const later = laterPrompts(digest);
  const shown = later.slice(-Math.max(1, ctx.limits.promptsPerSession));
  if (shown.length > 0) {
    const earlier = digest.userPromptCount - shown.length - (digest.originalRequest ? 1 : 0);
    lines.push(`Latest prompts, oldest first${earlier > 0 ? ` (${earlier} earlier not shown)` : ''}:`, '');
    for (const prompt of shown) lines.push(`${stamp(ctx, prompt.timestamp)}:`, '', fenced(cleanText(ctx, prompt.text), 'text'), '');
  }
  if (digest.interruptedTurns > 0) lines.push(`The user interrupted ${digest.interruptedTurns} turn(s).`, '');
  if (digest.pendingTasks.length > 0) {
    const total = digest.pendingTasks.length + digest.completedTaskCount;
    const tasks = capList(digest.pendingTasks, ctx.limits.listItems);
    lines.push(`Pending tasks (${digest.pendingTasks.length} of ${total} not completed):`, '', ...tasks.shown.map((task) => renderTask(ctx, task)), ...moreLine(tasks.more), '');
  } else {
    lines.push(digest.completedTaskCount > 0 ? `No pending tasks (${digest.completedTaskCount} completed).` : 'No task list was recorded.', '');
  }
  lines.push(...renderFileList(ctx, 'Files changed by the conversation', digest.filesChanged.main));
  lines.push(...renderFileList(ctx, 'Files changed by subagents', digest.filesChanged.subagents));
  if (ctx.limits.lastMessage && digest.lastAssistantMessage) {
    lines.push(`Claude's last message (${stamp(ctx, digest.lastAssistantMessage.timestamp)}):`, '', fenced(cleanText(ctx, digest.lastAssistantMessage.text), 'text'), '');
  }
  return lines;
}

/** An older session in a few lines: the budget goes to the newest work first. */
function summarisedSession(ctx: SessionRenderContext, digest: SessionDigest): string[] {
  const lines = [`## Session ${inlineCode(sessionLabel(digest))} (summarised)`, '', factsLine(ctx, digest), resumeLine(digest)];
  if (digest.originalRequest) lines.push(`- First request: "${cleanInline(ctx, digest.originalRequest.text, 160)}"`);
  const last = lastPrompt(digest);
  if (last && last !== digest.originalRequest && last.text !== digest.originalRequest?.text) lines.push(`- Last prompt: "${cleanInline(ctx, last.text, 120)}"`);
  const files = digest.filesChanged.main.length + digest.filesChanged.subagents.length;
  lines.push(`- ${digest.userPromptCount} prompt(s), ${digest.pendingTasks.length} pending task(s), ${files} file(s) changed.`);
  const pending = capList(digest.pendingTasks, Math.min(3, ctx.limits.listItems));
  lines.push(...pending.shown.map((task) => `  ${renderTask(ctx, task)}`), ...(pending.more > 0 ? [`  - … and ${pending.more} more`] : []));
  return [...lines, ''];
}

/** One section per session, newest first; the oldest beyond the detail limit summarised. */
export function renderSessionSections(ctx: SessionRenderContext, sessions: readonly SessionDigest[]): string[] {
  // The summary paragraph at the top already says there was none: once is enough.
  if (sessions.length === 0) return [];
  const ordered = newestFirst(sessions);
  return ordered.flatMap((digest, index) => (index < ctx.limits.detailedSessions ? detailedSession(ctx, digest) : summarisedSession(ctx, digest)));
}

function quoted(ctx: SessionRenderContext, text: string, maxChars: number): string {
  return `"${cleanInline(ctx, text, maxChars)}"`;
}

/**
 * The paragraph at the top, in plain words: what was being done, what is
 * pending, where the work stopped. Facts only, from the newest session.
 */
export function summaryParagraph(ctx: SessionRenderContext, sessions: readonly SessionDigest[], limitText: string | null): string {
  const newest = newestFirst(sessions)[0];
  if (!newest) return 'No Claude Code session was found for this project, so only the files were saved.';
  const sentences: string[] = [];
  const others = sessions.length - 1;
  const request = newest.originalRequest ? `on ${quoted(ctx, newest.originalRequest.text, 200)}` : 'in this project';
  sentences.push(`Claude Code was working ${request} (session ${inlineCode(sessionLabel(newest))}${others > 0 ? `, and ${others} other session(s) below` : ''}).`);
  if (newest.pendingTasks.length > 0) {
    const names = newest.pendingTasks.slice(0, 3).map((task) => `${cleanInline(ctx, task.content, 100)}${task.status === 'pending' ? '' : ` (${statusLabel(task.status)})`}`);
    const more = newest.pendingTasks.length - names.length;
    sentences.push(`Still pending: ${names.join('; ')}${more > 0 ? `; and ${more} more` : ''}.`);
  } else {
    sentences.push(newest.completedTaskCount > 0 ? 'Every task on its list was completed.' : 'It kept no task list.');
  }
  const last = lastPrompt(newest);
  const stop = limitText ?? newest.lastLimitHit?.text ?? null;
  const where = stop ? `when Claude Code reported ${quoted(ctx, stop, 160)}` : newest.lastAssistantMessage ? `after Claude wrote ${quoted(ctx, newest.lastAssistantMessage.text, 160)}` : '';
  const after = last && last !== newest.originalRequest ? `, right after the user wrote ${quoted(ctx, last.text, 120)}` : '';
  sentences.push(`The work stopped at ${stamp(ctx, newest.lastTimestamp)}${where ? ` ${where}` : ''}${after}.`);
  const files = [...newest.filesChanged.main, ...newest.filesChanged.subagents];
  if (files.length > 0) {
    const names = files.slice(0, 3).map((file) => cleanInline(ctx, displayPath(file, ctx.projectDir), 120));
    sentences.push(`${files.length} file(s) were changed: ${names.join(', ')}${files.length > 3 ? ', …' : ''}.`);
  }
  return sentences.join(' ');
}
