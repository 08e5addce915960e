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
