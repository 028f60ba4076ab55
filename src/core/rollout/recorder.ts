// Append-only JSONL recorder for one thread. Lines are buffered and written with an fsync at turn
// boundaries, so a crash loses at most the turn in flight.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

export type RolloutLineType = 'session_meta' | 'response_item' | 'turn_context' | 'event_msg' | 'compacted';

export interface RolloutLine {
  timestamp: string;
  type: RolloutLineType;
  payload: unknown;
}

export class RolloutRecorder {
  private pending: string[] = [];
  private writing: Promise<void> = Promise.resolve();
  private handle: fs.FileHandle | undefined;

  constructor(readonly path: string) {}

  record(type: RolloutLineType, payload: unknown, now = new Date()): void {
    const line: RolloutLine = { timestamp: now.toISOString(), type, payload };
    this.pending.push(JSON.stringify(line) + '\n');
  }

  /** Writes what is buffered and fsyncs. Flushes run one after another, in call order. */
  flush(): Promise<void> {
    const lines = this.pending;
    this.pending = [];
    const next = this.writing.then(async () => {
      if (lines.length === 0) return;
      if (!this.handle) {
        await fs.mkdir(path.dirname(this.path), { recursive: true });
        this.handle = await fs.open(this.path, 'a', 0o600);
      }
      await this.handle.write(lines.join(''));
      await this.handle.sync();
    });
    // A failed flush must not wedge later ones; the caller sees this one's error.
    this.writing = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    await this.flush().catch(() => undefined);
    await this.handle?.close().catch(() => undefined);
    this.handle = undefined;
  }

  /** The file moved (archive/unarchive): later writes go to the new place. */
  async relocate(newPath: string): Promise<RolloutRecorder> {
    await this.close();
    const moved = new RolloutRecorder(newPath);
    moved.pending = this.pending;
    return moved;
  }
}
