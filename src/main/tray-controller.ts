// The tray icon and its menu. What it shows comes from the pure trayModel()
// (title, tooltip, menu lines, the drawn icon); this copies it onto the Tray
// and wires clicks per platform:
// - macOS and Windows: no context menu is set, so a left click only toggles
//   the popover; a right click pops the menu up (popUpContextMenu). With a
//   menu set, macOS would open the menu on every click as well.
// - Linux: the menu is the interface (SNI hosts differ in what a click does),
//   so it is always set, carries the numbers, and is set again on each change.
import { type TrayModel, trayModel } from '../core/app/tray-model.js';
import type { TrayIconSpec } from '../core/app/tray-icon.js';
import type { Status } from '../shared/status.js';
import type { ImagePort, MenuItemSpec, MenuPort, Rectangle, TrayPort } from './menu-types.js';

export interface TrayActions {
  checkpointNow(): void;
  pauseAndCheckpoint(): void;
  resume(): void;
  /** minutes: null snoozes until the 5-hour window resets. */
  snooze(minutes: number | null): void;
  /** Toggles the popover, anchored to the icon when its bounds are known. */
  togglePopover(bounds: Rectangle | null): void;
  openSettings(): void;
  setLaunchAtLogin(enabled: boolean): void;
  quit(): void;
}

export interface TrayControllerDeps {
  platform: NodeJS.Platform;
  createTray(image: ImagePort): TrayPort;
  /** Draws the icon for a spec (PNG at 1× and 2× in the app). */
  drawIcon(spec: TrayIconSpec): ImagePort;
  buildMenu(items: MenuItemSpec[]): MenuPort;
  actions: TrayActions;
  /** The snooze length from settings, offered first. */
  snoozeMinutes?: () => number;
  launchAtLogin?: () => boolean;
  timeZone?: string;
}

export const MENU_LABELS = {
  checkpointNow: 'Checkpoint now',
  pauseAndCheckpoint: 'Pause and checkpoint',
  resume: 'Resume',
  snooze: 'Snooze alerts…',
  openDashboard: 'Open dashboard',
  settings: 'Settings…',
  launchAtLogin: 'Launch at login',
  quit: 'Quit Breather',
} as const;

function snoozeLabel(minutes: number): string {
  return minutes % 60 === 0 ? `For ${minutes / 60} h` : `For ${minutes} min`;
}

const validBounds = (b: Rectangle | undefined | null): Rectangle | null => (b && (b.width > 0 || b.height > 0) ? b : null);

export class TrayController {
  private readonly tray: TrayPort;
  private current: TrayModel;
  private lastStatus: Status | null = null;
  private paused = false;
  private drawnIcon = '';

  constructor(private readonly deps: TrayControllerDeps) {
    this.current = trayModel(null, this.modelOptions());
    this.tray = deps.createTray(deps.drawIcon(this.current.icon));
    this.drawnIcon = JSON.stringify(this.current.icon);
    const linux = deps.platform !== 'darwin' && deps.platform !== 'win32';
    this.tray.on('click', (_event, bounds) => deps.actions.togglePopover(linux ? null : validBounds(bounds) ?? validBounds(this.tray.getBounds())));
    if (!linux) this.tray.on('right-click', () => this.tray.popUpContextMenu(deps.buildMenu(this.menuItems())));
    this.render();
  }

  get model(): TrayModel {
    return this.current;
  }

  private modelOptions() {
    return { paused: this.paused, ...(this.deps.timeZone ? { timeZone: this.deps.timeZone } : {}) };
  }

  update(status: Status | null, options: { paused?: boolean } = {}): void {
    this.lastStatus = status;
    if (options.paused !== undefined) this.paused = options.paused;
    const next = trayModel(status, this.modelOptions());
    if (JSON.stringify(next) === JSON.stringify(this.current)) return;
    this.current = next;
    this.render();
  }

  setPaused(paused: boolean): void {
    this.update(this.lastStatus, { paused });
  }

  /** The menu changed for a reason outside the model (the login item). */
  refreshMenu(): void {
    this.render();
  }

  menuItems(): MenuItemSpec[] {
    const { actions } = this.deps;
    const preferred = this.deps.snoozeMinutes?.() ?? 60;
    const lengths = [...new Set([preferred, 30, 60, 120])].sort((a, b) => a - b);
    return [
      ...this.current.summaryLines.map((line, index): MenuItemSpec => ({ id: `summary-${index}`, label: line, enabled: false })),
      { type: 'separator' },
      { id: 'checkpoint-now', label: MENU_LABELS.checkpointNow, click: () => actions.checkpointNow() },
      this.paused
        ? { id: 'resume', label: MENU_LABELS.resume, click: () => actions.resume() }
        : { id: 'pause-and-checkpoint', label: MENU_LABELS.pauseAndCheckpoint, click: () => actions.pauseAndCheckpoint() },
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
      { id: 'open-dashboard', label: MENU_LABELS.openDashboard, click: () => actions.togglePopover(null) },
      { id: 'settings', label: MENU_LABELS.settings, click: () => actions.openSettings() },
      { id: 'launch-at-login', label: MENU_LABELS.launchAtLogin, type: 'checkbox', checked: this.deps.launchAtLogin?.() ?? false, click: () => actions.setLaunchAtLogin(!(this.deps.launchAtLogin?.() ?? false)) },
      { type: 'separator' },
      { id: 'quit', label: MENU_LABELS.quit, click: () => actions.quit() },
    ];
  }

  private render(): void {
    const icon = JSON.stringify(this.current.icon);
    // Each setImage redraws the item (a visible flicker on some panels): only when the drawing changed.
    if (icon !== this.drawnIcon) {
      this.tray.setImage(this.deps.drawIcon(this.current.icon));
      this.drawnIcon = icon;
    }
    this.tray.setToolTip(this.current.tooltip);
    if (this.deps.platform === 'darwin') this.tray.setTitle(this.current.title);
    if (this.deps.platform !== 'darwin' && this.deps.platform !== 'win32') this.tray.setContextMenu(this.deps.buildMenu(this.menuItems()));
  }

  destroy(): void {
    this.tray.destroy();
  }
}
