// Launch at login: Electron's login item on macOS and Windows (the Run key,
// named by the app id), an XDG autostart entry on Linux.
import { setLinuxAutostart } from '../core/app/tray-autostart.js';

export interface LoginItemAppPort {
  setLoginItemSettings(settings: { openAtLogin: boolean; name?: string; path?: string; args?: string[] }): void;
}

export interface LoginItemOptions {
  platform: NodeJS.Platform;
  app: LoginItemAppPort;
  /** The app's executable; for an AppImage, $APPIMAGE. */
  command: string;
  appId: string;
  autostartDir?: string;
}

/** Applies the setting; resolves with a sentence when it could not be applied. */
export async function applyLaunchAtLogin(enabled: boolean, options: LoginItemOptions): Promise<string | null> {
  try {
    if (options.platform === 'darwin' || options.platform === 'win32') {
      options.app.setLoginItemSettings({ openAtLogin: enabled, ...(options.platform === 'win32' ? { name: options.appId, path: options.command, args: [] } : {}) });
    } else {
      await setLinuxAutostart(enabled, options.command, options.autostartDir ? { dir: options.autostartDir } : {});
    }
    return null;
  } catch (error) {
    return `Launch at login could not be ${enabled ? 'turned on' : 'turned off'}: ${(error as Error).message}`;
  }
}
