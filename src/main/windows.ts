// The popover (dashboard) and settings windows. Every window is sandboxed with
// context isolation and no Node, gets only the preload bridge, and can neither
// navigate away nor open new windows. The manager also knows which
// webContents are ours, for the IPC sender check, and pushes events to them.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { EventChannel, EventMap } from '../shared/ipc-contract.js';

export type WindowKind = 'popover' | 'settings';

export interface NavigationEvent {
  preventDefault(): void;
}

export interface WebContentsPort {
  readonly id: number;
  on(event: 'will-navigate' | 'will-redirect', listener: (event: NavigationEvent, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: NavigationEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
}

export interface BrowserWindowPort {
  readonly webContents: WebContentsPort;
  loadFile(path: string): Promise<void>;
  show(): void;
  focus(): void;
  isDestroyed(): boolean;
  on(event: 'closed', listener: () => void): unknown;
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

export function windowOptions(kind: WindowKind, preloadPath: string): WindowOptions {
  const size = kind === 'popover' ? { width: 380, height: 560 } : { width: 560, height: 720 };
  return {
    ...size,
    show: false,
    title: kind === 'popover' ? 'Breather' : 'Breather settings',
    resizable: kind === 'settings',
    skipTaskbar: kind === 'popover',
    autoHideMenuBar: true,
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
  onError?: (error: Error) => void;
}

/** What an IPC event tells about its sender. */
export interface IpcSenderInfo {
  sender: { id: number };
  senderFrame?: { url: string } | null;
}

export class WindowManager {
  private readonly open = new Map<WindowKind, BrowserWindowPort>();

  constructor(private readonly deps: WindowManagerDeps) {}

  /** Shows the window of that kind, creating it on first use. */
  show(kind: WindowKind): BrowserWindowPort {
    const existing = this.open.get(kind);
    if (existing && !existing.isDestroyed()) {
      existing.show();
      existing.focus();
      return existing;
    }
    const win = this.deps.createWindow(windowOptions(kind, this.deps.preloadPath));
    lockDown(win.webContents);
    this.open.set(kind, win);
    win.on('closed', () => {
      if (this.open.get(kind) === win) this.open.delete(kind);
    });
    win
      .loadFile(join(this.deps.rendererDir, PAGES[kind]))
      .then(() => {
        if (!win.isDestroyed()) {
          win.show();
          win.focus();
        }
      })
      .catch((error: Error) => this.deps.onError?.(error));
    return win;
  }

  get(kind: WindowKind): BrowserWindowPort | null {
    const win = this.open.get(kind);
    return win && !win.isDestroyed() ? win : null;
  }

  /** Only our own windows, showing our own pages, may call main. */
  isTrusted(event: IpcSenderInfo): boolean {
    const ours = [...this.open.values()].some((win) => !win.isDestroyed() && win.webContents.id === event.sender.id);
    if (!ours) return false;
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
