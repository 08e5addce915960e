// Serves the built pages (dist/renderer) from 127.0.0.1 and opens them in the
// system Chromium with a fake `window.breather` bridge that answers from canned
// data and records every call.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';
import type { DashboardData, IntegrationActionResult, IntegrationView, SettingsView, Status } from '../../src/shared/ipc-contract.js';

export const RENDERER_DIR = resolve(import.meta.dirname, '../../dist/renderer');

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.map': 'application/json' };

export async function serveRenderer(): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)).replace(/^([/\\])+/, '');
    const file = join(RENDERER_DIR, path);
    if (!file.startsWith(RENDERER_DIR)) {
      response.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) => response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((done) => server.close(() => done())) };
}

/** Opens a page at the window's real size, in light or dark mode. */
export async function openPage(browser: Browser, url: string, data: BridgeData, options: { width: number; height: number; dark?: boolean; errors?: string[] }): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: options.width, height: options.height }, colorScheme: options.dark ? 'dark' : 'light' });
  const errors = options.errors;
  if (errors) {
    page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
    page.on('pageerror', (e) => void errors.push(e.message));
  }
  await withFakeBridge(page, data);
  await page.goto(url);
  return page;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    timeout: 60_000,
  });
}

export interface BridgeData {
  status: Status | null;
  dashboard?: DashboardData | null;
  settingsView?: SettingsView;
  /** Notices main returns from settings:set (e.g. a hotkey another app holds). */
  setNotices?: string[];
  /** What integration:status answers (null: no answer, as before main had the channel). */
  integration?: IntegrationView | null;
  /** What Install / Uninstall answer; their view becomes the new status. */
  integrationActions?: { install?: IntegrationActionResult; uninstall?: IntegrationActionResult };
}

/** Installs the fake bridge before any page script; calls land in window.__calls. */
export async function withFakeBridge(page: Page, data: BridgeData): Promise<void> {
  await page.addInitScript((canned: BridgeData) => {
    const w = window as unknown as Record<string, any>;
    w.__calls = [] as [string, unknown][];
    w.__violations = [] as { directive: string; blocked: string; sample: string }[];
    document.addEventListener('securitypolicyviolation', (e) => w.__violations.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample }));
    const listeners: Record<string, (payload: unknown) => void> = {};
    w.__push = (channel: string, payload: unknown) => listeners[channel]?.(payload);
    let settings = canned.settingsView?.settings;
    let integration = canned.integration ?? null;
    w.breather = {
      invoke(channel: string, request?: unknown) {
        w.__calls.push([channel, request ?? null]);
        switch (channel) {
          case 'status:get':
            return Promise.resolve(canned.status);
          case 'dashboard:get':
            return Promise.resolve(canned.dashboard ?? null);
          case 'pause:resume':
            return Promise.resolve({ resumed: ['/home/dev/projects/shop'] });
          case 'checkpoint:copy-restore':
            return Promise.resolve({ ok: true, command: 'breather restore x --apply' });
          case 'checkpoint:open-prompt':
            return Promise.resolve({ ok: true, message: 'Opened the resume prompt.' });
          case 'roots:discovered':
            return Promise.resolve([]);
          case 'checkpoint:now':
            return Promise.resolve({ ok: true, id: 'cp-1', paused: false, projects: [{ projectDir: '/work/shop', status: 'stashed', promptPath: '/state/checkpoints/x.md' }], message: 'Checkpointed 1 project (1 stashed).' });
          case 'alerts:snooze':
            return Promise.resolve({ ok: true, until: null });
          case 'settings:get':
            return Promise.resolve({ ...canned.settingsView, settings });
          case 'integration:status':
            return integration ? Promise.resolve(integration) : Promise.reject(new Error('no integration status in this test'));
          case 'integration:install':
          case 'integration:uninstall': {
            const result = canned.integrationActions?.[channel === 'integration:install' ? 'install' : 'uninstall'];
            if (!result) return Promise.reject(new Error(`${channel} was not expected`));
            if (result.view) integration = result.view;
            return Promise.resolve(result);
          }
          case 'settings:set':
            settings = request as typeof settings;
            return Promise.resolve({ ok: true, settings: request, notices: canned.setNotices ?? [] });
          default:
            return Promise.resolve(undefined);
        }
      },
      on(channel: string, listener: (payload: unknown) => void) {
        listeners[channel] = listener;
        return () => delete listeners[channel];
      },
    };
  }, data);
}

export function calls(page: Page): Promise<[string, unknown][]> {
  return page.evaluate(() => (window as unknown as { __calls: [string, unknown][] }).__calls);
}

export function violations(page: Page): Promise<{ directive: string; blocked: string; sample: string }[]> {
  return page.evaluate(() => (window as unknown as { __violations: { directive: string; blocked: string; sample: string }[] }).__violations);
}

/**
 * A suite's Chromium and page server: started before its tests, closed after;
 * every page passed to `keep` is closed after each test.
 */
export function chromiumSuite(hooks: { beforeAll: (fn: () => Promise<void>, timeout?: number) => void; afterEach: (fn: () => Promise<void>) => void; afterAll: (fn: () => Promise<void>) => void }) {
  const suite = { browser: null as unknown as Browser, url: '', keep: (page: Page) => (open.push(page), page) };
  const open: Page[] = [];
  let server: Awaited<ReturnType<typeof serveRenderer>> | null = null;
  hooks.beforeAll(async () => {
    server = await serveRenderer();
    suite.url = server.url;
    suite.browser = await launchChromium();
  }, 120_000);
  hooks.afterEach(async () => {
    for (const page of open.splice(0)) await page.close().catch(() => undefined);
  });
  hooks.afterAll(async () => {
    await suite.browser?.close();
    await server?.close();
  });
  return suite;
}
