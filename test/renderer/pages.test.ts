// The built popover and settings pages in real Chromium, talking to a fake
// `window.breather` bridge: what they show, what they ask main for, and the CSP.
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultSettings } from '../../src/shared/settings.js';
import type { Status } from '../../src/shared/status.js';
import { calls, launchChromium, serveRenderer, violations, withFakeBridge } from '../support/renderer-harness.js';

const NOW = Date.now();
const iso = (offsetMinutes: number) => new Date(NOW + offsetMinutes * 60_000).toISOString();

function cannedStatus(fiveHourPercent: number): Status {
  return {
    now: iso(0),
    windows: {
      five_hour: { id: 'five_hour', usedPercent: fiveHourPercent, source: 'statusline', asOf: iso(-1), startsAt: iso(-175), resetsAt: iso(125), anchor: 'statusline', tokens: 1_234_567, costUSD: 12.5, burnRate: { tokensPerMinute: 4200, costPerHour: 3.1 }, runsOutAt: null, minutesLeft: null, confidence: 1 },
      seven_day: { id: 'seven_day', usedPercent: 40, source: 'learned', asOf: iso(-1), startsAt: iso(-3 * 1440), resetsAt: iso(4 * 1440 + 60), anchor: 'limit-hit', tokens: 9_000_000, costUSD: 80, burnRate: null, runsOutAt: null, minutesLeft: null, confidence: 0.6 },
    },
    lastLimitHit: { at: iso(-2 * 1440), window: 'five_hour', resetsAt: iso(-2 * 1440 + 60), text: "You've hit your session limit · resets 3pm", sessionId: 's-0', cwd: '/work/shop' },
    activeSessions: [
      { sessionId: 's-1', cwd: '/home/dev/projects/shop', lastActivity: iso(-3) },
      { sessionId: 's-2', cwd: '/home/dev/projects/blog', lastActivity: iso(-20) },
    ],
    health: { roots: [{ path: '/home/dev/.claude', exists: true }], files: 12, bytesIndexed: 5 * 1024 * 1024, skippedLines: { garbage: 2 }, unfinishedLines: 0, index: 'updated', diagnostics: [] },
  };
}

let browser: Browser;
let server: Awaited<ReturnType<typeof serveRenderer>>;
const pages: Page[] = [];

beforeAll(async () => {
  server = await serveRenderer();
  browser = await launchChromium();
}, 120_000);

afterEach(async () => {
  for (const page of pages.splice(0)) await page.close().catch(() => undefined);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(path: string, status: Status | null = cannedStatus(62.4)): Promise<Page> {
  const page = await browser.newPage();
  pages.push(page);
  await withFakeBridge(page, { status, settingsView: { settings: defaultSettings(), path: '/state/settings.json', notices: [] } });
  await page.goto(`${server.url}/${path}`);
  return page;
}

describe('popover', () => {
  it('shows each window with its percentage, source, reset countdown and burn rate, the sessions, the last hit and data health', async () => {
    const page = await open('popover.html');
    const five = page.getByTestId('window-five_hour');
    await expect.poll(() => five.getByTestId('percent').textContent(), { timeout: 15_000 }).toBe('62%');
    expect(await five.getByTestId('source').textContent()).toBe('Source: official (statusline)');
    expect(await five.getByTestId('reset').textContent()).toMatch(/^Resets in 2 h (4|5) min$/);
    expect(await five.getByTestId('burn').textContent()).toContain('4.2k tokens/min');
    const weekly = page.getByTestId('window-seven_day');
    expect(await weekly.getByTestId('percent').textContent()).toBe('40%');
    expect(await weekly.getByTestId('source').textContent()).toBe('Source: estimate (learned from limit hits), 60% confidence');
    expect(await weekly.getByTestId('reset').textContent()).toMatch(/^Resets in 4 d (0|1) h$/);
    expect(await page.getByTestId('session').allTextContents()).toEqual(['shop 3 min ago', 'blog 20 min ago']);
    expect(await page.locator('#last-hit').textContent()).toContain('Last limit hit 2 d ago, since reset');
    expect(await page.locator('#health').textContent()).toBe('Data: 12 files, 5.0 MB indexed, 2 skipped lines, index updated');
    expect((await calls(page)).map(([channel]) => channel)).toEqual(['status:get']);
  });

  it('"Checkpoint now" asks main for checkpoint:now and shows the answer', async () => {
    const page = await open('popover.html');
    await page.getByRole('button', { name: 'Checkpoint now' }).click();
    await expect.poll(() => page.locator('#message').textContent(), { timeout: 15_000 }).toBe('Checkpointed 1 project (1 stashed).');
    expect(await calls(page)).toContainEqual(['checkpoint:now', { pause: false }]);
  });

  it('a pushed status:changed updates the page', async () => {
    const page = await open('popover.html', null);
    await expect.poll(() => page.locator('#windows').textContent(), { timeout: 15_000 }).toContain('Reading Claude Code usage');
    await page.evaluate((status) => (window as unknown as { __push: (c: string, s: unknown) => void }).__push('status:changed', status), cannedStatus(91));
    await expect.poll(() => page.getByTestId('window-five_hour').getByTestId('percent').textContent(), { timeout: 15_000 }).toBe('91%');
  });

  it('has a strict CSP that blocks an injected inline script', async () => {
    const page = await open('popover.html');
    await page.getByTestId('window-five_hour').waitFor();
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'none'");
    expect(await violations(page)).toEqual([]);
    const ran = await page.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true;';
      document.body.append(script);
      await new Promise((r) => setTimeout(r, 100));
      return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
    });
    expect(ran).toBe(false);
    await expect.poll(() => violations(page), { timeout: 10_000 }).toContainEqual(expect.objectContaining({ directive: expect.stringMatching(/^script-src/), blocked: 'inline' }));
  });
});

describe('settings page', () => {
  it('rejects an invalid threshold in the page, without asking main', async () => {
    const page = await open('settings.html');
    const field = page.locator('#threshold-five-hour');
    await expect.poll(() => field.inputValue(), { timeout: 15_000 }).toBe('50, 75, 90, 95');
    await field.fill('50, 150');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('#errors li').allTextContents(), { timeout: 10_000 }).toEqual([expect.stringMatching(/^alerts\.thresholds\.five_hour\.1: /)]);
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect((await calls(page)).map(([channel]) => channel)).toEqual(['settings:get']);
    // The schema runs without eval: no CSP violation from loading zod.
    expect(await violations(page)).toEqual([]);
  });

  it('sends valid settings with settings:set', async () => {
    const page = await open('settings.html');
    const field = page.locator('#threshold-five-hour');
    await expect.poll(() => field.inputValue(), { timeout: 15_000 }).toBe('50, 75, 90, 95');
    await field.fill('60, 80');
    await page.locator('#plan-preset').selectOption('max_5x');
    await page.locator('#hotkey').fill('CommandOrControl+Alt+K');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('#saved').textContent(), { timeout: 10_000 }).toBe('Saved.');
    const sent = (await calls(page)).filter(([channel]) => channel === 'settings:set');
    expect(sent).toHaveLength(1);
    const expected = defaultSettings();
    expected.alerts.thresholds.five_hour = [60, 80];
    expected.plan.preset = 'max_5x';
    expected.globalHotkey = 'CommandOrControl+Alt+K';
    expect(sent[0]![1]).toEqual(expected);
    expect(await page.locator('#errors li').count()).toBe(0);
  });
});
