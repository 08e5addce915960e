// Where Claude Code keeps its data. Several roots may hold transcripts; the
// same file reached through two roots is counted once (by device and inode).
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

export interface RootOptions {
  /** Explicit roots (`--data-dir`, or the settings' data roots); override everything. */
  dataDirs?: readonly string[];
  env?: NodeJS.ProcessEnv;
  home?: string;
}

export function resolveClaudeRoots(options: RootOptions = {}): string[] {
  const env = options.env ?? process.env;
  const home = options.home ?? homedir();
  const expand = (dir: string): string => {
    const withHome = dir === '~' || dir.startsWith('~/') ? join(home, dir.slice(1)) : dir;
    return isAbsolute(withHome) ? withHome : resolve(withHome);
  };
  let roots: string[];
  if (options.dataDirs && options.dataDirs.length > 0) {
    roots = [...options.dataDirs];
  } else if (env.CLAUDE_CONFIG_DIR && env.CLAUDE_CONFIG_DIR.trim() !== '') {
    roots = env.CLAUDE_CONFIG_DIR.split(',');
  } else {
    // Some 1.0.3x builds used the XDG location; scan both, as ccusage does.
    const xdg = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.trim() !== '' ? env.XDG_CONFIG_HOME : join(home, '.config');
    roots = [join(home, '.claude'), join(xdg, 'claude')];
  }
  const unique = new Set(roots.map((r) => r.trim()).filter((r) => r !== '').map(expand));
  return [...unique];
}

/** A Claude data folder inside a WSL distribution, seen from Windows. */
export interface WslRoot {
  distro: string;
  user: string;
  path: string;
}

/**
 * The distribution names `wsl.exe -l -q` prints. It writes UTF-16LE (often with
 * a BOM) and CRLF line ends; older builds print UTF-8. Docker's internal
 * distributions hold no user homes and are left out.
 */
export function parseWslList(output: Buffer | string): string[] {
  let text: string;
  if (typeof output === 'string') text = output;
  else {
    const zeros = output.filter((byte) => byte === 0).length;
    text = zeros > output.length / 4 ? output.toString('utf16le') : output.toString('utf8');
  }
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((line) => line.replace(/\0/g, '').trim())
    .filter((name) => name !== '' && !/^docker-desktop(-data)?$/i.test(name));
}

export interface WslDiscoveryOptions {
  /** Runs `wsl.exe -l -q` and returns its raw stdout. */
  listDistributions: () => Promise<Buffer | string>;
  /** The folders of a directory; [] when it can't be read. */
  readDir: (path: string) => Promise<string[]>;
  exists: (path: string) => Promise<boolean>;
  /** `\\wsl.localhost` on Windows; a folder in tests. */
  uncRoot?: string;
  /** path.win32.join on Windows. */
  join?: (...parts: string[]) => string;
  excluded?: readonly string[];
}

/** Each installed distribution's ~/.claude (every user under /home, and root) that exists. */
export async function discoverWslRoots(options: WslDiscoveryOptions): Promise<WslRoot[]> {
  const join = options.join ?? ((...parts: string[]) => parts.join('\\'));
  const unc = options.uncRoot ?? '\\\\wsl.localhost';
  const excluded = new Set((options.excluded ?? []).map((name) => name.toLowerCase()));
  let distros: string[];
  try {
    distros = parseWslList(await options.listDistributions());
  } catch {
    return [];
  }
  const found: WslRoot[] = [];
  for (const distro of distros) {
    if (excluded.has(distro.toLowerCase())) continue;
    const users = (await options.readDir(join(unc, distro, 'home'))).map((user) => ({ user, path: join(unc, distro, 'home', user, '.claude') }));
    users.push({ user: 'root', path: join(unc, distro, 'root', '.claude') });
    for (const candidate of users) if (await options.exists(candidate.path)) found.push({ distro, ...candidate });
  }
  return found;
}
