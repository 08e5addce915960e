// Renders the Markdown "resume prompt" written at checkpoint time: what was
// being done, how to restore it, and what was not captured. Pure: all facts
// come in through ResumePromptInput.
//
// The text is read by a human and by a fresh Claude Code session, so it states
// facts ("The user asked: …") and never gives orders to Claude: imperative text
// in pasted context trips Claude Code's prompt-injection defences. User and
// assistant text is redacted, trimmed and fenced so it cannot break the layout.

import path from 'node:path';

import { redactSecrets } from './redact-secrets.js';
import type { PendingTask, SessionDigest, UserPrompt } from './session-digest.js';

/** A skipped file, as the git snapshot reports it (plain path or with details). */
export type SkippedFileNote = string | { path: string; reason?: string; bytes?: number };

/** The parts of a git snapshot result the prompt needs (structural on purpose). */
export interface ResumeRepoInfo {
  isGitRepo: boolean;
  /** Current branch; null when HEAD is detached or unknown. */
  branch: string | null;
  /** HEAD commit; null when HEAD is unborn or unknown. */
  head: string | null;
  stashSha?: string | null;
  /** A ref that keeps the stash commit alive beyond reflog expiry. */
  privateRef?: string | null;
  /** The snapshot's outcome, e.g. "stashed", "nothing-to-stash", "refused". */
  status: string;
  /** Why the snapshot was refused, when it was. */
  refusal?: string | null;
  /** State the stash does not record (merge in progress, submodule contents…). */
  notCaptured: string[];
  skippedFiles: SkippedFileNote[];
  /** `git diff --stat` of the stash against HEAD; empty when none. */
  diffStat: string;
}

export interface ResumeLimitInfo {
  /** Human label of the window that stopped the work, e.g. "5-hour limit". */
  windowLabel: string | null;
  /** ISO time the window resets, or null when unknown. */
  resetsAt: string | null;
  /** Raw limit message, when the caller has one (else taken from the sessions). */
  hitText?: string | null;
  hitAt?: string | null;
}

export interface ResumePromptInput {
  projectDir: string;
  repo: ResumeRepoInfo;
  sessions: SessionDigest[];
  /** null when the checkpoint was not caused by a limit (manual, or early warning). */
  limit: ResumeLimitInfo | null;
  /** ISO time of the checkpoint. */
  checkpointAt: string;
  /** Upper bound on the document's UTF-8 size. Default 24 KiB. */
  maxBytes?: number;
}

export interface ResumePromptRender {
  markdown: string;
  bytes: number;
  /** Secrets replaced with [REDACTED:…] markers. */
  redactions: number;
  /** 0 = full detail; higher levels trimmed harder to fit maxBytes. */
  compactionLevel: number;
  /** True when even the tightest level overflowed and the tail was cut. */
  truncated: boolean;
}

export const DEFAULT_MAX_BYTES = 24 * 1024;
const MAX_RESUME_COMMANDS = 50;

interface DetailLimits {
  /** Characters kept of one prompt or message. */
  textChars: number;
  /** Items kept of one list (tasks, files, skipped files…). */
  listItems: number;
  /** Lines kept of the diff stat. */
  diffStatLines: number;
  /** Sessions described in full; the rest get their resume command only. */
  detailedSessions: number;
}

// Successively tighter limits, tried in order until the document fits.
const DETAIL_LEVELS: DetailLimits[] = [
  { textChars: 2000, listItems: 40, diffStatLines: 60, detailedSessions: 8 },
  { textChars: 1000, listItems: 20, diffStatLines: 30, detailedSessions: 4 },
  { textChars: 400, listItems: 10, diffStatLines: 15, detailedSessions: 2 },
  { textChars: 150, listItems: 5, diffStatLines: 8, detailedSessions: 1 },
];

// ---------------------------------------------------------------------------
// Markdown helpers (pure)

function longestBacktickRun(text: string): number {
  let longest = 0;
  for (const match of text.matchAll(/`+/g)) longest = Math.max(longest, match[0].length);
  return longest;
}

/** A fenced block whose fence is longer than any backtick run inside. */
export function fenced(text: string, info = ''): string {
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(text) + 1));
  return `${fence}${info}\n${text}\n${fence}`;
}

/** An inline code span that survives backticks in its content. */
export function inlineCode(text: string): string {
  const single = text.replace(/\s*\n\s*/g, ' ');
  const ticks = '`'.repeat(longestBacktickRun(single) + 1);
  const pad = single.startsWith('`') || single.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${single}${pad}${ticks}`;
}

/** One line of plain text with Markdown syntax escaped. */
export function inlineText(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\\`*_[\]<>|#]/g, (c) => `\\${c}`);
}

/** Keeps the first `maxChars` characters and says how much was cut. */
export function trimText(text: string, maxChars: number): string {
  const trimmed = text.trim();
  if (trimmed.length <= maxChars) return trimmed;
  // Do not split a surrogate pair.
  let cut = maxChars;
  const code = trimmed.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${trimmed.slice(0, cut).trimEnd()}\n… [${trimmed.length - cut} more characters not shown]`;
}

function capList<T>(items: T[], max: number): { shown: T[]; more: number } {
  return items.length <= max ? { shown: items, more: 0 } : { shown: items.slice(0, max), more: items.length - max };
}

function moreLine(more: number): string[] {
  return more > 0 ? [`- … and ${more} more`] : [];
}

const SAFE_SHELL_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function shellQuote(word: string): string {
  if (word !== '' && SAFE_SHELL_WORD.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

function shortSha(sha: string): string {
  return /^[0-9a-f]{40,64}$/i.test(sha) ? sha.slice(0, 12) : sha;
}

function displayPath(filePath: string, projectDir: string): string {
  const relative = path.relative(projectDir, filePath);
  if (relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)) return relative;
  return filePath;
}

/** If a cut left a fence open, closes it so the rest of a viewer's page is not swallowed. */
function closeOpenFence(markdown: string): string {
  let open: string | null = null;
  for (const line of markdown.split('\n')) {
    const fence = /^(`{3,})/.exec(line)?.[1];
    if (fence === undefined) continue;
    if (open === null) open = fence;
    else if (line.trim() === '`'.repeat(line.trim().length) && line.trim().length >= open.length) open = null;
  }
  return open === null ? markdown : `${markdown}\n${open}`;
}

// ---------------------------------------------------------------------------
// Rendering

interface RenderContext {
  input: ResumePromptInput;
  limits: DetailLimits;
  redactions: number;
}

/** Redacts, then trims: a secret must never be cut into a shape the rules no longer match. */
function cleanText(ctx: RenderContext, text: string): string {
  const { text: redacted, redactions } = redactSecrets(text);
  ctx.redactions += redactions;
  return trimText(redacted, ctx.limits.textChars);
}

/** Redacted, on one line, cut to maxChars: for inline code spans. */
function cleanLine(ctx: RenderContext, text: string, maxChars = 300): string {
  const { text: redacted, redactions } = redactSecrets(text);
  ctx.redactions += redactions;
  const single = redacted.replace(/\s+/g, ' ').trim();
  return single.length > maxChars ? `${single.slice(0, maxChars)}…` : single;
}

/** Redacted, on one line, cut to maxChars, Markdown escaped: for prose. */
function cleanInline(ctx: RenderContext, text: string, maxChars = 300): string {
  return inlineText(cleanLine(ctx, text, maxChars));
}

function sessionLabel(digest: SessionDigest): string {
  return digest.sessionId ?? 'unknown session';
}

/** Per-session subsections when there are several sessions, a flat section when there is one. */
function perSession(ctx: RenderContext, render: (digest: SessionDigest) => string[]): string[] {
  const detailed = ctx.input.sessions.slice(0, ctx.limits.detailedSessions);
  const omitted = ctx.input.sessions.length - detailed.length;
  if (ctx.input.sessions.length === 0) return ['No Claude Code session was found for this project.'];
  if (ctx.input.sessions.length === 1 && detailed[0] !== undefined) return render(detailed[0]);
  const lines: string[] = [];
  for (const digest of detailed) {
    lines.push(`### Session ${inlineCode(sessionLabel(digest))}`, '', ...render(digest), '');
  }
  if (omitted > 0) lines.push(`${omitted} more session(s) not detailed here; see "Sessions" above.`);
  return trimTrailingBlank(lines);
}

function trimTrailingBlank(lines: string[]): string[] {
  const copy = [...lines];
  while (copy.length > 0 && copy[copy.length - 1] === '') copy.pop();
  return copy;
}

function renderProject(ctx: RenderContext): string[] {
  const { repo, projectDir, checkpointAt } = ctx.input;
  const branch = !repo.isGitRepo ? 'none (not a git repository)' : repo.branch === null ? 'detached HEAD' : inlineCode(repo.branch);
  const head = !repo.isGitRepo ? 'none' : repo.head === null ? 'unborn (no commits yet)' : inlineCode(repo.head);
  return [
    `- Project directory: ${inlineCode(projectDir)}`,
    `- Branch: ${branch}`,
    `- HEAD: ${head}`,
    `- Checkpoint taken at: ${checkpointAt}`,
  ];
}

function describeNoStash(repo: ResumeRepoInfo, projectDir: string): string {
  if (!repo.isGitRepo) return `No stash was made: ${inlineCode(projectDir)} is not a git repository, so the files were not snapshotted.`;
  if (repo.refusal) return `No stash was made: the snapshot was refused (${inlineText(repo.refusal)}).`;
  if (/nothing|clean|no[-_ ]?changes/i.test(repo.status)) {
    return 'No stash was made: there was nothing to stash (the working tree matched HEAD at checkpoint time).';
  }
  return `No stash was made (snapshot status: ${inlineText(repo.status)}).`;
}

function renderRestore(ctx: RenderContext): string[] {
  const { repo, projectDir } = ctx.input;
  const stashSha = repo.stashSha ?? null;
  const lines: string[] = [];
  const commands = [`cd ${shellQuote(projectDir)}`];
  // Return to where the work was: the branch if there was one, else the exact commit.
  const switchCommand = repo.branch !== null ? `git switch ${shellQuote(repo.branch)}` : repo.head !== null ? `git checkout ${shellQuote(repo.head)}` : null;

  if (stashSha === null) {
    lines.push(describeNoStash(repo, projectDir));
    if (repo.isGitRepo && switchCommand !== null) {
      lines.push('', 'To return to the checkpoint\'s commit, run:', '', fenced([...commands, switchCommand].join('\n'), 'sh'));
    }
    return lines;
  }

  if (switchCommand !== null) commands.push(switchCommand);
  commands.push(`git stash apply --index ${shellQuote(stashSha)}`);
  lines.push(
    `The working tree, index and untracked files were saved as stash commit ${inlineCode(stashSha)}` +
      (repo.head !== null ? `, made on top of ${inlineCode(shortSha(repo.head))}.` : '.'),
    '',
    'To restore the work, run:',
    '',
    fenced(commands.join('\n'), 'sh'),
    '',
  );
  if (switchCommand !== null) {
    lines.push(
      repo.branch !== null
        ? `- The \`git switch\` is needed only if the repository is no longer on ${inlineCode(repo.branch)}.` +
            (repo.head !== null ? ` If the branch has moved past ${inlineCode(shortSha(repo.head))}, \`git checkout ${shortSha(repo.head)}\` gives the exact base.` : '')
        : '- HEAD was detached; the `git checkout` returns to the exact commit.',
    );
  }
  lines.push(`- If \`--index\` reports a conflict, \`git stash apply ${shortSha(stashSha)}\` restores the files without the staged/unstaged split.`);
  if (repo.privateRef) {
    lines.push(`- The stash commit is also kept under ${inlineCode(repo.privateRef)}, so it survives stash expiry.`);
  }
  return lines;
}

function renderSessions(ctx: RenderContext): string[] {
  const { sessions, projectDir } = ctx.input;
  if (sessions.length === 0) return ['No Claude Code session was found for this project.'];
  const lines: string[] = [`Sessions active in this project (resume from ${inlineCode(projectDir)}):`, ''];
  const { shown, more } = capList(sessions, Math.max(ctx.limits.listItems, ctx.limits.detailedSessions));
  for (const digest of shown) {
    const facts: string[] = [];
    if (digest.firstTimestamp || digest.lastTimestamp) facts.push(`active ${digest.firstTimestamp ?? '?'} → ${digest.lastTimestamp ?? '?'}`);
    if (digest.gitBranch) facts.push(`branch ${inlineCode(digest.gitBranch)}`);
    if (digest.subagentFileCount > 0) facts.push(`${digest.subagentFileCount} subagent transcript(s)`);
    const otherCwds = digest.cwds.filter((cwd) => path.resolve(cwd) !== path.resolve(projectDir));
    if (otherCwds.length > 0) facts.push(`also worked in ${otherCwds.slice(0, 3).map(inlineCode).join(', ')}`);
    lines.push(`- ${inlineCode(sessionLabel(digest))}${facts.length > 0 ? ` (${facts.join('; ')})` : ''}`);
  }
  lines.push(...moreLine(more), '');
  // Every session keeps its resume command, even when the list above is cut short.
  const resumable = capList(
    sessions.filter((digest) => digest.sessionId !== null),
    MAX_RESUME_COMMANDS,
  );
  if (resumable.shown.length > 0) {
    const commands = resumable.shown.map((digest) => `claude --resume ${shellQuote(digest.sessionId ?? '')}`);
    if (resumable.more > 0) commands.push(`# … and ${resumable.more} more session(s)`);
    lines.push('Resume commands:', '', fenced(commands.join('\n'), 'sh'));
  }
  return trimTrailingBlank(lines);
}

function renderPromptBlock(ctx: RenderContext, prompt: UserPrompt): string[] {
  return [fenced(cleanText(ctx, prompt.text), 'text')];
}

function renderOriginalRequest(ctx: RenderContext): string[] {
  return perSession(ctx, (digest) => {
    if (digest.originalRequest === null) return ['No typed user request was found in this session.'];
    const when = digest.originalRequest.timestamp ? ` (${digest.originalRequest.timestamp})` : '';
    return [`The user asked${when}:`, '', ...renderPromptBlock(ctx, digest.originalRequest)];
  });
}

/** The recent prompts minus the original request, which has its own section. */
function laterPrompts(digest: SessionDigest): UserPrompt[] {
  const original = digest.originalRequest;
  return digest.recentPrompts.filter(
    (prompt, index) => !(index === 0 && original !== null && prompt.text === original.text && prompt.timestamp === original.timestamp),
  );
}

function renderRecentPrompts(ctx: RenderContext): string[] {
  return perSession(ctx, (digest) => {
    const later = laterPrompts(digest);
    const lines: string[] = [];
    if (later.length === 0) {
      lines.push('The user wrote no prompts after the original request.');
    } else {
      const earlierCount = digest.userPromptCount - later.length - (digest.originalRequest ? 1 : 0);
      lines.push(
        `The user's last ${later.length} prompt(s), oldest first` + (earlierCount > 0 ? ` (${earlierCount} earlier prompt(s) not shown):` : ':'),
        '',
      );
      later.forEach((prompt, index) => {
        const when = prompt.timestamp ? ` (${prompt.timestamp})` : '';
        lines.push(`Prompt ${index + 1}${when}:`, '', ...renderPromptBlock(ctx, prompt), '');
      });
    }
    if (digest.interruptedTurns > 0) lines.push(`The user interrupted ${digest.interruptedTurns} turn(s) in this session.`);
    return trimTrailingBlank(lines);
  });
}

function statusLabel(status: string): string {
  return status.replace(/_/g, ' ');
}

function renderTask(ctx: RenderContext, task: PendingTask): string {
  const id = task.id !== undefined ? `#${inlineText(task.id)} ` : '';
  return `- [${inlineText(statusLabel(task.status))}] ${id}${cleanInline(ctx, task.content)}`;
}

function renderPendingTasks(ctx: RenderContext): string[] {
  return perSession(ctx, (digest) => {
    if (digest.pendingTasks.length === 0) {
      return digest.completedTaskCount > 0
        ? [`No pending tasks at checkpoint time (${digest.completedTaskCount} completed).`]
        : ['No task list was recorded in this session.'];
    }
    const total = digest.pendingTasks.length + digest.completedTaskCount;
    const { shown, more } = capList(digest.pendingTasks, ctx.limits.listItems);
    return [
      `Pending tasks at checkpoint time (${digest.pendingTasks.length} of ${total} not completed):`,
      '',
      ...shown.map((task) => renderTask(ctx, task)),
      ...moreLine(more),
    ];
  });
}

function renderFileList(ctx: RenderContext, title: string, files: string[]): string[] {
  if (files.length === 0) return [`${title}: none.`];
  const { shown, more } = capList(files, ctx.limits.listItems);
  return [
    `${title} (${files.length}):`,
    '',
    ...shown.map((file) => `- ${inlineCode(cleanLine(ctx, displayPath(file, ctx.input.projectDir), 400))}`),
    ...moreLine(more),
  ];
}

function renderFilesChanged(ctx: RenderContext): string[] {
  return perSession(ctx, (digest) => [
    ...renderFileList(ctx, 'Changed by the main conversation', digest.filesChanged.main),
    '',
    ...renderFileList(ctx, 'Changed by subagents', digest.filesChanged.subagents),
  ]);
}

function renderDiffStat(ctx: RenderContext): string[] {
  const stat = ctx.input.repo.diffStat.replace(/\s+$/, '');
  if (stat.trim() === '') {
    return [ctx.input.repo.stashSha ? 'The stash shows no differences from HEAD.' : 'No stash, so no diff.'];
  }
  const statLines = stat.split('\n');
  const max = ctx.limits.diffStatLines;
  let shown = statLines;
  if (statLines.length > max) {
    // Keep the summary line ("N files changed, …"): it is the most useful one.
    const summary = statLines[statLines.length - 1] ?? '';
    shown = [...statLines.slice(0, max - 1), ` … and ${statLines.length - max} more file(s)`, summary];
  }
  const { text } = redactSecrets(shown.map((line) => (line.length > 300 ? `${line.slice(0, 300)}…` : line)).join('\n'));
  return ['`git diff --stat` of the stash against HEAD:', '', fenced(text, 'text')];
}

function renderLastAssistantMessage(ctx: RenderContext): string[] {
  return perSession(ctx, (digest) => {
    const message = digest.lastAssistantMessage;
    if (message === null) return ['No assistant message was recorded.'];
    const when = message.timestamp ? ` (${message.timestamp})` : '';
    return [`Claude's last message${when}:`, '', fenced(cleanText(ctx, message.text), 'text')];
  });
}

function latestSessionLimitHit(sessions: SessionDigest[]): { text: string; timestamp: string | null } | null {
  let latest: { text: string; timestamp: string | null } | null = null;
  for (const digest of sessions) {
    const hit = digest.lastLimitHit;
    if (hit === null) continue;
    if (latest === null || (hit.timestamp ?? '') > (latest.timestamp ?? '')) latest = hit;
  }
  return latest;
}

function renderLimit(ctx: RenderContext): string[] {
  const { limit, sessions } = ctx.input;
  const sessionHit = latestSessionLimitHit(sessions);
  const hitText = limit?.hitText ?? sessionHit?.text ?? null;
  const hitAt = limit?.hitAt ?? sessionHit?.timestamp ?? null;
  const lines: string[] = [];
  if (limit === null) {
    lines.push('The checkpoint was not triggered by a usage limit.');
  } else {
    lines.push(`- Limit: ${limit.windowLabel ? inlineText(limit.windowLabel) : 'unknown window'}`);
    lines.push(`- Resets at: ${limit.resetsAt ?? 'unknown'}`);
  }
  if (hitText !== null) {
    const when = hitAt ? ` at ${hitAt}` : '';
    if (limit === null) lines.push('');
    lines.push(`- Claude Code reported${when}: ${inlineCode(cleanLine(ctx, hitText, 300))}`);
  }
  return lines;
}

function skippedFileLine(ctx: RenderContext, note: SkippedFileNote): string {
  if (typeof note === 'string') return `- ${inlineCode(displayPath(note, ctx.input.projectDir))}`;
  const details: string[] = [];
  if (note.reason) details.push(inlineText(note.reason));
  if (note.bytes !== undefined) details.push(`${note.bytes} bytes`);
  return `- ${inlineCode(displayPath(note.path, ctx.input.projectDir))}${details.length > 0 ? ` (${details.join(', ')})` : ''}`;
}

function renderNotCaptured(ctx: RenderContext): string[] {
  const { repo, sessions } = ctx.input;
  const lines: string[] = [];
  if (repo.skippedFiles.length === 0) {
    lines.push('Files skipped by the snapshot: none.');
  } else {
    const { shown, more } = capList(repo.skippedFiles, ctx.limits.listItems);
    lines.push(`Files skipped by the snapshot (${repo.skippedFiles.length}):`, '', ...shown.map((note) => skippedFileLine(ctx, note)), ...moreLine(more));
  }
  lines.push('');
  if (repo.notCaptured.length === 0) {
    lines.push('State not captured: nothing noted.');
  } else {
    const { shown, more } = capList(repo.notCaptured, ctx.limits.listItems);
    lines.push('State not captured:', '', ...shown.map((item) => `- ${cleanInline(ctx, item)}`), ...moreLine(more));
  }
  lines.push('', 'Ignored files (such as `.env`) are never included in a stash.');

  const transcriptNotes: string[] = [];
  for (const digest of sessions) {
    const label = inlineCode(sessionLabel(digest));
    const { malformed, oversized, unfinished } = digest.lines;
    if (malformed > 0) transcriptNotes.push(`- Session ${label}: ${malformed} malformed transcript line(s) skipped.`);
    if (oversized > 0) transcriptNotes.push(`- Session ${label}: ${oversized} oversized transcript line(s) skipped.`);
    if (unfinished > 0) transcriptNotes.push(`- Session ${label}: ${unfinished} transcript file(s) ended in an unfinished record.`);
    for (const file of digest.unreadableFiles) {
      transcriptNotes.push(`- Session ${label}: ${inlineCode(file.path)} could not be read (${inlineText(file.error)}).`);
    }
  }
  if (transcriptNotes.length > 0) {
    const { shown, more } = capList(transcriptNotes, ctx.limits.listItems);
    lines.push('', 'Transcript reading notes:', '', ...shown, ...moreLine(more));
  }
  return lines;
}

const SECTIONS: { title: string; render: (ctx: RenderContext) => string[] }[] = [
  { title: 'Project', render: renderProject },
  { title: 'How to restore the files', render: renderRestore },
  { title: 'Sessions', render: renderSessions },
  { title: 'Original request', render: renderOriginalRequest },
  { title: 'Latest user prompts', render: renderRecentPrompts },
  { title: 'Pending tasks', render: renderPendingTasks },
  { title: 'Files changed in the session', render: renderFilesChanged },
  { title: 'Diff stat of the stash', render: renderDiffStat },
  { title: "Claude's last message", render: renderLastAssistantMessage },
  { title: 'Usage limit', render: renderLimit },
  { title: 'Not captured', render: renderNotCaptured },
];

/** Section headings, in document order (exported for tests and readers). */
export const RESUME_PROMPT_SECTION_TITLES: readonly string[] = SECTIONS.map((section) => section.title);

function renderAtLevel(input: ResumePromptInput, limits: DetailLimits): { markdown: string; redactions: number } {
  const ctx: RenderContext = { input, limits, redactions: 0 };
  const projectName = path.basename(input.projectDir) || input.projectDir;
  const parts: string[] = [
    `# Checkpoint of ${inlineText(projectName)}`,
    '',
    `Breather recorded this checkpoint at ${input.checkpointAt}. It describes the state of the Claude Code work in this project at that moment.`,
  ];
  for (const section of SECTIONS) {
    parts.push('', `## ${section.title}`, '', ...section.render(ctx));
  }
  const body = parts.join('\n');
  const final = redactSecrets(body);
  const redactions = ctx.redactions + final.redactions;
  const footer = redactions > 0 ? `\n\n${redactions} likely secret(s) were replaced with [REDACTED:…] markers.` : '';
  return { markdown: `${final.text}${footer}\n`, redactions };
}

function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Cuts to at most maxBytes of UTF-8 at a line boundary, keeping fences balanced. */
function truncateToBytes(markdown: string, maxBytes: number): string {
  const note = '\n\n[The checkpoint document was cut here to stay within its size limit.]\n';
  const budget = Math.max(0, maxBytes - utf8Bytes(note) - 16);
  let cut = Buffer.from(markdown, 'utf8').subarray(0, budget).toString('utf8');
  // A cut inside a multi-byte character decodes to U+FFFD: drop it.
  cut = cut.replace(/\uFFFD+$/, '');
  const lastNewline = cut.lastIndexOf('\n');
  if (lastNewline > 0) cut = cut.slice(0, lastNewline);
  return `${closeOpenFence(cut)}${note}`;
}

export function renderResumePrompt(input: ResumePromptInput): ResumePromptRender {
  const maxBytes = input.maxBytes ?? DEFAULT_MAX_BYTES;
  let last: { markdown: string; redactions: number } = { markdown: '', redactions: 0 };
  for (const [level, limits] of DETAIL_LEVELS.entries()) {
    last = renderAtLevel(input, limits);
    const bytes = utf8Bytes(last.markdown);
    if (bytes <= maxBytes) return { markdown: last.markdown, bytes, redactions: last.redactions, compactionLevel: level, truncated: false };
  }
  const markdown = truncateToBytes(last.markdown, maxBytes);
  return {
    markdown,
    bytes: utf8Bytes(markdown),
    redactions: last.redactions,
    compactionLevel: DETAIL_LEVELS.length - 1,
    truncated: true,
  };
}

export function buildResumePrompt(input: ResumePromptInput): string {
  return renderResumePrompt(input).markdown;
}
