// The popover (dashboard) and settings windows. Every window is sandboxed with
// context isolation and no Node, gets only the preload bridge, and can neither
// navigate away nor open new windows. The manager also knows which
// webContents are ours, for the IPC sender check, and pushes events to them.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { EventChannel, EventMap, SettingsSection } from '../shared/ipc-contract.js';
import type { Rectangle } from './menu-types.js';

export type WindowKind = 'popover' | 'settings';

export interface NavigationEvent {
  preventDefault(): void;
}

export interface WebContentsPort {
  readonly id: number;
  on(event: 'will-navigate' | 'will-redirect', listener: (event: NavigationEvent, url: string) => void): unknown;
  on(event: 'will-attach-webview' | 'will-prevent-unload', listener: (event: NavigationEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
}

export interface BrowserWindowPort {
  readonly webContents: WebContentsPort;
  loadFile(path: string): Promise<void>;
  show(): void;
  hide(): void;
  focus(): void;
  isVisible(): boolean;
  isDestroyed(): boolean;
  setPosition(x: number, y: number): void;
  on(event: 'closed' | 'blur' | 'show' | 'hide', listener: () => void): unknown;
}

/** The subset of BrowserWindowConstructorOptions we set (all of them security-relevant or visible). */
export interface WindowOptions {
  width: number;
  height: number;
  show: boolean;
  title: string;
  resizable: boolean;
  skipTaskbar: boolean;
  autoHideMenuBar: boolean;
  /** The popover: no frame, no title bar; it lives by the tray icon. */
  frame: boolean;
  alwaysOnTop: boolean;
  fullscreenable: boolean;
  minimizable: boolean;
  maximizable: boolean;
  webPreferences: {
    preload: string;
    contextIsolation: true;
    sandbox: true;
    nodeIntegration: false;
    nodeIntegrationInWorker: false;
    webSecurity: true;
    allowRunningInsecureContent: false;
    webviewTag: false;
    spellcheck: false;
  };
}

export const PAGES: Record<WindowKind, string> = { popover: 'popover.html', settings: 'settings.html' };

/** The fixed sizes the pages are designed (and tested) for. */
export const WINDOW_SIZES: Record<WindowKind, { width: number; height: number }> = {
  popover: { width: 400, height: 600 },
  settings: { width: 600, height: 720 },
};

export function windowOptions(kind: WindowKind, preloadPath: string): WindowOptions {
  const popover = kind === 'popover';
  return {
    ...WINDOW_SIZES[kind],
    show: false,
    title: popover ? 'Breather' : 'Breather settings',
    resizable: !popover,
    skipTaskbar: popover,
    autoHideMenuBar: true,
    frame: !popover,
    alwaysOnTop: popover,
    fullscreenable: false,
    minimizable: !popover,
    maximizable: !popover,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  };
}

/** Denies navigation, redirects, webviews and new windows on a window's contents. */
export function lockDown(contents: WebContentsPort): void {
  const deny = (event: NavigationEvent) => event.preventDefault();
  contents.on('will-navigate', deny);
  contents.on('will-redirect', deny);
  contents.on('will-attach-webview', deny);
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

export interface WindowManagerDeps {
  createWindow(options: WindowOptions): BrowserWindowPort;
  preloadPath: string;
  /** The folder with the built pages (dist/renderer). */
  rendererDir: string;
  /** Where the popover goes when shown (by the tray icon); none: where the window system puts it. */
  placePopover?: (size: { width: number; height: number }, trayBounds: Rectangle | null) => { x: number; y: number };
  /** The settings page has unsaved edits and the window is closing: true lets it close. */
  confirmLeave?: () => boolean;
  /** Visibility changes (the minute ticker runs only while the popover is shown). */
  onVisibility?: (kind: WindowKind, visible: boolean) => void;
  onError?: (error: Error) => void;
}

/** After a blur hides the popover, a click on the tray icon within this time must not reopen it. */
const REOPEN_GUARD_MS = 250;

/** What an IPC event tells about its sender. */
export interface IpcSenderInfo {
  sender: { id: number };
  senderFrame?: { url: string } | null;
}

export class WindowManager {
  private readonly open = new Map<WindowKind, BrowserWindowPort>();
  /** Settles when the window's page has loaded (its scripts listen from then on). */
  private readonly loaded = new Map<BrowserWindowPort, Promise<void>>();
  private popoverHiddenAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly deps: WindowManagerDeps,
    private readonly now: () => number = Date.now,
  ) {}

  /** The tray click: shows the popover by the icon, or hides it when it is showing. */
  togglePopover(trayBounds: Rectangle | null): void {
    const win = this.get('popover');
    if (win?.isVisible()) {
      win.hide();
      return;
    }
    // The click that blurred (and so hid) the popover arrives after the blur: don't reopen.
    if (this.now() - this.popoverHiddenAt < REOPEN_GUARD_MS) return;
    this.show('popover', trayBounds);
  }

  hide(kind: WindowKind): void {
    this.get(kind)?.hide();
  }

  /** The kind of one of our windows, by its webContents id. */
  kindOf(contentsId: number): WindowKind | null {
    for (const [kind, win] of this.open) if (!win.isDestroyed() && win.webContents.id === contentsId) return kind;
    return null;
  }

  isVisible(kind: WindowKind): boolean {
    return this.get(kind)?.isVisible() ?? false;
  }

  private place(kind: WindowKind, win: BrowserWindowPort, trayBounds: Rectangle | null): void {
    if (kind !== 'popover' || !this.deps.placePopover) return;
    const { x, y } = this.deps.placePopover(WINDOW_SIZES.popover, trayBounds);
    win.setPosition(x, y);
  }

  /** Shows the window of that kind, creating it on first use. */
  show(kind: WindowKind, trayBounds: Rectangle | null = null): BrowserWindowPort {
    const existing = this.open.get(kind);
    if (existing && !existing.isDestroyed()) {
      this.place(kind, existing, trayBounds);
      existing.show();
      existing.focus();
      return existing;
    }
    const win = this.deps.createWindow(windowOptions(kind, this.deps.preloadPath));
    lockDown(win.webContents);
    this.open.set(kind, win);
    win.on('closed', () => {
      this.loaded.delete(win);
      if (this.open.get(kind) === win) this.open.delete(kind);
      this.deps.onVisibility?.(kind, false);
    });
    win.on('show', () => this.deps.onVisibility?.(kind, true));
    win.on('hide', () => {
      if (kind === 'popover') this.popoverHiddenAt = this.now();
      this.deps.onVisibility?.(kind, false);
    });
    // The settings page blocks unloading while it has unsaved edits: ask before dropping them.
    if (kind === 'settings' && this.deps.confirmLeave) {
      const confirmLeave = this.deps.confirmLeave;
      win.webContents.on('will-prevent-unload', (event) => {
        if (confirmLeave()) event.preventDefault();
      });
    }
    // A popover goes away when the user looks elsewhere.
    if (kind === 'popover') win.on('blur', () => !win.isDestroyed() && win.hide());
    this.place(kind, win, trayBounds);
    const loading = win
      .loadFile(join(this.deps.rendererDir, PAGES[kind]))
      .then(() => {
        if (!win.isDestroyed()) {
          win.show();
          win.focus();
        }
      })
      .catch((error: Error) => this.deps.onError?.(error));
    this.loaded.set(win, loading);
    return win;
  }

  /** Shows the Settings window at one section: told once its page listens (at once when already open). */
  showSettingsSection(section: SettingsSection): void {
    const win = this.show('settings');
    void (this.loaded.get(win) ?? Promise.resolve()).then(() => {
      if (!win.isDestroyed() && !win.webContents.isDestroyed()) win.webContents.send('settings:show-section', section);
    });
  }

  get(kind: WindowKind): BrowserWindowPort | null {
    const win = this.open.get(kind);
    return win && !win.isDestroyed() ? win : null;
  }

  /** Only our own windows, showing our own pages, may call main. */
  isTrusted(event: IpcSenderInfo): boolean {
    if (this.kindOf(event.sender.id) === null) return false;
    if (!event.senderFrame) return true;
    const base = pathToFileURL(this.deps.rendererDir).href.replace(/\/?$/, '/');
    return event.senderFrame.url.startsWith(base);
  }

  broadcast<E extends EventChannel>(channel: E, payload: EventMap[E]): void {
    for (const win of this.open.values()) {
      if (!win.isDestroyed() && !win.webContents.isDestroyed()) win.webContents.send(channel, payload);
    }
  }
}
