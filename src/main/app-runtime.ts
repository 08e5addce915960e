// Wires the running app together once Electron is ready: settings, the core
// service, the tray (icon drawn from the status), windows, the hotkey,
// notifications, IPC, pause marks shared with the CLI, the minute ticker,
// power events and the login item. Electron comes in as one object, so this
// is the only place besides main.ts that knows the real API.
import { existsSync, mkdirSync, watch, type FSWatcher } from 'node:fs';
import { basename, join } from 'node:path';
import type * as Electron from 'electron';
import { APP_ID } from '../core/alerts/desktop-notifier.js';
import { BreatherService } from '../core/app/breather-service.js';
import { dashboardData } from '../core/app/tray-dashboard.js';
import { checkpointNotice } from '../core/app/tray-feedback.js';
import { type TrayIconSpec, iconSizes, iconStyle, renderTrayIcon } from '../core/app/tray-icon.js';
import { resumeEverything } from '../core/app/tray-pause.js';
import { encodePng } from '../core/app/tray-png.js';
import type { CheckpointOutcome, CheckpointTrigger } from '../core/checkpoint/checkpoint-service.js';
import { checkpointsDir } from '../core/checkpoint/checkpoint-store.js';
import { unpackedPath } from '../core/integration/hook-commands.js';
import { localTimeZone } from '../core/usage/calendar.js';
import type { DashboardData } from '../shared/ipc-contract.js';
import type { Settings } from '../shared/settings.js';
import { type AppActionDeps, hotkeyNotice, invokeHandlers } from './app-actions.js';
import { openElectronSettings, type KeyValueStoreOptions, type KeyValueStorePort } from './electron-settings-store.js';
import { HotkeyController } from './hotkey.js';
import { integrationPort } from './integration-actions.js';
import { registerIpc } from './ipc.js';
import { applyLaunchAtLogin } from './login-item.js';
import type { MenuItemSpec, Rectangle, TrayPort } from './menu-types.js';
import { MinuteTicker } from './minute-ticker.js';
import { createAppNotifier } from './notifications.js';
import { popoverPosition } from './popover-position.js';
import { TrayController } from './tray-controller.js';
import { WindowManager } from './windows.js';
import { windowsWslRoots } from './wsl-roots.js';

export interface ElectronApi {
  app: Electron.App;
  BrowserWindow: typeof Electron.BrowserWindow;
  Menu: typeof Electron.Menu;
  Tray: typeof Electron.Tray;
  clipboard: Electron.Clipboard;
  dialog: Electron.Dialog;
  globalShortcut: Electron.GlobalShortcut;
  ipcMain: Electron.IpcMain;
  nativeImage: typeof Electron.nativeImage;
  powerMonitor: Electron.PowerMonitor;
  screen: Electron.Screen;
  session: typeof Electron.session;
  shell: Electron.Shell;
}

export interface StartAppOptions {
  platform: NodeJS.Platform;
  electron: ElectronApi;
  createStore: (options: KeyValueStoreOptions) => KeyValueStorePort;
  /** hook: dist/cli/breather-hook.mjs, which Claude Code runs for the statusline bridge and the hooks. */
  paths: { assets: string; preload: string; renderer: string; worker: string; hook: string };
  log: (message: string) => void;
}

export async function startApp(options: StartAppOptions): Promise<void> {
  const { electron: e, platform, log } = options;
  const { app } = e;
  app.dock?.hide();
  // No application menu (its Reload and DevTools items) on Windows and Linux.
  if (platform !== 'darwin') e.Menu.setApplicationMenu(null);
  // No page of ours needs a permission (camera, notifications, …).
  e.session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));

  const stateDir = app.getPath('userData');
  const timeZone = localTimeZone();
  const settings = openElectronSettings({ stateDir, createStore: options.createStore });
  if (settings.notice) log(settings.notice);

  const drawIcon = (spec: TrayIconSpec) => {
    const [small, large] = iconSizes(platform);
    const png = (size: number) => {
      const bitmap = renderTrayIcon(spec, size, iconStyle(platform));
      return encodePng(bitmap.rgba, bitmap.width, bitmap.height);
    };
    const image = e.nativeImage.createFromBuffer(png(small), { scaleFactor: 1 });
    image.addRepresentation({ scaleFactor: 2, buffer: png(large) });
    if (platform === 'darwin') image.setTemplateImage(true);
    return image;
  };

  const ticker = new MinuteTicker(() => void service.refresh().catch((error: Error) => log(error.message)));
  const windows = new WindowManager({
    createWindow: (windowOptions) => new e.BrowserWindow(windowOptions),
    preloadPath: options.paths.preload,
    rendererDir: options.paths.renderer,
    placePopover: (size, trayBounds) => {
      const display = trayBounds ? e.screen.getDisplayMatching(trayBounds) : e.screen.getPrimaryDisplay();
      return popoverPosition({ size, trayBounds, workArea: display.workArea, display: display.bounds });
    },
    onVisibility: (kind, visible) => {
      if (kind !== 'popover') return;
      ticker.set({ popoverVisible: visible });
      // Opening shows fresh countdowns at once.
      if (visible) void service.refresh().catch((error: Error) => log(error.message));
    },
    confirmLeave: () =>
      e.dialog.showMessageBoxSync({ type: 'question', buttons: ['Discard changes', 'Keep editing'], defaultId: 1, cancelId: 1, message: 'You have unsaved settings.', detail: 'Close the settings window and discard them?' }) === 0,
    onError: (error) => log(`window: ${error.message}`),
  });

  const iconPath = app.isPackaged ? unpackedPath(join(options.paths.assets, 'icon.png')) : join(options.paths.assets, 'icon.png');
  const notifier = createAppNotifier({
    iconPath,
    settings: () => settings.settings,
    onCheckpoint: () => void runCheckpoint('notification', false),
    onSnooze: () => void service.snooze(settings.settings.alerts.snoozeDefaultMinutes),
    onOpenDashboard: () => windows.show('popover'),
    onError: (error) => log(`notification failed: ${error.message}`),
  });
  const notify = (request: Parameters<typeof notifier.notify>[0]) => void notifier.notify(request).catch((error: Error) => log(`notification failed: ${error.message}`));

  // The details (chart, breakdown, checkpoints) cost a pass over the buckets and two file reads:
  // built only while the popover is shown (it asks for them itself when it opens).
  const pushDashboard = async () => {
    if (!windows.isVisible('popover')) return;
    const data = await dashboard().catch(() => null);
    if (data) windows.broadcast('dashboard:changed', data);
  };
  const syncPauses = async () => {
    const paused = (await service.checkpoints.pauses()).length > 0;
    tray.setPaused(paused);
    ticker.set({ titleCountdown: platform === 'darwin' && tray.model.titleHasCountdown });
  };

  // Worker threads can't load a script from inside app.asar.
  const workerScript = app.isPackaged ? unpackedPath(options.paths.worker) : options.paths.worker;
  // Explicit data roots override everything; otherwise WSL distributions add theirs (Windows).
  const wslRoots = settings.settings.dataRoots.length === 0 ? await windowsWslRoots(platform, settings.settings).catch(() => []) : [];
  const service = new BreatherService({
    stateDir,
    extraRoots: wslRoots.map((r) => r.path),
    settings: () => settings.settings,
    notifier,
    ...(existsSync(workerScript) ? { parallel: { workerScript } } : {}),
    onStatus: (status) => {
      tray.update(status);
      ticker.set({ titleCountdown: platform === 'darwin' && tray.model.titleHasCountdown });
      windows.broadcast('status:changed', status);
      void pushDashboard();
    },
    // Every checkpoint, from any trigger, ends in a notification.
    onCheckpoint: (outcome, trigger) => {
      // One the user asked for is always answered; automatic ones follow the notifications switch.
      const automatic = trigger === 'limit-hit' || trigger === 'threshold';
      if (!automatic || settings.settings.notifications.enabled) notify(checkpointNotice(outcome, trigger, outcome.record?.paused ?? false));
      void syncPauses();
      void pushDashboard();
    },
    onError: (error) => log(error.message),
  });

  async function runCheckpoint(trigger: CheckpointTrigger, pause: boolean): Promise<CheckpointOutcome> {
    try {
      return await service.checkpoint(trigger, { pause });
    } catch (error) {
      notify(checkpointNotice({ error: error as Error }, trigger, pause));
      throw error;
    }
  }

  async function dashboard(): Promise<DashboardData | null> {
    const status = service.status;
    if (!status) return null;
    return dashboardData({ status, buckets: service.engine.buckets(), checkpoints: await service.checkpoints.list(), pauses: await service.checkpoints.pauses(), timeZone });
  }

  const resume = async () => {
    const resumed = await resumeEverything(stateDir, service.monitor);
    await syncPauses();
    await pushDashboard();
    return resumed;
  };

  const launchCommand = process.env.APPIMAGE ?? process.execPath;
  const setLaunchAtLogin = async (enabled: boolean): Promise<string | null> =>
    applyLaunchAtLogin(enabled, { platform, app, command: launchCommand, appId: APP_ID });

  const tray = new TrayController({
    platform,
    createTray: (image) => new e.Tray(image as Electron.NativeImage) as unknown as TrayPort,
    drawIcon,
    buildMenu: (items) => e.Menu.buildFromTemplate(items as Electron.MenuItemConstructorOptions[] & MenuItemSpec[]),
    snoozeMinutes: () => settings.settings.alerts.snoozeDefaultMinutes,
    launchAtLogin: () => settings.settings.launchAtLogin,
    timeZone,
    actions: {
      checkpointNow: () => void runCheckpoint('menu', false).catch(() => undefined),
      pauseAndCheckpoint: () => void runCheckpoint('menu', true).catch(() => undefined),
      resume: () => void resume().catch((error: Error) => log(error.message)),
      snooze: (minutes) => void service.snooze(minutes).catch((error: Error) => log(error.message)),
      togglePopover: (bounds: Rectangle | null) => windows.togglePopover(bounds),
      openSettings: () => windows.show('settings'),
      setLaunchAtLogin: (enabled) => {
        try {
          settings.replace({ ...settings.settings, launchAtLogin: enabled });
        } catch (error) {
          log((error as Error).message);
        }
      },
      quit: () => app.quit(),
    },
  });

  const hotkey = new HotkeyController({
    globalShortcut: e.globalShortcut,
    onTrigger: () => void runCheckpoint('hotkey', false).catch(() => undefined),
    onConflict: (result) => log(result.message),
  });
  const startHotkey = hotkey.apply(settings.settings.globalHotkey);
  // Say so once at start when another app holds the hotkey: otherwise it would just do nothing.
  const startNotice = hotkeyNotice(startHotkey);
  if (startNotice) notify({ title: 'The checkpoint hotkey is not available', body: `${startNotice} Choose another in Settings.`, tag: 'breather-hotkey' });

  /** Applies what a settings change needs now; returns what could not be applied. */
  const applySettings = async (next: Settings, previous: Settings): Promise<string[]> => {
    const notices: string[] = [];
    if (next.globalHotkey !== previous.globalHotkey) {
      const notice = hotkeyNotice(hotkey.apply(next.globalHotkey));
      if (notice) notices.push(notice);
    }
    if (next.launchAtLogin !== previous.launchAtLogin) {
      const notice = await setLaunchAtLogin(next.launchAtLogin);
      if (notice) notices.push(notice);
      tray.refreshMenu();
    }
    await service.refresh().catch((error: Error) => log(error.message));
    return notices;
  };
  // Changes from the page are applied by settings:set (to answer with notices); others (the menu) here.
  let applyingFromPage = false;
  settings.onChange((next, previous) => {
    if (!applyingFromPage) void applySettings(next, previous).then((notices) => notices.forEach(log));
  });

  const actionDeps: AppActionDeps = {
    status: () => service.status,
    checkpoint: (trigger, checkpointOptions) => runCheckpoint(trigger, Boolean(checkpointOptions.pause)),
    snooze: (minutes) => service.snooze(minutes),
    settings: {
      get settings() {
        return settings.settings;
      },
      notice: settings.notice,
      path: settings.path,
      replace: (next) => {
        applyingFromPage = true;
        try {
          return settings.replace(next);
        } finally {
          applyingFromPage = false;
        }
      },
      reload: () => settings.reload(),
      onChange: (listener) => settings.onChange(listener),
    },
    hotkey: () => hotkey.result,
    showWindow: (kind) => void windows.show(kind),
    dashboard,
    resume,
    checkpoints: () => service.checkpoints.list(),
    copyText: (text) => e.clipboard.writeText(text),
    openPath: (path) => e.shell.openPath(path),
    closeWindowOf: (contentsId) => {
      const kind = windows.kindOf(contentsId);
      if (kind) windows.hide(kind);
    },
    applySettings,
    discoveredRoots: () => wslRoots.map((r) => ({ path: r.path, label: `WSL ${r.distro} (${r.user})` })),
    // Claude Code runs the hook bundle as its own process: the real file beside app.asar.
    integration: integrationPort({ stateDir, settings: () => settings.settings, hookScript: options.paths.hook, appImage: app.isPackaged ? (process.env.APPIMAGE ?? null) : null }),
    showSettingsSection: (section) => windows.showSettingsSection(section),
  };
  registerIpc({ ipcMain: e.ipcMain, isTrusted: (event) => windows.isTrusted(event), handlers: invokeHandlers(actionDeps), onRefused: (channel) => log(`refused ${channel} from a foreign sender`) });

  // The CLI's `breather pause`/`resume`/`checkpoint` change these files: follow them live (no polling).
  const watchers: FSWatcher[] = [];
  const follow = (dir: string, files: string[], onChange: () => void) => {
    try {
      mkdirSync(dir, { recursive: true });
      let timer: ReturnType<typeof setTimeout> | null = null;
      const watcher = watch(dir, (_event, name) => {
        if (name && !files.includes(String(name))) return;
        if (timer) clearTimeout(timer);
        timer = setTimeout(onChange, 100);
      });
      watcher.on('error', (error) => log(`watching ${dir}: ${error.message}`));
      watchers.push(watcher);
    } catch (error) {
      log(`cannot watch ${dir}: ${(error as Error).message}`);
    }
  };
  follow(stateDir, [basename(service.checkpoints.pausesPath)], () => void syncPauses().then(pushDashboard));
  follow(checkpointsDir(stateDir), [basename(service.checkpoints.indexPath)], () => void pushDashboard());

  // After sleep or a locked screen, countdowns and windows may have moved on.
  const reevaluate = () => void service.refresh().then(syncPauses).catch((error: Error) => log(error.message));
  e.powerMonitor.on('resume', reevaluate);
  e.powerMonitor.on('unlock-screen', reevaluate);

  app.on('second-instance', () => void windows.show('popover'));

  let stopping = false;
  app.on('will-quit', (event) => {
    hotkey.dispose();
    ticker.stop();
    for (const watcher of watchers) watcher.close();
    if (stopping) return;
    stopping = true;
    event.preventDefault();
    tray.destroy();
    service
      .stop()
      .catch((error: Error) => log(error.message))
      .finally(() => app.exit(0));
  });

  // The login item follows the setting (the user may have removed it by hand).
  if (settings.settings.launchAtLogin) void setLaunchAtLogin(true).then((notice) => notice && log(notice));
  await syncPauses();
  await service.start();
}
