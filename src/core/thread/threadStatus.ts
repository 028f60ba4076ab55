// A loaded thread's status as clients see it — active (and waiting on an approval), idle, or in error —
// derived from what runs and what waits, and announced only when it changes.
import type { ThreadStatus } from '../../protocol';

export class ThreadStatusTracker {
  /** Server requests (approvals) the thread is waiting on. */
  private waitingOn = 0;
  private systemError = false;
  private lastSent: ThreadStatus;

  constructor(
    private readonly running: () => boolean,
    private readonly announce: (status: ThreadStatus) => void,
  ) {
    this.lastSent = this.current;
  }

  get current(): ThreadStatus {
    if (this.running() || this.waitingOn > 0) {
      return { type: 'active', activeFlags: this.waitingOn > 0 ? ['waitingOnApproval'] : [] };
    }
    return this.systemError ? { type: 'systemError' } : { type: 'idle' };
  }

  get pendingApprovals(): number {
    return this.waitingOn;
  }

  markSystemError(value: boolean): void {
    this.systemError = value;
  }

  /** Announces the status when it differs from the last one announced. */
  publish(): void {
    const status = this.current;
    if (JSON.stringify(status) === JSON.stringify(this.lastSent)) return;
    this.lastSent = status;
    this.announce(status);
  }

  /**
   * Marks the thread as waiting on an approval until the returned release is called (once is enough). The
   * release announces on the next tick, so an accepted command's start follows it.
   */
  hold(): () => void {
    this.waitingOn += 1;
    this.publish();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.waitingOn -= 1;
      setImmediate(() => this.publish());
    };
  }
}
