// A clock for timing tests: time moves only when the test says, and due timers fire in order.
import type { Clock } from '../../../src/vscode/approvalQueue';

export class ManualClock implements Clock {
  time = 1_000_000;
  private timers: Array<{ at: number; callback: () => void; cancelled: boolean }> = [];
  now(): number {
    return this.time;
  }
  setTimer(callback: () => void, ms: number): () => void {
    const timer = { at: this.time + ms, callback, cancelled: false };
    this.timers.push(timer);
    return () => (timer.cancelled = true);
  }
  get armed(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }
  /** Moves time on, firing due timers in order (a timer may set another). */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => !t.cancelled && t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      due.cancelled = true;
      this.time = due.at;
      due.callback();
    }
    this.time = end;
  }
}
