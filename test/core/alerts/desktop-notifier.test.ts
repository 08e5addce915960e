import { describe, expect, it } from 'vitest';
import { createDesktopNotifier, notifierOptions, notifySendArgs, platformSupportsActions, type DesktopNotifierOptions } from '../../../src/core/alerts/desktop-notifier.js';
import type { NotificationRequest } from '../../../src/core/ports.js';

const withActions: NotificationRequest = {
  title: '5-hour limit: 91% used',
  body: "You've used 91% of your 5-hour limit.",
  tag: 'five_hour:2026-11-27T15:00Z:threshold:90',
  actions: [
    { id: 'checkpoint', label: 'Checkpoint now' },
    { id: 'snooze', label: 'Snooze' },
  ],
};
const plain: NotificationRequest = { title: 'Your 5-hour window has reset', body: 'Your 5-hour limit is available in full again.', tag: 'five_hour:x:reset' };
const base: DesktopNotifierOptions = { appName: 'Breather', iconPath: '/opt/breather/icon.png' };

describe('notifierOptions', () => {
  it('linux: notify-send with the app name, icon and a stack tag, never action buttons', () => {
    for (const platform of ['linux', 'freebsd', 'openbsd'] as const) {
      const options = notifierOptions(withActions, { ...base, platform });
      expect(options).toMatchObject({ title: withActions.title, message: withActions.body, 'app-name': 'Breather', icon: '/opt/breather/icon.png' });
      expect(options.hint).toBe(`string:x-dunst-stack-tag:${withActions.tag}`);
      expect(options).not.toHaveProperty('actions');
      expect(options).not.toHaveProperty('wait');
    }
    const quiet = notifierOptions(plain, { ...base, platform: 'linux' });
    expect(quiet).toMatchObject({ 'app-name': 'Breather', urgency: 'normal' });
    expect(quiet).not.toHaveProperty('actions');
  });

  it('darwin: action labels, a dropdown and wait for the answer', () => {
    const options = notifierOptions(withActions, { ...base, platform: 'darwin' });
    expect(options).toMatchObject({
      title: withActions.title,
      message: withActions.body,
      actions: ['Checkpoint now', 'Snooze'],
      wait: true,
      group: withActions.tag,
      sound: true,
    });
  });

  it('win32: action labels, the app id, and wait for the answer', () => {
    const options = notifierOptions(withActions, { ...base, platform: 'win32', sound: false });
    expect(options).toMatchObject({ appID: 'dev.breather.app', actions: ['Checkpoint now', 'Snooze'], wait: true, id: withActions.tag, sound: false });
  });

  it('no buttons where actions are turned off or the request has none; wait only for a click handler', () => {
    for (const platform of ['darwin', 'win32'] as const) {
      const off = notifierOptions(withActions, { ...base, platform, actions: false });
      expect(off).not.toHaveProperty('actions');
      expect(off.wait).toBe(false);
      const none = notifierOptions(plain, { ...base, platform, onClick: () => {} });
      expect(none).not.toHaveProperty('actions');
      expect(none.wait).toBe(true);
    }
  });

  it('platformSupportsActions', () => {
    expect(platformSupportsActions('darwin')).toBe(true);
    expect(platformSupportsActions('win32')).toBe(true);
    expect(platformSupportsActions('linux')).toBe(false);
  });
});

describe('Linux notices with actions (notify-send --action)', () => {
  it('names every action, adds the default action when a click opens the dashboard, and waits', () => {
    expect(notifySendArgs(withActions, { ...base, platform: 'linux', onClick: () => {} })).toEqual([
      '--app-name', 'Breather', '--urgency', 'critical', '--icon', '/opt/breather/icon.png', '--hint', `string:x-dunst-stack-tag:${withActions.tag}`,
      '--action', 'checkpoint=Checkpoint now', '--action', 'snooze=Snooze', '--action', 'default=Open Breather', '--wait', '--', withActions.title, withActions.body,
    ]);
    expect(notifySendArgs(plain, { ...base, platform: 'linux' })).toBeNull();
    expect(notifySendArgs(withActions, { ...base, platform: 'linux', actions: false })).toBeNull();
    expect(notifySendArgs(withActions, { ...base, platform: 'darwin' })).toBeNull();
  });

  it('reports the action notify-send prints, and the default action as a click', async () => {
    const seen: string[] = [];
    for (const printed of ['checkpoint\n', 'snooze\n', 'default\n', '']) {
      const notifier = createDesktopNotifier({ ...base, platform: 'linux', onAction: (a) => seen.push(a), onClick: () => seen.push('click'), runNotifySend: async () => ({ code: 0, stdout: printed, stderr: '' }) });
      await notifier.notify(withActions);
      await new Promise((r) => setImmediate(r));
    }
    expect(seen).toEqual(['checkpoint', 'snooze', 'click']);
  });

  it('a notify-send that cannot do actions is reported', async () => {
    const errors: string[] = [];
    const notifier = createDesktopNotifier({ ...base, platform: 'linux', onError: (e) => errors.push(e.message), runNotifySend: async () => ({ code: -1, stdout: '', stderr: 'Actions are not supported by this notifications server. Displaying non-interactively.\n' }) });
    await notifier.notify(withActions);
    await new Promise((r) => setImmediate(r));
    expect(errors).toEqual(['notify-send --action failed (Actions are not supported by this notifications server. Displaying non-interactively.); shown without actions']);
  });

  it('a real notify-send with no notification server stops waiting at once', async () => {
    const errors: string[] = [];
    const saved = process.env.DBUS_SESSION_BUS_ADDRESS;
    process.env.DBUS_SESSION_BUS_ADDRESS = 'unix:path=/nonexistent/breather-test-bus';
    try {
      const started = Date.now();
      const notifier = createDesktopNotifier({ ...base, platform: 'linux', onError: (e) => errors.push(e.message) });
      await notifier.notify(withActions);
      await expect.poll(() => errors.length, { timeout: 10_000 }).toBeGreaterThan(0);
      expect(errors[0]).toMatch(/^notify-send --action failed/);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      if (saved === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
      else process.env.DBUS_SESSION_BUS_ADDRESS = saved;
    }
  });
});
