// WSL discovery on Windows, with a fake `wsl.exe -l -q` output and a fake
// \\wsl.localhost folder tree (a real temp tree, joined the POSIX way here).
import { mkdirSync } from 'node:fs';
import { access, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverWslRoots, parseWslList } from '../../../src/core/ingest/claude-roots.js';
import { makeTempDir, removeTempDirs } from '../../support/temp-repo.js';

afterAll(() => removeTempDirs());

/** What wsl.exe writes: UTF-16LE with a BOM and CRLF line ends. */
const wslOutput = (names: string[]) => Buffer.from(`\uFEFF${names.join('\r\n')}\r\n`, 'utf16le');

describe('parseWslList', () => {
  it('reads UTF-16LE with a BOM and CRLF, and UTF-8, leaving Docker\'s distributions out', () => {
    expect(parseWslList(wslOutput(['Ubuntu-22.04', 'docker-desktop', 'Debian', 'docker-desktop-data']))).toEqual(['Ubuntu-22.04', 'Debian']);
    expect(parseWslList(Buffer.from('Ubuntu\nkali-linux\n', 'utf8'))).toEqual(['Ubuntu', 'kali-linux']);
    expect(parseWslList(Buffer.alloc(0))).toEqual([]);
  });
});

describe('discoverWslRoots', () => {
  it('finds ~/.claude of every user (and root) in every distribution, honouring the opt-out list', async () => {
    const unc = makeTempDir('breather-wsl-');
    for (const dir of ['Ubuntu/home/ana/.claude/projects', 'Ubuntu/home/ben', 'Ubuntu/root/.claude', 'Debian/home/cy/.claude', 'Arch/home/dee/.claude']) mkdirSync(join(unc, dir), { recursive: true });
    const options = {
      listDistributions: async () => wslOutput(['Ubuntu', 'Debian', 'Arch', 'Missing']),
      readDir: (path: string) => readdir(path).catch(() => []),
      exists: (path: string) => access(path).then(() => true, () => false),
      uncRoot: unc,
      join,
    };
    expect(await discoverWslRoots({ ...options, excluded: ['arch'] })).toEqual([
      { distro: 'Ubuntu', user: 'ana', path: join(unc, 'Ubuntu/home/ana/.claude') },
      { distro: 'Ubuntu', user: 'root', path: join(unc, 'Ubuntu/root/.claude') },
      { distro: 'Debian', user: 'cy', path: join(unc, 'Debian/home/cy/.claude') },
    ]);
    expect((await discoverWslRoots(options)).map((r) => r.distro)).toContain('Arch');
  });

  it('no wsl.exe (or it fails): no extra roots', async () => {
    expect(await discoverWslRoots({ listDistributions: async () => Promise.reject(new Error('ENOENT')), readDir: async () => [], exists: async () => false })).toEqual([]);
  });

  it('builds \\\\wsl.localhost paths on Windows', async () => {
    const seen: string[] = [];
    await discoverWslRoots({ listDistributions: async () => wslOutput(['Ubuntu']), readDir: async (p) => (seen.push(p), ['ana']), exists: async (p) => (seen.push(p), false) });
    expect(seen).toEqual(['\\\\wsl.localhost\\Ubuntu\\home', '\\\\wsl.localhost\\Ubuntu\\home\\ana\\.claude', '\\\\wsl.localhost\\Ubuntu\\root\\.claude']);
  });
});
