// `npm run screenshots`: renders every popover state and the settings page in
// light and dark mode at the windows' real sizes (real Chromium, fake bridge),
// and the tray icon in each state at its real sizes, to docs/screenshots/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type TrayIconSpec, iconSizes, renderTrayIcon } from '../src/core/app/tray-icon.js';
import { encodePng } from '../src/core/app/tray-png.js';
import { defaultSettings } from '../src/shared/settings.js';
import { POPOVER_STATES, integrationFixture } from '../test/support/popover-states.js';
import { launchChromium, openPage, serveRenderer } from '../test/support/renderer-harness.js';
import { WINDOW_SIZES } from '../src/main/windows.js';

const OUT = resolve(import.meta.dirname, '../../docs/screenshots');

const ICON_STATES: Record<string, TrayIconSpec> = {
  ok: { bars: [{ percent: 34, level: 'ok', estimate: false }, { percent: 21, level: 'ok', estimate: false }], lead: 0, mark: 'none' },
  warning: { bars: [{ percent: 81, level: 'warn', estimate: false }, { percent: 52, level: 'ok', estimate: false }], lead: 0, mark: 'none' },
  critical: { bars: [{ percent: 94, level: 'critical', estimate: false }, { percent: 71, level: 'ok', estimate: false }], lead: 0, mark: 'none' },
  'weekly-leads': { bars: [{ percent: 46, level: 'ok', estimate: false }, { percent: 96, level: 'critical', estimate: false }], lead: 1, mark: 'none' },
  estimate: { bars: [{ percent: 58, level: 'ok', estimate: true }, { percent: 33, level: 'ok', estimate: true }], lead: 0, mark: 'none' },
  'limit-reached': { bars: [{ percent: 100, level: 'critical', estimate: false }, { percent: 74, level: 'ok', estimate: false }], lead: 0, mark: 'limit' },
  paused: { bars: [{ percent: 100, level: 'critical', estimate: false }, { percent: 74, level: 'ok', estimate: false }], lead: 0, mark: 'paused' },
  'no-data': { bars: [{ percent: null, level: 'ok', estimate: false }, { percent: null, level: 'ok', estimate: false }], lead: null, mark: 'no-data' },
};

/** A strip of every icon state on a panel colour, each at its real pixel size, so a README shows them as a panel would. */
function iconStrip(size: number, style: 'template' | 'color', panel: [number, number, number]): Buffer {
  const names = Object.keys(ICON_STATES);
  const pad = Math.round(size / 2);
  const width = names.length * (size + pad) + pad;
  const height = size + 2 * pad;
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) rgba.set([...panel, 255], i * 4);
  names.forEach((name, n) => {
    const icon = renderTrayIcon(ICON_STATES[name]!, size, style);
    // A template image is tinted by the system: white on a dark panel.
    const tint = style === 'template' && panel[0] < 128 ? 255 : null;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const s = (y * size + x) * 4;
        const a = icon.rgba[s + 3]! / 255;
        const d = ((pad + y) * width + pad + n * (size + pad) + x) * 4;
        for (let c = 0; c < 3; c++) rgba[d + c] = Math.round((tint ?? icon.rgba[s + c]!) * a + panel[c]! * (1 - a));
      }
    }
  });
  return encodePng(rgba, width, height);
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  for (const [name, spec] of Object.entries(ICON_STATES)) {
    for (const [platform, style] of [['darwin', 'template'], ['win32', 'color'], ['linux', 'color']] as const) {
      for (const size of iconSizes(platform)) {
        const icon = renderTrayIcon(spec, size, style);
        writeFileSync(join(OUT, `icon-${name}-${style}-${size}.png`), encodePng(icon.rgba, size, size));
      }
    }
  }
  for (const [style, panels] of [['color', { light: [240, 240, 240], dark: [30, 30, 30] }], ['template', { light: [236, 236, 236], dark: [40, 40, 40] }]] as const) {
    for (const [theme, panel] of Object.entries(panels)) {
      for (const size of style === 'template' ? [32] : [22, 44]) writeFileSync(join(OUT, `icons-${style}-${theme}-${size}.png`), iconStrip(size, style, panel as [number, number, number]));
    }
  }

  const server = await serveRenderer();
  const browser = await launchChromium();
  try {
    for (const dark of [false, true]) {
      const theme = dark ? 'dark' : 'light';
      for (const [name, make] of Object.entries(POPOVER_STATES)) {
        const { status, dashboard, integration } = make();
        const page = await openPage(browser, `${server.url}/popover.html`, { status, dashboard, integration, settingsView: { settings: defaultSettings(), path: '/state/settings.json', notices: [] } }, { ...WINDOW_SIZES.popover, dark });
        await page.waitForSelector('#chart-window canvas');
        await page.screenshot({ path: join(OUT, `popover-${name}-${theme}.png`) });
        for (const tab of ['breakdown', 'checkpoints'] as const) {
          if (name !== 'ok') continue;
          await page.click(`#tab-${tab}`);
          await page.screenshot({ path: join(OUT, `popover-${name}-${tab}-${theme}.png`) });
        }
        await page.close();
      }
      const settingsView = { settings: defaultSettings(), path: '/home/dev/.config/Breather/settings.json', notices: [] };
      // The Claude Code section as the popover's nudge opens it: not installed, then installed and reporting.
      // The page counts "ago" from the real clock: a report from a minute ago reads as one.
      const recent = new Date(Date.now() - 60_000).toISOString();
      const reporting = integrationFixture(true, { bridge: { lastReportAt: recent, claudeCodeVersion: '2.1.90', figuresReceivedAt: recent } });
      for (const [integration, file] of [[integrationFixture(false), 'settings-integration-off'], [reporting, 'settings-integration']] as const) {
        const page = await openPage(browser, `${server.url}/settings.html`, { status: null, settingsView, integration }, { ...WINDOW_SIZES.settings, dark });
        await page.waitForSelector('[data-testid="integration-state"]');
        await page.evaluate(() => document.getElementById('integration')!.scrollIntoView({ block: 'start' }));
        await page.screenshot({ path: join(OUT, `${file}-${theme}.png`) });
        await page.close();
      }
      const settings = await openPage(browser, `${server.url}/settings.html`, { status: null, settingsView, integration: reporting }, { ...WINDOW_SIZES.settings, dark });
      await settings.waitForSelector('#threshold-five-hour');
      await settings.waitForFunction(() => (document.getElementById('threshold-five-hour') as HTMLInputElement).value !== '');
      await settings.screenshot({ path: join(OUT, `settings-${theme}.png`) });
      await settings.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      await settings.screenshot({ path: join(OUT, `settings-bottom-${theme}.png`) });
      await settings.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  process.stdout.write(`screenshots written to ${OUT}\n`);
}

void main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
