import { rm } from 'node:fs/promises';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { findSessionTranscriptPaths, readSessionDigest } from '../../../src/core/checkpoint/session-digest.js';
import {
  TranscriptBuilder,
  makeTempDir,
  subagentOf,
  subagentTranscriptPath,
} from '../../support/transcript-builder.js';

let projectDir: string;

beforeEach(async () => {
  projectDir = await makeTempDir('breather-digest-');
});

afterEach(async () => {
  await rm(projectDir, { recursive: true, force: true });
});

function sessionFile(builder: TranscriptBuilder): string {
  return path.join(projectDir, `${builder.sessionId}.jsonl`);
}

describe('readSessionDigest: envelope', () => {
  it('takes the session id from the file name, cwds in order, the last branch and the time span', async () => {
    const main = new TranscriptBuilder({ cwd: '/home/dev/app', gitBranch: 'main', start: '2026-03-02T09:00:00.000Z' });
    main.metadata('file-history-snapshot', { messageId: 'x', snapshot: { trackedFileBackups: {} } });
    main.prompt('Add a login page');
    main.say('Sure.');
    main.cwd = '/home/dev/app/web';
    main.gitBranch = 'feature/login';
    main.prompt('Now style it');
    main.metadata('summary', { summary: 'Login page', leafUuid: 'abc' });
    main.metadata('some-future-record-type', { anything: true });
    await main.writeTo(sessionFile(main));

    const digest = await readSessionDigest([sessionFile(main)]);

    expect(digest.sessionId).toBe(main.sessionId);
    expect(digest.cwds).toEqual(['/home/dev/app', '/home/dev/app/web']);
    expect(digest.gitBranch).toBe('feature/login');
    expect(digest.firstTimestamp).toBe('2026-03-02T09:00:00.000Z');
    expect(digest.lastTimestamp).toBe('2026-03-02T09:00:02.000Z');
    expect(digest.lines).toEqual({ parsed: 6, malformed: 0, oversized: 0, unfinished: 0 });
    expect(digest.unreadableFiles).toEqual([]);
  });

  it('reports an unreadable file instead of throwing', async () => {
    const missing = path.join(projectDir, 'does-not-exist.jsonl');
    const digest = await readSessionDigest([missing]);
    expect(digest.unreadableFiles).toHaveLength(1);
    expect(digest.unreadableFiles[0]?.path).toBe(missing);
    expect(digest.originalRequest).toBeNull();
    expect(digest.sessionId).toBe('does-not-exist');
  });
});

describe('readSessionDigest: user prompts', () => {
  it('skips meta text, slash commands, interrupts, tool results and compaction summaries when finding the original request', async () => {
    const main = new TranscriptBuilder();
    main.slashCommand('init');
    main.metaPrompt('Please analyze this codebase and create a CLAUDE.md file');
    main.user('<local-command-stdout>Set model to opus</local-command-stdout>');
    main.compactSummary('1. Primary Request and Intent: something older');
    main.interrupt();
    main.prompt('Refactor the billing module to use the new Money type');
    main.say('Looking at billing.');
    main.tool('Read', { file_path: '/home/dev/project/billing.ts' }, { result: 'export const x = 1;' });
    main.interrupt(true);
    main.prompt('Keep the public API unchanged');
    await main.writeTo(sessionFile(main));

    const digest = await readSessionDigest([sessionFile(main)]);

    expect(digest.originalRequest?.text).toBe('Refactor the billing module to use the new Money type');
    expect(digest.originalRequest?.timestamp).toBe(main.records[6]?.timestamp);
    expect(digest.recentPrompts.map((p) => p.text)).toEqual([
      'Refactor the billing module to use the new Money type',
      'Keep the public API unchanged',
    ]);
    expect(digest.userPromptCount).toBe(2);
    expect(digest.interruptedTurns).toBe(2);
  });

  it('keeps only the last five real prompts, oldest first, and honours recentPromptCount', async () => {
    const main = new TranscriptBuilder();
    for (let i = 1; i <= 8; i += 1) {
      main.prompt(`prompt ${i}`);
      main.say(`answer ${i}`);
    }
    await main.writeTo(sessionFile(main));

    const digest = await readSessionDigest([sessionFile(main)]);
    expect(digest.originalRequest?.text).toBe('prompt 1');
    expect(digest.recentPrompts.map((p) => p.text)).toEqual(['prompt 4', 'prompt 5', 'prompt 6', 'prompt 7', 'prompt 8']);
    expect(digest.userPromptCount).toBe(8);

    const two = await readSessionDigest([sessionFile(main)], { recentPromptCount: 2 });
    expect(two.recentPrompts.map((p) => p.text)).toEqual(['prompt 7', 'prompt 8']);
  });

  it('drops IDE attachments from a prompt and notes attached images', async () => {
    const main = new TranscriptBuilder();
    main.user([
      { type: 'text', text: '<ide_opened_file>The user opened src/a.ts in the IDE.</ide_opened_file>' },
      { type: 'text', text: 'Why does this crash?' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
    ]);
    await main.writeTo(sessionFile(main));

    const digest = await readSessionDigest([sessionFile(main)]);
    expect(digest.originalRequest?.text).toBe('Why does this crash?\n[1 image(s)]');
  });
});

describe('readSessionDigest: pending tasks', () => {
  it('uses the last TodoWrite call and leaves out completed items', async () => {
    const main = new TranscriptBuilder();
    main.prompt('Build the export feature');
    main.todoWrite([
      { content: 'Design the CSV format', status: 'in_progress', activeForm: 'Designing the CSV format' },
      { content: 'Write the exporter', status: 'pending', activeForm: 'Writing the exporter' },
    ]);
    main.todoWrite([
      { content: 'Design the CSV format', status: 'completed', activeForm: 'Designing the CSV format' },
      { content: 'Write the exporter', status: 'in_progress', activeForm: 'Writing the exporter' },
      { content: 'Add tests', status: 'pending', activeForm: 'Adding tests' },
    ]);
    await main.writeTo(sessionFile(main));

    const digest = await readSessionDigest([sessionFile(main)]);
    expect(digest.pendingTasks).toEqual([
      { content: 'Write the exporter', status: 'in_progress', activeForm: 'Writing the exporter', source: 'todo-write' },
      { content: 'Add tests', status: 'pending', activeForm: 'Adding tests', source: 'todo-write' },
    ]);
    expect(digest.completedTaskCount).toBe(1);
  });

  it('tolerates the older todo shape with priority and id, and ignores a TodoWrite that failed', async () => {
    const main = new TranscriptBuilder({ version: '1.0.40' });
    main.todoWrite([
      { id: '1', content: 'Old shape task', status: 'pending', priority: 'high' },
      { id: '2', content: 'Done already', status: 'completed', priority: 'low' },
    ]);
    main.tool('TodoWrite', { todos: [{ content: 'Never applied', status: 'pending' }] }, { result: 'InputValidationError', isError: true });
    await main.writeTo(sessionFile(main));

    const digest = await readSessionDigest([sessionFile(main)]);
    expect(digest.pendingTasks).toEqual([{ content: 'Old shape task', status: 'pending', source: 'todo-write' }]);
    expect(digest.completedTaskCount).toBe(1);
  });

  it('reconstructs the Task system from TaskCreate / TaskUpdate, mapping ids from results', async () => {
    const main = new TranscriptBuilder();
    main.prompt('Migrate the database layer');
    main.taskCreate('1', 'Inventory the queries', { description: 'List every raw SQL call' });
    main.taskCreate('2', 'Port queries to the query builder', { reportId: 'structured' });
    main.taskCreate('3', 'Remove the old driver', { reportId: 'none' });
    main.taskCreate('4', 'Scratch idea');
    main.taskUpdate('1', 'completed');
    main.taskUpdate('2', 'in_progress');
    main.taskUpdate('4', 'deleted');
    main.taskUpdate('99', 'completed'); // unknown id: ignored
    await main.writeTo(sessionFile(main));

    const digest = await readSessionDigest([sessionFile(main)]);
    expect(digest.pendingTasks).toEqual([
      { id: '2', content: 'Port queries to the query builder', status: 'in_progress', source: 'task-tool' },
      { id: '3', content: 'Remove the old driver', status: 'pending', source: 'task-tool' },
    ]);
    expect(digest.completedTaskCount).toBe(1);
  });

  it('applies Task updates made by a subagent in time order', async () => {
    const main = new TranscriptBuilder({ start: '2026-03-02T09:00:00.000Z' });
    main.taskCreate('1', 'Write the parser');
    main.taskCreate('2', 'Write the docs');
    const agent = subagentOf(main, 'a1b2c3', '2026-03-02T09:05:00.000Z');
    agent.taskUpdate('1', 'completed');
    const mainPath = await main.writeTo(sessionFile(main));
    const agentPath = await agent.writeTo(subagentTranscriptPath(projectDir, main.sessionId, 'a1b2c3', '2.1'));

    const digest = await readSessionDigest([mainPath, agentPath]);
    expect(digest.pendingTasks.map((t) => [t.id, t.content, t.status])).toEqual([['2', 'Write the docs', 'pending']]);
    expect(digest.completedTaskCount).toBe(1);
  });
});

describe('readSessionDigest: files changed', () => {
  it('lists successful Edit / Write / MultiEdit / NotebookEdit calls once, in order of first change', async () => {
    const main = new TranscriptBuilder();
    main.prompt('Fix the bug');
    main.tool('Read', { file_path: '/home/dev/project/src/read-only.ts' });
    main.tool('Grep', { pattern: 'TODO', path: '/home/dev/project/src' });
    main.tool('Glob', { pattern: '**/*.ts' });
    main.edit('/home/dev/project/src/b.ts');
    main.write('/home/dev/project/src/a.ts', 'export {};');
    main.edit('/home/dev/project/src/b.ts');
    main.edit('/home/dev/project/src/failed.ts', { isError: true, result: 'String to replace not found in file.' });
    main.edit('/home/dev/project/src/never-ran.ts', { result: null });
    main.tool('MultiEdit', { file_path: '/home/dev/project/src/c.ts', edits: [{ old_string: 'a', new_string: 'b' }] });
    main.tool('NotebookEdit', { notebook_path: '/home/dev/project/analysis.ipynb', new_source: 'print(1)' });
    main.tool('Bash', { command: 'rm -rf build' });
    await main.writeTo(sessionFile(main));

    const digest = await readSessionDigest([sessionFile(main)]);
    expect(digest.filesChanged).toEqual({
      main: [
        '/home/dev/project/src/b.ts',
        '/home/dev/project/src/a.ts',
        '/home/dev/project/src/c.ts',
        '/home/dev/project/analysis.ipynb',
      ],
      subagents: [],
    });
  });

  it('separates subagent changes: 2.1.x subagents/ folder, 2.0.x agent-*.jsonl siblings and isSidechain lines', async () => {
    const main = new TranscriptBuilder({ start: '2026-03-02T09:00:00.000Z' });
    main.prompt('Split the monolith');
    main.tool('Task', { description: 'Extract auth', prompt: 'Move auth into its own package', subagent_type: 'general-purpose' }, {
      result: 'Done: auth extracted',
      toolUseResult: { usage: { input_tokens: 999, output_tokens: 999 } },
    });
    main.edit('/home/dev/project/src/main.ts');

    // 2.1.x layout
    const newAgent = subagentOf(main, 'new1', '2026-03-02T09:01:00.000Z');
    newAgent.user('Move auth into its own package');
    newAgent.write('/home/dev/project/packages/auth/index.ts', 'export {};');
    newAgent.edit('/home/dev/project/src/main.ts');
    newAgent.say('Auth moved.');

    // 2.0.x layout: a sibling for this session and one for another session
    const oldAgent = subagentOf(main, 'old1', '2026-03-02T09:02:00.000Z');
    oldAgent.edit('/home/dev/project/packages/auth/session.ts');
    const otherSession = new TranscriptBuilder({ isSidechain: true, agentId: 'other' });
    otherSession.edit('/home/dev/project/NOT-THIS-SESSION.ts');

    // Up to 2.0.x: sidechain lines inside the session file
    main.push({
      ...main.records[0]!,
      uuid: 'sidechain-user-1',
      isSidechain: true,
      message: { role: 'user', content: 'sidechain prompt, not typed by the human' },
    });
    const inlineAgent = subagentOf(main, 'inline');
    inlineAgent.edit('/home/dev/project/src/inline-agent.ts');
    for (const line of inlineAgent.lines) main.rawLine(line);

    const mainPath = await main.writeTo(sessionFile(main));
    await newAgent.writeTo(subagentTranscriptPath(projectDir, main.sessionId, 'new1', '2.1'));
    await oldAgent.writeTo(subagentTranscriptPath(projectDir, main.sessionId, 'old1', '2.0'));
    await otherSession.writeTo(subagentTranscriptPath(projectDir, otherSession.sessionId, 'other', '2.0'));

    const paths = await findSessionTranscriptPaths(mainPath);
    expect(paths).toEqual([
      mainPath,
      path.join(projectDir, main.sessionId, 'subagents', 'agent-new1.jsonl'),
      path.join(projectDir, 'agent-old1.jsonl'),
    ]);

    const digest = await readSessionDigest(paths);
    expect(digest.filesChanged.main).toEqual(['/home/dev/project/src/main.ts']);
    expect(digest.filesChanged.subagents).toEqual([
      '/home/dev/project/src/inline-agent.ts',
      '/home/dev/project/packages/auth/index.ts',
      '/home/dev/project/src/main.ts',
      '/home/dev/project/packages/auth/session.ts',
    ]);
    expect(digest.subagentFileCount).toBe(2);
    // Subagent prompts are not the human's.
    expect(digest.recentPrompts.map((p) => p.text)).toEqual(['Split the monolith']);
    // The last assistant text comes from the main conversation only.
    expect(digest.lastAssistantMessage).toBeNull();
  });
});

describe('readSessionDigest: assistant text and limit hits', () => {
  it('keeps the last assistant text, joining the text lines of one response, and skips synthetic records', async () => {
    const main = new TranscriptBuilder();
    main.prompt('Go');
    main.say('First answer.');
    main.think('hmm');
    main.say('  Part one of the final answer.  ');
    main.tool('Bash', { command: 'npm test' }, { sameMessageAsPrevious: true });
    main.say('Part two.', { sameMessageAsPrevious: false });
    const partTwo = main.records.at(-1)!;
    main.push({ ...partTwo, uuid: 'second-line', message: { ...partTwo.message!, content: [{ type: 'text', text: 'Part three.' }] } });
    main.limitHit("You've hit your session limit · resets 3pm (Europe/London)");
    await main.writeTo(sessionFile(main));

    const digest = await readSessionDigest([sessionFile(main)]);
    expect(digest.lastAssistantMessage?.text).toBe('Part two.\n\nPart three.');
    expect(digest.lastLimitHit).toEqual({
      text: "You've hit your session limit · resets 3pm (Europe/London)",
      timestamp: main.records.at(-1)?.timestamp,
    });
  });

  it('captures the last plan-limit message, including old shapes, but not throttling errors', async () => {
    const main = new TranscriptBuilder({ version: '1.0.50' });
    main.prompt('Go');
    main.push({
      ...main.records[0]!,
      type: 'assistant',
      uuid: 'old-limit',
      timestamp: '2026-03-02T10:00:00.000Z',
      isApiErrorMessage: true,
      message: { role: 'assistant', model: '<synthetic>', content: [{ type: 'text', text: 'Claude AI usage limit reached|1751997600' }] },
    });
    main.push({
      ...main.records[0]!,
      type: 'assistant',
      uuid: 'throttle',
      timestamp: '2026-03-02T11:00:00.000Z',
      isApiErrorMessage: true,
      message: {
        role: 'assistant',
        model: '<synthetic>',
        content: [{ type: 'text', text: 'API Error: Server is temporarily limiting requests (not your usage limit)' }],
      },
    });
    await main.writeTo(sessionFile(main));

    const digest = await readSessionDigest([sessionFile(main)]);
    expect(digest.lastLimitHit).toEqual({ text: 'Claude AI usage limit reached|1751997600', timestamp: '2026-03-02T10:00:00.000Z' });
    expect(digest.lastAssistantMessage).toBeNull();
  });
});

describe('readSessionDigest: damaged and large files', () => {
  it('skips and counts a malformed line, reads a multi-MB line, and ignores an unfinished last line', async () => {
    const main = new TranscriptBuilder();
    main.prompt('Generate the fixtures');
    main.rawLine('{"type":"user","message":{"content":"trunc');
    main.rawLine('not json at all');
    main.rawLine('[1,2,3]');
    const bigContent = 'x'.repeat(3 * 1024 * 1024);
    main.write('/home/dev/project/fixtures/big.json', bigContent);
    main.prompt('Thanks, now the docs');
    const unfinished = JSON.stringify({ type: 'user', message: { role: 'user', content: 'half written prompt' } }).slice(0, 40);
    await main.writeTo(sessionFile(main), { unfinishedTail: unfinished });

    const digest = await readSessionDigest([sessionFile(main)]);
    expect(digest.lines).toEqual({ parsed: 4, malformed: 3, oversized: 0, unfinished: 1 });
    expect(digest.filesChanged.main).toEqual(['/home/dev/project/fixtures/big.json']);
    expect(digest.recentPrompts.map((p) => p.text)).toEqual(['Generate the fixtures', 'Thanks, now the docs']);
  });

  it('skips a line longer than maxLineBytes without losing the lines after it', async () => {
    const main = new TranscriptBuilder();
    main.prompt('before');
    main.write('/home/dev/project/huge.txt', 'y'.repeat(2 * 1024 * 1024));
    main.prompt('after');
    await main.writeTo(sessionFile(main));

    const digest = await readSessionDigest([sessionFile(main)], { maxLineBytes: 1024 * 1024 });
    expect(digest.lines.oversized).toBe(1);
    expect(digest.lines.unfinished).toBe(0);
    expect(digest.recentPrompts.map((p) => p.text)).toEqual(['before', 'after']);
    // The Write's tool_use line was dropped, so its result alone proves nothing.
    expect(digest.filesChanged.main).toEqual([]);
  });

  it('treats a trailing newline-less whitespace tail as nothing', async () => {
    const main = new TranscriptBuilder();
    main.prompt('only prompt');
    await main.writeTo(sessionFile(main), { unfinishedTail: '   ' });
    const digest = await readSessionDigest([sessionFile(main)]);
    expect(digest.lines.unfinished).toBe(0);
    expect(digest.originalRequest?.text).toBe('only prompt');
  });
});
