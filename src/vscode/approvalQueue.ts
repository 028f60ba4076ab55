// When a command's approval dialog may open. A modal takes the keyboard: opened while the user types in the
// chat composer, it receives keystrokes meant for the composer. So a new approval waits until the user has
// stopped typing, and only one dialog shows at a time. Free of the vscode module and of real time (the
// clock is injected) so the timing is tested on its own.

/**
 * How long after the last composer keystroke the user still counts as typing. Pauses between keys while
 * typing are well under a second; 2 s of silence means the user has stopped, yet holds an approval back only
 * briefly. It also covers the webview's report throttle (TYPING_REPORT_INTERVAL_MS in webview/typing.ts)
 * with room to spare.
 */
export const TYPING_QUIET_MS = 2_000;

export interface Clock {
  now(): number;
  /** Calls `callback` after `ms`; the returned function cancels it. */
  setTimer(callback: () => void, ms: number): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(callback, ms) {
    const timer = setTimeout(callback, ms);
    return () => clearTimeout(timer);
  },
};

export class ApprovalDialogQueue<K> {
  private lastTyping = Number.NEGATIVE_INFINITY;
  /** Offered and not yet shown, oldest first: each opens when the user is idle. */
  private readonly waiting: K[] = [];
  /** Asked for by the user while another dialog showed: next, whether or not the user types. */
  private readonly asked: K[] = [];
  private showing: K | undefined;
  private cancelTimer: (() => void) | undefined;
  private disposed = false;

  constructor(
    /** Shows the dialog of `key`; resolves when it closes, however it closed. */
    private readonly open: (key: K) => Promise<void>,
    private readonly clock: Clock = systemClock,
    private readonly quietMs = TYPING_QUIET_MS,
  ) {}

  /** The user pressed a key in the composer. */
  noteTyping(): void {
    this.lastTyping = this.clock.now();
  }

  isTyping(): boolean {
    return this.clock.now() - this.lastTyping < this.quietMs;
  }

  get shown(): K | undefined {
    return this.showing;
  }

  /** A new approval: its dialog opens now if the user is idle and none shows; later otherwise. True if it opened now. */
  offer(key: K): boolean {
    if (this.showing !== key && !this.waiting.includes(key) && !this.asked.includes(key)) this.waiting.push(key);
    this.pump();
    return this.showing === key;
  }

  /** The user asked for this dialog (the chat card, the notification): typing does not hold it back. */
  ask(key: K): void {
    if (this.showing === key) return;
    remove(this.waiting, key);
    if (!this.asked.includes(key)) this.asked.push(key);
    this.pump();
  }

  /** The approval was settled elsewhere: its dialog no longer needs to open. One already showing stays (VS Code cannot close it). */
  drop(key: K): void {
    remove(this.waiting, key);
    remove(this.asked, key);
    this.pump();
  }

  /** Runs `callback` once the user has stopped typing: now when they are not, else when the quiet period ends. */
  whenIdle(callback: () => void): void {
    if (this.disposed) return;
    if (!this.isTyping()) {
      callback();
      return;
    }
    this.clock.setTimer(() => this.whenIdle(callback), this.lastTyping + this.quietMs - this.clock.now());
  }

  dispose(): void {
    this.disposed = true;
    this.waiting.length = 0;
    this.asked.length = 0;
    this.stopTimer();
  }

  private pump(): void {
    if (this.waiting.length === 0) this.stopTimer();
    if (this.disposed || this.showing !== undefined) return;
    const asked = this.asked.shift();
    if (asked !== undefined) {
      this.show(asked);
      return;
    }
    if (this.waiting.length === 0) return;
    if (this.isTyping()) {
      // Typing since the timer was set moves the deadline: the timer checks again and re-arms.
      this.stopTimer();
      this.cancelTimer = this.clock.setTimer(() => {
        this.cancelTimer = undefined;
        this.pump();
      }, this.lastTyping + this.quietMs - this.clock.now());
      return;
    }
    this.stopTimer();
    this.show(this.waiting.shift()!);
  }

  private show(key: K): void {
    this.showing = key;
    const closed = () => {
      if (this.showing === key) this.showing = undefined;
      this.pump();
    };
    let shown: Promise<void>;
    try {
      shown = this.open(key);
    } catch {
      shown = Promise.resolve();
    }
    shown.then(closed, closed);
  }

  private stopTimer(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }
}

function remove<K>(list: K[], key: K): void {
  const index = list.indexOf(key);
  if (index !== -1) list.splice(index, 1);
}
