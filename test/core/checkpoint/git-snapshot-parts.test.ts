// The pure pieces of the snapshot, and a check that the fingerprint used by
// every snapshot test really notices the changes it is meant to rule out.
import { execFileSync } from 'node:child_process';
import { copyFileSync, renameSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fallbackIdentityEnv } from '../../../src/core/checkpoint/git-identity.js';
import { displayPath, joinNul, parseStagedEntries, splitNul } from '../../../src/core/checkpoint/git-paths.js';
import {
  branchLabel,
  checkpointRefName,
  defaultCheckpointId,
  headSummary,
  indexCommitMessage,
  stashMessage,
  untrackedCommitMessage,
} from '../../../src/core/checkpoint/git-stash-format.js';
import { decideUntracked, isNestedRepoEntry, looksLikeSecretFile } from '../../../src/core/checkpoint/git-untracked.js';
import { describeUncapturedState, type RepoStateMarker } from '../../../src/core/checkpoint/repo-state.js';
import { makeTempRepo, removeTempDirs } from '../../support/temp-repo.js';

afterAll(removeTempDirs);

describe('git-paths', () => {
  it('splits and joins NUL-separated records as raw bytes', () => {
    const records = [Buffer.from('a\nb'), Buffer.from([0xff, 0x41]), Buffer.from('c')];
    const joined = joinNul(records);
    expect(joined).toEqual(Buffer.from([0x61, 0x0a, 0x62, 0, 0xff, 0x41, 0, 0x63, 0]));
    expect(splitNul(joined)).toEqual(records);
    expect(splitNul(Buffer.alloc(0))).toEqual([]);
    expect(splitNul(Buffer.from('no-terminator'))).toEqual([Buffer.from('no-terminator')]);
  });

  it('displays UTF-8 names as text and escapes newlines and invalid bytes', () => {
    expect(displayPath(Buffer.from('café/naïve.txt'))).toBe('café/naïve.txt');
    expect(displayPath(Buffer.from('line\nbreak'))).toBe('line\\nbreak');
    expect(displayPath(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]))).toBe('caf\\xe9\\n');
  });

  it('parses ls-files -s -z output including stages and gitlinks', () => {
    const output = Buffer.concat([
      Buffer.from('100644 aaaa 1\tcon flict.txt\0'),
      Buffer.from('100644 bbbb 2\tcon flict.txt\0'),
      Buffer.from('160000 cccc 0\tlibs/sub\0'),
      Buffer.from('100755 dddd 0\ttab\there\0'),
    ]);
    expect(parseStagedEntries(output)).toEqual([
      { mode: '100644', objectId: 'aaaa', stage: 1, path: Buffer.from('con flict.txt') },
      { mode: '100644', objectId: 'bbbb', stage: 2, path: Buffer.from('con flict.txt') },
      { mode: '160000', objectId: 'cccc', stage: 0, path: Buffer.from('libs/sub') },
      { mode: '100755', objectId: 'dddd', stage: 0, path: Buffer.from('tab\there') },
    ]);
  });
});

describe('git-stash-format', () => {
  const now = new Date('2025-01-02T03:04:05.678Z');

  it('writes the messages git stash writes', () => {
    expect(branchLabel(null)).toBe('(no branch)');
    const summary = headSummary('main', 'abc1234', 'Fix the thing');
    expect(summary).toBe('main: abc1234 Fix the thing');
    expect(indexCommitMessage(summary)).toBe('index on main: abc1234 Fix the thing');
    expect(untrackedCommitMessage(headSummary(null, 'abc1234', 's'))).toBe('untracked files on (no branch): abc1234 s');
  });

  it('keeps the stash message on one line', () => {
    expect(stashMessage('main', now)).toBe('On main: breather checkpoint 2025-01-02T03:04:05.678Z');
    expect(stashMessage(null, now, '  limit\nhit \t now ')).toBe(
      'On (no branch): breather checkpoint 2025-01-02T03:04:05.678Z - limit hit now',
    );
    expect(stashMessage('main', now, ' \n ')).toBe('On main: breather checkpoint 2025-01-02T03:04:05.678Z');
  });

  it('makes ref-safe default ids and validates custom ones', () => {
    const id = defaultCheckpointId(now, '0123456789abcdef0123');
    expect(id).toBe('2025-01-02T03-04-05-678Z-0123456789ab');
    expect(checkpointRefName('refs/breather/checkpoints/', id)).toBe(`refs/breather/checkpoints/${id}`);
    for (const bad of ['', '../x', 'a/b', 'a..b', '.hidden', 'x.lock', 'sp ace', 'colon:']) {
      expect(() => checkpointRefName('refs/breather/', bad)).toThrow(TypeError);
    }
    for (const badPrefix of ['refs/breather', 'heads/x/', 'refs/../x/', 'refs//x/']) {
      expect(() => checkpointRefName(badPrefix, 'ok')).toThrow(TypeError);
    }
  });
});

describe('git-untracked', () => {
  it('skips nested repositories, files over the cap and files that vanished', () => {
    expect(isNestedRepoEntry(Buffer.from('nested/'))).toBe(true);
    expect(isNestedRepoEntry(Buffer.from('nested'))).toBe(false);
    expect(decideUntracked({ path: Buffer.from('nested/'), bytes: null }, 10)).toEqual({ include: false, reason: 'nested-repo' });
    expect(decideUntracked({ path: Buffer.from('big'), bytes: 11 }, 10)).toEqual({ include: false, reason: 'too-large' });
    expect(decideUntracked({ path: Buffer.from('cap'), bytes: 10 }, 10)).toEqual({ include: true });
    expect(decideUntracked({ path: Buffer.from('gone'), bytes: null }, 10)).toEqual({ include: false, reason: 'gone' });
  });

  it('recognizes secret-looking file names but not ordinary ones', () => {
    for (const path of ['.env', 'app/.env.local', '.env.production', 'certs/server.pem', 'id_ed25519', '.npmrc', 'gcp-credentials.json', 'secrets/', 'secret.yaml', 'service-account-prod.json', 'signing.p12']) {
      expect(looksLikeSecretFile(path), path).toBe(true);
    }
    for (const path of ['environment.ts', 'node_modules/', 'build/', 'id_rsa.pub', 'keyboard.ts', 'dist/app.js', 'monkey.txt']) {
      expect(looksLikeSecretFile(path), path).toBe(false);
    }
  });
});

describe('repo-state', () => {
  const describe_ = (...markers: RepoStateMarker[]): string[] => describeUncapturedState(new Set(markers));

  it('names each in-progress operation once', () => {
    expect(describe_()).toEqual([]);
    expect(describe_('MERGE_HEAD')).toEqual([expect.stringMatching(/^a merge is in progress \(MERGE_HEAD\)/)]);
    expect(describe_('rebase-merge')).toEqual([expect.stringMatching(/^a rebase is in progress \(rebase-merge\)/)]);
    expect(describe_('rebase-apply')).toEqual([expect.stringMatching(/^a rebase is in progress \(rebase-apply\)/)]);
    expect(describe_('rebase-apply', 'rebase-apply/applying')).toEqual([expect.stringMatching(/git am/)]);
    expect(describe_('CHERRY_PICK_HEAD', 'sequencer')).toEqual([expect.stringMatching(/^a cherry-pick/)]);
    expect(describe_('sequencer')).toEqual([expect.stringMatching(/sequence is in progress/)]);
    expect(describe_('REVERT_HEAD')).toEqual([expect.stringMatching(/^a revert/)]);
    expect(describe_('BISECT_LOG', 'index.lock')).toHaveLength(2);
  });
});

describe('git-identity', () => {
  it('fills in only the missing roles, keeping a configured half', () => {
    expect(fallbackIdentityEnv({ authorKnown: true, committerKnown: true, configuredName: '', configuredEmail: '' })).toEqual({});
    expect(fallbackIdentityEnv({ authorKnown: false, committerKnown: false, configuredName: '', configuredEmail: '' })).toEqual({
      GIT_AUTHOR_NAME: 'git stash',
      GIT_AUTHOR_EMAIL: 'git@stash',
      GIT_COMMITTER_NAME: 'git stash',
      GIT_COMMITTER_EMAIL: 'git@stash',
    });
    expect(fallbackIdentityEnv({ authorKnown: true, committerKnown: false, configuredName: 'Ada', configuredEmail: '' })).toEqual({
      GIT_COMMITTER_NAME: 'Ada',
      GIT_COMMITTER_EMAIL: 'git@stash',
    });
  });
});

describe('tree fingerprint (the yardstick of every snapshot test)', () => {
  it('notices a touched mtime, a rewritten index with the same bytes, and `git status`', async () => {
    const repo = makeTempRepo({ files: { 'a.txt': 'a\n' } });
    const index = join(repo.gitDir(), 'index');
    const start = await repo.fingerprint();

    utimesSync(repo.path('a.txt'), new Date('2001-01-01'), new Date('2001-01-01'));
    const touched = await repo.fingerprint();
    expect(touched).not.toEqual(start);

    copyFileSync(index, `${index}.copy`);
    renameSync(`${index}.copy`, index);
    const rewritten = await repo.fingerprint();
    expect(rewritten['[index] ' + index]).not.toBe(touched['[index] ' + index]);

    // The stat data no longer matches, so a plain `git status` refreshes and rewrites the index.
    execFileSync('git', ['status', '--short'], { cwd: repo.root, env: repo.env });
    expect((await repo.fingerprint())['[index] ' + index]).not.toBe(rewritten['[index] ' + index]);
  });
});
