// The service behind the tray and `watch`: a limit hit appended to a live
// transcript checkpoints the project once, pauses it, and never again for that
// session and window, even after a restart.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BreatherService } from '../../../src/core/app/breather-service.js';
import { defaultSettings } from '../../../src/shared/settings.js';
import type { Alert } from '../../../src/shared/status.js';
import { RecordingNotifier, costLine, limitHitLine, waitFor } from '../../support/live-monitor-harness.js';
import { makeTempRepo, removeTempDirs } from '../../support/temp-repo.js';
import { fingerprintTree } from '../../support/tree-fingerprint.js';
import { appendTo, tempDir, writeTranscript } from '../../support/usage-lines.js';

afterAll(removeTempDirs);
const running: BreatherService[] = [];
afterEach(async () => {
  for (const service of running.splice(0)) await service.stop();
});

describe('BreatherService automatic checkpoints', () => {
  it('checkpoints and pauses once when a limit hit arrives, untouched files, not again after a restart', async () => {
    const repo = makeTempRepo({ files: { 'a.txt': 'one\n' } });
    repo.write('a.txt', 'two\n');
    const root = tempDir('breather-service-root-');
    const stateDir = tempDir('breather-service-state-');
    const now = Date.now();
    const transcript = writeTranscript(root, '-work-repo/session-1.jsonl', [costLine(now - 10 * 60_000, 0.5, { cwd: repo.root }).line]);
    const fingerprint = () => fingerprintTree(repo.root, [join(repo.root, '.git', 'index')]);
    const before = await fingerprint();
    const alerts: Alert[] = [];
    const finished: string[] = [];
    const start = async () => {
      const service = new BreatherService({
        stateDir,
        roots: [root],
        settings: () => defaultSettings(),
        notifier: new RecordingNotifier(),
        git: repo.runner,
        onAlert: (a) => alerts.push(a),
        // Called once the whole checkpoint is done, pause marks included.
        onCheckpoint: (outcome, trigger) => finished.push(`${trigger}:${outcome.record ? 'taken' : 'skipped'}`),
      });
      running.push(service);
      await service.start();
      return service;
    };
    const service = await start();

    const resets = new Date(now + 2 * 3_600_000);
    const label = `${resets.getUTCHours() % 12 || 12}${resets.getUTCHours() < 12 ? 'am' : 'pm'}`;
    appendTo(transcript, `${limitHitLine(now - 60_000, `You've hit your session limit · resets ${label} (UTC)`, { cwd: repo.root })}\n`);
    const records = () => service.checkpoints.list();
    await waitFor(() => finished.length > 0, 'an automatic checkpoint');
    expect(finished).toEqual(['limit-hit:taken']);
    const [record] = await records();
    expect(alerts.some((a) => a.kind === 'limit-reached')).toBe(true);
    expect(record).toMatchObject({ trigger: 'limit-hit', paused: true });
    expect(record!.projects[0]).toMatchObject({ projectDir: repo.root, status: 'stashed' });
    expect(repo.git(['stash', 'list'])).toMatch(/breather checkpoint/);
    expect((await service.checkpoints.pauses()).map((p) => p.projectDir)).toEqual([repo.root]);
    expect(await fingerprint()).toEqual(before);

    await service.stop();
    running.splice(0);
    await start();
    await new Promise((r) => setTimeout(r, 500));
    expect(await records()).toHaveLength(1);
    // The restart neither re-raised the alert nor tried another checkpoint.
    expect(finished).toEqual(['limit-hit:taken']);
    expect(readdirSync(join(stateDir, 'checkpoints')).filter((d) => !d.endsWith('.json'))).toHaveLength(1);
  });
});
