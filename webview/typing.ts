// Tells the host that the user is typing in the composer, so it holds a new approval dialog back (a modal
// would take the keystrokes). Throttled: one message per interval at most, and the last keystroke is always
// reported (a trailing message), so the host never thinks the user went quiet earlier than they did.

/** At most one report per this long: plenty for a 2 s quiet period on the host, cheap on the message channel. */
export const TYPING_REPORT_INTERVAL_MS = 500;

export interface TypingClock {
  now(): number;
  setTimer(callback: () => void, ms: number): void;
}

const realClock: TypingClock = { now: () => performance.now(), setTimer: (callback, ms) => void setTimeout(callback, ms) };

export class TypingReporter {
  private lastSent = Number.NEGATIVE_INFINITY;
  private trailing = false;

  constructor(
    private readonly report: () => void,
    private readonly clock: TypingClock = realClock,
    private readonly intervalMs = TYPING_REPORT_INTERVAL_MS,
  ) {}

  keystroke(): void {
    const now = this.clock.now();
    if (now - this.lastSent >= this.intervalMs) {
      this.send(now);
      return;
    }
    if (this.trailing) return;
    this.trailing = true;
    this.clock.setTimer(() => {
      this.trailing = false;
      this.send(this.clock.now());
    }, this.lastSent + this.intervalMs - now);
  }

  private send(now: number): void {
    this.lastSent = now;
    this.report();
  }
}
