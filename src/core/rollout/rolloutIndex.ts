// An index of every rollout's summary (`$TANDEM_HOME/rollout_index.jsonl`), so `thread/list` reads one file
// instead of opening thousands. Append-only: each line puts or deletes one thread and the last line for a
// thread wins. It is updated at thread start, turn end, archive and unarchive; when it is missing or a
// line does not parse, it is rebuilt from the rollouts, which stay the source of truth. It is only a cache:
// reconciled with the rollouts on first use (indexReconcile.ts), served from a scan when unreadable.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { writeFileAtomic } from '../atomicWrite';
import type { RolloutSummary } from './records';

const INDEX_FILE = 'rollout_index.jsonl';

type IndexLine = { op: 'put'; summary: RolloutSummary } | { op: 'del'; threadId: string };

export class RolloutIndex {
  private entries = new Map<string, RolloutSummary>();
  /** Counts changes to `entries`, so that what is derived from them (a sorted order) knows when to redo it. */
  private changes = 0;
  /** How much of the file the cache has read; another process may have appended since. */
  private readBytes = -1;
  /** Lines in the file as far as read: far more than entries means it is worth compacting. */
  private lines = 0;
  private loading: Promise<void> | undefined;
  private writes: Promise<void> = Promise.resolve();
  private reconciling: Promise<void> | undefined;

  constructor(
    private readonly home: string,
    /** Scans the rollouts on disk: what a rebuild starts from. */
    private readonly scan: () => Promise<RolloutSummary[]>,
    /** Brings the index in line with the rollouts on disk, once per process, before it is first used. */
    private readonly reconcile?: (index: RolloutIndex) => Promise<void>,
  ) {}

  get file(): string {
    return path.join(this.home, INDEX_FILE);
  }

  /** Every indexed summary, current with the file (reconciled with the rollouts on first use). */
  async all(): Promise<ReadonlyMap<string, RolloutSummary>> {
    if (this.reconcile) {
      this.reconciling ??= this.reconcile(this).catch(() => undefined);
      await this.reconciling;
    }
    return this.loaded();
  }

  /** The summaries as the file has them, without reconciling: what reconciliation starts from. */
  async loaded(): Promise<ReadonlyMap<string, RolloutSummary>> {
    await this.writes;
    try {
      await this.load();
    } catch {
      // An index that cannot be read or rewritten (permissions, a full disk) must not hide threads: serve a
      // fresh scan from memory, and try the file again next time.
      this.entries = new Map((await this.scan()).map((s) => [s.threadId, slim(s)]));
      this.changes += 1;
      this.readBytes = -1;
    }
    return this.entries;
  }

  /** Changes so far to what all() returns; equal numbers mean equal contents. */
  get version(): number {
    return this.changes;
  }

  /** How many lines the file holds per thread indexed. */
  get linesPerEntry(): number {
    return this.lines / Math.max(1, this.entries.size);
  }

  private load(): Promise<void> {
    this.loading ??= this.refresh().finally(() => (this.loading = undefined));
    return this.loading;
  }

  async put(summary: RolloutSummary): Promise<void> {
    await this.append({ op: 'put', summary: slim(summary) });
  }

  async remove(threadId: string): Promise<void> {
    await this.append({ op: 'del', threadId });
  }

  /** Rewrites the index from the rollouts on disk. */
  async rebuild(): Promise<void> {
    const summaries = await this.scan();
    const text = summaries.map((summary) => JSON.stringify({ op: 'put', summary: slim(summary) } satisfies IndexLine) + '\n').join('');
    await fs.mkdir(this.home, { recursive: true });
    await writeFileAtomic(this.file, text, 0o600);
    this.entries = new Map(summaries.map((s) => [s.threadId, slim(s)]));
    this.changes += 1;
    this.readBytes = Buffer.byteLength(text);
    this.lines = summaries.length;
  }

  /** Rewrites the file with one line per thread, from what is indexed now. */
  async compact(): Promise<void> {
    const write = this.writes.then(async () => {
      const summaries = [...this.entries.values()];
      const text = summaries.map((summary) => JSON.stringify({ op: 'put', summary } satisfies IndexLine) + '\n').join('');
      await writeFileAtomic(this.file, text, 0o600);
      this.readBytes = Buffer.byteLength(text);
      this.lines = summaries.length;
    });
    this.writes = write.catch(() => undefined);
    await write;
  }

  private async append(line: IndexLine): Promise<void> {
    const write = this.writes.then(async () => {
      await this.load();
      const text = JSON.stringify(line) + '\n';
      await fs.appendFile(this.file, text);
      this.apply(line);
      this.readBytes += Buffer.byteLength(text);
      this.lines += 1;
    });
    // A failed write must not block later ones; the next read rebuilds if the file is damaged.
    this.writes = write.catch(() => undefined);
    await write;
  }

  private async refresh(): Promise<void> {
    let size: number;
    try {
      size = (await fs.stat(this.file)).size;
    } catch {
      await this.rebuild();
      return;
    }
    if (size === this.readBytes) return;
    if (size < this.readBytes || this.readBytes < 0) {
      this.entries = new Map();
      this.changes += 1;
      this.readBytes = 0;
      this.lines = 0;
    }
    const handle = await fs.open(this.file, 'r');
    let tail: string;
    try {
      const buffer = Buffer.alloc(size - this.readBytes);
      await handle.read(buffer, 0, buffer.length, this.readBytes);
      tail = buffer.toString('utf8');
    } finally {
      await handle.close();
    }
    const complete = tail.slice(0, tail.lastIndexOf('\n') + 1);
    try {
      for (const text of complete.split('\n')) {
        if (!text) continue;
        this.apply(parseLine(text));
        this.lines += 1;
      }
    } catch {
      await this.rebuild();
      return;
    }
    this.readBytes += Buffer.byteLength(complete);
  }

  private apply(line: IndexLine): void {
    this.changes += 1;
    if (line.op === 'put') this.entries.set(line.summary.threadId, line.summary);
    else this.entries.delete(line.threadId);
  }
}

function parseLine(text: string): IndexLine {
  const line = JSON.parse(text) as IndexLine;
  if (line.op === 'put' && typeof line.summary?.threadId === 'string' && typeof line.summary.meta === 'object') return line;
  if (line.op === 'del' && typeof line.threadId === 'string') return line;
  throw new Error('not an index line');
}

/** The summary without what listing never shows (instructions can be tens of kilobytes). */
function slim(summary: RolloutSummary): RolloutSummary {
  const { base_instructions: _instructions, dynamic_tools: _tools, ...meta } = summary.meta;
  return { ...summary, meta: { ...meta, base_instructions: { text: '' } } };
}
