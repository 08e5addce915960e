// Every popover state in real Chromium at the window's real size, in light and
// dark mode: nothing overflows (no scrolling), the charts are drawn, the
// breakdown and the checkpoints are there, no console errors, no CSP
// violations, and axe-core finds no serious accessibility problem.
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WINDOW_SIZES } from '../../src/main/windows.js';
import { defaultSettings } from '../../src/shared/settings.js';
import { POPOVER_STATES, POPOVER_STATE_NAMES } from '../support/popover-states.js';
import { launchChromium, openPage, serveRenderer, violations } from '../support/renderer-harness.js';

const AXE_SOURCE: string = (createRequire(import.meta.url)('axe-core') as { source: string }).source;

let browser: Browser;
let server: Awaited<ReturnType<typeof serveRenderer>>;

beforeAll(async () => {
  server = await serveRenderer();
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function openState(name: string, dark: boolean): Promise<{ page: Page; errors: string[] }> {
  const { status, dashboard, integration } = POPOVER_STATES[name]!();
  const errors: string[] = [];
  const opened = await openPage(browser, `${server.url}/popover.html`, { status, dashboard, integration, settingsView: { settings: defaultSettings(), path: '/s.json', notices: [] } }, { ...WINDOW_SIZES.popover, dark, errors });
  await opened.waitForSelector('#chart-window canvas', { timeout: 15_000 });
  return { page: opened, errors };
}

/** Every element's box stays inside the window: nothing needs scrolling, nothing is cut at the sides. */
function overflow(page: Page) {
  return page.evaluate(() => {
    const doc = document.documentElement;
    const outside = Array.from(document.querySelectorAll<HTMLElement>('body *'))
      .filter((el) => el.offsetParent !== null || el.tagName === 'CANVAS')
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && (r.bottom > window.innerHeight + 0.5 || r.right > window.innerWidth + 0.5);
      })
      .map((el) => `${el.tagName.toLowerCase()}#${el.id}.${el.className}`);
    return { scroll: doc.scrollHeight - window.innerHeight, wide: doc.scrollWidth - window.innerWidth, outside };
  });
}

/** Pixels of a canvas that are not transparent: the chart actually drew something. */
function inked(page: Page, selector: string) {
  return page.evaluate((sel) => {
    const canvas = document.querySelector<HTMLCanvasElement>(sel)!;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let count = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) count++;
    return count;
  }, selector);
}

async function seriousA11y(page: Page) {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe.each([false, true])('popover (dark: %s)', (dark) => {
  it.each(POPOVER_STATE_NAMES)('%s: fits, draws its charts, has the details, no errors, no CSP violation, accessible', async (name) => {
    const { page, errors } = await openState(name, dark);
    const state = POPOVER_STATES[name]!();
    const windows = Object.keys(state.status?.windows ?? {});
    await expect.poll(() => page.getByTestId(/^window-/).count(), { timeout: 10_000 }).toBe(windows.length);
    expect(await overflow(page)).toEqual({ scroll: 0, wide: 0, outside: [] });
    expect(await inked(page, '#chart-window canvas')).toBeGreaterThan(500);
    expect(await inked(page, '#chart-days canvas')).toBeGreaterThan(200);
    // The first line follows the window that stops you first (or the limit banner replaces it).
    if (state.dashboard?.limit) expect(await page.getByTestId('limit-banner').textContent()).toMatch(/^Limit reached · resets \d\d:\d\d, in 2 h 0 min$/);
    else expect(await page.getByTestId('headline').textContent()).toBe(state.dashboard!.headline);
    if (state.dashboard?.lead) expect(await page.getByTestId(`window-${state.dashboard.lead}`).getAttribute('class')).toContain('lead');
    expect(await page.getByTestId('paused-banner').isVisible()).toBe(state.dashboard!.paused.length > 0);
    // Without any official figure (and nothing installed) the popover offers to connect Claude Code.
    const official = Object.values(state.status?.windows ?? {}).some((w) => w?.source === 'statusline');
    await expect.poll(() => page.getByTestId('connect-nudge').isVisible(), { timeout: 10_000 }).toBe(!official);
    expect(await overflow(page)).toEqual({ scroll: 0, wide: 0, outside: [] });
    expect(await seriousA11y(page)).toEqual([]);

    await page.click('#tab-breakdown');
    await page.getByTestId('breakdown').waitFor();
    const projects = state.dashboard!.breakdown.week.byProject.map((s) => s.name);
    for (const project of projects) expect(await page.locator('#breakdown-week').textContent()).toContain(project);
    expect(await overflow(page)).toEqual({ scroll: 0, wide: 0, outside: [] });
    expect(await seriousA11y(page)).toEqual([]);

    await page.click('#tab-checkpoints');
    const checkpoints = state.dashboard!.checkpoints.length;
    if (checkpoints > 0) expect(await page.getByTestId('checkpoint').count()).toBe(checkpoints);
    else expect(await page.getByTestId('checkpoints').textContent()).toContain('No checkpoints yet');
    expect(await overflow(page)).toEqual({ scroll: 0, wide: 0, outside: [] });
    expect(await seriousA11y(page)).toEqual([]);

    expect(errors).toEqual([]);
    expect(await violations(page)).toEqual([]);
    await page.close();
  }, 60_000);
});

describe('popover behaviour', () => {
  it('the connect nudge opens Settings at the Claude Code section, "Not now" hides it, and it stays away once installed', async () => {
    const { page } = await openState('estimate', false);
    const nudge = page.getByTestId('connect-nudge');
    await nudge.waitFor();
    await page.getByRole('button', { name: 'Connect Claude Code for official figures' }).click();
    const sent = await page.evaluate(() => (window as unknown as { __calls: [string, unknown][] }).__calls);
    expect(sent).toContainEqual(['integration:open-settings', null]);
    // Nothing is installed from the popover itself: that is done in Settings, seen.
    expect(sent.map(([c]) => c)).not.toContain('integration:install');
    await page.getByRole('button', { name: 'Not now' }).click();
    expect(await nudge.isVisible()).toBe(false);
    await page.reload();
    await page.waitForSelector('#chart-window canvas');
    await expect.poll(async () => (await page.evaluate(() => (window as unknown as { __calls: [string, unknown][] }).__calls)).some(([c]) => c === 'integration:status')).toBe(true);
    expect(await nudge.isVisible()).toBe(false);
    await page.close();

    // Installed but no figure yet (an older Claude Code): no nudge either.
    const estimate = POPOVER_STATES.estimate!();
    const installed = await openPage(browser, `${server.url}/popover.html`, { ...estimate, integration: { ...estimate.integration, installed: 'yes', upToDate: true } }, { ...WINDOW_SIZES.popover });
    await installed.waitForSelector('#chart-window canvas');
    await expect.poll(async () => (await installed.evaluate(() => (window as unknown as { __calls: [string, unknown][] }).__calls)).some(([c]) => c === 'integration:status')).toBe(true);
    expect(await installed.getByTestId('connect-nudge').isVisible()).toBe(false);
    await installed.close();
  });

  it('official vs estimate sources read differently, with freshness', async () => {
    const official = await openState('ok', false);
    expect(await official.page.getByTestId('window-five_hour').getByTestId('source').textContent()).toBe('official · 42 s ago');
    await official.page.close();
    const estimate = await openState('estimate', false);
    expect(await estimate.page.getByTestId('window-five_hour').getByTestId('source').textContent()).toBe('estimate · learned, 60% sure');
    expect(await estimate.page.getByTestId('window-seven_day').getByTestId('source').textContent()).toBe('estimate · plan default');
    await estimate.page.close();
  });

  it('resets show a local time with a countdown, and a run-out time when the pace says so', async () => {
    const { page } = await openState('warning', false);
    const five = page.getByTestId('window-five_hour');
    expect(await five.getByTestId('reset').textContent()).toMatch(/^resets \d\d:\d\d · in 2 h 0 min$/);
    expect(await five.getByTestId('runs-out').textContent()).toMatch(/^runs out ~\d\d:\d\d$/);
    expect(await page.getByRole('meter', { name: '5-hour window used' }).getAttribute('aria-valuetext')).toBe('81 percent');
    await page.close();
  });

  it('Resume, the checkpoint actions, the snooze length from settings, and Escape go to main', async () => {
    const { page } = await openState('paused', false);
    await page.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => page.locator('#message').textContent()).toBe('Resumed 1 project.');
    await page.click('#tab-checkpoints');
    await page.getByRole('button', { name: /^Copy restore command for shop/ }).click();
    await page.getByRole('button', { name: /^Open resume prompt for shop/ }).click();
    await expect.poll(() => page.getByRole('button', { name: /^Snooze/ }).textContent()).toBe(`Snooze ${defaultSettings().alerts.snoozeDefaultMinutes / 60} h`);
    await page.getByRole('button', { name: /^Snooze/ }).click();
    await page.keyboard.press('Escape');
    const sent = await page.evaluate(() => (window as unknown as { __calls: [string, unknown][] }).__calls);
    const checkpoint = POPOVER_STATES.paused!().dashboard!.checkpoints[0]!;
    expect(sent).toEqual(
      expect.arrayContaining([
        ['pause:resume', null],
        ['checkpoint:copy-restore', { checkpointId: checkpoint.id, projectDir: checkpoint.projects[0]!.projectDir }],
        ['checkpoint:open-prompt', { checkpointId: checkpoint.id, projectDir: checkpoint.projects[0]!.projectDir }],
        ['alerts:snooze', { minutes: defaultSettings().alerts.snoozeDefaultMinutes }],
        ['window:close', null],
      ]),
    );
    await page.close();
  });
});
