// Lists the regular files under a root as `rg --files --hidden --glob '!.git' --no-require-git` does
// (ignore files honoured, symbolic links not followed, `.git` skipped), in this process. Listing a directory
// is mostly the kernel's work, so a large tree is shared with a second thread, as ripgrep shares it: once the
// walk outlasts its first slice, and that slice got a CPU to itself, a worker thread starts, takes part of
// what is pending, and either thread takes part of the other's work when it runs out (walkTasks.ts). On a
// busy machine the walk stays on one thread: the second would get little CPU and cost more than it saves.
// Directories are read synchronously, one after another: handing each read to libuv's thread pool cost more
// than it saved. The main thread walks in short slices and yields between them, so its event loop is never
// held for long. Without the worker's script (running from source) or when it fails, the walk goes on in
// this thread alone; the list is the same either way.
import type { PendingDir, WalkScope } from './directoryListing';
import type { IgnoreRules } from './ignoreRules';
import { ancestorLevels, globalRules } from './ignoreScopes';
import { LevelCodec, readFiles, TaskRun, taskMessage, taskOrder, type FromWorker } from './walkTasks';
import { bundledWalkerScript, CpuWait, WalkerThread } from './walkerThread';

/** How long one synchronous slice of the walk may hold the event loop. */
const SLICE_MS = 10;

/** The files of one directory: `paths[i]` is the directory's path (with its separator) followed by `names[i]`. */
export type FileBatchListener = (paths: string[], names: string[]) => void;

export interface WalkOptions {
  /** Stop after this many files. */
  maxFiles: number;
  /**
   * Sees the files as they are found, a directory at a time, each file of the list once. Those this thread
   * finds come in the order of the list; those the second thread finds come as they arrive, in no set order
   * (waiting for their turn would leave the reader with all of them at the end). In a tree of more than
   * `maxFiles` files, some of those may not make the list, which then has fewer files than were handed over.
   */
  onBatch?: FileBatchListener;
  /** The global excludes file's rules (null: none); default: found as git finds it. */
  globalIgnore?: IgnoreRules | null;
  /** The script of the second thread (false: none); default: the one bundled next to this module, if there. */
  walkerScript?: string | false;
  /** Stops the walk: it rejects with the signal's reason and its thread ends. */
  signal?: AbortSignal;
  /**
   * Start the second thread at once, whatever the load, and wait for it before listing anything: for tests,
   * which must not depend on how fast a thread starts.
   */
  threadFromStart?: boolean;
  /** Told at the end how the work was shared: how many of the files the second thread listed. */
  onStats?: (stats: { threadFiles: number }) => void;
}

export function walkFiles(root: string, options: WalkOptions): Promise<string[]> {
  const global = options.globalIgnore === undefined ? globalRules() : (options.globalIgnore ?? undefined);
  const script = options.walkerScript === undefined ? bundledWalkerScript() : options.walkerScript || undefined;
  return new Walk({ root, global }, options, script).files;
}

/** The worker thread as the walk sees it. */
interface Helper {
  thread: WalkerThread;
  codec: LevelCodec;
  /** It has asked for work and been given none since. */
  idle: boolean;
  /** This thread has asked it for work and had no answer yet. */
  asked: boolean;
  /** Tasks it was given and has not finished: walked here, whole, should it fail. */
  given: Map<number, PendingDir[]>;
}

/** A directory's files, as `onBatch` gets them, and whether it has had them. */
interface Batch {
  paths: string[];
  names: string[];
  handed: boolean;
}

class Walk {
  readonly files: Promise<string[]>;
  /** The root task's files, handed over as listed: the head of the list. */
  private readonly list: string[] = [];
  /** The files of the other tasks, a directory at a time, by task: their place is known at the end. */
  private readonly found = new Map<number, Batch[]>();
  /** The parts taken from each finished task other than the root's. */
  private readonly finished = new Map<number, readonly number[]>();
  private rootStolen: readonly number[] = [];
  /** How many files have been found, here and by the worker. */
  private foundFiles = 0;
  private threadFiles = 0;
  /** After the worker failed: the files handed over (walking its tasks again finds some a second time). */
  private handedBefore: Set<string> | undefined;
  /** Parts of the worker's tasks, to walk here. */
  private readonly queued: TaskRun[] = [];
  private current: TaskRun | undefined;
  private helper: Helper | undefined;
  /** The worker's script, until it is started. */
  private script: string | undefined;
  /** This thread's task ids are even, the root's 0. */
  private lastId = 0;
  /** Whether this thread had to wait for a CPU during the first slice (when there is a second thread to start). */
  private readonly cpu: CpuWait | undefined;
  private waiting = false;
  private settled = false;
  private resolve!: (files: string[]) => void;
  private reject!: (error: unknown) => void;

  constructor(
    private readonly scope: WalkScope,
    private readonly options: WalkOptions,
    script: string | undefined,
  ) {
    this.script = script;
    this.cpu = script ? new CpuWait() : undefined;
    this.files = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.current = new TaskRun(0, [{ dir: '', level: ancestorLevels(scope.root) }], options.maxFiles);
    if (options.threadFromStart) void this.startWithThread();
    else this.slice();
  }

  private readonly slice = (): void => {
    if (this.settled) return;
    const { signal } = this.options;
    try {
      const until = performance.now() + SLICE_MS;
      for (;;) {
        if (signal?.aborted) throw signal.reason;
        if (this.helper) this.poll();
        const task = this.current;
        if (task && !task.done) {
          const paths: string[] = [];
          const names = task.next(this.scope, paths);
          if (names.length > 0) {
            if (task.id === 0) this.emit(paths, names);
            else this.store(task.id, paths, names);
          }
          if (performance.now() > until) return this.pause();
          continue;
        }
        if (task) {
          this.current = undefined;
          if (task.id !== 0) this.finished.set(task.id, task.stolen);
          else {
            this.rootStolen = task.stolen;
            // Whatever else there is comes after the root task's own files.
            if (this.list.length >= this.options.maxFiles) return this.finish();
          }
        }
        this.current = this.queued.shift();
        if (this.current) continue;
        const helper = this.helper;
        if (!helper || helper.given.size === 0) return this.finish();
        if (!helper.asked) {
          helper.asked = true;
          helper.thread.send({ kind: 'steal' });
        }
        return this.wait(helper);
      }
    } catch (error) {
      this.fail(error);
    }
  };

  /** Yields to the event loop; after the first slice, the second thread starts unless the CPU is contended. */
  private pause(): void {
    setImmediate(this.slice);
    if (this.script && this.cpu?.busy) this.script = undefined;
    void this.startThread();
  }

  private async startThread(): Promise<void> {
    const script = this.script;
    if (!script) return;
    this.script = undefined;
    const setup = { root: this.scope.root, global: this.scope.global?.source ?? null, maxFiles: this.options.maxFiles };
    const thread = await WalkerThread.start(script, setup, () => this.helperFailed()).catch(() => undefined);
    if (!thread) return;
    if (this.settled) return thread.stop();
    this.helper = { thread, codec: new LevelCodec(0), idle: false, asked: false, given: new Map() };
  }

  /** With `threadFromStart`: the walk begins once the thread has asked for work (or could not start). */
  private async startWithThread(): Promise<void> {
    await this.startThread();
    if (this.helper) this.wait(this.helper);
    else this.slice();
  }

  /** Resumes the walk once the worker says something (or fails, or the walk is aborted: see `wake`). */
  private wait(helper: Helper): void {
    this.waiting = true;
    this.options.signal?.addEventListener('abort', this.wake);
    helper.thread.wait((message) => {
      this.waiting = false;
      this.options.signal?.removeEventListener('abort', this.wake);
      try {
        this.handle(message);
      } catch (error) {
        return this.fail(error);
      }
      this.slice();
    });
  }

  private poll(): void {
    const helper = this.helper!;
    for (let message; (message = helper.thread.receive()); ) this.handle(message);
    if (helper.idle && this.helper === helper && this.current?.canGive()) {
      this.lastId += 2;
      const entries = this.current.give(this.lastId);
      helper.given.set(this.lastId, entries);
      helper.idle = false;
      helper.thread.send({ kind: 'task', task: taskMessage(this.lastId, entries, helper.codec) });
    }
  }

  private handle(message: FromWorker): void {
    const helper = this.helper;
    if (!helper) return;
    if (message.kind === 'idle') {
      helper.idle = true;
      helper.asked = false;
    } else if (message.kind === 'task') {
      helper.asked = false;
      this.queued.push(new TaskRun(message.task.id, helper.codec.decode(message.task), this.options.maxFiles));
    } else if (message.kind === 'files') {
      const { id } = message.files;
      readFiles(message.files, (prefix, names) => {
        const paths: string[] = [];
        for (let i = 0; i < names.length; i++) paths.push(prefix + names[i]);
        this.threadFiles += names.length;
        this.store(id, paths, names);
      });
    } else {
      helper.given.delete(message.id);
      this.finished.set(message.id, message.stolen);
    }
  }

  /** A directory of the root task: handed over at once (as far as `maxFiles` allows). */
  private emit(paths: string[], names: string[]): void {
    const room = this.options.maxFiles - this.list.length;
    if (names.length > room) paths.length = names.length = room;
    if (names.length === 0) return;
    for (let i = 0; i < paths.length; i++) this.list.push(paths[i]!);
    this.foundFiles += names.length;
    this.options.onBatch?.(paths, names);
  }

  /** A directory of another task: kept for the end, and handed over now while all found so far fits the list. */
  private store(id: number, paths: string[], names: string[]): void {
    this.foundFiles += names.length;
    const handed = this.foundFiles <= this.options.maxFiles;
    let batches = this.found.get(id);
    if (!batches) this.found.set(id, (batches = []));
    batches.push({ paths, names, handed });
    if (handed) this.hand(paths, names);
  }

  private hand(paths: string[], names: string[]): void {
    const before = this.handedBefore;
    if (!before) return this.options.onBatch?.(paths, names);
    const fresh = paths.flatMap((file, i) => (before.has(file) ? [] : [i]));
    for (const i of fresh) before.add(paths[i]!);
    if (fresh.length > 0) this.options.onBatch?.(fresh.map((i) => paths[i]!), fresh.map((i) => names[i]!));
  }

  /**
   * The worker failed: what it was given and has not finished is walked here, whole. Parts of it may have been
   * handed over already (its files so far, parts this thread took from it): those are not handed over again.
   */
  private helperFailed(): void {
    const helper = this.helper;
    this.helper = undefined;
    if (!helper || this.settled) return;
    if (helper.given.size > 0) {
      this.handedBefore = new Set();
      for (const batches of this.found.values()) for (const batch of batches) if (batch.handed) for (const file of batch.paths) this.handedBefore.add(file);
    }
    for (const [id, entries] of helper.given) {
      this.found.delete(id);
      this.queued.push(new TaskRun(id, entries, this.options.maxFiles));
    }
    this.wake();
  }

  private readonly wake = (): void => {
    if (!this.waiting) return;
    this.waiting = false;
    this.options.signal?.removeEventListener('abort', this.wake);
    setImmediate(this.slice);
  };

  /** The root task's files are listed already; the other tasks' follow, in their order. */
  private finish(): void {
    this.settle();
    try {
      const { maxFiles } = this.options;
      const stolen = (id: number) => {
        const parts = this.finished.get(id);
        if (!parts) throw new Error(`file walk: task ${id} never finished`);
        return parts;
      };
      for (const id of this.list.length < maxFiles ? taskOrder(this.rootStolen, stolen) : []) {
        for (const batch of this.found.get(id) ?? []) {
          const room = maxFiles - this.list.length;
          const { paths, names } = batch.names.length > room ? { paths: batch.paths.slice(0, room), names: batch.names.slice(0, room) } : batch;
          for (let i = 0; i < paths.length; i++) this.list.push(paths[i]!);
          if (!batch.handed && paths.length > 0) this.hand(paths, names);
        }
        if (this.list.length >= maxFiles) break;
      }
      this.options.onStats?.({ threadFiles: this.threadFiles });
      this.resolve(this.list);
    } catch (error) {
      this.reject(error);
    }
  }

  private fail(error: unknown): void {
    this.settle();
    this.reject(error);
  }

  private settle(): void {
    this.settled = true;
    this.options.signal?.removeEventListener('abort', this.wake);
    this.helper?.thread.stop();
    this.helper = undefined;
  }
}
