import { describe, expect, it } from 'vitest';
import { INVOKE_CHANNELS } from '../../src/shared/ipc-contract.js';
import { defaultSettings } from '../../src/shared/settings.js';
import { FOREIGN, OURS, ipcWorld } from '../support/fake-ipc.js';

const setup = () => ipcWorld();

describe('IPC handlers', () => {
  it('registers exactly the contract channels, and removes them', () => {
    const { ipcMain, dispose } = setup();
    expect([...ipcMain.handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
    dispose();
    expect(ipcMain.handlers.size).toBe(0);
  });

  it('refuses every channel from a sender that is not our window, before doing anything', async () => {
    const { ipcMain, asked, refused, settings } = setup();
    for (const channel of INVOKE_CHANNELS) {
      await expect(ipcMain.call(channel, FOREIGN, channel === 'settings:set' ? defaultSettings() : undefined)).rejects.toThrow(/refused/);
    }
    expect(refused).toEqual([...INVOKE_CHANNELS]);
    expect(asked).toEqual([]);
    expect(settings.written).toEqual([]);
  });

  it('answers our windows', async () => {
    const { ipcMain, asked, status } = setup();
    expect(await ipcMain.call('status:get', OURS)).toBe(status);
    expect(await ipcMain.call('checkpoint:now', OURS, { pause: true })).toMatchObject({ ok: false, message: 'nothing to checkpoint' });
    expect(await ipcMain.call('alerts:snooze', OURS, { minutes: 30 })).toEqual({ ok: true, until: null });
    await ipcMain.call('app:open-settings', OURS);
    expect(asked).toEqual(['checkpoint:menu:true', 'snooze:30', 'show:settings']);
    expect(await ipcMain.call('settings:get', OURS)).toEqual({ settings: defaultSettings(), path: '/state/settings.json', notices: ['The hotkey Alt+F1 is already used by another application.'] });
  });

  it('validates settings:set with the shared schema: an invalid payload is refused and nothing is written', async () => {
    const { ipcMain, settings } = setup();
    const bad = defaultSettings() as unknown as { alerts: { thresholds: { five_hour: unknown } } };
    bad.alerts.thresholds.five_hour = [50, 150];
    const answer = (await ipcMain.call('settings:set', OURS, bad)) as { ok: boolean; issues: { path: string; message: string }[] };
    expect(answer.ok).toBe(false);
    // A sentence for a person, tied to the field's path.
    expect(answer.issues).toEqual([{ path: 'alerts.thresholds.five_hour.1', message: '5-hour thresholds must be whole percentages from 1 to 100, separated by commas.' }]);
    expect(await ipcMain.call('settings:set', OURS, { version: 99 })).toMatchObject({ ok: false });
    expect(await ipcMain.call('settings:set', OURS, 'not settings')).toMatchObject({ ok: false });
    expect(settings.written).toEqual([]);
  });

  it('writes valid settings (filled in with defaults by the schema)', async () => {
    const { ipcMain, settings } = setup();
    const answer = await ipcMain.call('settings:set', OURS, { version: 1, globalHotkey: 'Alt+F9' });
    const expected = { ...defaultSettings(), globalHotkey: 'Alt+F9' };
    // What main could not apply comes back at once with the answer.
    expect(answer).toEqual({ ok: true, settings: expected, notices: ['The hotkey Alt+F9 is already used by another application.'] });
    expect(settings.written).toEqual([expected]);
  });

  it('resume, window close and a prompt that is not in the index', async () => {
    const { ipcMain, asked } = setup();
    expect(await ipcMain.call('pause:resume', OURS)).toEqual({ resumed: ['/work/shop'] });
    await ipcMain.call('window:close', OURS);
    expect(await ipcMain.call('checkpoint:open-prompt', OURS, { checkpointId: 'cp', projectDir: '/etc' })).toMatchObject({ ok: false });
    expect(asked).toEqual(['resume', 'close:1']);
  });

  it('rejects malformed payloads on the other channels', async () => {
    const { ipcMain, asked } = setup();
    await expect(ipcMain.call('alerts:snooze', OURS, { minutes: -5 })).rejects.toThrow(/alerts:snooze takes/);
    await expect(ipcMain.call('alerts:snooze', OURS, { minutes: '60' })).rejects.toThrow(/alerts:snooze takes/);
    await expect(ipcMain.call('checkpoint:now', OURS, { pause: 'yes' })).rejects.toThrow(/checkpoint:now takes/);
    await expect(ipcMain.call('checkpoint:now', OURS, { pause: true, projectDir: '/etc' })).rejects.toThrow(/checkpoint:now takes/);
    await expect(ipcMain.call('status:get', OURS, { sneaky: true })).rejects.toThrow(/no payload/);
    await expect(ipcMain.call('status:get', OURS, 1, 2)).rejects.toThrow(/one payload/);
    await expect(ipcMain.call('checkpoint:open-prompt', OURS, { checkpointId: 'x', path: '/etc/passwd' })).rejects.toThrow(/takes \{ checkpointId/);
    await expect(ipcMain.call('checkpoint:copy-restore', OURS, { checkpointId: 1, projectDir: '/p' })).rejects.toThrow(/takes \{ checkpointId/);
    expect(asked).toEqual([]);
  });
});
