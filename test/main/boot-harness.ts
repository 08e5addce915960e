// Loads the BUILT main bundle (dist/main/main.cjs) in plain Node against the
// recording fake electron, with a chosen environment and (for the per-OS
// checks) a chosen process.platform, and quits it cleanly afterwards.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { inflateSync } from 'node:zlib';
import { expect } from 'vitest';
import { type FakeImage, type FakeMenuItem, installFakeElectron, waitFor } from '../support/fake-electron.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const MAIN = join(ROOT, 'dist/main/main.cjs');

export interface BootedApp {
  fake: ReturnType<typeof installFakeElectron>['fake'];
  quit(): Promise<void>;
}

export function flatten(items: FakeMenuItem[]): FakeMenuItem[] {
  return items.flatMap((item) => [item, ...flatten(item.submenu ?? [])]);
}

/** Sets env vars (undefined removes) and returns a function that restores them. */
export function withEnv(vars: Record<string, string | undefined>): () => void {
  const saved = new Map<string, string | undefined>();
  for (const [name, value] of Object.entries(vars)) {
    saved.set(name, process.env[name]);
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  return () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

/** Requires main with a faked platform; main's top level (userData, AppUserModelId) runs at once. */
/** No session bus: a notice with actions fails over to node-notifier (the recording fake) instead of a real notify-send that waits. */
export const NO_SESSION_BUS = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/breather-test-bus' };

export function bootMain(platform: NodeJS.Platform = process.platform): BootedApp {
  expect(existsSync(MAIN), 'run `node scripts/build.mjs` first').toBe(true);
  const realPlatform = Object.getOwnPropertyDescriptor(process, 'platform')!;
  Object.defineProperty(process, 'platform', { ...realPlatform, value: platform });
  const installed = installFakeElectron();
  const require = createRequire(import.meta.url);
  delete require.cache[MAIN];
  try {
    require(MAIN);
  } finally {
    // Main read the platform at load and at ready; keep it faked until quit.
  }
  return {
    fake: installed.fake,
    async quit() {
      if (installed.fake.app.exitCode === null) installed.fake.app.quit();
      await waitFor(() => installed.fake.app.exitCode !== null, 'the app to exit', 30_000).catch(() => undefined);
      installed.restore();
      Object.defineProperty(process, 'platform', realPlatform);
    },
  };
}

/** The pixel size of each representation of a drawn tray image (PNG IHDR), and its decoded RGBA. */
export function imageSizes(image: unknown): number[] {
  return (image as FakeImage).representations.map((r) => r.buffer.readUInt32BE(16));
}

export function decodePng(buffer: Buffer): { width: number; rgba: Buffer } {
  const width = buffer.readUInt32BE(16);
  const height = buffer.readUInt32BE(20);
  const chunks: Buffer[] = [];
  for (let offset = 8; offset < buffer.length; ) {
    const length = buffer.readUInt32BE(offset);
    if (buffer.toString('ascii', offset + 4, offset + 8) === 'IDAT') chunks.push(buffer.subarray(offset + 8, offset + 8 + length));
    offset += length + 12;
  }
  const raw = inflateSync(Buffer.concat(chunks));
  const rows = Array.from({ length: height }, (_, y) => raw.subarray(y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1)));
  return { width, rgba: Buffer.concat(rows) };
}
