import { rm } from 'node:fs/promises';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import {
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
    timeZone: 'UTC',
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

const SESSION_HEADING = `Session \`${SESSION_ID}\``;

describe('buildResumePrompt: layout', () => {
  it('opens with a title and a plain summary paragraph, then one section per session', () => {
    const markdown = buildResumePrompt(input());
    expect(markdown.startsWith('# Checkpoint of shop\n\nClaude Code was working on "Add a shopping cart with a checkout page"')).toBe(true);
    expect([...sections(markdown).keys()]).toEqual(['Project', 'How to restore the files', 'Usage limit', SESSION_HEADING, 'Diff stat of the stash', 'Not captured']);
    expect(markdown).toContain('Secrets are redacted, best effort.');
  });

  it('states the project, branch, HEAD and checkpoint time in the local zone with its offset', () => {
    expect(section(buildResumePrompt(input()), 'Project')).toBe(
      ['- Project directory: `/home/dev/shop`', '- Branch: `feature/cart`', `- HEAD: \`${HEAD}\``, '- Checkpoint taken at: 2026-03-02 13:58 (UTC+00:00)'].join('\n'),
    );
    const newYork = buildResumePrompt(input({ timeZone: 'America/New_York' }));
    expect(section(newYork, 'Project')).toContain('- Checkpoint taken at: 2026-03-02 08:58 (UTC\u221205:00)');
    expect(section(newYork, SESSION_HEADING)).toContain('Active 2026-03-02 04:00 (UTC\u221205:00) → 2026-03-02 08:58 (UTC\u221205:00)');
    expect(newYork).not.toMatch(/\d{2}:\d{2}:\d{2}\.\d{3}Z/);
  });

  it('is deterministic', () => {
    expect(buildResumePrompt(input())).toBe(buildResumePrompt(input()));
  });

  it('says what was being done, what is pending and where it stopped, in one paragraph', () => {
    const paragraph = buildResumePrompt(input()).split('\n')[2]!;
    expect(paragraph).toContain(`session \`${SESSION_ID}\``);
    expect(paragraph).toContain('Still pending: Wire the checkout button (in progress); Write cart tests.');
    expect(paragraph).toContain("The work stopped at 2026-03-02 13:58 (UTC+00:00) when Claude Code reported \"You've hit your session limit · resets 3pm (Europe/London)\", right after the user wrote \"Use Stripe for payments\".");
    expect(paragraph).toContain('3 file(s) were changed: src/cart.ts, src/checkout.ts, src/cart.test.ts.');
  });

  it('says once that no session was found', () => {
    const markdown = buildResumePrompt(input({ sessions: [], limit: null }));
    expect(markdown.match(/No Claude Code session/g)).toHaveLength(1);
    expect([...sections(markdown).keys()]).not.toContain('Sessions');
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
  it('gives each session one section, newest first, with its facts and resume command', () => {
    const older = digest({ sessionId: 'b2c3d4e5-0000-4000-8000-000000000002', gitBranch: null, subagentFileCount: 0, cwds: [PROJECT, '/home/dev/shop/web'], lastTimestamp: '2026-03-02T11:00:00.000Z' });
    const markdown = buildResumePrompt(input({ sessions: [older, digest()] }));
    const keys = [...sections(markdown).keys()];
    expect(keys.indexOf(SESSION_HEADING)).toBeLessThan(keys.indexOf('Session `b2c3d4e5-0000-4000-8000-000000000002`'));
    const body = section(markdown, SESSION_HEADING);
    expect(body).toContain('- Active 2026-03-02 09:00 (UTC+00:00) → 2026-03-02 13:58 (UTC+00:00); branch `feature/cart`; 1 subagent transcript(s).');
    expect(body).toContain(`- Resume it with \`claude --resume ${SESSION_ID}\` from the project directory.`);
    expect(section(markdown, 'Session `b2c3d4e5-0000-4000-8000-000000000002`')).toContain('also worked in `/home/dev/shop/web`');
    expect(markdown.match(/^First request/gm)).toHaveLength(2);
  });

  it('quotes the first request in a fence longer than any backtick run inside it', () => {
    const text = 'Fix this:\n```ts\nconst a = `x`;\n```\nand ````nested```` fences';
    const body = section(buildResumePrompt(input({ sessions: [digest({ originalRequest: { text, timestamp: '2026-03-02T09:00:00.000Z' } })] })), SESSION_HEADING);
    expect(body).toContain(['First request (2026-03-02 09:00 (UTC+00:00)):', '', '`````text', text, '`````'].join('\n'));
  });

  it('shows later prompts oldest first without repeating the first request, plus interruptions', () => {
    const prompts = [3, 4, 5, 6, 7].map((n) => ({ text: `prompt ${n}`, timestamp: `2026-03-02T1${n - 3}:00:00.000Z` }));
    const body = section(buildResumePrompt(input({ sessions: [digest({ recentPrompts: prompts, userPromptCount: 7, interruptedTurns: 2 })] })), SESSION_HEADING);
    expect(body).toContain('Latest prompts, oldest first (1 earlier not shown):');
    expect(body).toContain(['2026-03-02 10:00 (UTC+00:00):', '', '```text', 'prompt 3', '```'].join('\n'));
    expect(body.indexOf('prompt 3')).toBeLessThan(body.indexOf('prompt 7'));
    expect(body).toContain('The user interrupted 2 turn(s).');
    const onlyOriginal = section(buildResumePrompt(input({ sessions: [digest({ recentPrompts: [digest().originalRequest!], userPromptCount: 1 })] })), SESSION_HEADING);
    expect(onlyOriginal).not.toContain('Latest prompts');
  });

  it('lists pending tasks with their status and caps a long list', () => {
    const body = section(buildResumePrompt(input()), SESSION_HEADING);
    expect(body).toContain(['Pending tasks (2 of 5 not completed):', '', '- [in progress] Wire the checkout button', '- [pending] Write cart tests'].join('\n'));
    const many = Array.from({ length: 45 }, (_, i) => ({ id: String(i + 1), content: `Task ${i + 1}`, status: 'pending', source: 'task-tool' as const }));
    const capped = section(buildResumePrompt(input({ sessions: [digest({ pendingTasks: many, completedTaskCount: 0 })], maxBytes: 64 * 1024 })), SESSION_HEADING);
    expect(capped).toContain('- [pending] #40 Task 40');
    expect(capped).not.toContain('Task 41');
    expect(capped).toContain('- … and 5 more');
    const none = section(buildResumePrompt(input({ sessions: [digest({ pendingTasks: [], completedTaskCount: 4 })] })), SESSION_HEADING);
    expect(none).toContain('No pending tasks (4 completed).');
  });

  it('escapes Markdown in task text', () => {
    const task = { content: 'Fix <script> in **bold** [link](x)', status: 'pending', source: 'todo-write' as const };
    const body = section(buildResumePrompt(input({ sessions: [digest({ pendingTasks: [task] })] })), SESSION_HEADING);
    expect(body).toContain('- [pending] Fix \\<script\\> in \\*\\*bold\\*\\* \\[link\\](x)');
  });

  it('lists files changed by the conversation and by subagents separately, relative to the project', () => {
    const body = section(buildResumePrompt(input({ sessions: [digest({ filesChanged: { main: [`${PROJECT}/src/cart.ts`, '/etc/hosts'], subagents: [] } })] })), SESSION_HEADING);
    expect(body).toContain(['Files changed by the conversation (2):', '', '- `src/cart.ts`', '- `/etc/hosts`'].join('\n'));
    expect(body).not.toContain('Files changed by subagents');
  });

  it('fences the diff stat and keeps its summary line when capping it', () => {
    const lines = Array.from({ length: 100 }, (_, i) => ` src/file-${i}.ts | 1 +`);
    lines.push(' 100 files changed, 100 insertions(+)');
    const body = section(buildResumePrompt(input({ repo: repo({ diffStat: lines.join('\n') }), maxBytes: 64 * 1024 })), 'Diff stat of the stash');
    expect(body.startsWith('`git diff --stat` of the stash against HEAD:\n\n```text\n src/file-0.ts | 1 +')).toBe(true);
    expect(body).toContain(' src/file-58.ts | 1 +\n … and 41 more file(s)\n 100 files changed, 100 insertions(+)\n```');
    expect(body).not.toContain('src/file-59.ts');
  });

  it('quotes the last assistant message, trimmed to 2,000 characters when the budget allows', () => {
    const long = `  ${'a'.repeat(2500)}  `;
    const body = section(
      buildResumePrompt(input({ sessions: [digest({ lastAssistantMessage: { text: long, timestamp: '2026-03-02T13:57:00.000Z' } })], maxBytes: 64 * 1024 })),
      SESSION_HEADING,
    );
    expect(body).toContain(["Claude's last message (2026-03-02 13:57 (UTC+00:00)):", '', '```text', `${'a'.repeat(2000)}\n… [500 more characters not shown]`, '```'].join('\n'));
  });

  it('states which limit stopped the work, when it resets, and the message Claude Code wrote', () => {
    expect(section(buildResumePrompt(input()), 'Usage limit')).toBe(
      [
        '- Limit: 5-hour limit',
        '- Resets at: 2026-03-02 15:00 (UTC+00:00)',
        "- Claude Code reported at 2026-03-02 13:58 (UTC+00:00): `You've hit your session limit · resets 3pm (Europe/London)`",
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
    const body = section(rendered.markdown, SESSION_HEADING);
    expect(body).toContain('Use this key: [REDACTED:anthropic-api-key]');
    expect(body).toContain('export GITHUB_TOKEN=[REDACTED:github-token]\nDB_PASSWORD=[REDACTED:env-secret]');
    expect(body).toContain('Authorization: Bearer [REDACTED:');
    expect(body).toContain('Rotate \\[REDACTED:anthropic-api-key\\]');
    expect(rendered.redactions).toBeGreaterThanOrEqual(5);
    expect(rendered.markdown.trimEnd()).toMatch(/\d+ likely secret\(s\) were replaced with \[REDACTED:…\] markers\.$/);
  });

  it('states facts and never addresses orders to Claude', () => {
    const markdown = buildResumePrompt(input());
    expect(markdown).not.toMatch(/\byou (must|should|need to|will)\b/i);
    expect(markdown).not.toMatch(/\b(continue (the|with|from)|resume (the|working)|do not ask|ignore (previous|all))\b/i);
    expect(markdown).toContain('Claude Code was working on');
    expect(markdown).toContain('Pending tasks (');
  });

  it('fits the 6 KB default with three long sessions: the newest in full, the oldest summarised', () => {
    const long = (n: number, hour: number) =>
      digest({
        sessionId: `session-${n}`,
        firstTimestamp: `2026-03-02T0${hour}:00:00.000Z`,
        lastTimestamp: `2026-03-02T0${hour}:50:00.000Z`,
        originalRequest: { text: `request ${n} ${'r'.repeat(5000)}`, timestamp: `2026-03-02T0${hour}:00:00.000Z` },
        recentPrompts: Array.from({ length: 5 }, (_, i) => ({ text: `prompt ${n}.${i} ${'p'.repeat(3000)}`, timestamp: `2026-03-02T0${hour}:${10 + i}:00.000Z` })),
        userPromptCount: 40,
        pendingTasks: [
          { content: `newest todo of session ${n}`, status: 'in_progress', source: 'todo-write' as const },
          ...Array.from({ length: 30 }, (_, i) => ({ content: `task ${n}.${i} ${'t'.repeat(200)}`, status: 'pending', source: 'todo-write' as const })),
        ],
        filesChanged: { main: Array.from({ length: 60 }, (_, i) => `${PROJECT}/src/s${n}/file-${i}.ts`), subagents: [] },
        lastAssistantMessage: { text: 'm'.repeat(8000), timestamp: `2026-03-02T0${hour}:50:00.000Z` },
      });
    const rendered = renderResumePrompt(input({ sessions: [long(1, 1), long(2, 3), long(3, 5)] }));
    expect(rendered.bytes).toBeLessThanOrEqual(6 * 1024);
    expect(rendered.truncated).toBe(false);
    const keys = [...sections(rendered.markdown).keys()];
    expect(keys.filter((key) => key.startsWith('Session '))).toEqual(['Session `session-3`', 'Session `session-2` (summarised)', 'Session `session-1` (summarised)']);
    const newest = section(rendered.markdown, 'Session `session-3`');
    expect(newest).toContain('prompt 3.4');
    expect(newest).toContain('newest todo of session 3');
    expect(newest).toContain('src/s3/file-0.ts');
    expect(section(rendered.markdown, 'Session `session-1` (summarised)')).toContain('claude --resume session-1');
    expect(rendered.markdown.split('\n')[2]).toContain('Still pending: newest todo of session 3 (in progress)');
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
      const body = section(markdown, `Session \`${main.sessionId}\``);
      expect(body).toContain('Add a cart. My key is [REDACTED:anthropic-api-key]');
      expect(body).toContain(['Pending tasks (1 of 2 not completed):', '', '- [in progress] Build the checkout page'].join('\n'));
      expect(body).toContain(['Files changed by the conversation (1):', '', '- `src/cart.ts`', '', 'Files changed by subagents (1):', '', '- `src/cart.test.ts`'].join('\n'));
      expect(body).toContain('Checkout page is half done.');
      expect(body).toContain(`claude --resume ${main.sessionId}`);
      expect(section(markdown, 'Usage limit')).toContain("`You've hit your session limit · resets 3pm (Europe/London)`");
      expect(markdown).not.toContain(ANTHROPIC_KEY);
    } finally {
      await rm(projectsDir, { recursive: true, force: true });
    }
  });
});
