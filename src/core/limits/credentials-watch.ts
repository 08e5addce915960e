// Watches Claude Code's `<root>/.credentials.json` (fs events on each root,
// no polling), so a poller stopped by an expired sign-in resumes when the
// user signs in again. On macOS the token lives in the Keychain: no file to
// watch, and the poller stays stopped until the next start.
import { existsSync, type FSWatcher, watch } from 'node:fs';

export const CREDENTIALS_FILE = '.credentials.json';
/** Claude Code writes the file in a few steps: one call per burst. */
const SETTLE_MS = 500;

export interface CredentialsWatch {
  close(): void;
}

export function watchCredentials(roots: readonly string[], onChange: () => void, onError?: (error: Error) => void): CredentialsWatch {
  let timer: NodeJS.Timeout | null = null;
  const watchers: FSWatcher[] = [];
  for (const root of roots) {
    if (!existsSync(root)) continue;
    try {
      const watcher = watch(root, { persistent: false }, (_event, name) => {
        if (name !== CREDENTIALS_FILE) return;
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => {
          timer = null;
          onChange();
        }, SETTLE_MS);
      });
      watcher.on('error', (error) => onError?.(error));
      watchers.push(watcher);
    } catch (error) {
      onError?.(error as Error);
    }
  }
  return {
    close() {
      if (timer) clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
    },
  };
}
