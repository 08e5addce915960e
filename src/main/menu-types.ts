// The slice of Electron's Tray and Menu the tray controller uses. Real Electron
// objects satisfy these structurally; tests pass typed recording fakes.
export interface MenuItemSpec {
  id?: string;
  label?: string;
  type?: 'normal' | 'separator' | 'submenu';
  enabled?: boolean;
  click?: () => void;
  submenu?: MenuItemSpec[];
}

/** A built menu: opaque to the controller. */
export type MenuPort = object;

export interface TrayPort {
  setToolTip(toolTip: string): void;
  setTitle(title: string): void;
  setContextMenu(menu: MenuPort | null): void;
  on(event: 'click', listener: () => void): unknown;
  destroy(): void;
}
