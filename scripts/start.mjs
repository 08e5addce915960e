// `npm start`: runs the tray app with the installed Electron binary. Electron's
// own entry point tries to download a missing binary and then fails with a
// stack trace; this checks first and says in one sentence what to do.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const APP_NODE = [22, 12];

/** The Electron executable, resolved the way electron's index.js does, without its download. */
function electronBinary(env = process.env, resolvePackage = () => createRequire(import.meta.url).resolve('electron/package.json')) {
  let dir;
  try {
    dir = dirname(resolvePackage());
  } catch {
    return { path: null, why: 'the electron package is not installed' };
  }
  const pathFile = join(dir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8') : null;
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const path = join(env.ELECTRON_OVERRIDE_DIST_PATH, relative || 'electron');
    return existsSync(path) ? { path, why: null } : { path: null, why: `ELECTRON_OVERRIDE_DIST_PATH has no Electron binary (${path})` };
  }
  if (!relative) return { path: null, why: 'its binary was never downloaded' };
  const path = join(dir, 'dist', relative);
  return existsSync(path) ? { path, why: null } : { path: null, why: `its binary is missing (${path})` };
}

function nodeAtLeast([major, minor]) {
  const [m, n] = process.versions.node.split('.').map(Number);
  return m > major || (m === major && n >= minor);
}

const found = electronBinary();
if (!found.path) {
  const node = nodeAtLeast(APP_NODE) ? '' : ` (installing Electron 45 needs Node ${APP_NODE.join('.')} or newer; this is ${process.versions.node})`;
  process.stderr.write(
    `breather: the tray app cannot start because Electron is not installed: ${found.why}; ` +
      `reinstall it where downloads from GitHub work, or with ELECTRON_MIRROR set to a reachable mirror ` +
      `(\`rm -rf node_modules/electron && npm install\`)${node}, or use the CLI instead (\`node dist/cli/breather.mjs status\`).\n`,
  );
  process.exit(1);
}
const child = spawn(found.path, ['.', ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
