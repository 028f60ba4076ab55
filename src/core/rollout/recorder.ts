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

/** How far back from the end a torn last line is looked for; a rollout line is far shorter. */
const MAX_TAIL_BYTES = 16 * 1024 * 1024;

export class RolloutRecorder {
  private pending: string[] = [];
  private writing: Promise<void> = Promise.resolve();
  private handle: fs.FileHandle | undefined;

  constructor(
    readonly path: string,
    /** Told when a torn last line (a crash mid-write) was repaired before the first append. */
    private readonly onRepair: (message: string) => void = () => undefined,
  ) {}

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
        const repaired = await repairTornTail(this.path);
        if (repaired) this.onRepair(repaired);
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
}

/**
 * A crash mid-write can leave the last line without its newline; appending then would glue the next record
 * onto it and lose both. A tail that is a whole record gets its newline back; a torn one is cut off. Says
 * what it did, or undefined when the file ends cleanly (or does not exist).
 */
export async function repairTornTail(file: string): Promise<string | undefined> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r+');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const { size } = await handle.stat();
    if (size === 0) return undefined;
    const length = Math.min(size, MAX_TAIL_BYTES);
    const tail = Buffer.alloc(length);
    await handle.read(tail, 0, length, size - length);
    if (tail[length - 1] === 0x0a) return undefined;
    const lastNewline = tail.lastIndexOf(0x0a);
    if (lastNewline < 0 && length < size) throw new Error(`${file}: the last line is longer than ${MAX_TAIL_BYTES} bytes`);
    const fragment = tail.subarray(lastNewline + 1).toString('utf8');
    if (isRecord(fragment)) {
      await handle.write('\n', size);
      await handle.sync();
      return `${file}: the last record had no line end (the session was interrupted while writing); added it`;
    }
    const keep = size - length + lastNewline + 1;
    await handle.truncate(keep);
    await handle.sync();
    return `${file}: cut a torn last line of ${size - keep} bytes (the session was interrupted while writing)`;
  } finally {
    await handle.close();
  }
}

function isRecord(text: string): boolean {
  try {
    const parsed = JSON.parse(text) as { type?: unknown } | null;
    return typeof parsed?.type === 'string';
  } catch {
    return false;
  }
}
