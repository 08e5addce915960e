// Countdowns in the title (macOS) and in an open popover go stale by the
// minute. This ticks once a minute only while one of them is on screen, and
// stops otherwise, so an idle app wakes for nothing.
export interface TickerState {
  /** The tray title shows a countdown (macOS only has a title). */
  titleCountdown: boolean;
  popoverVisible: boolean;
}

export function shouldTick(state: TickerState): boolean {
  return state.titleCountdown || state.popoverVisible;
}

export class MinuteTicker {
  private timer: ReturnType<typeof setInterval> | null = null;
  private state: TickerState = { titleCountdown: false, popoverVisible: false };

  constructor(
    private readonly onTick: () => void,
    private readonly intervalMs = 60_000,
  ) {}

  get running(): boolean {
    return this.timer !== null;
  }

  set(change: Partial<TickerState>): void {
    this.state = { ...this.state, ...change };
    const want = shouldTick(this.state);
    if (want && !this.timer) {
      this.timer = setInterval(this.onTick, this.intervalMs);
      this.timer.unref?.();
    } else if (!want && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  stop(): void {
    this.set({ titleCountdown: false, popoverVisible: false });
  }
}
