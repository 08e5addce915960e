import { describe, expect, it } from 'vitest';
import { notifierOptions, platformSupportsActions, type DesktopNotifierOptions } from '../../../src/core/alerts/desktop-notifier.js';
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
