import { describe, expect, it } from 'vitest';
import type { TrayIconSpec } from '../../src/core/app/tray-icon.js';
import type { ImagePort, MenuItemSpec, MenuPort, Rectangle, TrayPort } from '../../src/main/menu-types.js';
import { type TrayActions, TrayController } from '../../src/main/tray-controller.js';
import { statusWith, windowStatus } from '../support/status-fixture.js';

class RecordingTray implements TrayPort {
  readonly calls: string[] = [];
  toolTip = '';
  title = '';
  menu: { items: MenuItemSpec[] } | null = null;
  popups: { items: MenuItemSpec[] }[] = [];
  images: ImagePort[] = [];
  readonly listeners = new Map<string, (event: unknown, bounds?: Rectangle) => void>();
  constructor(image: ImagePort) {
    this.images.push(image);
  }
  setImage(image: ImagePort): void {
    this.images.push(image);
  }
  setToolTip(toolTip: string): void {
    this.calls.push('setToolTip');
    this.toolTip = toolTip;
  }
  setTitle(title: string): void {
    this.calls.push('setTitle');
    this.title = title;
  }
  setContextMenu(menu: MenuPort | null): void {
    this.calls.push('setContextMenu');
    this.menu = menu as { items: MenuItemSpec[] } | null;
  }
  popUpContextMenu(menu?: MenuPort): void {
    this.popups.push(menu as { items: MenuItemSpec[] });
  }
  getBounds(): Rectangle {
    return { x: 0, y: 0, width: 0, height: 0 };
  }
  on(event: 'click' | 'right-click', listener: (event: unknown, bounds?: Rectangle) => void): void {
    this.listeners.set(event, listener);
  }
  destroy(): void {
    this.calls.push('destroy');
  }
}

function setup(platform: NodeJS.Platform = 'linux') {
  const done: string[] = [];
  let login = false;
  const actions: TrayActions = {
    checkpointNow: () => done.push('checkpoint'),
    pauseAndCheckpoint: () => done.push('pause'),
    resume: () => done.push('resume'),
    snooze: (minutes) => done.push(`snooze:${minutes}`),
    togglePopover: (bounds) => done.push(`popover:${bounds ? bounds.x : 'none'}`),
    openSettings: () => done.push('settings'),
    setLaunchAtLogin: (enabled) => done.push(`login:${enabled}`),
    quit: () => done.push('quit'),
  };
  let tray: RecordingTray | null = null;
  let menus = 0;
  const drawn: TrayIconSpec[] = [];
  const controller = new TrayController({
    platform,
    createTray: (image) => (tray = new RecordingTray(image)),
    drawIcon: (spec) => (drawn.push(spec), { spec }),
    buildMenu: (items) => (menus++, { items }),
    actions,
    snoozeMinutes: () => 45,
    launchAtLogin: () => login,
    timeZone: 'UTC',
  });
  const menu = () => tray!.menu ?? tray!.popups.at(-1)!;
  const item = (label: string) => {
    const all = (items: MenuItemSpec[]): MenuItemSpec[] => items.flatMap((i) => [i, ...all(i.submenu ?? [])]);
    const found = all(menu().items).find((i) => i.label === label);
    if (!found) throw new Error(`no menu item "${label}"`);
    return found;
  };
  return { controller, tray: () => tray!, item, done, menus: () => menus, drawn, setLogin: (v: boolean) => (login = v) };
}

describe('TrayController', () => {
  it('Linux: the menu is set (the interface), with the status lines and every action', () => {
    const { tray, item } = setup('linux');
    expect(tray().toolTip).toBe('Breather: reading Claude Code usage…');
    const labels = tray().menu!.items.map((i) => i.label ?? `(${i.type})`);
    expect(labels).toEqual(['Reading Claude Code usage…', '(separator)', 'Checkpoint now', 'Pause and checkpoint', 'Snooze alerts…', '(separator)', 'Open dashboard', 'Settings…', 'Launch at login', '(separator)', 'Quit Breather']);
    expect(item('Reading Claude Code usage…').enabled).toBe(false);
    expect(item('Snooze alerts…').submenu!.map((i) => i.label)).toEqual(['For 30 min', 'For 45 min', 'For 1 h', 'For 2 h', 'Until the 5-hour window resets']);
    expect(tray().calls).not.toContain('setTitle');
  });

  it('menu items and a click call the actions (Linux: no bounds)', () => {
    const { tray, item, done } = setup('linux');
    for (const label of ['Checkpoint now', 'Pause and checkpoint', 'For 45 min', 'Until the 5-hour window resets', 'Open dashboard', 'Settings…', 'Launch at login', 'Quit Breather']) item(label).click!();
    tray().listeners.get('click')!({}, { x: 5, y: 5, width: 0, height: 0 });
    expect(done).toEqual(['checkpoint', 'pause', 'snooze:45', 'snooze:null', 'popover:none', 'settings', 'login:true', 'quit', 'popover:none']);
  });

  it.each(['darwin', 'win32'] as const)('%s: no context menu; left click opens the popover at the icon, right click pops the menu up', (platform) => {
    const { tray, done } = setup(platform);
    expect(tray().calls).not.toContain('setContextMenu');
    tray().listeners.get('click')!({}, { x: 700, y: 0, width: 22, height: 22 });
    expect(done).toEqual(['popover:700']);
    tray().listeners.get('right-click')!({});
    expect(tray().popups).toHaveLength(1);
    expect(tray().popups[0]!.items.map((i) => i.label)).toContain('Checkpoint now');
  });

  it('updates the title (macOS), tooltip, menu and icon on a status change, and nothing when nothing visible changed', () => {
    const { controller, tray, menus, drawn } = setup('darwin');
    const status = statusWith([windowStatus({ id: 'five_hour', usedPercent: 81, source: 'statusline' })]);
    controller.update(status);
    expect(tray().title).toBe('81%');
    expect(tray().toolTip).toContain('5-hour 81%');
    expect(controller.model.level).toBe('warn');
    expect(tray().images).toHaveLength(2);
    expect(drawn.at(-1)!.bars[0]).toEqual({ percent: 81, level: 'warn', estimate: false });
    const built = menus();
    controller.update({ ...status });
    expect(menus()).toBe(built);
    expect(tray().images).toHaveLength(2);
  });

  it('paused: Resume replaces Pause and checkpoint, and the icon gets the paused mark', () => {
    const { controller, tray, item, done, drawn } = setup('linux');
    controller.update(statusWith([windowStatus({ id: 'five_hour', usedPercent: 40, source: 'statusline' })]));
    controller.setPaused(true);
    expect(tray().menu!.items.map((i) => i.label)).toContain('Paused until the reset');
    expect(drawn.at(-1)!.mark).toBe('paused');
    item('Resume').click!();
    expect(done).toEqual(['resume']);
    expect(() => item('Pause and checkpoint')).toThrow();
  });

  it('the launch-at-login box shows the setting', () => {
    const { controller, item, setLogin } = setup('linux');
    expect(item('Launch at login')).toMatchObject({ type: 'checkbox', checked: false });
    setLogin(true);
    controller.refreshMenu();
    expect(item('Launch at login').checked).toBe(true);
  });

  it('destroys the tray', () => {
    const { controller, tray } = setup();
    controller.destroy();
    expect(tray().calls).toContain('destroy');
  });
});
