// The Settings window's Claude Code section in real Chromium at the window's
// size: not installed, installed (each command's path, the bridge's last
// report and Claude Code version, auto-continue), Install / Uninstall with
// main's sentence, a settings.json with invalid JSON (its message, nothing
// changed), the popover's "show this section"; nothing wider than the window,
// no console errors, axe clean, light and dark.
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WINDOW_SIZES } from '../../src/main/windows.js';
import type { IntegrationView } from '../../src/shared/ipc-contract.js';
import { defaultSettings } from '../../src/shared/settings.js';
import { integrationFixture } from '../support/popover-states.js';
import { type BridgeData, calls, chromiumSuite, openPage, violations } from '../support/renderer-harness.js';

const AXE_SOURCE: string = (createRequire(import.meta.url)('axe-core') as { source: string }).source;

const chromium = chromiumSuite({ beforeAll, afterEach, afterAll });
let errors: string[] = [];

async function open(data: Partial<BridgeData>, dark = false): Promise<Page> {
  errors = [];
  const page = await openPage(chromium.browser, `${chromium.url}/settings.html`, { status: null, settingsView: { settings: defaultSettings(), path: '/state/settings.json', notices: [] }, ...data }, { ...WINDOW_SIZES.settings, dark, errors });
  chromium.keep(page);
  await page.getByTestId('integration-state').waitFor({ timeout: 15_000 });
  return page;
}

const section = (page: Page) => page.locator('#integration-slot');

/** Nothing in the section is wider than the window (long command paths wrap). */
const tooWide = (page: Page) =>
  page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('#integration *'))
      .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`),
  );

async function seriousA11y(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(() => (window as unknown as { axe: { run: (d: Document) => Promise<{ violations: { id: string; impact: string }[] }> } }).axe.run(document));
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
}

describe.each([false, true])('settings: Claude Code integration (dark: %s)', (dark) => {
  it('not installed: says so, offers Install, Uninstall is off', async () => {
    const view = integrationFixture(false);
    const page = await open({ integration: view }, dark);
    expect(await page.getByTestId('integration-state').textContent()).toBe('Not installed.');
    expect(await section(page).textContent()).toContain(`In ${view.settingsPath}.`);
    expect(await section(page).textContent()).toContain('Bridge: no report yet');
    expect(await page.getByRole('button', { name: 'Install', exact: true }).isEnabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Uninstall' }).isDisabled()).toBe(true);
    expect(await tooWide(page)).toEqual([]);
    expect(await seriousA11y(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("installed: each command's path, the bridge's last report with the Claude Code version, auto-continue", async () => {
    const view = integrationFixture(true, { autoContinue: { state: 'on', where: '/home/dev/.claude.json' } });
    const page = await open({ integration: view }, dark);
    expect(await page.getByTestId('integration-state').textContent()).toBe('Installed.');
    const listed = await page.getByTestId('integration-commands').locator('dd').allTextContents();
    expect(listed).toEqual(view.commands.map((c) => `${c.command ?? 'not installed'}${c.note ? ` (${c.note})` : ''}`));
    const text = (await section(page).textContent())!;
    expect(text).toContain(`from Claude Code ${view.bridge.claudeCodeVersion}`);
    expect(text).toMatch(/Bridge: last report (\w{3} )?\d\d:\d\d \(\d+ (min|h|d) ago\)/);
    expect(text).toContain("Claude Code's auto-continue at the usage limit: on (in /home/dev/.claude.json).");
    expect(await page.getByRole('button', { name: 'Uninstall' }).isEnabled()).toBe(true);
    expect(await tooWide(page)).toEqual([]);
    expect(await seriousA11y(page)).toEqual([]);
    expect(errors).toEqual([]);
  });
});

describe('settings: Install / Uninstall', () => {
  it("Install shows main's sentence and the new state; Uninstall brings it back", async () => {
    const after: IntegrationView = integrationFixture(true);
    const installMessage = `Installed in ${after.settingsPath}. Claude Code picks it up in its next session.`;
    const uninstallMessage = `Uninstalled from ${after.settingsPath}: the file is back exactly as it was before install.`;
    const page = await open({
      integration: integrationFixture(false),
      integrationActions: {
        install: { ok: true, changed: true, message: installMessage, view: after },
        uninstall: { ok: true, changed: true, message: uninstallMessage, view: integrationFixture(false) },
      },
    });
    await page.getByRole('button', { name: 'Install', exact: true }).click();
    await expect.poll(() => page.getByTestId('integration-message').textContent(), { timeout: 10_000 }).toBe(installMessage);
    expect(await page.getByTestId('integration-state').textContent()).toBe('Installed.');
    expect(await page.getByTestId('integration-message').getAttribute('class')).not.toContain('warn');
    await page.getByRole('button', { name: 'Uninstall' }).click();
    await expect.poll(() => page.getByTestId('integration-message').textContent(), { timeout: 10_000 }).toBe(uninstallMessage);
    expect(await page.getByTestId('integration-state').textContent()).toBe('Not installed.');
    // Install is not a settings edit: nothing to save, no settings:set.
    expect((await calls(page)).map(([c]) => c)).not.toContain('settings:set');
    expect(await page.locator('#saved').textContent()).toBe('');
    expect(errors).toEqual([]);
  });

  it('invalid JSON in settings.json: the problem is shown, Install answers with it, nothing changed', async () => {
    const problem = "/home/dev/.claude/settings.json is not valid JSON (Expected double-quoted property name in JSON at position 19). Claude Code's settings.json allows no comments or trailing commas; fix it first. Nothing was changed.";
    const broken = integrationFixture(false, { problem });
    const page = await open({ integration: broken, integrationActions: { install: { ok: false, changed: false, message: problem, view: broken } } });
    expect(await page.getByTestId('integration-problem').textContent()).toBe(problem);
    await page.getByRole('button', { name: 'Install', exact: true }).click();
    await expect.poll(() => page.getByTestId('integration-message').textContent(), { timeout: 10_000 }).toBe(problem);
    expect(await page.getByTestId('integration-message').getAttribute('class')).toContain('warn');
    expect(await page.getByTestId('integration-state').textContent()).toBe('Not installed.');
    expect(await tooWide(page)).toEqual([]);
    expect(await seriousA11y(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("main's settings:show-section scrolls to the section and focuses its first button", async () => {
    const page = await open({ integration: integrationFixture(false) });
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    await page.evaluate(() => (window as unknown as { __push: (c: string, p: unknown) => void }).__push('settings:show-section', 'integration'));
    await expect.poll(() => page.evaluate(() => document.activeElement?.id), { timeout: 10_000 }).toBe('integration-install');
    const top = await page.locator('#integration').evaluate((el) => el.getBoundingClientRect().top);
    expect(top).toBeGreaterThanOrEqual(0);
    expect(top).toBeLessThan(WINDOW_SIZES.settings.height / 2);
    expect(await violations(page)).toEqual([]);
  });
});
