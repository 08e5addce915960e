// The tray icon by its pixels: fill levels, colour per state, marks, the
// template style, both sizes per platform, and the PNG it is shipped as.
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { type IconBar, type IconStyle, type TrayIconSpec, DIM_FACTOR, ICON_COLORS, fillWidth, iconLayout, iconSizes, renderTrayIcon } from '../../src/core/app/tray-icon.js';
import { encodePng } from '../../src/core/app/tray-png.js';
import { trayModel } from '../../src/core/app/tray-model.js';
import { at, statusWith, windowStatus } from '../support/status-fixture.js';

const bar = (percent: number | null, level: IconBar['level'] = 'ok', estimate = false): IconBar => ({ percent, level, estimate });
const spec = (top: IconBar, bottom: IconBar, extra: Partial<TrayIconSpec> = {}): TrayIconSpec => ({ bars: [top, bottom], lead: 0, mark: 'none', ...extra });
const SIZES = [16, 32, 22, 44];

function pixel(bitmap: { width: number; rgba: Uint8Array }, x: number, y: number): [number, number, number, number] {
  const i = (y * bitmap.width + x) * 4;
  return [bitmap.rgba[i]!, bitmap.rgba[i + 1]!, bitmap.rgba[i + 2]!, bitmap.rgba[i + 3]!];
}

/** Columns of the bar's middle row that carry the given colour (ignoring alpha). */
function columnsOf(bitmap: ReturnType<typeof renderTrayIcon>, barIndex: 0 | 1, color: readonly number[], withMark = false): number {
  const box = iconLayout(bitmap.width, withMark).bars[barIndex];
  const y = Math.floor((box.y0 + box.y1) / 2);
  let count = 0;
  for (let x = box.x0 + box.t; x < box.x1 - box.t; x++) {
    const [r, g, b] = pixel(bitmap, x, y);
    if (r === color[0] && g === color[1] && b === color[2] && pixel(bitmap, x, y)[3] > ICON_COLORS.track[3]) count++;
  }
  return count;
}

const luminance = ([r, g, b]: readonly number[]) => {
  const lin = (c: number) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!);
};
const contrast = (a: readonly number[], b: readonly number[]) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
};

describe('renderTrayIcon', () => {
  it.each(SIZES)('fills each bar to its percentage at %i px', (size) => {
    for (const [top, bottom] of [[0, 100], [25, 75], [50, 10], [100, 0]] as const) {
      const icon = renderTrayIcon(spec(bar(top), bar(bottom), { lead: null }), size, 'color');
      expect(icon.rgba.length).toBe(size * size * 4);
      const layout = iconLayout(size, false);
      expect(columnsOf(icon, 0, ICON_COLORS.ok)).toBe(fillWidth(layout.bars[0], top));
      expect(columnsOf(icon, 1, ICON_COLORS.ok)).toBe(fillWidth(layout.bars[1], bottom));
      // The fill is proportional to the track: within one pixel of the exact share.
      const inner = layout.bars[0].x1 - layout.bars[0].x0 - 2 * layout.bars[0].t;
      expect(Math.abs(columnsOf(icon, 0, ICON_COLORS.ok) - (inner * top) / 100)).toBeLessThanOrEqual(0.5);
    }
  });

  it('colours the fill by level, and every colour stands out on a light and on a dark panel', () => {
    for (const level of ['ok', 'warn', 'critical'] as const) {
      const icon = renderTrayIcon(spec(bar(60, level), bar(null), { lead: null }), 16, 'color');
      expect(columnsOf(icon, 0, ICON_COLORS[level])).toBe(fillWidth(iconLayout(16, false).bars[0], 60));
    }
    for (const [name, color] of Object.entries(ICON_COLORS)) {
      if (name === 'track') continue;
      expect(contrast(color, [255, 255, 255]), `${name} on white`).toBeGreaterThanOrEqual(3);
      expect(contrast(color, [0, 0, 0]), `${name} on black`).toBeGreaterThanOrEqual(3);
    }
  });

  it('dims the bar that does not lead, and hatches an estimate', () => {
    const icon = renderTrayIcon(spec(bar(50), bar(50), { lead: 1 }), 32, 'color');
    const box = iconLayout(32, false).bars;
    const alphaAt = (index: 0 | 1) => pixel(icon, box[index].x0 + box[index].t + 1, Math.floor((box[index].y0 + box[index].y1) / 2))[3];
    expect(alphaAt(1)).toBe(255);
    expect(alphaAt(0)).toBe(Math.round(255 * DIM_FACTOR));
    const solid = renderTrayIcon(spec(bar(90, 'critical'), bar(null)), 16, 'color');
    const hatched = renderTrayIcon(spec(bar(90, 'critical', true), bar(null)), 16, 'color');
    const filled = columnsOf(solid, 0, ICON_COLORS.critical);
    expect(columnsOf(hatched, 0, ICON_COLORS.critical)).toBeLessThan(filled);
    expect(columnsOf(hatched, 0, ICON_COLORS.critical)).toBeGreaterThan(filled / 2);
  });

  it.each([16, 44])('draws a mark for paused, limit reached and no data at %i px, and none otherwise', (size) => {
    const markPixels = (mark: TrayIconSpec['mark'], style: IconStyle = 'color') => {
      const icon = renderTrayIcon(spec(bar(100, 'critical'), bar(40), { mark }), size, style);
      const m = iconLayout(size, true).mark;
      const colors = new Set<string>();
      let n = 0;
      for (let y = 0; y < size; y++) for (let x = m.x0; x < m.x1; x++) if (pixel(icon, x, y)[3] > 0) (n++, colors.add(pixel(icon, x, y).slice(0, 3).join()));
      return { n, colors: [...colors] };
    };
    expect(markPixels('paused').colors).toEqual([ICON_COLORS.paused.slice(0, 3).join()]);
    expect(markPixels('limit').colors).toEqual([ICON_COLORS.critical.slice(0, 3).join()]);
    expect(markPixels('no-data').colors).toEqual([ICON_COLORS.outline.slice(0, 3).join()]);
    for (const mark of ['paused', 'limit', 'no-data'] as const) expect(markPixels(mark).n).toBeGreaterThan(size / 2);
    // Without a mark the bars use the full width: nothing is drawn right of them.
    const plain = renderTrayIcon(spec(bar(100), bar(100)), size, 'color');
    const right = iconLayout(size, false).bars[0].x1;
    for (let y = 0; y < size; y++) for (let x = right; x < size; x++) expect(pixel(plain, x, y)[3]).toBe(0);
    // The three marks differ in shape.
    expect(new Set(['paused', 'limit', 'no-data'].map((m) => markPixels(m as TrayIconSpec['mark'], 'template').n)).size).toBe(3);
  });

  it('no data: empty tracks, no fill', () => {
    const icon = renderTrayIcon(spec(bar(80), bar(80), { mark: 'no-data' }), 22, 'color');
    expect(columnsOf(icon, 0, ICON_COLORS.ok, true)).toBe(0);
  });

  it('the macOS template is black with alpha only, and its fill still shows the level', () => {
    const icon = renderTrayIcon(spec(bar(30, 'critical'), bar(70, 'warn', true), { mark: 'limit' }), 32, 'template');
    for (let i = 0; i < icon.rgba.length; i += 4) expect([icon.rgba[i], icon.rgba[i + 1], icon.rgba[i + 2]]).toEqual([0, 0, 0]);
    const box = iconLayout(32, true).bars[0];
    const y = Math.floor((box.y0 + box.y1) / 2);
    let opaque = 0;
    for (let x = box.x0 + box.t; x < box.x1 - box.t; x++) if (pixel(icon, x, y)[3] === 255) opaque++;
    expect(opaque).toBe(fillWidth(box, 30));
  });

  it('sizes: 16/32 px on macOS and Windows, 22/44 px on Linux', () => {
    expect(iconSizes('darwin')).toEqual([16, 32]);
    expect(iconSizes('win32')).toEqual([16, 32]);
    expect(iconSizes('linux')).toEqual([22, 44]);
  });
});

describe('the icon spec from the status', () => {
  it('follows the percentages, levels, estimate, lead and marks', () => {
    const status = statusWith([windowStatus({ id: 'five_hour', usedPercent: 42, source: 'statusline' }), windowStatus({ id: 'seven_day', usedPercent: 93, source: 'learned' })]);
    expect(trayModel(status).icon).toEqual({ bars: [bar(42, 'ok'), bar(93, 'critical', true)], lead: 1, mark: 'none' });
    expect(trayModel(status, { paused: true }).icon.mark).toBe('paused');
    expect(trayModel(statusWith([])).icon.mark).toBe('no-data');
    const hit = { at: at(-5), window: 'five_hour' as const, resetsAt: at(60), text: 'limit', sessionId: null, cwd: null };
    const limited = trayModel(statusWith([windowStatus({ id: 'five_hour', usedPercent: 97, source: 'plan' })], { lastLimitHit: hit })).icon;
    expect(limited.mark).toBe('limit');
    expect(limited.bars[0]).toEqual(bar(100, 'critical'));
  });
});

describe('encodePng', () => {
  it('writes a PNG whose pixels decode back to the bitmap', () => {
    const icon = renderTrayIcon(spec(bar(60, 'warn'), bar(20)), 22, 'color');
    const png = encodePng(icon.rgba, icon.width, icon.height);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.readUInt32BE(16)).toBe(22);
    expect(png.readUInt32BE(20)).toBe(22);
    // IDAT follows IHDR (8 + 25 bytes): inflate it and strip the filter bytes.
    const idatLength = png.readUInt32BE(33);
    expect(png.toString('ascii', 37, 41)).toBe('IDAT');
    const raw = inflateSync(png.subarray(41, 41 + idatLength));
    const rows = Array.from({ length: 22 }, (_, y) => raw.subarray(y * 89 + 1, (y + 1) * 89));
    expect(Buffer.concat(rows)).toEqual(Buffer.from(icon.rgba));
  });
});
