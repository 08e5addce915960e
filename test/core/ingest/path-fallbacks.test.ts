import { posix, win32 } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pathFallbacks } from '../../../src/core/ingest/file-scan.js';

// Transcript paths as discovery gives them: absolute, inside a root's projects folder.
const POSIX_PATHS = [
  '/home/dev/.claude/projects/-home-dev-code-app/0f79f62d-3b0a-47ab-97fd-859f8f660a4a.jsonl',
  '/home/dev/.claude/projects/-home-dev-code-app/0f79f62d/subagents/agent-a1b2.jsonl',
  '/home/dev/.claude/projects/-home-dev-code-app//double-slash.jsonl',
  '/srv/claude/projects/proj/.jsonl',
  '/srv/claude/projects/proj/name.jsonl.jsonl',
  '/srv/claude/projects/proj/no-extension',
  '/srv/claude/projects/prøj ünïcode/sess ion.jsonl',
  '/srv/claude/projects/back\\slash/on-posix.jsonl',
  '/c.jsonl',
];
const WINDOWS_PATHS = [
  'C:\\Users\\dev\\.claude\\projects\\C--Users-dev-app\\5d1c.jsonl',
  'C:\\Users\\dev\\.claude\\projects\\C--Users-dev-app\\5d1c\\subagents\\agent-1.jsonl',
  'C:/Users/dev/.claude/projects/mixed\\separators.jsonl',
  '\\\\wsl.localhost\\Ubuntu\\home\\dev\\.claude\\projects\\-home-dev-app\\s.jsonl',
  'D:\\claude\\projects\\proj\\\\double.jsonl',
];

describe('pathFallbacks (the session and project a transcript path names)', () => {
  it('says what basename(path, ".jsonl") and basename(dirname(path)) say, on POSIX', () => {
    for (const path of POSIX_PATHS) {
      expect(pathFallbacks(path, false), path).toEqual({ session: posix.basename(path, '.jsonl'), project: posix.basename(posix.dirname(path)) });
    }
  });

  it('and on Windows, where either slash separates', () => {
    for (const path of WINDOWS_PATHS) {
      expect(pathFallbacks(path, true), path).toEqual({ session: win32.basename(path, '.jsonl'), project: win32.basename(win32.dirname(path)) });
    }
  });
});
