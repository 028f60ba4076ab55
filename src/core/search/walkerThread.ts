// The worker thread that walks part of a large tree (fileWalkerWorker.ts, bundled as its own file next to the
// bundle that uses it). One is started per walk, only once the walk has outlasted its first slice, and ended
// with it. A script that failed to start is not tried again: the walk simply stays on one thread.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MessagePort, Worker } from 'node:worker_threads';
import type { FromWorker, ToWorker, WalkerSetup } from './walkTasks';

export const WALKER_SCRIPT = 'fileWalkerWorker.js';

/** Scripts that could not start: later walks do without them. */
const unusable = new Set<string>();
let running = 0;

/**
 * Whether this thread had to wait for a CPU since this was made: a second thread only pays off with CPU to
 * spare. On a machine so busy that the walk's own thread waits to run, the second gets little CPU, and what it
 * costs besides the walk (its start, its own compiling and collecting, handing its files over) makes the walk
 * slower than on one thread. (The load average was tried too: it lags, and a machine with a few tasks queued
 * on average still gave the second thread enough.) Linux tells how long the thread waited; elsewhere CPU is
 * assumed to be spare.
 */
export class CpuWait {
  private readonly since = CpuWait.read();

  /** More than a quarter of the time waiting to run. */
  get busy(): boolean {
    const now = CpuWait.read();
    if (!this.since || !now) return false;
    const ran = now.ran - this.since.ran;
    const waited = now.waited - this.since.waited;
    return waited > (ran + waited) / 4;
  }

  /** This thread's time on a CPU and waiting for one, in nanoseconds. */
  private static read(): { ran: number; waited: number } | undefined {
    try {
      const [ran, waited] = fs.readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ').map(Number);
      return ran !== undefined && waited !== undefined && Number.isFinite(ran) && Number.isFinite(waited) ? { ran, waited } : undefined;
    } catch {
      return undefined;
    }
  }
}

/** The bundled worker next to this module (in dist/); none when running from source. */
export function bundledWalkerScript(): string | undefined {
  const file = path.join(__dirname, WALKER_SCRIPT);
  return unusable.has(file) || !fs.existsSync(file) ? undefined : file;
}

/** How many walker threads are alive (they end shortly after their walk does). */
export function runningWalkerThreads(): number {
  return running;
}

export class WalkerThread {
  private started = false;
  private stopped = false;

  private constructor(
    private readonly worker: Worker,
    private readonly port: MessagePort,
    private readonly receiveSync: (port: MessagePort) => { message: unknown } | undefined,
  ) {}

  /**
   * Starts the script on a new thread; undefined if it cannot be. `onFailure` is told once if the thread
   * errs or ends before `stop`.
   */
  static async start(script: string, setup: Omit<WalkerSetup, 'port'>, onFailure: (error: unknown) => void): Promise<WalkerThread | undefined> {
    if (unusable.has(script)) return undefined;
    // Loaded on the first large walk only: a server that never searches does without the module.
    const threads = await import('node:worker_threads');
    const { port1, port2 } = new threads.MessageChannel();
    let worker: Worker;
    try {
      const workerData: WalkerSetup = { ...setup, port: port1 };
      // Its own stdout: nothing it might print can reach a protocol spoken on this process's stdout.
      worker = new threads.Worker(script, { workerData, transferList: [port1], stdout: true, env: threads.SHARE_ENV, execArgv: [] });
    } catch {
      unusable.add(script);
      port2.close();
      return undefined;
    }
    running++;
    const thread = new WalkerThread(worker, port2, threads.receiveMessageOnPort);
    const failed = (error: unknown) => {
      if (thread.stopped) return;
      if (!thread.started) unusable.add(script);
      thread.stop();
      onFailure(error);
    };
    worker.on('error', failed);
    worker.once('exit', (code) => {
      running--;
      failed(new Error(`the file walker thread exited (${code})`));
    });
    // Neither keeps the process alive: a server shutting down mid-walk does not wait for it.
    worker.unref();
    return thread;
  }

  send(message: ToWorker): void {
    this.port.postMessage(message);
  }

  /** The next message if one has come, without waiting. */
  receive(): FromWorker | undefined {
    const received = this.receiveSync(this.port);
    if (!received) return undefined;
    this.started = true;
    return received.message as FromWorker;
  }

  /** Hands the next message to `onMessage` when it comes. */
  wait(onMessage: (message: FromWorker) => void): void {
    this.port.once('message', (message: FromWorker) => {
      this.started = true;
      onMessage(message);
    });
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.port.removeAllListeners('message');
    this.port.close();
    void this.worker.terminate();
  }
}
