// A recording fake of the `electron` module for loading the built main bundle
// in plain Node: it records what main creates and registers (tray, menus,
// shortcuts, IPC handlers, windows) and lets a test fire app events.
import Module from 'node:module';

type Listener = (...args: any[]) => unknown;

class Emitter {
  readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: Listener): this {
    return this.on(event, listener);
  }
  removeListener(event: string, listener: Listener): this {
    this.listeners.set(event, (this.listeners.get(event) ?? []).filter((l) => l !== listener));
    return this;
  }
  emit(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) listener(...args);
  }
}

export interface FakeMenu {
  items: FakeMenuItem[];
}
export interface FakeMenuItem {
  id?: string;
  label?: string;
  type?: string;
  enabled?: boolean;
  checked?: boolean;
  click?: () => void;
  submenu?: FakeMenuItem[];
}

/** A nativeImage made from PNG buffers, one per scale factor. */
export class FakeImage {
  readonly representations: { scaleFactor: number; buffer: Buffer }[] = [];
  template = false;
  constructor(buffer?: Buffer, scaleFactor = 1) {
    if (buffer) this.representations.push({ scaleFactor, buffer });
  }
  addRepresentation(options: { scaleFactor: number; buffer: Buffer }): void {
    this.representations.push({ scaleFactor: options.scaleFactor, buffer: options.buffer });
  }
  setTemplateImage(template: boolean): void {
    this.template = template;
  }
}

export class FakeTray extends Emitter {
  toolTip = '';
  title = '';
  menu: FakeMenu | null = null;
  destroyed = false;
  images: unknown[] = [];
  popups: FakeMenu[] = [];
  bounds = { x: 1200, y: 0, width: 22, height: 22 };
  constructor(readonly image: unknown) {
    super();
    this.images.push(image);
    fake.trays.push(this);
  }
  setImage(image: unknown): void {
    this.images.push(image);
  }
  popUpContextMenu(menu?: FakeMenu): void {
    if (menu) this.popups.push(menu);
  }
  getBounds() {
    return this.bounds;
  }
  setToolTip(text: string): void {
    this.toolTip = text;
  }
  setTitle(text: string): void {
    this.title = text;
  }
  setContextMenu(menu: FakeMenu | null): void {
    this.menu = menu;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

let nextContentsId = 100;

export class FakeWebContents extends Emitter {
  readonly id = nextContentsId++;
  readonly sent: { channel: string; args: unknown[] }[] = [];
  openHandler: ((details: { url: string }) => { action: string }) | null = null;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.openHandler = handler;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  isDestroyed(): boolean {
    return false;
  }
}

export class FakeBrowserWindow extends Emitter {
  readonly webContents = new FakeWebContents();
  loaded: string | null = null;
  shown = false;
  position: [number, number] | null = null;
  constructor(readonly options: Record<string, any>) {
    super();
    fake.windows.push(this);
  }
  async loadFile(path: string): Promise<void> {
    this.loaded = path;
  }
  show(): void {
    this.shown = true;
    this.emit('show');
  }
  hide(): void {
    this.shown = false;
    this.emit('hide');
  }
  isVisible(): boolean {
    return this.shown;
  }
  setPosition(x: number, y: number): void {
    this.position = [x, y];
  }
  focus(): void {}
  isDestroyed(): boolean {
    return false;
  }
}

function createFake() {
  const paths = new Map<string, string>();
  let resolveReady!: () => void;
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));
  const app = Object.assign(new Emitter(), {
    name: 'electron',
    exitCode: null as number | null,
    quitCalls: 0,
    isPackaged: false,
    appUserModelId: null as string | null,
    loginItems: [] as Record<string, unknown>[],
    setAppUserModelId(id: string) {
      app.appUserModelId = id;
    },
    setLoginItemSettings(settings: Record<string, unknown>) {
      app.loginItems.push(settings);
    },
    setName(name: string) {
      app.name = name;
    },
    getName: () => app.name,
    getVersion: () => '0.1.0',
    setPath(name: string, value: string) {
      paths.set(name, value);
    },
    getPath(name: string): string {
      const value = paths.get(name);
      if (!value) throw new Error(`fake electron: no path "${name}"`);
      return value;
    },
    requestSingleInstanceLock: () => true,
    whenReady: () => ready,
    dock: undefined,
    quit() {
      app.quitCalls += 1;
      app.emit('before-quit', { preventDefault() {} });
      let prevented = false;
      app.emit('will-quit', { preventDefault: () => (prevented = true) });
      if (!prevented) app.exit(0);
    },
    exit(code = 0) {
      app.exitCode = code;
    },
  });
  return {
    app,
    /** Fires app 'ready': whenReady() resolves. */
    ready: () => resolveReady(),
    trays: [] as FakeTray[],
    windows: [] as FakeBrowserWindow[],
    shortcuts: new Map<string, () => void>(),
    handlers: new Map<string, Listener>(),
    permissionHandler: null as Listener | null,
    /** Menu.setApplicationMenu calls. */
    applicationMenus: [] as (FakeMenu | null)[],
    clipboard: [] as string[],
    openedPaths: [] as string[],
    powerMonitor: new Emitter(),
    /** What main handed to node-notifier. */
    notifications: [] as Record<string, unknown>[],
  };
}

export let fake = createFake();

function electronModule() {
  return {
    app: fake.app,
    Tray: FakeTray,
    BrowserWindow: FakeBrowserWindow,
    Menu: {
      buildFromTemplate: (items: FakeMenuItem[]): FakeMenu => ({ items }),
      setApplicationMenu: (menu: FakeMenu | null) => void fake.applicationMenus.push(menu),
    },
    clipboard: { writeText: (text: string) => void fake.clipboard.push(text) },
    dialog: { showMessageBoxSync: () => 0 },
    powerMonitor: fake.powerMonitor,
    screen: {
      getPrimaryDisplay: () => ({ bounds: { x: 0, y: 0, width: 1600, height: 900 }, workArea: { x: 0, y: 28, width: 1600, height: 872 } }),
      getDisplayMatching: () => ({ bounds: { x: 0, y: 0, width: 1600, height: 900 }, workArea: { x: 0, y: 28, width: 1600, height: 872 } }),
    },
    globalShortcut: {
      register(accelerator: string, callback: () => void): boolean {
        if (fake.shortcuts.has(accelerator)) return false;
        fake.shortcuts.set(accelerator, callback);
        return true;
      },
      unregister(accelerator: string): void {
        fake.shortcuts.delete(accelerator);
      },
      unregisterAll(): void {
        fake.shortcuts.clear();
      },
      isRegistered: (accelerator: string) => fake.shortcuts.has(accelerator),
    },
    ipcMain: Object.assign(new Emitter(), {
      handle(channel: string, listener: Listener) {
        if (fake.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
        fake.handlers.set(channel, listener);
      },
      removeHandler(channel: string) {
        fake.handlers.delete(channel);
      },
    }),
    session: { defaultSession: { setPermissionRequestHandler: (handler: Listener) => (fake.permissionHandler = handler) } },
    shell: { openPath: async (path: string) => (fake.openedPaths.push(path), '') },
    nativeImage: {
      createFromPath: (path: string) => ({ path }),
      createFromBuffer: (buffer: Buffer, options?: { scaleFactor?: number }) => new FakeImage(buffer, options?.scaleFactor ?? 1),
    },
  };
}

/** node-notifier, recording: main's notifications land in fake.notifications. */
function nodeNotifierModule() {
  return {
    notify(options: Record<string, unknown>, callback?: (error: Error | null, response: string) => void) {
      fake.notifications.push(options);
      callback?.(null, '');
    },
  };
}

type LoadFn = (request: string, parent: unknown, isMain: boolean) => unknown;
const moduleInternals = Module as unknown as { _load: LoadFn };

/** Makes `require('electron')` return a fresh recording fake until the returned function is called. */
export function installFakeElectron(): { fake: ReturnType<typeof createFake>; restore: () => void } {
  fake = createFake();
  const exports = electronModule();
  const notifier = nodeNotifierModule();
  const original = moduleInternals._load;
  moduleInternals._load = function load(this: unknown, request, parent, isMain) {
    if (request === 'electron') return exports;
    if (request === 'node-notifier') return notifier;
    return original.call(this, request, parent, isMain);
  };
  return { fake, restore: () => void (moduleInternals._load = original) };
}

/** Polls until check() returns a truthy value. */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 30_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
