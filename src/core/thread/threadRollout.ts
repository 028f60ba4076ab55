// Where a loaded thread's records go: its rollout recorder, or nowhere (ephemeral threads, a home that
// cannot be written, a session suspended for a restart).
import type { RolloutLineType, RolloutRecorder } from '../rollout/recorder';

export class ThreadRollout {
  private stopped = false;
  private warned = false;

  constructor(
    private recorder: RolloutRecorder | undefined,
    /** Told once when the rollout cannot be written. */
    private readonly warn: (message: string) => void,
  ) {}

  get path(): string | null {
    return this.recorder?.path ?? null;
  }

  record(type: RolloutLineType, payload: unknown): void {
    // A suspended session is about to go away with its process; what its turn does now is not kept.
    if (this.stopped) return;
    this.recorder?.record(type, payload);
  }

  /** Nothing more is recorded (the session is suspended for a restart). */
  stopWriting(): void {
    this.stopped = true;
  }

  /** Writes and fsyncs; if the home is not writable, the thread carries on in memory and says why once. */
  async flush(): Promise<void> {
    if (!this.recorder) return;
    try {
      await this.recorder.flush();
    } catch (error) {
      const path = this.recorder.path;
      this.recorder = undefined;
      if (this.warned) return;
      this.warned = true;
      this.warn(`Tandem cannot save this thread (${(error as Error).message}). It keeps running, but it will be lost when the server stops. Check that ${path} is writable.`);
    }
  }

  async close(): Promise<void> {
    await this.recorder?.close();
  }
}
