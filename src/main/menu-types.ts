// The slice of Electron's Tray, Menu and nativeImage the tray controller uses.
// Real Electron objects satisfy these structurally; tests pass typed recording fakes.
export interface MenuItemSpec {
  id?: string;
  label?: string;
  type?: 'normal' | 'separator' | 'submenu' | 'checkbox';
  enabled?: boolean;
  checked?: boolean;
  click?: () => void;
  submenu?: MenuItemSpec[];
}

/** A built menu: opaque to the controller. */
export type MenuPort = object;

/** A drawn image (a NativeImage in the app): opaque to the controller. */
export type ImagePort = object;

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface TrayPort {
  setImage(image: ImagePort): void;
  setToolTip(toolTip: string): void;
  setTitle(title: string): void;
  setContextMenu(menu: MenuPort | null): void;
  popUpContextMenu(menu?: MenuPort): void;
  getBounds(): Rectangle;
  on(event: 'click' | 'right-click', listener: (event: unknown, bounds?: Rectangle) => void): unknown;
  destroy(): void;
}
