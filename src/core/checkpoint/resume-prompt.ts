// Renders the Markdown "resume prompt" written at checkpoint time: what was
// being done, how to restore it, and what was not captured. Pure: all facts
// come in through ResumePromptInput.
//
// The text is read by a human and by a fresh Claude Code session, so it states
// facts ("The user asked: …") and never gives orders to Claude: imperative text
// in pasted context trips Claude Code's prompt-injection defences. User and
// assistant text is redacted, trimmed and fenced so it cannot break the layout.

import path from 'node:path';

import { formatStamp, machineTimeZone } from '../limits/zoned-time.js';
import { submoduleRestoreCommand } from './checkpoint-restore.js';
import { redactSecrets } from './redact-secrets.js';
import { capList, closeOpenFence, displayPath, fenced, inlineCode, inlineText, moreLine, shellQuote, shortSha, utf8Bytes } from './resume-markdown.js';
import { type DetailLimits, type SessionRenderContext, cleanInline, cleanLine, renderSessionSections, sessionLabel, summaryParagraph } from './resume-session-sections.js';
import type { SessionDigest } from './session-digest.js';

export { fenced, inlineCode, inlineText, shellQuote, trimText } from './resume-markdown.js';

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
  /** Dirty submodules stashed in their own repositories (the top-level stash holds only their pointers). */
  submoduleStashes?: { dir: string; head: string | null; stashSha: string }[];
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
  /** Upper bound on the document's UTF-8 size. Default 6 KiB (setting checkpoint.promptBudgetKB). */
  maxBytes?: number;
  /** IANA zone the times are shown in; default this machine's. */
  timeZone?: string;
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

export const DEFAULT_MAX_BYTES = 6 * 1024;

// Successively tighter limits, tried in order until the document fits: texts
// shrink, older sessions are summarised, the newest session's prompts thin out.
// Pending tasks and changed files stay listed at every level.
const DETAIL_LEVELS: DetailLimits[] = [
  { textChars: 2000, listItems: 40, diffStatLines: 60, detailedSessions: 8, promptsPerSession: 5, lastMessage: true },
  { textChars: 1000, listItems: 20, diffStatLines: 30, detailedSessions: 4, promptsPerSession: 4, lastMessage: true },
  { textChars: 600, listItems: 15, diffStatLines: 20, detailedSessions: 2, promptsPerSession: 3, lastMessage: true },
  { textChars: 400, listItems: 10, diffStatLines: 15, detailedSessions: 1, promptsPerSession: 3, lastMessage: true },
  { textChars: 250, listItems: 8, diffStatLines: 8, detailedSessions: 1, promptsPerSession: 2, lastMessage: true },
  { textChars: 150, listItems: 6, diffStatLines: 5, detailedSessions: 1, promptsPerSession: 1, lastMessage: false },
  { textChars: 100, listItems: 5, diffStatLines: 3, detailedSessions: 1, promptsPerSession: 1, lastMessage: false },
];

interface RenderContext extends SessionRenderContext {
  input: ResumePromptInput;
}

// ---------------------------------------------------------------------------
// Project-level sections (the session sections live in resume-session-sections.ts)

function renderProject(ctx: RenderContext): string[] {
  const { repo, projectDir, checkpointAt } = ctx.input;
  const branch = !repo.isGitRepo ? 'none (not a git repository)' : repo.branch === null ? 'detached HEAD' : inlineCode(repo.branch);
  const head = !repo.isGitRepo ? 'none' : repo.head === null ? 'unborn (no commits yet)' : inlineCode(repo.head);
  return [
    `- Project directory: ${inlineCode(projectDir)}`,
    `- Branch: ${branch}`,
    `- HEAD: ${head}`,
    `- Checkpoint taken at: ${formatStamp(checkpointAt, ctx.timeZone)}`,
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
  // Each dirty submodule's changes sit in its own stash, applied only on the HEAD it was made on.
  const submodules = repo.submoduleStashes ?? [];
  commands.push(...submodules.map((sub) => submoduleRestoreCommand(sub)));
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
  if (submodules.length > 0) {
    lines.push(`- ${submodules.length === 1 ? 'A submodule' : `${submodules.length} submodules`} had changes of ${submodules.length === 1 ? 'its' : 'their'} own: each line after the project's applies one, only if the submodule is still on the commit it was saved on. \`breather restore --apply\` does the same.`);
  }
  if (repo.privateRef) {
    lines.push(`- The stash commit is also kept under ${inlineCode(repo.privateRef)}, so it survives stash expiry.`);
  }
  return lines;
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
    lines.push(`- Resets at: ${limit.resetsAt ? formatStamp(limit.resetsAt, ctx.timeZone) : 'unknown'}`);
  }
  if (hitText !== null) {
    const when = hitAt ? ` at ${formatStamp(hitAt, ctx.timeZone)}` : '';
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

function renderDocument(input: ResumePromptInput, limits: DetailLimits): { markdown: string; redactions: number } {
  const ctx: RenderContext = { input, limits, projectDir: input.projectDir, timeZone: input.timeZone ?? machineTimeZone(), redactions: 0 };
  const projectName = path.basename(input.projectDir) || input.projectDir;
  const section = (title: string, lines: string[]) => ['', `## ${title}`, '', ...lines];
  const parts: string[] = [
    `# Checkpoint of ${inlineText(projectName)}`,
    '',
    summaryParagraph(ctx, input.sessions, input.limit?.hitText ?? null),
    '',
    `Breather recorded this checkpoint at ${formatStamp(input.checkpointAt, ctx.timeZone)}. Secrets are redacted, best effort.`,
    ...section('Project', renderProject(ctx)),
    ...section('How to restore the files', renderRestore(ctx)),
    ...section('Usage limit', renderLimit(ctx)),
    '',
    ...renderSessionSections(ctx, input.sessions),
    ...section('Diff stat of the stash', renderDiffStat(ctx)).slice(1),
    ...section('Not captured', renderNotCaptured(ctx)),
  ];
  const final = redactSecrets(parts.join('\n').replace(/\n{3,}/g, '\n\n'));
  const redactions = ctx.redactions + final.redactions;
  const footer = redactions > 0 ? `\n\n${redactions} likely secret(s) were replaced with [REDACTED:…] markers.` : '';
  return { markdown: `${final.text}${footer}\n`, redactions };
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
    last = renderDocument(input, limits);
    const bytes = utf8Bytes(last.markdown);
    if (bytes <= maxBytes) return { markdown: last.markdown, bytes, redactions: last.redactions, compactionLevel: level, truncated: false };
  }
  const markdown = truncateToBytes(last.markdown, maxBytes);
  return { markdown, bytes: utf8Bytes(markdown), redactions: last.redactions, compactionLevel: DETAIL_LEVELS.length - 1, truncated: true };
}

export function buildResumePrompt(input: ResumePromptInput): string {
  return renderResumePrompt(input).markdown;
}
