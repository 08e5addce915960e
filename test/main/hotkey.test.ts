import { describe, expect, it } from 'vitest';
import { type GlobalShortcutPort, HotkeyController, type HotkeyResult } from '../../src/main/hotkey.js';

class FakeGlobalShortcut implements GlobalShortcutPort {
  readonly registered = new Map<string, () => void>();
  constructor(readonly takenByOthers: Set<string> = new Set()) {}
  register(accelerator: string, callback: () => void): boolean {
    if (accelerator.includes('Nonsense')) throw new TypeError('Error processing argument at index 0, conversion failure');
    if (this.takenByOthers.has(accelerator) || this.registered.has(accelerator)) return false;
    this.registered.set(accelerator, callback);
    return true;
  }
  unregister(accelerator: string): void {
    this.registered.delete(accelerator);
  }
}

function setup(taken: string[] = []) {
  const shortcuts = new FakeGlobalShortcut(new Set(taken));
  let triggers = 0;
  const conflicts: HotkeyResult[] = [];
  const hotkey = new HotkeyController({ globalShortcut: shortcuts, onTrigger: () => triggers++, onConflict: (r) => conflicts.push(r) });
  return { shortcuts, hotkey, conflicts, triggers: () => triggers };
}

describe('HotkeyController', () => {
  it('registers the accelerator, and pressing it fires a checkpoint', () => {
    const { shortcuts, hotkey, triggers } = setup();
    expect(hotkey.apply('CommandOrControl+Shift+H')).toEqual({ status: 'registered', accelerator: 'CommandOrControl+Shift+H' });
    expect([...shortcuts.registered.keys()]).toEqual(['CommandOrControl+Shift+H']);
    shortcuts.registered.get('CommandOrControl+Shift+H')!();
    expect(triggers()).toBe(1);
  });

  it('re-registers on a settings change, releasing the old accelerator; the same one again is a no-op', () => {
    const { shortcuts, hotkey } = setup();
    hotkey.apply('CommandOrControl+Shift+H');
    expect(hotkey.apply('CommandOrControl+Shift+H').status).toBe('registered');
    hotkey.apply('Alt+F9');
    expect([...shortcuts.registered.keys()]).toEqual(['Alt+F9']);
    expect(hotkey.apply(null)).toEqual({ status: 'off' });
    expect(shortcuts.registered.size).toBe(0);
  });

  it('reports an accelerator another app holds, and keeps the previous one', () => {
    const { shortcuts, hotkey, conflicts } = setup(['Alt+F1']);
    hotkey.apply('CommandOrControl+Shift+H');
    const result = hotkey.apply('Alt+F1');
    expect(result).toMatchObject({ status: 'taken', accelerator: 'Alt+F1', kept: 'CommandOrControl+Shift+H' });
    expect(conflicts).toEqual([result]);
    expect(hotkey.accelerator).toBe('CommandOrControl+Shift+H');
    expect([...shortcuts.registered.keys()]).toEqual(['CommandOrControl+Shift+H']);
  });

  it('reports an accelerator Electron cannot parse', () => {
    const { hotkey } = setup();
    const result = hotkey.apply('Nonsense+Key');
    expect(result).toMatchObject({ status: 'invalid', kept: null });
    expect(hotkey.result).toBe(result);
    expect(hotkey.accelerator).toBeNull();
  });

  it('dispose releases the hotkey', () => {
    const { shortcuts, hotkey } = setup();
    hotkey.apply('Alt+F9');
    hotkey.dispose();
    expect(shortcuts.registered.size).toBe(0);
  });
});
