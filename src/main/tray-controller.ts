// The tray icon and its menu. What it shows comes from the pure trayModel();
// this only copies the model onto the Tray and wires the menu items to actions.
// A click opens the dashboard, and the menu has an "Open dashboard" item too,
// because tray clicks are unreliable on Linux.
import { type TrayModel, trayModel } from '../core/app/tray-model.js';
import type { Status } from '../shared/status.js';
import type { MenuItemSpec, MenuPort, TrayPort } from './menu-types.js';

export interface TrayActions {
  checkpointNow(): void;
  pauseAndCheckpoint(): void;
  /** minutes: null snoozes until the 5-hour window resets. */
  snooze(minutes: number | null): void;
  openDashboard(): void;
  openSettings(): void;
  quit(): void;
}

export interface TrayControllerDeps {
  createTray(iconPath: string): TrayPort;
  buildMenu(items: MenuItemSpec[]): MenuPort;
  iconPath: string;
  actions: TrayActions;
  /** The snooze length from settings, offered first. */
  snoozeMinutes?: () => number;
}

export const MENU_LABELS = {
  checkpointNow: 'Checkpoint now',
  pauseAndCheckpoint: 'Pause and checkpoint',
  snooze: 'Snooze alerts…',
  openDashboard: 'Open dashboard',
  settings: 'Settings…',
  quit: 'Quit Breather',
} as const;

function snoozeLabel(minutes: number): string {
  return minutes % 60 === 0 ? `For ${minutes / 60} h` : `For ${minutes} min`;
}

export class TrayController {
  private readonly tray: TrayPort;
  private current: TrayModel;
  private lastStatus: Status | null = null;
  private paused = false;

  constructor(private readonly deps: TrayControllerDeps) {
    this.tray = deps.createTray(deps.iconPath);
    this.tray.on('click', () => deps.actions.openDashboard());
    this.current = trayModel(null);
    this.render();
  }

  get model(): TrayModel {
    return this.current;
  }

  update(status: Status | null, options: { paused?: boolean } = {}): void {
    this.lastStatus = status;
    if (options.paused !== undefined) this.paused = options.paused;
    const next = trayModel(status, { paused: this.paused });
    if (JSON.stringify(next) === JSON.stringify(this.current)) return;
    this.current = next;
    this.render();
  }

  setPaused(paused: boolean): void {
    this.update(this.lastStatus, { paused });
  }

  menuItems(): MenuItemSpec[] {
    const { actions } = this.deps;
    const preferred = this.deps.snoozeMinutes?.() ?? 60;
    const lengths = [...new Set([preferred, 30, 60, 120])].sort((a, b) => a - b);
    return [
      ...this.current.summaryLines.map((line, index): MenuItemSpec => ({ id: `summary-${index}`, label: line, enabled: false })),
      { type: 'separator' },
      { id: 'checkpoint-now', label: MENU_LABELS.checkpointNow, click: () => actions.checkpointNow() },
      { id: 'pause-and-checkpoint', label: MENU_LABELS.pauseAndCheckpoint, click: () => actions.pauseAndCheckpoint() },
      {
        id: 'snooze',
        label: MENU_LABELS.snooze,
        type: 'submenu',
        submenu: [
          ...lengths.map((minutes): MenuItemSpec => ({ id: `snooze-${minutes}`, label: snoozeLabel(minutes), click: () => actions.snooze(minutes) })),
          { id: 'snooze-window', label: 'Until the 5-hour window resets', click: () => actions.snooze(null) },
        ],
      },
      { type: 'separator' },
      { id: 'open-dashboard', label: MENU_LABELS.openDashboard, click: () => actions.openDashboard() },
      { id: 'settings', label: MENU_LABELS.settings, click: () => actions.openSettings() },
      { type: 'separator' },
      { id: 'quit', label: MENU_LABELS.quit, click: () => actions.quit() },
    ];
  }

  private render(): void {
    this.tray.setToolTip(this.current.tooltip);
    this.tray.setTitle(this.current.title);
    this.tray.setContextMenu(this.deps.buildMenu(this.menuItems()));
  }

  destroy(): void {
    this.tray.destroy();
  }
}
