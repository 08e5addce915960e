import { describe, expect, it } from 'vitest';
import { autoCheckpointFor, pauseAwareNotifier, withPausedProjects } from '../../../src/core/checkpoint/auto-checkpoint.js';
import type { NotificationRequest } from '../../../src/core/ports.js';
import { defaultSettings } from '../../../src/shared/settings.js';
import type { Alert } from '../../../src/shared/status.js';
import { statusWith } from '../../support/status-fixture.js';

const status = statusWith([], {
  now: '2026-11-27T12:00:00.000Z',
  lastLimitHit: { at: '2026-11-27T11:58:00.000Z', window: 'five_hour', resetsAt: '2026-11-27T15:00:00.000Z', text: "You've hit your session limit · resets 3pm", sessionId: 's1', cwd: '/w' },
  activeSessions: [{ sessionId: 's1', cwd: '/w', lastActivity: '2026-11-27T11:58:00.000Z' }],
});
const alert = (kind: Alert['kind'], id: string): Alert => ({ id, kind, window: 'five_hour', title: 't', body: 'b' });

describe('autoCheckpointFor', () => {
  it('checkpoints and pauses on a limit hit, keyed by session and window instance', () => {
    const decision = autoCheckpointFor(alert('limit-reached', 'five_hour:x:limit-reached'), status, defaultSettings().checkpoint);
    expect(decision).toEqual({ trigger: 'limit-hit', pause: true, autoKey: 'limit-hit:s1:five_hour:2026-11-27T15:00:00.000Z' });
  });

  it('does nothing on a limit hit when that is switched off', () => {
    const settings = { ...defaultSettings().checkpoint, autoOnLimitHit: false };
    expect(autoCheckpointFor(alert('limit-reached', 'five_hour:x:limit-reached'), status, settings)).toBeNull();
  });

  it('checkpoints on a threshold only at or above the chosen percentage', () => {
    const settings = { ...defaultSettings().checkpoint, autoOnThresholdPercent: 90 };
    expect(autoCheckpointFor(alert('threshold', 'five_hour:2026-11-27T15:00Z:threshold:75'), status, settings)).toBeNull();
    expect(autoCheckpointFor(alert('threshold', 'five_hour:2026-11-27T15:00Z:threshold:95'), status, settings)).toMatchObject({ trigger: 'threshold', pause: false });
    expect(autoCheckpointFor(alert('threshold', 'five_hour:2026-11-27T15:00Z:threshold:95'), status, defaultSettings().checkpoint)).toBeNull();
  });

  it('never checkpoints for predictive or reset alerts', () => {
    expect(autoCheckpointFor(alert('predictive', 'five_hour:x:predictive'), status, defaultSettings().checkpoint)).toBeNull();
    expect(autoCheckpointFor(alert('reset', 'five_hour:x:reset'), status, defaultSettings().checkpoint)).toBeNull();
  });
});

describe('the reset notice names paused projects', () => {
  const pauses = [{ projectDir: '/work/a', since: '2026-11-27T12:00:00Z', checkpointId: 'c', window: 'five_hour', resetsAt: null }];

  it('adds them to reset notices only', () => {
    expect(withPausedProjects({ title: 'Reset', body: 'Your window reset.', tag: 'five_hour:x:reset' }, pauses).body).toBe(
      'Your window reset.\nPaused and ready to resume: /work/a (breather resume).',
    );
    expect(withPausedProjects({ title: 'T', body: 'B', tag: 'five_hour:x:threshold:90' }, pauses).body).toBe('B');
    expect(withPausedProjects({ title: 'Reset', body: 'B', tag: 'five_hour:x:reset' }, []).body).toBe('B');
  });

  it('does so through the notifier port', async () => {
    const sent: NotificationRequest[] = [];
    const notifier = pauseAwareNotifier({ notify: async (r) => void sent.push(r) }, async () => pauses);
    await notifier.notify({ title: 'Reset', body: 'Your window reset.', tag: 'five_hour:x:reset' });
    await notifier.notify({ title: 'T', body: 'B', tag: 'five_hour:x:threshold:50' });
    expect(sent.map((r) => r.body)).toEqual(['Your window reset.\nPaused and ready to resume: /work/a (breather resume).', 'B']);
  });
});
