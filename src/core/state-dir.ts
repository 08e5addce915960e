// Breather's state directory: the index, settings, alert state and checkpoints.
// It is the same folder Electron uses as `userData` for an app named "Breather",
// so the CLI and the tray app share one state.
import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_NAME = 'Breather';

export function resolveStateDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (env.BREATHER_HOME) return env.BREATHER_HOME;
  return join(appDataDir(env, platform, home), APP_NAME);
}

/** Electron's `app.getPath('appData')` for each platform. */
export function appDataDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home: string): string {
  if (platform === 'win32') return env.APPDATA ?? join(home, 'AppData', 'Roaming');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support');
  return env.XDG_CONFIG_HOME || join(home, '.config');
}
