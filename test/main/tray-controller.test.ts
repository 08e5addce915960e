import { describe, expect, it } from 'vitest';
import type { MenuItemSpec, MenuPort, TrayPort } from '../../src/main/menu-types.js';
import { type TrayActions, TrayController } from '../../src/main/tray-controller.js';
import { statusWith, windowStatus } from '../support/status-fixture.js';

class RecordingTray implements TrayPort {
  readonly calls: string[] = [];
  toolTip = '';
  title = '';
  menu: { items: MenuItemSpec[] } | null = null;
  clickListener: (() => void) | null = null;
  constructor(readonly iconPath: string) {}
  setToolTip(toolTip: string): void {
    this.calls.push('setToolTip');
    this.toolTip = toolTip;
  }
  setTitle(title: string): void {
    this.title = title;
  }
  setContextMenu(menu: MenuPort | null): void {
    this.menu = menu as { items: MenuItemSpec[] } | null;
  }
  on(_event: 'click', listener: () => void): void {
    this.clickListener = listener;
  }
  destroy(): void {
    this.calls.push('destroy');
  }
}

function setup() {
  const done: string[] = [];
  const actions: TrayActions = {
    checkpointNow: () => done.push('checkpoint'),
    pauseAndCheckpoint: () => done.push('pause'),
    snooze: (minutes) => done.push(`snooze:${minutes}`),
    openDashboard: () => done.push('dashboard'),
    openSettings: () => done.push('settings'),
    quit: () => done.push('quit'),
  };
  let tray: RecordingTray | null = null;
  let menus = 0;
  const controller = new TrayController({
    createTray: (iconPath) => (tray = new RecordingTray(iconPath)),
    buildMenu: (items) => (menus++, { items }),
    iconPath: '/assets/trayTemplate.png',
    actions,
    snoozeMinutes: () => 45,
  });
  const item = (label: string) => {
    const all = (items: MenuItemSpec[]): MenuItemSpec[] => items.flatMap((i) => [i, ...all(i.submenu ?? [])]);
    const found = all(tray!.menu!.items).find((i) => i.label === label);
    if (!found) throw new Error(`no menu item ${label}`);
    return found;
  };
  return { controller, tray: () => tray!, done, item, menus: () => menus };
}

describe('TrayController', () => {
  it('creates the tray with the icon and a menu with the status lines and every action', () => {
    const { tray, item } = setup();
    expect(tray().iconPath).toBe('/assets/trayTemplate.png');
    expect(tray().toolTip).toBe('Breather: reading Claude Code usage…');
    const labels = tray().menu!.items.map((i) => i.label ?? `(${i.type})`);
    expect(labels).toEqual(['Reading Claude Code usage…', '(separator)', 'Checkpoint now', 'Pause and checkpoint', 'Snooze alerts…', '(separator)', 'Open dashboard', 'Settings…', '(separator)', 'Quit Breather']);
    expect(item('Reading Claude Code usage…').enabled).toBe(false);
    expect(item('Snooze alerts…').submenu!.map((i) => i.label)).toEqual(['For 30 min', 'For 45 min', 'For 1 h', 'For 2 h', 'Until the 5-hour window resets']);
  });

  it('menu items and a tray click call the actions', () => {
    const { tray, item, done } = setup();
    for (const label of ['Checkpoint now', 'Pause and checkpoint', 'For 45 min', 'Until the 5-hour window resets', 'Open dashboard', 'Settings…', 'Quit Breather']) item(label).click!();
    tray().clickListener!();
    expect(done).toEqual(['checkpoint', 'pause', 'snooze:45', 'snooze:null', 'dashboard', 'settings', 'quit', 'dashboard']);
  });

  it('updates the title, tooltip and summary lines on a status change, and not when nothing visible changed', () => {
    const { controller, tray, menus } = setup();
    const status = statusWith([windowStatus({ id: 'five_hour', usedPercent: 81, source: 'statusline' })]);
    controller.update(status);
    expect(tray().title).toBe('81%');
    expect(tray().toolTip).toContain('5-hour: 81% (statusline)');
    expect(tray().menu!.items[0]!.label).toBe('5-hour: 81% (statusline), resets in 4 h');
    expect(controller.model.level).toBe('warn');
    const built = menus();
    controller.update({ ...status });
    expect(menus()).toBe(built);
    controller.setPaused(true);
    expect(tray().menu!.items[1]!.label).toBe('Paused until the reset');
  });

  it('destroys the tray', () => {
    const { controller, tray } = setup();
    controller.destroy();
    expect(tray().calls).toContain('destroy');
  });
});
