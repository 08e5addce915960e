// The tray app's composition root: the only file that touches Electron's real
// `app`. It opens the settings, starts the core service (usage engine, live
// monitor, alerts, automatic checkpoints) and connects it to the tray, the
// global hotkey, notifications, the windows and IPC.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BrowserWindow, Menu, Tray, app, globalShortcut, ipcMain, session } from 'electron';
import ElectronStore from 'electron-store';
import { BreatherService } from '../core/app/breather-service.js';
import type { CheckpointTrigger } from '../core/checkpoint/checkpoint-service.js';
import { APP_NAME } from '../core/state-dir.js';
import { checkpointSummary, invokeHandlers } from './app-actions.js';
import { openElectronSettings } from './electron-settings-store.js';
import { HotkeyController } from './hotkey.js';
import { registerIpc } from './ipc.js';
import { createAppNotifier } from './notifications.js';
import { TrayController } from './tray-controller.js';
import { WindowManager } from './windows.js';

const here = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));
const ASSETS = here('../../assets/');
const log = (message: string) => process.stderr.write(`breather: ${message}\n`);

// userData must be the state directory the CLI uses: <appData>/Breather, or $BREATHER_HOME.
app.setName(APP_NAME);
if (process.env.BREATHER_HOME) app.setPath('userData', process.env.BREATHER_HOME);

async function boot(): Promise<void> {
  app.dock?.hide();
  // No page of ours needs a permission (camera, notifications, …).
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));

  const stateDir = app.getPath('userData');
  const settings = openElectronSettings({ stateDir, createStore: (options) => new ElectronStore<Record<string, unknown>>(options) });
  if (settings.notice) log(settings.notice);

  const windows = new WindowManager({
    createWindow: (options) => new BrowserWindow(options),
    preloadPath: here('../preload/preload.cjs'),
    rendererDir: here('../renderer/'),
    onError: (error) => log(`window: ${error.message}`),
  });

  const checkpointFrom = (trigger: CheckpointTrigger, pause = false) => {
    void checkpointSummary(actionDeps, trigger, pause).then((summary) => {
      log(summary.message);
      if (summary.ok && pause) tray.setPaused(true);
    });
  };

  const notifier = createAppNotifier({
    iconPath: `${ASSETS}icon.png`,
    settings: () => settings.settings,
    onCheckpoint: () => checkpointFrom('notification'),
    onSnooze: () => void service.snooze(settings.settings.alerts.snoozeDefaultMinutes),
    onOpenDashboard: () => windows.show('popover'),
    onError: (error) => log(`notification failed: ${error.message}`),
  });

  const workerScript = here('./scan-worker.mjs');
  const service = new BreatherService({
    stateDir,
    settings: () => settings.settings,
    notifier,
    ...(existsSync(workerScript) ? { parallel: { workerScript } } : {}),
    onStatus: (status) => {
      tray.update(status);
      windows.broadcast('status:changed', status);
    },
    onError: (error) => log(error.message),
  });

  const tray = new TrayController({
    createTray: (iconPath) => new Tray(iconPath),
    buildMenu: (items) => Menu.buildFromTemplate(items),
    iconPath: `${ASSETS}trayTemplate.png`,
    snoozeMinutes: () => settings.settings.alerts.snoozeDefaultMinutes,
    actions: {
      checkpointNow: () => checkpointFrom('menu'),
      pauseAndCheckpoint: () => checkpointFrom('menu', true),
      snooze: (minutes) => void service.snooze(minutes).catch((error: Error) => log(error.message)),
      openDashboard: () => windows.show('popover'),
      openSettings: () => windows.show('settings'),
      quit: () => app.quit(),
    },
  });

  const hotkey = new HotkeyController({
    globalShortcut,
    onTrigger: () => checkpointFrom('hotkey'),
    onConflict: (result) => log(result.message),
  });
  hotkey.apply(settings.settings.globalHotkey);

  const actionDeps = {
    status: () => service.status,
    checkpoint: (trigger: CheckpointTrigger, options: { pause?: boolean }) => service.checkpoint(trigger, options),
    snooze: (minutes: number | null) => service.snooze(minutes),
    settings,
    hotkey: () => hotkey.result,
    showWindow: (kind: 'popover' | 'settings') => void windows.show(kind),
  };
  registerIpc({ ipcMain, isTrusted: (event) => windows.isTrusted(event), handlers: invokeHandlers(actionDeps), onRefused: (channel) => log(`refused ${channel} from a foreign sender`) });

  settings.onChange((next, previous) => {
    if (next.globalHotkey !== previous.globalHotkey) hotkey.apply(next.globalHotkey);
    void service.refresh();
  });

  app.on('second-instance', () => void windows.show('popover'));

  let stopping = false;
  app.on('will-quit', (event) => {
    hotkey.dispose();
    if (stopping) return;
    stopping = true;
    event.preventDefault();
    tray.destroy();
    service
      .stop()
      .catch((error: Error) => log(error.message))
      .finally(() => app.exit(0));
  });

  await service.start();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // Closing every window leaves the app in the tray.
  app.on('window-all-closed', () => {});
  app
    .whenReady()
    .then(boot)
    .catch((error: Error) => {
      log(`could not start: ${error.stack ?? error.message}`);
      app.exit(1);
    });
}
