// Windows: Claude Code often runs inside WSL. The installed distributions'
// ~/.claude folders are read as extra roots through \\wsl.localhost, unless
// the user turned it off or left a distribution out (Settings → Data).
import { execFile } from 'node:child_process';
import { access, readdir } from 'node:fs/promises';
import { win32 } from 'node:path';
import { type WslRoot, discoverWslRoots } from '../core/ingest/claude-roots.js';
import type { Settings } from '../shared/settings.js';

function listDistributions(): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile('wsl.exe', ['-l', '-q'], { encoding: 'buffer', timeout: 5000, windowsHide: true }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
  });
}

export async function windowsWslRoots(platform: NodeJS.Platform, settings: Settings): Promise<WslRoot[]> {
  if (platform !== 'win32' || !settings.wsl.enabled) return [];
  return discoverWslRoots({
    listDistributions,
    readDir: (path) => readdir(path).catch(() => []),
    exists: (path) => access(path).then(() => true, () => false),
    join: win32.join,
    excluded: settings.wsl.excluded,
  });
}
