import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type BrowserWindowPort, type NavigationEvent, type WebContentsPort, WindowManager, type WindowOptions } from '../../src/main/windows.js';
import { statusWith } from '../support/status-fixture.js';

let nextId = 1;

class FakeContents implements WebContentsPort {
  readonly id = nextId++;
  readonly listeners = new Map<string, (event: NavigationEvent, url?: string) => void>();
  openHandler: ((details: { url: string }) => { action: 'deny' }) | null = null;
  readonly sent: [string, unknown[]][] = [];
  on(event: string, listener: (event: NavigationEvent, url: string) => void): void {
    this.listeners.set(event, listener as (event: NavigationEvent, url?: string) => void);
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void {
    this.openHandler = handler;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push([channel, args]);
  }
  isDestroyed(): boolean {
    return false;
  }
  /** Fires an event the way Electron would; returns whether it was prevented. */
  fire(event: string, url: string): boolean {
    let prevented = false;
    this.listeners.get(event)?.({ preventDefault: () => (prevented = true) }, url);
    return prevented;
  }
}

class FakeWindow implements BrowserWindowPort {
  readonly webContents = new FakeContents();
  loaded: string | null = null;
  shows = 0;
  visible = false;
  destroyed = false;
  position: [number, number] | null = null;
  readonly listeners = new Map<string, () => void>();
  constructor(
    readonly options: WindowOptions,
    /** Settles when the page "has loaded" (at once unless a test holds it back). */
    private readonly pageLoad?: Promise<void>,
  ) {}
  get closed() {
    return this.listeners.get('closed') ?? null;
  }
  async loadFile(path: string): Promise<void> {
    this.loaded = path;
    if (this.pageLoad) await this.pageLoad;
  }
  show(): void {
    this.shows++;
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
    this.listeners.get('hide')?.();
  }
  isVisible(): boolean {
    return this.visible;
  }
  setPosition(x: number, y: number): void {
    this.position = [x, y];
  }
  focus(): void {}
  isDestroyed(): boolean {
    return this.destroyed;
  }
  on(event: 'closed' | 'blur' | 'show' | 'hide', listener: () => void): void {
    this.listeners.set(event, listener);
  }
}

function setup(clock = { now: 0 }, pageLoad?: Promise<void>) {
  const created: FakeWindow[] = [];
  const manager = new WindowManager(
    {
      createWindow: (options) => (created.push(new FakeWindow(options, pageLoad)), created.at(-1)!),
      preloadPath: '/app/dist/preload/preload.cjs',
      rendererDir: '/app/dist/renderer',
      placePopover: (size, bounds) => ({ x: bounds ? bounds.x - size.width / 2 : 10, y: 20 }),
    },
    () => clock.now,
  );
  return { manager, created, clock };
}

describe('WindowManager', () => {
  it('creates windows sandboxed, isolated, without Node, with only the preload', async () => {
    const { manager, created } = setup();
    manager.show('popover');
    manager.show('settings');
    for (const win of created) {
      expect(win.options.webPreferences).toEqual({
        preload: '/app/dist/preload/preload.cjs',
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        spellcheck: false,
      });
    }
    expect(created.map((w) => w.loaded)).toEqual(['/app/dist/renderer/popover.html', '/app/dist/renderer/settings.html']);
    await Promise.resolve();
    expect(created.map((w) => w.shows)).toEqual([1, 1]);
  });

  it('denies navigation, redirects, webviews and new windows', () => {
    const { manager, created } = setup();
    manager.show('popover');
    const contents = created[0]!.webContents;
    expect(contents.fire('will-navigate', 'https://example.com/')).toBe(true);
    expect(contents.fire('will-redirect', 'https://example.com/')).toBe(true);
    expect(contents.fire('will-attach-webview', 'about:blank')).toBe(true);
    expect(contents.openHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
  });

  it('reuses an open window and forgets a closed one', () => {
    const { manager, created } = setup();
    const first = manager.show('popover');
    expect(manager.show('popover')).toBe(first);
    (first as FakeWindow).destroyed = true;
    (first as FakeWindow).closed!();
    manager.show('popover');
    expect(created).toHaveLength(2);
  });

  it('trusts only our windows showing our pages', () => {
    const { manager, created } = setup();
    manager.show('popover');
    const id = created[0]!.webContents.id;
    const page = pathToFileURL('/app/dist/renderer/popover.html').href;
    expect(manager.isTrusted({ sender: { id }, senderFrame: { url: page } })).toBe(true);
    expect(manager.isTrusted({ sender: { id: id + 1000 }, senderFrame: { url: page } })).toBe(false);
    expect(manager.isTrusted({ sender: { id }, senderFrame: { url: 'https://evil.example/' } })).toBe(false);
    expect(manager.isTrusted({ sender: { id }, senderFrame: { url: 'file:///app/dist/renderer-evil/x.html' } })).toBe(false);
  });

  it('the popover is frameless and fixed; the settings window is an ordinary one', () => {
    const { manager, created } = setup();
    manager.show('popover');
    manager.show('settings');
    expect(created[0]!.options).toMatchObject({ frame: false, resizable: false, skipTaskbar: true, alwaysOnTop: true });
    expect(created[1]!.options).toMatchObject({ frame: true, resizable: true, skipTaskbar: false });
  });

  it('toggles the popover by the icon, hides it on blur, and a click right after the blur does not reopen it', async () => {
    const { manager, created, clock } = setup();
    manager.togglePopover({ x: 500, y: 0, width: 20, height: 20 });
    const win = created[0]!;
    expect(win.position).toEqual([300, 20]);
    await Promise.resolve();
    expect(win.visible).toBe(true);
    manager.togglePopover(null);
    expect(win.visible).toBe(false);
    clock.now = 1000;
    manager.togglePopover(null);
    expect(win.visible).toBe(true);
    expect(win.position).toEqual([10, 20]);
    win.listeners.get('blur')!();
    expect(win.visible).toBe(false);
    clock.now += 100;
    manager.togglePopover(null);
    expect(win.visible).toBe(false);
    clock.now += 1000;
    manager.togglePopover(null);
    expect(win.visible).toBe(true);
    expect(manager.kindOf(win.webContents.id)).toBe('popover');
  });

  it('closing the settings window with unsaved edits asks first; the answer decides', () => {
    let answer = false;
    const created: FakeWindow[] = [];
    const manager = new WindowManager({ createWindow: (options) => (created.push(new FakeWindow(options)), created.at(-1)!), preloadPath: '/p', rendererDir: '/r', confirmLeave: () => answer });
    manager.show('settings');
    const contents = created[0]!.webContents;
    // preventDefault on will-prevent-unload means "ignore the page's beforeunload and close".
    expect(contents.fire('will-prevent-unload', '')).toBe(false);
    answer = true;
    expect(contents.fire('will-prevent-unload', '')).toBe(true);
  });

  it('opens Settings at a section: told after its page loaded, at once when already open, never the popover', async () => {
    let finishLoad!: () => void;
    const { manager, created } = setup(undefined, new Promise<void>((done) => (finishLoad = done)));
    manager.show('popover');
    manager.showSettingsSection('integration');
    const settings = created.at(-1)!;
    await Promise.resolve();
    // Before the page has loaded nobody listens yet: nothing sent.
    expect(settings.webContents.sent).toEqual([]);
    finishLoad();
    await new Promise((r) => setTimeout(r, 0));
    expect(settings.webContents.sent).toEqual([['settings:show-section', ['integration']]]);
    manager.showSettingsSection('integration');
    await new Promise((r) => setTimeout(r, 0));
    expect(settings.webContents.sent).toHaveLength(2);
    expect(created).toHaveLength(2);
    expect(created[0]!.webContents.sent).toEqual([]);
  });

  it('pushes events to every open window', () => {
    const { manager, created } = setup();
    manager.show('popover');
    manager.show('settings');
    const status = statusWith([]);
    manager.broadcast('status:changed', status);
    expect(created.map((w) => w.webContents.sent)).toEqual([[['status:changed', [status]]], [['status:changed', [status]]]]);
  });
});
