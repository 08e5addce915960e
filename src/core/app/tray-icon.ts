// The tray icon drawn from the status: two bars, the 5-hour window on top and
// the weekly one below, filled to their percentages (after CodexBar's meter),
// plus a mark on the right for paused, limit reached or no data. Estimated
// percentages are hatched. macOS gets a template image (black + alpha; the
// system tints it); Windows and Linux get colour by level, drawn over a
// mid-grey outline that stands out on light and dark panels alike. Pure.
export type IconLevel = 'ok' | 'warn' | 'critical';
export type IconMark = 'none' | 'paused' | 'limit' | 'no-data';
export type IconStyle = 'template' | 'color';

export interface IconBar {
  /** null: no cap known, so an empty track. */
  percent: number | null;
  level: IconLevel;
  /** Learned or plan-based, not official: the fill is hatched. */
  estimate: boolean;
}

export interface TrayIconSpec {
  /** [5-hour, weekly]. */
  bars: [IconBar, IconBar];
  /** The bar of the window that stops the user first; the other one is drawn dimmer. */
  lead: 0 | 1 | null;
  mark: IconMark;
}

export interface IconBitmap {
  width: number;
  height: number;
  /** Straight RGBA, row by row. */
  rgba: Uint8Array;
}

type Rgba = readonly [number, number, number, number];

/** Colours chosen with a relative luminance near 0.18: at least 3:1 against both a white and a black panel. */
export const ICON_COLORS = {
  outline: [0x76, 0x76, 0x76, 255],
  track: [0x76, 0x76, 0x76, 90],
  ok: [0x1a, 0x8a, 0x44, 255],
  warn: [0xb8, 0x6e, 0x00, 255],
  critical: [0xe0, 0x30, 0x1e, 255],
  paused: [0x3a, 0x6d, 0xf0, 255],
} as const satisfies Record<string, Rgba>;

const TEMPLATE = { outline: [0, 0, 0, 150], track: [0, 0, 0, 56], fill: [0, 0, 0, 255], mark: [0, 0, 0, 255] } as const satisfies Record<string, Rgba>;

/** How much of the fill's alpha a bar that does not lead keeps. */
export const DIM_FACTOR = 0.7;

export function barLevel(percent: number | null, runsOutBeforeReset = false): IconLevel {
  if (percent !== null && percent >= 90) return 'critical';
  if ((percent !== null && percent >= 75) || runsOutBeforeReset) return 'warn';
  return 'ok';
}

export interface BarBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** Outline thickness. */
  t: number;
}

/** Where the bars and the mark sit for a square icon of `size` pixels (exported for the pixel tests). */
export function iconLayout(size: number, withMark: boolean): { bars: [BarBox, BarBox]; mark: { x0: number; x1: number; y0: number; y1: number } } {
  const u = size / 16;
  const t = size >= 32 ? 2 : 1;
  const margin = Math.max(1, Math.round(u * 0.5));
  const markW = withMark ? Math.round(5 * u) : 0;
  const gap = withMark ? Math.max(1, Math.round(u)) : 0;
  const x1 = size - margin - markW - gap;
  const top: BarBox = { x0: margin, x1, y0: Math.round(2.5 * u), y1: Math.round(8.5 * u), t };
  const bottom: BarBox = { x0: margin, x1, y0: Math.round(10 * u), y1: Math.round(14 * u), t };
  return { bars: [top, bottom], mark: { x0: size - margin - markW, x1: size - margin, y0: Math.round(2.5 * u), y1: Math.round(14 * u) } };
}

/** Filled width (pixels inside the outline) for a percentage. */
export function fillWidth(box: BarBox, percent: number | null): number {
  if (percent === null) return 0;
  const inner = box.x1 - box.x0 - 2 * box.t;
  return Math.round((inner * Math.min(100, Math.max(0, percent))) / 100);
}

export function renderTrayIcon(spec: TrayIconSpec, size: number, style: IconStyle): IconBitmap {
  const rgba = new Uint8Array(size * size * 4);
  const put = (x: number, y: number, c: Rgba, alphaScale = 1) => {
    if (x < 0 || y < 0 || x >= size || y >= size) return;
    const i = (y * size + x) * 4;
    rgba[i] = c[0];
    rgba[i + 1] = c[1];
    rgba[i + 2] = c[2];
    rgba[i + 3] = Math.round(c[3] * alphaScale);
  };
  const rect = (x0: number, y0: number, x1: number, y1: number, c: Rgba, alphaScale = 1) => {
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) put(x, y, c, alphaScale);
  };
  const layout = iconLayout(size, spec.mark !== 'none');
  const colors = style === 'template' ? null : ICON_COLORS;
  const noData = spec.mark === 'no-data';

  spec.bars.forEach((bar, index) => {
    const box = layout.bars[index]!;
    const { t } = box;
    const outline = colors ? colors.outline : TEMPLATE.outline;
    // Outline: top, bottom, left, right edges.
    rect(box.x0, box.y0, box.x1, box.y0 + t, outline);
    rect(box.x0, box.y1 - t, box.x1, box.y1, outline);
    rect(box.x0, box.y0, box.x0 + t, box.y1, outline);
    rect(box.x1 - t, box.y0, box.x1, box.y1, outline);
    rect(box.x0 + t, box.y0 + t, box.x1 - t, box.y1 - t, colors ? colors.track : TEMPLATE.track);
    if (noData) return;
    const width = fillWidth(box, bar.percent);
    const fill = colors ? colors[bar.level] : TEMPLATE.fill;
    const dim = spec.lead !== null && spec.lead !== index ? DIM_FACTOR : 1;
    for (let dx = 0; dx < width; dx++) {
      // Hatching: every third column (of outline width) left as track.
      if (bar.estimate && Math.floor(dx / t) % 3 === 2) continue;
      rect(box.x0 + t + dx, box.y0 + t, box.x0 + t + dx + 1, box.y1 - t, fill, dim);
    }
  });

  const m = layout.mark;
  const markColor: Rgba = colors ? (spec.mark === 'paused' ? colors.paused : spec.mark === 'limit' ? colors.critical : colors.outline) : TEMPLATE.mark;
  const w = m.x1 - m.x0;
  if (spec.mark === 'paused') {
    const stroke = Math.max(1, Math.round(w * 0.35));
    rect(m.x0, m.y0, m.x0 + stroke, m.y1, markColor);
    rect(m.x1 - stroke, m.y0, m.x1, m.y1, markColor);
  } else if (spec.mark === 'limit') {
    const stroke = Math.max(2, Math.round(w * 0.45));
    const cx0 = m.x0 + Math.floor((w - stroke) / 2);
    const dot = stroke;
    rect(cx0, m.y0, cx0 + stroke, m.y1 - dot - Math.max(1, Math.round(dot / 2)), markColor);
    rect(cx0, m.y1 - dot, cx0 + stroke, m.y1, markColor);
  } else if (spec.mark === 'no-data') {
    const stroke = Math.max(1, Math.round(size / 16));
    const mid = Math.round((m.y0 + m.y1) / 2);
    rect(m.x0, mid - stroke, m.x1, mid + stroke, markColor);
  }
  return { width: size, height: size, rgba };
}

/** The pixel sizes to draw per platform: 1× and 2×. Linux panels draw about 22 px. */
export function iconSizes(platform: NodeJS.Platform): [number, number] {
  return platform === 'linux' ? [22, 44] : [16, 32];
}

export function iconStyle(platform: NodeJS.Platform): IconStyle {
  return platform === 'darwin' ? 'template' : 'color';
}
