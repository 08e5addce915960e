// Where the popover opens: centred under (macOS, top menu bar) or above
// (Windows, bottom taskbar) the tray icon, clamped to the work area; on Linux,
// where the icon's bounds are unknown, the top-right corner of the work area
// (or bottom-right when the panel is at the bottom). Pure.
import type { Rectangle } from './menu-types.js';

export interface PopoverPlacement {
  size: { width: number; height: number };
  /** The display's work area (without panels and the taskbar). */
  workArea: Rectangle;
  /** The whole display. */
  display: Rectangle;
  /** The tray icon's bounds; null when unknown (Linux). */
  trayBounds: Rectangle | null;
  /** Gap to the panel and screen edges. */
  margin?: number;
}

export function popoverPosition(p: PopoverPlacement): { x: number; y: number } {
  const m = p.margin ?? 6;
  const { width, height } = p.size;
  const wa = p.workArea;
  const clampX = (x: number) => Math.round(Math.min(Math.max(x, wa.x + m), wa.x + wa.width - width - m));
  const clampY = (y: number) => Math.round(Math.min(Math.max(y, wa.y + m), wa.y + wa.height - height - m));
  // Which side the panel is on: the work area is smaller than the display there.
  const panelAtBottom = wa.y + wa.height < p.display.y + p.display.height && wa.y === p.display.y;
  if (p.trayBounds) {
    const b = p.trayBounds;
    const x = clampX(b.x + b.width / 2 - width / 2);
    // Icon in the lower half: open above it; else below it.
    const below = b.y + b.height / 2 < wa.y + wa.height / 2;
    return { x, y: clampY(below ? b.y + b.height + m : b.y - height - m) };
  }
  return { x: clampX(wa.x + wa.width - width), y: clampY(panelAtBottom ? wa.y + wa.height - height : wa.y) };
}
