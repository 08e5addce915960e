// The tray app's composition root: the only file that touches Electron's real
// `app`. It fixes the state folder, opens the settings, starts the core
// service (usage engine, live monitor, alerts, automatic checkpoints) and
// connects it to the tray, the hotkey, notifications, the windows and IPC.
import { fileURLToPath } from 'node:url';
import { BrowserWindow, Menu, Tray, app, clipboard, dialog, globalShortcut, ipcMain, nativeImage, powerMonitor, screen, session, shell } from 'electron';
import ElectronStore from 'electron-store';
import { APP_ID } from '../core/alerts/desktop-notifier.js';
import { APP_NAME, resolveStateDir } from '../core/state-dir.js';
import { startApp } from './app-runtime.js';

const here = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));
const log = (message: string) => process.stderr.write(`breather: ${message}\n`);

// Before anything reads it: userData is the CLI's state folder (<appData>/Breather,
// or $BREATHER_HOME). Electron derives it from package.json's name otherwise.
app.setName(APP_NAME);
app.setPath('userData', resolveStateDir());
// Toasts and the taskbar group belong to the Start-menu shortcut with this id.
if (process.platform === 'win32') app.setAppUserModelId(APP_ID);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // Closing every window leaves the app in the tray.
  app.on('window-all-closed', () => {});
  app
    .whenReady()
    .then(() =>
      startApp({
        platform: process.platform,
        electron: { app, BrowserWindow, Menu, Tray, clipboard, dialog, globalShortcut, ipcMain, nativeImage, powerMonitor, screen, session, shell },
        createStore: (options) => new ElectronStore<Record<string, unknown>>(options),
        paths: { assets: here('../../assets/'), preload: here('../preload/preload.cjs'), renderer: here('../renderer/'), worker: here('./scan-worker.mjs'), hook: here('../cli/breather-hook.mjs') },
        log,
      }),
    )
    .catch((error: Error) => {
      log(`could not start: ${error.stack ?? error.message}`);
      app.exit(1);
    });
}
