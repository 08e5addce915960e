// ccusage is our test oracle and benchmark rival, not a dependency: its npm
// package lists per-platform binaries the registry can't all lock, which would
// break `npm ci`. So it is installed on demand, pinned, into .cache/ccusage.
//   node scripts/ccusage-oracle.mjs        installs it (if needed), prints the binary path
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CCUSAGE_VERSION = '20.0.24';
// The repository root: the nearest folder up with package.json (this file may run bundled from dist/).
function repoRoot() {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}
const REPO = repoRoot();
const PREFIX = join(REPO, '.cache', `ccusage-${CCUSAGE_VERSION}`);

/** The installed oracle, or null: the native binary when present (no Node start in its timings). */
export function findCcusage() {
  const pkg = join(PREFIX, 'node_modules/ccusage/package.json');
  if (!existsSync(pkg)) return null;
  const version = JSON.parse(readFileSync(pkg, 'utf8')).version;
  const native = join(PREFIX, 'node_modules/@ccusage', `ccusage-${process.platform}-${process.arch}`, 'bin/ccusage');
  if (existsSync(native)) {
    // npm may skip install scripts (its allowScripts policy), and with them the binary's exec bit.
    if (process.platform !== 'win32') chmodSync(native, 0o755);
    return { path: native, label: 'native binary', version };
  }
  return { path: join(PREFIX, 'node_modules/.bin/ccusage'), label: 'npm wrapper', version };
}

/** Installs the pinned oracle into .cache/ once; throws with npm's message when the registry can't be reached. */
export function ensureCcusage() {
  const found = findCcusage();
  if (found) return found;
  mkdirSync(PREFIX, { recursive: true });
  execFileSync(
    process.platform === 'win32' ? 'npm.cmd' : 'npm',
    ['install', '--prefix', PREFIX, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', `ccusage@${CCUSAGE_VERSION}`],
    { stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000 },
  );
  const installed = findCcusage();
  if (!installed) throw new Error(`ccusage ${CCUSAGE_VERSION} installed into ${PREFIX}, but its binary is not there`);
  return installed;
}

// Run as a script (not when bundled into the bench, where import.meta.url is the bench's own file).
if (process.argv[1]?.endsWith('ccusage-oracle.mjs') && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(ensureCcusage().path);
}
