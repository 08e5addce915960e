// The small pure pieces of the tray app: where the popover opens, when the
// minute ticker runs, what a checkpoint notification says, the autostart entry.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { AUTOSTART_FILE, autostartDir, autostartEntry, setLinuxAutostart } from '../../src/core/app/tray-autostart.js';
import { checkpointNotice } from '../../src/core/app/tray-feedback.js';
import type { CheckpointOutcome } from '../../src/core/checkpoint/checkpoint-service.js';
import { summarize } from '../../src/main/app-actions.js';
import { MinuteTicker, shouldTick } from '../../src/main/minute-ticker.js';
import { popoverPosition } from '../../src/main/popover-position.js';
import { makeTempDir, removeTempDirs } from '../support/temp-repo.js';

afterAll(() => removeTempDirs());

const size = { width: 400, height: 600 };
const display = { x: 0, y: 0, width: 1920, height: 1080 };

describe('popoverPosition', () => {
  it('macOS: centred under the menu-bar icon', () => {
    expect(popoverPosition({ size, display, workArea: { x: 0, y: 25, width: 1920, height: 1055 }, trayBounds: { x: 1500, y: 0, width: 24, height: 25 } })).toEqual({ x: 1312, y: 31 });
  });

  it('Windows, taskbar at the bottom: above the icon, kept inside the work area', () => {
    const workArea = { x: 0, y: 0, width: 1920, height: 1040 };
    expect(popoverPosition({ size, display, workArea, trayBounds: { x: 1700, y: 1044, width: 24, height: 32 } })).toEqual({ x: 1512, y: 1040 - 600 - 6 });
    // An icon at the far right: the popover stops at the screen edge.
    expect(popoverPosition({ size, display, workArea, trayBounds: { x: 1900, y: 1044, width: 24, height: 32 } }).x).toBe(1920 - 400 - 6);
  });

  it('Linux without icon bounds: top right of the work area, or bottom right with a bottom panel', () => {
    expect(popoverPosition({ size, display, workArea: { x: 0, y: 32, width: 1920, height: 1048 }, trayBounds: null })).toEqual({ x: 1514, y: 38 });
    expect(popoverPosition({ size, display, workArea: { x: 0, y: 0, width: 1920, height: 1040 }, trayBounds: null })).toEqual({ x: 1514, y: 434 });
  });
});

describe('MinuteTicker', () => {
  it('ticks once a minute only while a countdown is on screen', () => {
    expect(shouldTick({ titleCountdown: false, popoverVisible: false })).toBe(false);
    expect(shouldTick({ titleCountdown: true, popoverVisible: false })).toBe(true);
    vi.useFakeTimers();
    try {
      const ticks: number[] = [];
      const ticker = new MinuteTicker(() => ticks.push(Date.now()));
      vi.advanceTimersByTime(180_000);
      expect(ticks).toHaveLength(0);
      ticker.set({ popoverVisible: true });
      vi.advanceTimersByTime(150_000);
      expect(ticks).toHaveLength(2);
      ticker.set({ popoverVisible: false });
      expect(ticker.running).toBe(false);
      vi.advanceTimersByTime(600_000);
      expect(ticks).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });
});

function outcome(projects: { dir: string; status: 'stashed' | 'nothing-to-stash' | 'refused'; files?: number; refusal?: string }[], paused = false): CheckpointOutcome {
  return {
    prompts: [],
    record: {
      id: 'cp-1',
      createdAt: '2026-03-02T12:00:00Z',
      trigger: 'hotkey',
      paused,
      limit: null,
      projects: projects.map((p) => ({ projectDir: p.dir, repoRoot: p.dir, isGitRepo: true, branch: 'main', head: 'abc', status: p.status, stashSha: p.status === 'stashed' ? '0f1e2d3c4b5a69788796a5b4c3d2e1f0a1b2c3d4' : null, privateRef: null, refusal: p.refusal ?? null, promptPath: `/state/checkpoints/${p.dir.split('/').pop()}.md`, sessionIds: [], notCaptured: [], skippedFiles: [], submodules: [], changedFiles: p.files ?? 0 })),
    },
  } as unknown as CheckpointOutcome;
}

describe('checkpointNotice', () => {
  it('says what was saved, by which trigger, and where the resume prompt is', () => {
    expect(checkpointNotice(outcome([{ dir: '/w/shop', status: 'stashed', files: 3 }]), 'hotkey', false)).toEqual({
      title: 'Checkpointed shop from the hotkey',
      body: 'Saved as a stash (your files are untouched): 3 changed file(s).\nResume prompt: /state/checkpoints/shop.md',
      tag: 'breather-checkpoint',
    });
    expect(checkpointNotice(outcome([{ dir: '/w/a', status: 'nothing-to-stash' }, { dir: '/w/b', status: 'refused', refusal: 'a merge is in progress' }], true), 'limit-hit', true)).toMatchObject({
      title: 'Paused and checkpointed 2 projects automatically at the limit',
      body: expect.stringContaining('Not saved in /w/b: a merge is in progress.'),
    });
  });

  it('says the stash was made (short SHA) and that the record could not be written when the state folder refuses it', () => {
    const made = { ...outcome([{ dir: '/w/shop', status: 'stashed', files: 2 }]), storageError: 'the checkpoint record could not be added to /state/checkpoints/index.json (EACCES)' };
    const sha = made.record!.projects[0]!.stashSha!;
    const notice = checkpointNotice(made, 'hotkey', false);
    expect(notice.title).toBe('Stash made from the hotkey, record not saved');
    expect(notice.title).not.toMatch(/^Checkpointed/);
    expect(notice.body).toContain(`shop ${sha.slice(0, 7)}`);
    expect(notice.body).not.toContain(sha.slice(0, 8));
    expect(notice.body).toContain(`could not be written: ${made.storageError}.`);
    // Nothing to stash, record lost: no claim of a stash.
    const bare = checkpointNotice({ ...outcome([{ dir: '/w/shop', status: 'nothing-to-stash' }]), storageError: 'disk full' }, 'menu', false);
    expect(bare.title).toBe('Checkpoint not recorded');
    expect(bare.body).toMatch(/^No stash was needed/);
    expect(bare.body).toContain('disk full');
  });

  it('the popover summary of an unrecorded checkpoint is a failure that still names the stash', () => {
    const made = { ...outcome([{ dir: '/w/shop', status: 'stashed', files: 2 }]), storageError: 'disk full' };
    const summary = summarize(made, false);
    expect(summary.ok).toBe(false);
    expect(summary.message).toContain(made.record!.projects[0]!.stashSha!.slice(0, 7));
    expect(summary.message).toContain('could not be written: disk full');
    expect(summarize(outcome([{ dir: '/w/shop', status: 'stashed', files: 2 }]), false)).toMatchObject({ ok: true, message: 'Checkpointed 1 project (1 stashed).' });
  });

  it('says why nothing was saved', () => {
    expect(checkpointNotice({ record: null, skipped: 'No Claude Code session was active in the last 30 minutes.', prompts: [] } as unknown as CheckpointOutcome, 'menu', false)).toEqual({ title: 'Nothing to checkpoint', body: 'No Claude Code session was active in the last 30 minutes.', tag: 'breather-checkpoint' });
    expect(checkpointNotice({ error: new Error('git is not installed') }, 'hotkey', false)).toEqual({ title: 'Checkpoint failed', body: 'Nothing was saved: git is not installed', tag: 'breather-checkpoint' });
  });
});

describe('Linux autostart entry', () => {
  it('follows $XDG_CONFIG_HOME, quotes the command, and is removed when turned off', async () => {
    expect(autostartDir({ XDG_CONFIG_HOME: '/x/config' }, '/home/a')).toBe('/x/config/autostart');
    expect(autostartDir({}, '/home/a')).toBe('/home/a/.config/autostart');
    expect(autostartEntry('/opt/My Apps/Breather.AppImage')).toContain('Exec="/opt/My Apps/Breather.AppImage"\n');
    const dir = join(makeTempDir('breather-autostart-'), 'autostart');
    const path = await setLinuxAutostart(true, '/usr/bin/breather-app', { dir });
    expect(path).toBe(join(dir, AUTOSTART_FILE));
    expect(readFileSync(path, 'utf8')).toBe(autostartEntry('/usr/bin/breather-app'));
    await setLinuxAutostart(false, '/usr/bin/breather-app', { dir });
    expect(existsSync(path)).toBe(false);
    // Turning off what is already off is fine.
    await setLinuxAutostart(false, '/usr/bin/breather-app', { dir });
  });
});
