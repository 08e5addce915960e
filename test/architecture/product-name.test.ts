// The product was renamed from its first working name, which two other tools
// in this niche already use. Nothing a user reads or runs may carry it again.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
// Spelled in pieces so this test does not match itself.
const OLD_NAME = new RegExp(['head', 'room'].join(''), 'i');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

describe('product name', () => {
  const checked = [
    ...filesUnder(join(ROOT, 'src')),
    join(ROOT, 'README.md'),
    join(ROOT, 'package.json'),
    join(ROOT, 'electron-builder.yml'),
  ];

  it('no source file, nor the README or packaging config, names the old product', () => {
    const offenders = checked.filter((file) => OLD_NAME.test(file) || OLD_NAME.test(readFileSync(file, 'utf8')));
    expect(checked.length).toBeGreaterThan(20);
    expect(offenders).toEqual([]);
  });

  it('the package, its command and the app id say Breather', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; bin: Record<string, string> };
    expect(pkg.name).toBe('breather');
    expect(Object.keys(pkg.bin)).toEqual(['breather']);
    const builder = readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8');
    expect(builder).toMatch(/^appId: dev\.breather\.app$/m);
    expect(builder).toMatch(/^productName: Breather$/m);
    expect(builder).toMatch(/executableName: breather-app$/m);
  });
});
