import { rm } from 'node:fs/promises';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import {
  RESUME_PROMPT_SECTION_TITLES,
  buildResumePrompt,
  renderResumePrompt,
  type ResumePromptInput,
  type ResumeRepoInfo,
} from '../../../src/core/checkpoint/resume-prompt.js';
import { findSessionTranscriptPaths, readSessionDigest, type SessionDigest } from '../../../src/core/checkpoint/session-digest.js';
import { TranscriptBuilder, makeTempDir, subagentOf, subagentTranscriptPath } from '../../support/transcript-builder.js';

const PROJECT = '/home/dev/shop';
const HEAD = '3f2a9c1b7e5d4a6f8b0c2d4e6f8a0b1c2d3e4f5a';
const STASH = '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d';
const SESSION_ID = '6f1c2b9e-0d4a-4c1e-9b7a-2f3e4d5c6b7a';

// Assembled at run time so no literal token shape sits in the source.
const ANTHROPIC_KEY = ['sk', 'ant', 'api03-'].join('-') + 'Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Jh1Gf0EdCbA'.repeat(2);
const GITHUB_TOKEN = 'gh' + 'p_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';

function digest(overrides: Partial<SessionDigest> = {}): SessionDigest {
  return {
    sessionId: SESSION_ID,
    transcriptPaths: [`/home/dev/.claude/projects/-home-dev-shop/${SESSION_ID}.jsonl`],
    cwds: [PROJECT],
    gitBranch: 'feature/cart',
    firstTimestamp: '2026-03-02T09:00:00.000Z',
    lastTimestamp: '2026-03-02T13:58:00.000Z',
    originalRequest: { text: 'Add a shopping cart with a checkout page', timestamp: '2026-03-02T09:00:00.000Z' },
    recentPrompts: [
      { text: 'Add a shopping cart with a checkout page', timestamp: '2026-03-02T09:00:00.000Z' },
      { text: 'Use Stripe for payments', timestamp: '2026-03-02T10:00:00.000Z' },
    ],
    userPromptCount: 2,
    interruptedTurns: 0,
    pendingTasks: [
      { content: 'Wire the checkout button', status: 'in_progress', activeForm: 'Wiring the checkout button', source: 'todo-write' },
      { content: 'Write cart tests', status: 'pending', source: 'todo-write' },
    ],
    completedTaskCount: 3,
    filesChanged: { main: [`${PROJECT}/src/cart.ts`, `${PROJECT}/src/checkout.ts`], subagents: [`${PROJECT}/src/cart.test.ts`] },
    lastAssistantMessage: { text: 'The cart total now includes tax.', timestamp: '2026-03-02T13:57:00.000Z' },
    lastLimitHit: { text: "You've hit your session limit · resets 3pm (Europe/London)", timestamp: '2026-03-02T13:58:00.000Z' },
    subagentFileCount: 1,
    lines: { parsed: 120, malformed: 0, oversized: 0, unfinished: 0 },
    unreadableFiles: [],
    ...overrides,
  };
}

function repo(overrides: Partial<ResumeRepoInfo> = {}): ResumeRepoInfo {
  return {
    isGitRepo: true,
    branch: 'feature/cart',
    head: HEAD,
    stashSha: STASH,
    privateRef: null,
    status: 'stashed',
    refusal: null,
    notCaptured: [],
    skippedFiles: [],
    diffStat: ' src/cart.ts     | 40 ++++++++++\n src/checkout.ts | 12 +++---\n 2 files changed, 45 insertions(+), 7 deletions(-)',
    ...overrides,
  };
}

function input(overrides: Partial<ResumePromptInput> = {}): ResumePromptInput {
  return {
    projectDir: PROJECT,
    repo: repo(),
    sessions: [digest()],
    limit: { windowLabel: '5-hour limit', resetsAt: '2026-03-02T15:00:00.000Z' },
    checkpointAt: '2026-03-02T13:58:05.000Z',
    ...overrides,
  };
}

/** The body of each `## ` section, keyed by title. */
function sections(markdown: string): Map<string, string> {
  const map = new Map<string, string>();
  const parts = markdown.split(/^## /m).slice(1);
  for (const part of parts) {
    const newline = part.indexOf('\n');
    map.set(part.slice(0, newline), part.slice(newline + 1).trim());
  }
  return map;
}

function section(markdown: string, title: string): string {
  const body = sections(markdown).get(title);
  if (body === undefined) throw new Error(`no section ${title}`);
  return body;
}

describe('buildResumePrompt: layout', () => {
  it('has the eleven sections in order, after a title', () => {
    const markdown = buildResumePrompt(input());
    expect(markdown.startsWith('# Checkpoint of shop\n')).toBe(true);
    expect([...sections(markdown).keys()]).toEqual([
      'Project',
      'How to restore the files',
      'Sessions',
      'Original request',
      'Latest user prompts',
      'Pending tasks',
      'Files changed in the session',
      'Diff stat of the stash',
      "Claude's last message",
      'Usage limit',
      'Not captured',
    ]);
    expect(RESUME_PROMPT_SECTION_TITLES).toEqual([...sections(markdown).keys()]);
  });

  it('states the project, branch, HEAD and checkpoint time', () => {
    expect(section(buildResumePrompt(input()), 'Project')).toBe(
      [
        '- Project directory: `/home/dev/shop`',
        '- Branch: `feature/cart`',
        `- HEAD: \`${HEAD}\``,
        '- Checkpoint taken at: 2026-03-02T13:58:05.000Z',
      ].join('\n'),
    );
  });

  it('is deterministic', () => {
    expect(buildResumePrompt(input())).toBe(buildResumePrompt(input()));
  });
});

describe('buildResumePrompt: restore commands', () => {
  it('gives cd, git switch and git stash apply --index for a stash on a branch', () => {
    const body = section(buildResumePrompt(input({ repo: repo({ privateRef: 'refs/breather/checkpoints/2026-03-02T13-58-05Z' }) })), 'How to restore the files');
    expect(body).toContain(['```sh', 'cd /home/dev/shop', 'git switch feature/cart', `git stash apply --index ${STASH}`, '```'].join('\n'));
    expect(body).toContain('only if the repository is no longer on `feature/cart`');
    expect(body).toContain('`git checkout 3f2a9c1b7e5d` gives the exact base');
    expect(body).toContain('`refs/breather/checkpoints/2026-03-02T13-58-05Z`');
  });

  it('checks out the commit first when HEAD was detached, and quotes odd paths', () => {
    const body = section(
      buildResumePrompt(input({ projectDir: "/home/dev/my shop's app", repo: repo({ branch: null }) })),
      'How to restore the files',
    );
    expect(body).toContain(["cd '/home/dev/my shop'\\''s app'", `git checkout ${HEAD}`, `git stash apply --index ${STASH}`].join('\n'));
    expect(body).toContain('HEAD was detached');
  });

  it('says why there is no stash: not a git repository', () => {
    const markdown = buildResumePrompt(input({ repo: repo({ isGitRepo: false, branch: null, head: null, stashSha: null, status: 'not-a-git-repo', diffStat: '' }) }));
    expect(section(markdown, 'How to restore the files')).toBe(
      'No stash was made: `/home/dev/shop` is not a git repository, so the files were not snapshotted.',
    );
    expect(section(markdown, 'Project')).toContain('- Branch: none (not a git repository)');
    expect(section(markdown, 'Diff stat of the stash')).toBe('No stash, so no diff.');
    expect(markdown).not.toContain('git stash apply');
  });

  it('says why there is no stash: nothing to stash, with the way back to the commit', () => {
    const body = section(buildResumePrompt(input({ repo: repo({ stashSha: null, status: 'nothing-to-stash', diffStat: '' }) })), 'How to restore the files');
    expect(body).toBe(
      [
        'No stash was made: there was nothing to stash (the working tree matched HEAD at checkpoint time).',
        '',
        "To return to the checkpoint's commit, run:",
        '',
        '```sh',
        'cd /home/dev/shop',
        'git switch feature/cart',
        '```',
      ].join('\n'),
    );
  });

  it('says why there is no stash: refused, with the reason', () => {
    const body = section(
      buildResumePrompt(input({ repo: repo({ stashSha: null, head: null, branch: 'main', status: 'refused', refusal: 'HEAD is unborn (no commits yet)' }) })),
      'How to restore the files',
    );
    expect(body.split('\n')[0]).toBe('No stash was made: the snapshot was refused (HEAD is unborn (no commits yet)).');
  });
});

describe('buildResumePrompt: session content', () => {
  it('lists each session with its resume command', () => {
    const second = digest({ sessionId: 'b2c3d4e5-0000-4000-8000-000000000002', gitBranch: null, subagentFileCount: 0, cwds: [PROJECT, '/home/dev/shop/web'] });
    const body = section(buildResumePrompt(input({ sessions: [digest(), second] })), 'Sessions');
    expect(body).toContain(`- \`${SESSION_ID}\` (active 2026-03-02T09:00:00.000Z → 2026-03-02T13:58:00.000Z; branch \`feature/cart\`; 1 subagent transcript(s))`);
    expect(body).toContain('also worked in `/home/dev/shop/web`');
    expect(body).toContain(['```sh', `claude --resume ${SESSION_ID}`, 'claude --resume b2c3d4e5-0000-4000-8000-000000000002', '```'].join('\n'));
  });

  it('quotes the original request in a fence longer than any backtick run inside it', () => {
    const text = 'Fix this:\n```ts\nconst a = `x`;\n```\nand ````nested```` fences';
    const body = section(buildResumePrompt(input({ sessions: [digest({ originalRequest: { text, timestamp: '2026-03-02T09:00:00.000Z' } })] })), 'Original request');
    expect(body).toBe(['The user asked (2026-03-02T09:00:00.000Z):', '', '`````text', text, '`````'].join('\n'));
  });

  it('shows later prompts oldest first without repeating the original, plus interruptions', () => {
    const prompts = [3, 4, 5, 6, 7].map((n) => ({ text: `prompt ${n}`, timestamp: `2026-03-02T1${n - 3}:00:00.000Z` }));
    const body = section(
      buildResumePrompt(input({ sessions: [digest({ recentPrompts: prompts, userPromptCount: 7, interruptedTurns: 2 })] })),
      'Latest user prompts',
    );
    expect(body.split('\n')[0]).toBe("The user's last 5 prompt(s), oldest first (1 earlier prompt(s) not shown):");
    expect(body).toContain(['Prompt 1 (2026-03-02T10:00:00.000Z):', '', '```text', 'prompt 3', '```'].join('\n'));
    expect(body.indexOf('prompt 3')).toBeLessThan(body.indexOf('prompt 7'));
    expect(body.endsWith('The user interrupted 2 turn(s) in this session.')).toBe(true);

    const onlyOriginal = section(
      buildResumePrompt(input({ sessions: [digest({ recentPrompts: [digest().originalRequest!], userPromptCount: 1 })] })),
      'Latest user prompts',
    );
    expect(onlyOriginal).toBe('The user wrote no prompts after the original request.');
  });

  it('lists pending tasks with their status and caps a long list', () => {
    const body = section(buildResumePrompt(input()), 'Pending tasks');
    expect(body).toBe(
      ['Pending tasks at checkpoint time (2 of 5 not completed):', '', '- [in progress] Wire the checkout button', '- [pending] Write cart tests'].join('\n'),
    );
    const many = Array.from({ length: 45 }, (_, i) => ({ id: String(i + 1), content: `Task ${i + 1}`, status: 'pending', source: 'task-tool' as const }));
    const capped = section(buildResumePrompt(input({ sessions: [digest({ pendingTasks: many, completedTaskCount: 0 })] })), 'Pending tasks');
    expect(capped).toContain('- [pending] #40 Task 40');
    expect(capped).not.toContain('Task 41');
    expect(capped.endsWith('- … and 5 more')).toBe(true);
    const none = section(buildResumePrompt(input({ sessions: [digest({ pendingTasks: [], completedTaskCount: 4 })] })), 'Pending tasks');
    expect(none).toBe('No pending tasks at checkpoint time (4 completed).');
  });

  it('escapes Markdown in task text', () => {
    const task = { content: 'Fix <script> in **bold** [link](x)', status: 'pending', source: 'todo-write' as const };
    const body = section(buildResumePrompt(input({ sessions: [digest({ pendingTasks: [task] })] })), 'Pending tasks');
    expect(body).toContain('- [pending] Fix \\<script\\> in \\*\\*bold\\*\\* \\[link\\](x)');
  });

  it('lists files changed by the main conversation and by subagents separately, relative to the project', () => {
    const body = section(
      buildResumePrompt(input({ sessions: [digest({ filesChanged: { main: [`${PROJECT}/src/cart.ts`, '/etc/hosts'], subagents: [] } })] })),
      'Files changed in the session',
    );
    expect(body).toBe(
      ['Changed by the main conversation (2):', '', '- `src/cart.ts`', '- `/etc/hosts`', '', 'Changed by subagents: none.'].join('\n'),
    );
  });

  it('fences the diff stat and keeps its summary line when capping it', () => {
    const lines = Array.from({ length: 100 }, (_, i) => ` src/file-${i}.ts | 1 +`);
    lines.push(' 100 files changed, 100 insertions(+)');
    const body = section(buildResumePrompt(input({ repo: repo({ diffStat: lines.join('\n') }) })), 'Diff stat of the stash');
    expect(body.startsWith('`git diff --stat` of the stash against HEAD:\n\n```text\n src/file-0.ts | 1 +')).toBe(true);
    expect(body).toContain(' src/file-58.ts | 1 +\n … and 41 more file(s)\n 100 files changed, 100 insertions(+)\n```');
    expect(body).not.toContain('src/file-59.ts');
  });

  it('quotes the last assistant message, trimmed to 2,000 characters', () => {
    const long = `  ${'a'.repeat(2500)}  `;
    const body = section(
      buildResumePrompt(input({ sessions: [digest({ lastAssistantMessage: { text: long, timestamp: '2026-03-02T13:57:00.000Z' } })] })),
      "Claude's last message",
    );
    expect(body).toBe(["Claude's last message (2026-03-02T13:57:00.000Z):", '', '```text', `${'a'.repeat(2000)}\n… [500 more characters not shown]`, '```'].join('\n'));
  });

  it('states which limit stopped the work, when it resets, and the message Claude Code wrote', () => {
    expect(section(buildResumePrompt(input()), 'Usage limit')).toBe(
      [
        '- Limit: 5-hour limit',
        '- Resets at: 2026-03-02T15:00:00.000Z',
        "- Claude Code reported at 2026-03-02T13:58:00.000Z: `You've hit your session limit · resets 3pm (Europe/London)`",
      ].join('\n'),
    );
    const manual = section(buildResumePrompt(input({ limit: null, sessions: [digest({ lastLimitHit: null })] })), 'Usage limit');
    expect(manual).toBe('The checkpoint was not triggered by a usage limit.');
    const unknownReset = section(buildResumePrompt(input({ limit: { windowLabel: null, resetsAt: null } })), 'Usage limit');
    expect(unknownReset).toContain('- Limit: unknown window\n- Resets at: unknown');
  });

  it('lists skipped files, uncaptured state and transcript reading problems', () => {
    const markdown = buildResumePrompt(
      input({
        repo: repo({
          skippedFiles: [{ path: `${PROJECT}/data/dump.sql`, reason: 'larger than 50 MB', bytes: 73400320 }, `${PROJECT}/vendor/repo`],
          notCaptured: ['A rebase was in progress', 'Submodule lib/ui: only its commit pointer'],
        }),
        sessions: [digest({ lines: { parsed: 10, malformed: 2, oversized: 0, unfinished: 1 } })],
      }),
    );
    expect(section(markdown, 'Not captured')).toBe(
      [
        'Files skipped by the snapshot (2):',
        '',
        '- `data/dump.sql` (larger than 50 MB, 73400320 bytes)',
        '- `vendor/repo`',
        '',
        'State not captured:',
        '',
        '- A rebase was in progress',
        '- Submodule lib/ui: only its commit pointer',
        '',
        'Ignored files (such as `.env`) are never included in a stash.',
        '',
        'Transcript reading notes:',
        '',
        `- Session \`${SESSION_ID}\`: 2 malformed transcript line(s) skipped.`,
        `- Session \`${SESSION_ID}\`: 1 transcript file(s) ended in an unfinished record.`,
      ].join('\n'),
    );
  });

  it('gives each session its own subsection when there are several', () => {
    const other = digest({ sessionId: 'second-session', originalRequest: { text: 'Write the README', timestamp: null } });
    const body = section(buildResumePrompt(input({ sessions: [digest(), other] })), 'Original request');
    expect(body).toBe(
      [
        `### Session \`${SESSION_ID}\``,
        '',
        'The user asked (2026-03-02T09:00:00.000Z):',
        '',
        '```text',
        'Add a shopping cart with a checkout page',
        '```',
        '',
        '### Session `second-session`',
        '',
        'The user asked:',
        '',
        '```text',
        'Write the README',
        '```',
      ].join('\n'),
    );
  });
});

describe('buildResumePrompt: safety', () => {
  it('redacts secrets in prompts, assistant text and task text, and counts them', () => {
    const leaky = digest({
      originalRequest: { text: `Use this key: ${ANTHROPIC_KEY}`, timestamp: null },
      recentPrompts: [{ text: `export GITHUB_TOKEN=${GITHUB_TOKEN}\nDB_PASSWORD=hunter2hunter2`, timestamp: null }],
      userPromptCount: 2,
      lastAssistantMessage: { text: `I set Authorization: Bearer ${GITHUB_TOKEN}0000 in the client.`, timestamp: null },
      pendingTasks: [{ content: `Rotate ${ANTHROPIC_KEY}`, status: 'pending', source: 'todo-write' }],
    });
    const rendered = renderResumePrompt(input({ sessions: [leaky] }));
    expect(rendered.markdown).not.toContain(ANTHROPIC_KEY.slice(8));
    expect(rendered.markdown).not.toContain(GITHUB_TOKEN.slice(4));
    expect(rendered.markdown).not.toContain('hunter2');
    expect(section(rendered.markdown, 'Original request')).toContain('Use this key: [REDACTED:anthropic-api-key]');
    expect(section(rendered.markdown, 'Latest user prompts')).toContain('export GITHUB_TOKEN=[REDACTED:github-token]\nDB_PASSWORD=[REDACTED:env-secret]');
    expect(section(rendered.markdown, "Claude's last message")).toContain('Authorization: Bearer [REDACTED:');
    expect(section(rendered.markdown, 'Pending tasks')).toContain('Rotate \\[REDACTED:anthropic-api-key\\]');
    expect(rendered.redactions).toBe(5);
    expect(rendered.markdown.trimEnd().endsWith('5 likely secret(s) were replaced with [REDACTED:…] markers.')).toBe(true);
  });

  it('states facts and never addresses orders to Claude', () => {
    const markdown = buildResumePrompt(input());
    expect(markdown).not.toMatch(/\byou (must|should|need to|will)\b/i);
    expect(markdown).not.toMatch(/\b(continue (the|with|from)|resume (the|working)|do not ask|ignore (previous|all))\b/i);
    expect(markdown).toContain('The user asked');
    expect(markdown).toContain('Pending tasks at checkpoint time');
  });

  it('stays within 24 KB for huge sessions, keeping every section', () => {
    const huge = Array.from({ length: 12 }, (_, s) =>
      digest({
        sessionId: `session-${s}`,
        originalRequest: { text: 'r'.repeat(50_000), timestamp: null },
        recentPrompts: Array.from({ length: 5 }, (_, i) => ({ text: `${i}`.repeat(10_000), timestamp: null })),
        userPromptCount: 500,
        pendingTasks: Array.from({ length: 200 }, (_, i) => ({ content: `task ${i} ${'t'.repeat(500)}`, status: 'pending', source: 'todo-write' as const })),
        filesChanged: {
          main: Array.from({ length: 300 }, (_, i) => `${PROJECT}/src/deep/${'d'.repeat(100)}/file-${i}.ts`),
          subagents: Array.from({ length: 300 }, (_, i) => `${PROJECT}/lib/file-${i}.ts`),
        },
        lastAssistantMessage: { text: 'm'.repeat(40_000), timestamp: null },
      }),
    );
    const rendered = renderResumePrompt(
      input({
        sessions: huge,
        repo: repo({
          diffStat: Array.from({ length: 5000 }, (_, i) => ` f${i} | 1 +`).join('\n'),
          skippedFiles: Array.from({ length: 500 }, (_, i) => `${PROJECT}/big-${i}.bin`),
          notCaptured: Array.from({ length: 100 }, (_, i) => `state ${i}`),
        }),
      }),
    );
    expect(rendered.bytes).toBeLessThanOrEqual(24 * 1024);
    expect(Buffer.byteLength(rendered.markdown, 'utf8')).toBe(rendered.bytes);
    expect(rendered.compactionLevel).toBeGreaterThan(0);
    expect(rendered.truncated).toBe(false);
    expect([...sections(rendered.markdown).keys()]).toEqual([...RESUME_PROMPT_SECTION_TITLES]);
    expect(rendered.markdown).toContain('more session(s) not detailed here');
    expect(section(rendered.markdown, 'Sessions')).toContain('claude --resume session-11');
  });

  it('cuts at a line and closes an open fence when even the tightest level overflows', () => {
    const rendered = renderResumePrompt(input({ maxBytes: 1500 }));
    expect(rendered.truncated).toBe(true);
    expect(rendered.bytes).toBeLessThanOrEqual(1500);
    expect(rendered.markdown.trimEnd().endsWith('[The checkpoint document was cut here to stay within its size limit.]')).toBe(true);
    const fenceLines = rendered.markdown.split('\n').filter((line) => /^```/.test(line));
    expect(fenceLines.length % 2).toBe(0);
  });
});

describe('buildResumePrompt: from a generated transcript', () => {
  it('carries the session digest through to the document', async () => {
    const projectsDir = await makeTempDir('breather-resume-');
    try {
      const main = new TranscriptBuilder({ cwd: PROJECT, gitBranch: 'feature/cart' });
      main.slashCommand('clear');
      main.prompt(`Add a cart. My key is ${ANTHROPIC_KEY}`);
      main.todoWrite([
        { content: 'Model the cart', status: 'completed', activeForm: 'Modelling the cart' },
        { content: 'Build the checkout page', status: 'in_progress', activeForm: 'Building the checkout page' },
      ]);
      main.edit(`${PROJECT}/src/cart.ts`);
      main.edit(`${PROJECT}/src/broken.ts`, { isError: true, result: 'File has not been read yet.' });
      main.tool('Read', { file_path: `${PROJECT}/src/read-only.ts` });
      main.say('Checkout page is half done.');
      main.limitHit("You've hit your session limit · resets 3pm (Europe/London)");
      const agent = subagentOf(main, 'writer1');
      agent.write(`${PROJECT}/src/cart.test.ts`, 'test("x", () => {});');
      const mainPath = await main.writeTo(path.join(projectsDir, `${main.sessionId}.jsonl`));
      await agent.writeTo(subagentTranscriptPath(projectsDir, main.sessionId, 'writer1', '2.1'));

      const sessionDigest = await readSessionDigest(await findSessionTranscriptPaths(mainPath));
      const markdown = buildResumePrompt(input({ sessions: [sessionDigest], limit: { windowLabel: 'Session (5-hour) limit', resetsAt: '2026-03-02T15:00:00.000Z' } }));

      expect(section(markdown, 'Original request')).toContain('Add a cart. My key is [REDACTED:anthropic-api-key]');
      expect(section(markdown, 'Pending tasks')).toBe(
        ['Pending tasks at checkpoint time (1 of 2 not completed):', '', '- [in progress] Build the checkout page'].join('\n'),
      );
      expect(section(markdown, 'Files changed in the session')).toBe(
        ['Changed by the main conversation (1):', '', '- `src/cart.ts`', '', 'Changed by subagents (1):', '', '- `src/cart.test.ts`'].join('\n'),
      );
      expect(section(markdown, "Claude's last message")).toContain('Checkout page is half done.');
      expect(section(markdown, 'Usage limit')).toContain("`You've hit your session limit · resets 3pm (Europe/London)`");
      expect(section(markdown, 'Sessions')).toContain(`claude --resume ${main.sessionId}`);
      expect(markdown).not.toContain(ANTHROPIC_KEY);
    } finally {
      await rm(projectsDir, { recursive: true, force: true });
    }
  });
});
