// Per-key request serialization: requests with the same key run FIFO, one at a
// time; consecutive shared-read requests on a key run together; requests without a key run at once.

export type SerializationKey =
  | { readonly mode: 'exclusive'; readonly key: string }
  | { readonly mode: 'shared'; readonly key: string };

export const exclusive = (key: string): SerializationKey => ({ mode: 'exclusive', key });
export const sharedRead = (key: string): SerializationKey => ({ mode: 'shared', key });

interface Waiter {
  readonly mode: 'exclusive' | 'shared';
  readonly start: () => void;
}

interface KeyState {
  running: number;
  runningMode: 'exclusive' | 'shared' | null;
  readonly waiting: Waiter[];
}

export class KeyedSerializer {
  private readonly keys = new Map<string, KeyState>();

  /** Runs `task` when its key allows; resolves or rejects as the task does. */
  run<T>(key: SerializationKey | null, task: () => Promise<T>): Promise<T> {
    if (key === null) return invoke(task);
    return new Promise<T>((resolve, reject) => {
      let state = this.keys.get(key.key);
      if (!state) {
        state = { running: 0, runningMode: null, waiting: [] };
        this.keys.set(key.key, state);
      }
      const start = () => {
        invoke(task)
          .then(resolve, reject)
          .finally(() => this.finish(key.key));
      };
      state.waiting.push({ mode: key.mode, start });
      this.pump(key.key, state);
    });
  }

  /** How many keys have running or waiting work (for tests and leak checks). */
  get activeKeys(): number {
    return this.keys.size;
  }

  private finish(key: string): void {
    const state = this.keys.get(key);
    if (!state) return;
    state.running -= 1;
    if (state.running === 0) state.runningMode = null;
    this.pump(key, state);
  }

  private pump(key: string, state: KeyState): void {
    while (state.waiting.length > 0) {
      const next = state.waiting[0]!;
      const canStart =
        state.running === 0 || (next.mode === 'shared' && state.runningMode === 'shared');
      if (!canStart) return;
      state.waiting.shift();
      state.running += 1;
      state.runningMode = next.mode;
      next.start();
      if (next.mode === 'exclusive') return;
    }
    if (state.running === 0) this.keys.delete(key);
  }
}

/** Calls `task`, turning a synchronous throw into a rejection so a bad handler cannot stall its key. */
function invoke<T>(task: () => Promise<T>): Promise<T> {
  try {
    return task();
  } catch (error) {
    return Promise.reject(error);
  }
}
