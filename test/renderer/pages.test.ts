// The built pages in real Chromium, talking to a fake `window.breather`
// bridge: the popover's CSP and live updates, and the settings page (every
// setting reachable, errors beside their fields, the hotkey recorder, disabled
// fields, Save always visible, leaving with unsaved edits, accessibility).
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WINDOW_SIZES } from '../../src/main/windows.js';
import { defaultSettings } from '../../src/shared/settings.js';
import { POPOVER_STATES } from '../support/popover-states.js';
import { type BridgeData, calls, chromiumSuite, openPage, violations } from '../support/renderer-harness.js';

const AXE_SOURCE: string = (createRequire(import.meta.url)('axe-core') as { source: string }).source;

const chromium = chromiumSuite({ beforeAll, afterEach, afterAll });

async function open(path: 'popover.html' | 'settings.html', data: Partial<BridgeData> = {}, dark = false): Promise<Page> {
  const page = await openPage(chromium.browser, `${chromium.url}/${path}`, { status: null, settingsView: { settings: defaultSettings(), path: '/state/settings.json', notices: [] }, ...data }, { ...WINDOW_SIZES[path === 'popover.html' ? 'popover' : 'settings'], dark });
  chromium.keep(page);
  if (path === 'settings.html') await expect.poll(() => page.locator('#threshold-five-hour').inputValue(), { timeout: 15_000 }).toBe('50, 75, 90, 95');
  return page;
}

const sent = async (page: Page) => (await calls(page)).filter(([channel]) => channel === 'settings:set').map(([, payload]) => payload);

describe('popover', () => {
  it('a pushed status:changed and dashboard:changed update the page', async () => {
    const page = await open('popover.html');
    await expect.poll(() => page.locator('#windows').textContent(), { timeout: 15_000 }).toContain('Reading Claude Code usage');
    const { status, dashboard } = POPOVER_STATES.critical!();
    await page.evaluate(([s, d]) => {
      const w = window as unknown as { __push: (c: string, p: unknown) => void };
      w.__push('status:changed', s);
      w.__push('dashboard:changed', d);
    }, [status, dashboard] as const);
    await expect.poll(() => page.getByTestId('window-five_hour').getByTestId('percent').textContent(), { timeout: 15_000 }).toBe('94%');
    expect(await page.getByTestId('headline').textContent()).toBe(dashboard!.headline);
  });

  it('has a strict CSP that blocks an injected inline script', async () => {
    const { status, dashboard } = POPOVER_STATES.ok!();
    const page = await open('popover.html', { status, dashboard });
    await page.getByTestId('window-five_hour').waitFor();
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
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

/** Every leaf path of a settings object ("alerts.thresholds.five_hour", …). */
function leaves(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([key, child]) => leaves(child, prefix ? `${prefix}.${key}` : key));
}

function valueAt(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => (v as Record<string, unknown> | null)?.[key], value);
}

describe('settings page', () => {
  it('puts a human sentence beside the field, linked by aria-describedby, focuses it, and asks main nothing', async () => {
    const page = await open('settings.html');
    const field = page.locator('#threshold-five-hour');
    await field.fill('50, 150');
    await page.locator('#snooze-minutes').fill('0');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('#threshold-five-hour-error').textContent(), { timeout: 10_000 }).toBe('5-hour thresholds must be whole percentages from 1 to 100, separated by commas.');
    expect(await page.locator('#snooze-minutes-error').textContent()).toBe('The snooze length must be at least 1.');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await field.getAttribute('aria-describedby')).toContain('threshold-five-hour-error');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('threshold-five-hour');
    expect((await calls(page)).map(([channel]) => channel)).not.toContain('settings:set');
    expect(await violations(page)).toEqual([]);
  });

  it('reaches every setting of the schema', async () => {
    const page = await open('settings.html');
    const edits: [string, string][] = [
      ['#threshold-five-hour', '60, 80'], ['#threshold-seven-day', '70'], ['#threshold-opus', '85'], ['#threshold-sonnet', '86'],
      ['#predictive-minutes', '30'], ['#snooze-minutes', '45'], ['#cap-five-hour', '12'], ['#cap-seven-day', '80'],
      ['#data-roots', '/data/claude'], ['#account-poll', '15'], ['#wsl-excluded', 'Ubuntu'], ['#auto-threshold', '90'],
      ['#active-minutes', '20'], ['#untracked-cap', '5'], ['#hotkey', 'Alt+F9'], ['#working-stretch', '8'], ['#prompt-budget', '12'], ['#statusline-timeout', '3000'], ['#max-line-mb', '32'],
    ];
    for (const id of ['#quiet-enabled', '#anchor-enabled', '#account-enabled', '#launch-at-login', '#prompt-into-repo', '#limit-notice', '#reset-notice', '#notifications-sound', '#notifications-actions', '#auto-limit-hit', '#skip-secrets', '#session-start-context', '#wsl-enabled']) await page.locator(id).click();
    await page.locator('#wsl-enabled').click(); // back on, so its list is editable
    await page.locator('#plan-preset').selectOption('custom');
    await page.locator('#anchor-weekday').selectOption('fri');
    await page.locator('#pause-ends').selectOption('manual');
    for (const [id, value] of edits) await page.locator(id).fill(value);
    await page.locator('#quiet-zone').fill('Europe/Berlin');
    await page.locator('#anchor-zone').fill('Europe/Berlin');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('#saved').textContent(), { timeout: 10_000 }).toBe('Saved.');
    const [saved] = (await sent(page)) as Record<string, unknown>[];
    const defaults = defaultSettings();
    // Leaves the page can't change by design: the schema version, the notifications master switch (checked below).
    const untouched = leaves(defaults).filter((path) => JSON.stringify(valueAt(saved, path)) === JSON.stringify(valueAt(defaults, path)));
    expect(untouched).toEqual(['version', 'notifications.enabled', 'wsl.enabled']);
    await page.locator('#notifications-enabled').click();
    expect(await page.locator('#notifications-sound').isDisabled()).toBe(true);
  });

  it('disables the fields of a switched-off feature', async () => {
    const page = await open('settings.html');
    for (const id of ['#quiet-start', '#quiet-zone', '#cap-five-hour', '#anchor-time', '#account-poll']) expect(await page.locator(id).isDisabled(), id).toBe(true);
    await page.locator('#quiet-enabled').click();
    expect(await page.locator('#quiet-start').isDisabled()).toBe(false);
    await page.locator('#plan-preset').selectOption('custom');
    expect(await page.locator('#cap-five-hour').isDisabled()).toBe(false);
  });

  it('records a hotkey from the keys pressed and shows main\'s registration result at once', async () => {
    const notice = 'The hotkey CommandOrControl+Alt+Shift+K is already used by another application.';
    const page = await open('settings.html', { setNotices: [notice] });
    await page.getByRole('button', { name: 'Record…' }).click();
    await page.keyboard.press('Control+Alt+Shift+KeyK');
    await expect.poll(() => page.locator('#hotkey').inputValue(), { timeout: 10_000 }).toBe('CommandOrControl+Alt+Shift+K');
    await expect.poll(() => page.locator('#hotkey-status').textContent(), { timeout: 10_000 }).toBe(notice);
    expect(((await sent(page))[0] as { globalHotkey: string }).globalHotkey).toBe('CommandOrControl+Alt+Shift+K');
  });

  it('keeps Save visible at the window size, marks settings that apply after a restart', async () => {
    const page = await open('settings.html');
    const inView = () => page.getByRole('button', { name: 'Save' }).evaluate((b) => b.getBoundingClientRect().bottom <= window.innerHeight);
    expect(await inView()).toBe(true);
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    expect(await inView()).toBe(true);
    expect(await page.locator('.restart').count()).toBeGreaterThanOrEqual(3);
  });

  it('Escape closes at once when nothing changed, and asks first when something did', async () => {
    const page = await open('settings.html');
    await page.keyboard.press('Escape');
    expect((await calls(page)).map(([c]) => c)).toContain('window:close');
    const edited = await open('settings.html');
    await edited.locator('#snooze-minutes').fill('25');
    await edited.keyboard.press('Escape');
    expect(await edited.locator('#leave-dialog').evaluate((d) => (d as HTMLDialogElement).open)).toBe(true);
    expect((await calls(edited)).map(([c]) => c)).not.toContain('window:close');
    await edited.getByRole('button', { name: 'Keep editing' }).click();
    expect(await edited.locator('#snooze-minutes').inputValue()).toBe('25');
  });

  it.each([false, true])('has no serious accessibility violation (dark: %s)', async (dark) => {
    const page = await open('settings.html', {}, dark);
    await page.evaluate(AXE_SOURCE);
    const result = await page.evaluate(() => (window as unknown as { axe: { run: (d: Document) => Promise<{ violations: { id: string; impact: string }[] }> } }).axe.run(document));
    expect(result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  });
});
