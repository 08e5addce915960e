// Launch at login on Linux: an XDG autostart entry in
// $XDG_CONFIG_HOME/autostart (default ~/.config/autostart), written when the
// setting is on and removed when it is off. (macOS and Windows use Electron's
// login item instead.)
import { mkdir, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-file.js';

export const AUTOSTART_FILE = 'dev.breather.app.desktop';

export function autostartDir(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  const config = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.trim() !== '' ? env.XDG_CONFIG_HOME : join(home, '.config');
  return join(config, 'autostart');
}

/** Quotes an Exec argument per the Desktop Entry spec. */
function execArg(arg: string): string {
  return /[\s"'\\$`]/.test(arg) ? `"${arg.replace(/(["`$\\])/g, '\\$1')}"` : arg;
}

/** The entry's text. For an AppImage, `command` must be $APPIMAGE, not the temporary mount path. */
export function autostartEntry(command: string, args: readonly string[] = []): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Breather',
    'Comment=Claude Code usage limits in your tray',
    `Exec=${[command, ...args].map(execArg).join(' ')}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export async function setLinuxAutostart(enabled: boolean, command: string, options: { dir?: string; args?: readonly string[] } = {}): Promise<string> {
  const dir = options.dir ?? autostartDir();
  const path = join(dir, AUTOSTART_FILE);
  if (!enabled) {
    await rm(path, { force: true });
    return path;
  }
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(path, autostartEntry(command, options.args));
  return path;
}
