// A walk split between two threads, as tasks: a task is a few pending directories walked depth-first, as the
// single-threaded walk would. A thread with nothing to do gets part of the other's task: the bottom of its
// stack, the directories it would list last. So a task's files come out as its own files, in the order it
// listed them, then the files of the parts taken from it, the last taken first; following that recursively
// from the root's task gives exactly the single-threaded walk's list.
import type { MessagePort } from 'node:worker_threads';
import { listDirectory, listPrefix, type PendingDir, type WalkScope } from './directoryListing';
import { makeLevel, type IgnoreLevel, type LevelFiles } from './ignoreScopes';

/** An ignore level as it crosses threads: the parent by id (-1: none), the rules as their texts. */
export interface LevelDef {
  id: number;
  parent: number;
  strip: number;
  prefix: string;
  files: LevelFiles;
}

/** Pending directories handed to the other thread; `levels` defines the levels it has not seen yet. */
export interface TaskMessage {
  id: number;
  entries: { dir: string; level: number }[];
  levels: LevelDef[];
}

/**
 * Files of task `id` from the worker, sent as it goes: per directory with files, its list prefix and then its
 * file names, all joined with NUL (which no file name holds); `counts` has each directory's number of names.
 */
export interface TaskFiles {
  id: number;
  text: string;
  counts: number[];
}

/** What the worker is handed at its start. */
export interface WalkerSetup {
  port: MessagePort;
  root: string;
  /** The global excludes file's text (null: none). */
  global: string | null;
  maxFiles: number;
}

/** To the worker: a task (only ever in answer to `idle`), or a request for part of its task. */
export type ToWorker = { kind: 'task'; task: TaskMessage } | { kind: 'steal' };

/**
 * From the worker: part of its task (in answer to `steal`), files of its task, that the task is done (after
 * all its files; `stolen`: the parts taken from it, in order), or that it has nothing to do.
 */
export type FromWorker =
  | { kind: 'task'; task: TaskMessage }
  | { kind: 'files'; files: TaskFiles }
  | { kind: 'done'; id: number; stolen: number[] }
  | { kind: 'idle' };

/**
 * Ignore levels by id, each thread numbering its own (the main thread even ids, the worker odd ones), so a
 * level is sent once and is the same object on both sides every time it comes back.
 */
export class LevelCodec {
  private readonly ids = new Map<IgnoreLevel, number>();
  private readonly levels = new Map<number, IgnoreLevel>();
  /** The ids the other thread has. */
  private readonly shared = new Set<number>();

  constructor(private next: number) {}

  /** The level's id; the definitions the other thread lacks are added to `defs`, parents first. */
  encode(level: IgnoreLevel | undefined, defs: LevelDef[]): number {
    if (!level) return -1;
    let id = this.ids.get(level);
    if (id === undefined) {
      id = this.next;
      this.next += 2;
      this.ids.set(level, id);
      this.levels.set(id, level);
    }
    if (!this.shared.has(id)) {
      const parent = this.encode(level.parent, defs);
      defs.push({ id, parent, strip: level.strip, prefix: level.prefix, files: level.files });
      this.shared.add(id);
    }
    return id;
  }

  /** The task's pending directories, its levels rebuilt where not seen before. */
  decode(task: TaskMessage): PendingDir[] {
    for (const def of task.levels) {
      if (this.levels.has(def.id)) continue;
      const level = makeLevel(this.level(def.parent), { strip: def.strip, prefix: def.prefix }, def.files);
      this.ids.set(level, def.id);
      this.levels.set(def.id, level);
      this.shared.add(def.id);
    }
    return task.entries.map(({ dir, level }) => ({ dir, level: this.level(level) }));
  }

  private level(id: number): IgnoreLevel | undefined {
    if (id === -1) return undefined;
    const level = this.levels.get(id);
    if (!level) throw new Error(`file walk: unknown ignore level ${id}`);
    return level;
  }
}

/** One task being walked: its stack, what it found, and the ids of the parts taken from it. */
export class TaskRun {
  readonly stolen: number[] = [];
  /** The files listed so far. */
  files = 0;
  /** The directory `next` listed last. */
  private dir = '';

  /** `cap`: the task stops once it has this many files (no more of them could make the list). */
  constructor(
    readonly id: number,
    private readonly stack: PendingDir[],
    private readonly cap: number,
  ) {}

  get done(): boolean {
    return this.stack.length === 0 || this.files >= this.cap;
  }

  /** Lists the next directory: its file names (`prefix` precedes them in the list); with `paths`, their paths go onto it. */
  next(scope: WalkScope, paths?: string[]): string[] {
    const pending = this.stack.pop()!;
    const names = listDirectory(scope, pending, this.stack, paths);
    this.dir = pending.dir;
    this.files += names.length;
    return names;
  }

  /** What precedes the names of the files `next` listed last, in the list. */
  get prefix(): string {
    return listPrefix(this.dir);
  }

  /** Whether part of the task can go to the other thread and leave this one something to do. */
  canGive(): boolean {
    return this.stack.length >= 2 && this.files < this.cap;
  }

  /**
   * Takes the bottom of the stack away as task `id`: half of the directories that share the bottom one's
   * parent. They are the shallowest pending directories, so likely the largest part of what is left.
   */
  give(id: number): PendingDir[] {
    const { stack } = this;
    const parentOf = (dir: string) => dir.slice(0, Math.max(0, dir.lastIndexOf('/')));
    const parent = parentOf(stack[0]!.dir);
    let siblings = 1;
    while (siblings < stack.length && parentOf(stack[siblings]!.dir) === parent) siblings++;
    this.stolen.push(id);
    return stack.splice(0, Math.min(stack.length - 1, Math.ceil(siblings / 2)));
  }
}

/** Pending directories as the other thread gets them, as task `id`. */
export function taskMessage(id: number, entries: readonly PendingDir[], codec: LevelCodec): TaskMessage {
  const levels: LevelDef[] = [];
  return { id, entries: entries.map(({ dir, level }) => ({ dir, level: codec.encode(level, levels) })), levels };
}

/**
 * The order of the other tasks' files, after the root task's own: each task's own files, then those of the
 * parts taken from it, the last taken first. `stolenFrom` gives a task's parts, in the order they were taken.
 */
export function taskOrder(rootStolen: readonly number[], stolenFrom: (id: number) => readonly number[]): number[] {
  const order: number[] = [];
  const next = [...rootStolen];
  while (next.length > 0) {
    const id = next.pop()!;
    order.push(id);
    next.push(...stolenFrom(id));
  }
  return order;
}

/** Gathers a task's files as the worker sends them (see `TaskFiles`). */
export class FilesWriter {
  private parts: string[] = [];
  private counts: number[] = [];
  /** How many file names it holds. */
  size = 0;

  add(prefix: string, names: readonly string[]): void {
    this.parts.push(prefix);
    for (let i = 0; i < names.length; i++) this.parts.push(names[i]!);
    this.counts.push(names.length);
    this.size += names.length;
  }

  /** What it holds, as task `id`'s; it is then empty. */
  take(id: number): TaskFiles {
    const files = { id, text: this.parts.join('\0'), counts: this.counts };
    this.parts = [];
    this.counts = [];
    this.size = 0;
    return files;
  }
}

/** Hands each directory of `files` to `onFiles`: its list prefix and its file names. */
export function readFiles(files: TaskFiles, onFiles: (prefix: string, names: string[]) => void): void {
  if (files.counts.length === 0) return;
  const parts = files.text.split('\0');
  let at = 0;
  for (const count of files.counts) {
    const prefix = parts[at]!;
    onFiles(prefix, parts.slice(at + 1, at + 1 + count));
    at += 1 + count;
  }
}
