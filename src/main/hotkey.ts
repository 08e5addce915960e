// The global hotkey (settings.globalHotkey): registered with globalShortcut,
// fires a checkpoint, re-registered when the setting changes. An accelerator
// another app holds (or one Electron cannot parse) is reported, and the
// previous working hotkey is kept.
export interface GlobalShortcutPort {
  register(accelerator: string, callback: () => void): boolean;
  unregister(accelerator: string): void;
}

export type HotkeyResult =
  | { status: 'registered'; accelerator: string }
  | { status: 'off' }
  | { status: 'taken' | 'invalid'; accelerator: string; message: string; kept: string | null };

export interface HotkeyDeps {
  globalShortcut: GlobalShortcutPort;
  onTrigger: () => void;
  /** Told when an accelerator could not be registered. */
  onConflict?: (result: Extract<HotkeyResult, { status: 'taken' | 'invalid' }>) => void;
}

export class HotkeyController {
  private active: string | null = null;
  private lastResult: HotkeyResult = { status: 'off' };

  constructor(private readonly deps: HotkeyDeps) {}

  get accelerator(): string | null {
    return this.active;
  }

  get result(): HotkeyResult {
    return this.lastResult;
  }

  private tryRegister(accelerator: string): 'ok' | 'taken' | { invalid: string } {
    try {
      return this.deps.globalShortcut.register(accelerator, () => this.deps.onTrigger()) ? 'ok' : 'taken';
    } catch (error) {
      return { invalid: (error as Error).message };
    }
  }

  /** Makes `accelerator` the hotkey (null: none). Idempotent. */
  apply(accelerator: string | null): HotkeyResult {
    if (accelerator === this.active && accelerator !== null) return this.lastResult;
    const previous = this.active;
    if (previous) this.deps.globalShortcut.unregister(previous);
    this.active = null;
    if (accelerator === null) return (this.lastResult = { status: 'off' });
    const outcome = this.tryRegister(accelerator);
    if (outcome === 'ok') {
      this.active = accelerator;
      return (this.lastResult = { status: 'registered', accelerator });
    }
    // Keep the hotkey that worked, so a typo does not leave the user without one.
    if (previous && this.tryRegister(previous) === 'ok') this.active = previous;
    const result: Extract<HotkeyResult, { status: 'taken' | 'invalid' }> =
      outcome === 'taken'
        ? { status: 'taken', accelerator, message: `The hotkey ${accelerator} is already used by another application.`, kept: this.active }
        : { status: 'invalid', accelerator, message: `The hotkey ${accelerator} is not a valid accelerator (${outcome.invalid}).`, kept: this.active };
    this.lastResult = result;
    this.deps.onConflict?.(result);
    return result;
  }

  dispose(): void {
    if (this.active) this.deps.globalShortcut.unregister(this.active);
    this.active = null;
    this.lastResult = { status: 'off' };
  }
}
