// Starts and tracks processes for the tools and the exec-server: pipes by default, a pseudo-terminal with
// node-pty when asked and available (else pipes, said once). Each process leads its own group, so
// terminating it ends everything it started. Output is read as bytes: byte listeners get exactly what the
// process wrote, text listeners (and the retained output) get it decoded as UTF-8.
import { spawn, type ChildProcess } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import type { Logger } from '../log';
import { HeadTailBuffer } from './outputBuffer';

export const DEFAULT_MAX_PROCESSES = 64;
/** Retained output per process (characters); older middle output is dropped. */
export const DEFAULT_OUTPUT_CAP = 1024 * 1024;
/** After SIGTERM, a process group gets this long before SIGKILL. */
const KILL_GRACE_MS = 2_000;

export interface SpawnRequest {
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  tty: boolean;
  size?: { cols: number; rows: number };
  /** What the program sees as argv[0] (pipes only). */
  arg0?: string;
  /** Pipes only: stdin is /dev/null, so a reader sees end of input at once, and writes are refused. */
  closedStdin?: boolean;
  /** An id taken earlier with `reserveId` (a command's item names its process before it starts). */
  id?: number;
}

export interface ProcessExit {
  exitCode: number | null;
  signal: string | null;
}

export type OutputStream = 'stdout' | 'stderr';
export type OutputListener = (text: string, stream: OutputStream) => void;
export type ByteListener = (bytes: Buffer, stream: OutputStream) => void;

interface PtyLike {
  pid: number;
  /** Buffers when spawned with `encoding: null`; strings where node-pty ignores that (Windows). */
  onData(cb: (data: string | Buffer) => void): void;
  onExit(cb: (e: { exitCode: number; signal?: number }) => void): void;
  write(data: string | Buffer): void;
  kill(signal?: string): void;
  resize(cols: number, rows: number): void;
  /** Optional: older or stand-in modules may lack flow control, and then output is simply read. */
  pause?(): void;
  resume?(): void;
}

type PtyOptions = { cwd: string; env: Record<string, string>; cols: number; rows: number; name: string; encoding: null };
type PtyModule = { spawn(file: string, args: string[], options: PtyOptions): PtyLike };

export interface TerminalSize {
  cols: number;
  rows: number;
}

/** What a spawned process offers beyond signals and input. */
interface ProcessControls {
  closeStdin(): void;
  resize(cols: number, rows: number): void;
  /** Stops and restarts reading its output. */
  pause(): void;
  resume(): void;
}

export class ManagedProcess {
  readonly output: HeadTailBuffer;
  readonly startedAt = Date.now();
  exit: ProcessExit | undefined;
  readonly exited: Promise<ProcessExit>;
  private readonly listeners = new Set<OutputListener>();
  private readonly byteListeners = new Set<ByteListener>();
  // One per stream, so a character split across reads is decoded whole.
  private readonly decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  private resolveExit!: (exit: ProcessExit) => void;
  private killTimer: NodeJS.Timeout | undefined;
  private holds = 0;

  constructor(
    readonly id: number,
    readonly pid: number | undefined,
    readonly tty: boolean,
    outputCap: number,
    private readonly writeImpl: (data: string | Buffer) => boolean,
    private readonly signalImpl: (signal: NodeJS.Signals) => void,
    private readonly controls: ProcessControls = { closeStdin() {}, resize() {}, pause() {}, resume() {} },
  ) {
    this.output = new HeadTailBuffer(outputCap);
    this.exited = new Promise((resolve) => (this.resolveExit = resolve));
  }

  /** Output as text, decoded as UTF-8 (invalid bytes become U+FFFD). */
  onOutput(listener: OutputListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Output exactly as the process wrote it. */
  onBytes(listener: ByteListener): () => void {
    this.byteListeners.add(listener);
    return () => this.byteListeners.delete(listener);
  }

  /** Sends input (text as UTF-8); false when the process has exited or has no input. */
  write(data: string | Buffer): boolean {
    return this.exit === undefined && this.writeImpl(data);
  }

  closeStdin(): void {
    if (!this.exit) this.controls.closeStdin();
  }

  /** Resizes the terminal of a tty process; false for a pipe process. */
  resize(cols: number, rows: number): boolean {
    if (!this.tty || this.exit) return false;
    this.controls.resize(cols, rows);
    return true;
  }

  /**
   * Stops reading the process's output until `until` settles (a client is behind): the pipe fills and the
   * process blocks on its next write, so nothing piles up here. Holds nest; reading resumes after the last.
   */
  holdOutput(until: Promise<unknown>): void {
    if (this.exit) return;
    if (this.holds++ === 0) this.controls.pause();
    const release = () => {
      if (--this.holds === 0 && !this.exit) this.controls.resume();
    };
    until.then(release, release);
  }

  /** SIGTERM to the whole group, SIGKILL if it is still there after a grace period. */
  terminate(): void {
    if (this.exit) return;
    this.signalImpl('SIGTERM');
    this.killTimer ??= setTimeout(() => this.signalImpl('SIGKILL'), KILL_GRACE_MS);
  }

  /** Called by the manager with what the process wrote. */
  receive(data: Buffer | string, stream: OutputStream): void {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    if (bytes.length === 0) return;
    for (const listener of this.byteListeners) listener(bytes, stream);
    this.output.append(bytes);
    this.emitText(typeof data === 'string' ? data : this.decoders[stream].write(data), stream);
  }

  /** Called by the manager when a stream ends: a character left incomplete is decoded as U+FFFD. */
  endStream(stream: OutputStream): void {
    this.emitText(this.decoders[stream].end(), stream);
  }

  /** Called by the manager. */
  finish(exit: ProcessExit): void {
    if (this.exit) return;
    this.endStream('stdout');
    this.endStream('stderr');
    this.exit = exit;
    if (this.killTimer) clearTimeout(this.killTimer);
    this.resolveExit(exit);
  }

  private emitText(text: string, stream: OutputStream): void {
    if (text === '') return;
    for (const listener of this.listeners) listener(text, stream);
  }
}

export class ProcessManager {
  private nextId = 1;
  private readonly processes = new Map<number, ManagedProcess>();
  private pty: PtyModule | null | undefined;
  private ptyWarned = false;

  constructor(
    private readonly logger: Logger,
    private readonly options: {
      maxProcesses?: number;
      outputCap?: number;
      onWarning?: (message: string) => void;
      /** Where node-pty comes from (the extension prefers VS Code's own copy); default: `require('node-pty')`. */
      loadPty?: () => unknown;
    } = {},
  ) {}

  get running(): number {
    return [...this.processes.values()].filter((p) => !p.exit).length;
  }

  get(id: number): ManagedProcess | undefined {
    return this.processes.get(id);
  }

  isRunning(id: number): boolean {
    const process = this.processes.get(id);
    return process !== undefined && process.exit === undefined;
  }

  /** An id for a process about to start, so what announces it can name it before it runs. */
  reserveId(): number {
    return this.nextId++;
  }

  spawn(request: SpawnRequest): ManagedProcess {
    if (request.argv.length === 0) throw new Error('command must not be empty');
    const max = this.options.maxProcesses ?? DEFAULT_MAX_PROCESSES;
    if (this.running >= max) throw new Error(`too many running processes (${max}); stop some first`);
    const id = request.id !== undefined && !this.processes.has(request.id) ? request.id : this.nextId++;
    const pty = request.tty ? this.loadPty() : null;
    const managed = pty ? this.spawnPty(id, pty, request) : this.spawnPipes(id, request);
    this.processes.set(id, managed);
    void managed.exited.then(() => setTimeout(() => this.processes.delete(id), 60_000).unref());
    return managed;
  }

  terminateAll(): void {
    for (const process of this.processes.values()) process.terminate();
  }

  private spawnPipes(id: number, request: SpawnRequest): ManagedProcess {
    const [file, ...args] = request.argv;
    let child: ChildProcess;
    try {
      child = spawn(file!, args, {
        cwd: request.cwd,
        env: request.env,
        argv0: request.arg0,
        detached: process.platform !== 'win32',
        stdio: [request.closedStdin ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      });
    } catch (error) {
      throw new Error(`could not start ${file}: ${(error as Error).message}`, { cause: error });
    }
    const managed = new ManagedProcess(
      id,
      child.pid,
      false,
      this.options.outputCap ?? DEFAULT_OUTPUT_CAP,
      (data) => (child.stdin?.writable ? child.stdin.write(data) || true : false),
      (signal) => killGroup(child.pid, signal),
      {
        closeStdin: () => child.stdin?.end(),
        resize: () => undefined,
        pause: () => (child.stdout?.pause(), child.stderr?.pause()),
        resume: () => (child.stdout?.resume(), child.stderr?.resume()),
      },
    );
    child.stdout?.on('data', (bytes: Buffer) => managed.receive(bytes, 'stdout')).on('end', () => managed.endStream('stdout'));
    child.stderr?.on('data', (bytes: Buffer) => managed.receive(bytes, 'stderr')).on('end', () => managed.endStream('stderr'));
    child.stdin?.on('error', () => undefined);
    child.on('error', (error) => {
      managed.receive(`${error.message}\n`, 'stderr');
      managed.finish({ exitCode: 127, signal: null });
    });
    child.on('close', (code, signal) => managed.finish({ exitCode: code, signal }));
    return managed;
  }

  private spawnPty(id: number, pty: PtyModule, request: SpawnRequest): ManagedProcess {
    const [file, ...args] = request.argv;
    const size = { cols: request.size?.cols ?? 120, rows: request.size?.rows ?? 40 };
    const term = pty.spawn(file!, args, { cwd: request.cwd, env: request.env, ...size, name: 'xterm-256color', encoding: null });
    const managed = new ManagedProcess(
      id,
      term.pid,
      true,
      this.options.outputCap ?? DEFAULT_OUTPUT_CAP,
      (data) => (term.write(data), true),
      (signal) => {
        killGroup(term.pid, signal);
        term.kill(signal);
      },
      { closeStdin: () => term.write('\x04'), resize: (cols, rows) => term.resize(cols, rows), pause: () => term.pause?.(), resume: () => term.resume?.() },
    );
    term.onData((data) => managed.receive(data, 'stdout'));
    term.onExit(({ exitCode, signal }) => managed.finish({ exitCode: signal ? null : exitCode, signal: signal ? `signal ${signal}` : null }));
    return managed;
  }

  private loadPty(): PtyModule | null {
    if (this.pty !== undefined) return this.pty;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      this.pty = (this.options.loadPty ? this.options.loadPty() : require('node-pty')) as PtyModule;
    } catch (error) {
      this.pty = null;
      if (!this.ptyWarned) {
        this.ptyWarned = true;
        const message = `Terminal support (node-pty) is not available (${(error as Error).message.split('\n')[0]}); commands asking for a tty run with plain pipes.`;
        this.logger.warn(message);
        this.options.onWarning?.(message);
      }
    }
    return this.pty;
  }
}

/** Signals a process group (a command and what it started), or the process alone where groups fail. */
export function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(process.platform === 'win32' ? pid : -pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}
