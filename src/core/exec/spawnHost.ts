// Starts short-lived programs (git, for checkpoints) through a small long-lived Node process, the host.
// Starting a program forks the process that starts it, and a fork costs in proportion to that process's
// memory: ~2 ms from a fresh Node, ~20 ms from an editor's extension host of 450 MB, a stall of its whole
// event loop each time, and a turn's checkpoint runs git about ten times. The host stays small, so its
// forks stay cheap and none of them stops this process.
//
// The host is this process's own executable run as Node (ELECTRON_RUN_AS_NODE, so it also works from
// VS Code's extension host) running HOST_PROGRAM, over Node's IPC channel with advanced serialization
// (bytes pass as they are). It exits when this process goes (the channel closes) and kills what it
// started. When it cannot start, or has died too often, programs are started directly, as before.
import { spawn, type ChildProcess } from 'node:child_process';

export interface ProgramOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Written to the program's stdin, which is then closed. */
  input: string | Buffer;
  onStdout(chunk: Buffer): void;
  onStderr(chunk: Buffer): void;
}

export interface ProgramExit {
  code: number | null;
  signal: string | null;
  /** Set when the program could not run (`code` as Node reports it: ENOENT for a missing program or cwd). */
  error?: { code?: string; message: string };
}

export interface StartedProgram {
  /** Resolves once the program has exited and all its output was delivered; never rejects. */
  readonly exit: Promise<ProgramExit>;
  /** SIGKILL. */
  kill(): void;
}

/**
 * The host: one message per run in, output and exit messages out. Output is paused while too many
 * messages wait to be sent, so a program printing faster than the parent reads does not grow the host.
 */
export const HOST_PROGRAM = String.raw`'use strict';
const { spawn } = require('child_process');
const running = new Map();
const MAX_UNSENT = 32;
let unsent = 0;
const paused = new Set();
function send(message) {
  if (!process.connected) return;
  unsent += 1;
  process.send(message, undefined, undefined, () => {
    unsent -= 1;
    if (unsent <= MAX_UNSENT / 4) for (const stream of paused) { paused.delete(stream); stream.resume(); }
  });
}
function relay(stream, id, kind) {
  stream.on('data', (data) => {
    send({ kind, id, data });
    if (unsent > MAX_UNSENT) { stream.pause(); paused.add(stream); }
  });
}
function run(m) {
  let child;
  try {
    child = spawn(m.command, m.args, { cwd: m.cwd, env: m.env, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
  } catch (e) {
    send({ kind: 'exit', id: m.id, code: null, signal: null, error: { code: e.code, message: e.message } });
    return;
  }
  running.set(m.id, child);
  let error;
  child.on('error', (e) => { error = { code: e.code, message: e.message }; });
  relay(child.stdout, m.id, 'stdout');
  relay(child.stderr, m.id, 'stderr');
  child.on('close', (code, signal) => {
    running.delete(m.id);
    send({ kind: 'exit', id: m.id, code, signal, error });
  });
  child.stdin.on('error', () => {});
  child.stdin.end(m.input);
}
process.on('message', (m) => {
  if (m.kind === 'run') run(m);
  else if (m.kind === 'kill') { const child = running.get(m.id); if (child) child.kill('SIGKILL'); }
});
process.on('disconnect', () => {
  for (const child of running.values()) child.kill('SIGKILL');
  process.exit(0);
});
`;

/** How many hosts may die (or fail to start) before this process gives up on them and starts programs itself. */
const MAX_HOST_DEATHS = 3;

interface Pending {
  options: ProgramOptions;
  resolve(exit: ProgramExit): void;
}

type HostMessage = { kind: 'stdout' | 'stderr'; id: number; data: Uint8Array } | ({ kind: 'exit'; id: number } & ProgramExit);

/** The host process and the runs it has under way. */
class Host {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private alive = true;

  constructor(
    private readonly child: ChildProcess,
    private readonly onGone: (expected: boolean) => void,
  ) {
    child.on('message', (message: HostMessage) => this.receive(message));
    // An exit, a failed start or a broken channel all end the host the same way.
    child.on('error', () => this.gone('could not be started'));
    child.on('exit', (code, signal) => this.gone(`stopped (${signal ?? `exit ${code}`})`));
    child.on('disconnect', () => this.gone('stopped'));
    child.unref();
    this.idle();
  }

  get usable(): boolean {
    return this.alive && this.child.connected;
  }

  run(command: string, args: readonly string[], options: ProgramOptions): StartedProgram {
    const id = this.nextId++;
    const exit = new Promise<ProgramExit>((resolve) => this.pending.set(id, { options, resolve }));
    (this.child.channel as { ref?: () => void } | undefined)?.ref?.();
    this.child.send({ kind: 'run', id, command, args: [...args], cwd: options.cwd, env: options.env, input: options.input }, (error) => {
      if (error) this.settle(id, { code: null, signal: null, error: { message: `the process that starts programs did not take it: ${error.message}` } });
    });
    return {
      exit,
      kill: () => {
        if (this.pending.has(id) && this.usable) this.child.send({ kind: 'kill', id }, () => undefined);
      },
    };
  }

  /** Stops the host (its runs are killed by it and reported as failed here). */
  close(): void {
    this.gone('was closed', true);
    if (this.child.connected) this.child.disconnect();
  }

  private receive(message: HostMessage): void {
    const pending = this.pending.get(message.id);
    if (!pending) return;
    if (message.kind === 'exit') {
      const { code, signal, error } = message;
      this.settle(message.id, error ? { code, signal, error } : { code, signal });
      return;
    }
    const chunk = Buffer.from(message.data.buffer, message.data.byteOffset, message.data.byteLength);
    if (message.kind === 'stdout') pending.options.onStdout(chunk);
    else pending.options.onStderr(chunk);
  }

  private settle(id: number, exit: ProgramExit): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    pending.resolve(exit);
    this.idle();
  }

  /** With nothing under way the channel does not keep this process alive. */
  private idle(): void {
    if (this.pending.size === 0) (this.child.channel as { unref?: () => void } | undefined)?.unref?.();
  }

  private gone(why: string, expected = false): void {
    if (!this.alive) return;
    this.alive = false;
    for (const id of [...this.pending.keys()]) this.settle(id, { code: null, signal: null, error: { message: `the process that starts programs ${why}` } });
    this.onGone(expected);
  }
}

let host: Host | undefined;
let hostDeaths = 0;

function currentHost(): Host | undefined {
  if (host?.usable) return host;
  if (hostDeaths >= MAX_HOST_DEATHS) return undefined;
  // No NODE_OPTIONS or loaders from this process: the program is self-contained.
  const { NODE_OPTIONS: _options, ...env } = process.env;
  try {
    const child = spawn(process.execPath, ['-e', HOST_PROGRAM], {
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      serialization: 'advanced',
      env: { ...env, ELECTRON_RUN_AS_NODE: '1' },
      windowsHide: true,
    });
    const started: Host = new Host(child, (expected) => {
      if (!expected) hostDeaths += 1;
      if (host === started) host = undefined;
    });
    host = started;
    return host;
  } catch {
    hostDeaths += 1;
    return undefined;
  }
}

/** Starts `command` through the host, or directly when there is no host. */
export function startProgram(command: string, args: readonly string[], options: ProgramOptions): StartedProgram {
  return currentHost()?.run(command, args, options) ?? startDirectly(command, args, options);
}

/** Stops the host, if one runs (an extension deactivated, tests; a process that exits needs nothing: the host follows it). */
export function closeSpawnHost(): void {
  host?.close();
  host = undefined;
}

/** The same contract without a host: this process forks. */
export function startDirectly(command: string, args: readonly string[], options: ProgramOptions): StartedProgram {
  let error: ProgramExit['error'];
  let child: ChildProcess;
  try {
    child = spawn(command, [...args], { cwd: options.cwd, env: options.env, windowsHide: true, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (caught) {
    const failure = caught as NodeJS.ErrnoException;
    return { exit: Promise.resolve({ code: null, signal: null, error: { code: failure.code, message: failure.message } }), kill: () => undefined };
  }
  const exit = new Promise<ProgramExit>((resolve) => {
    child.on('error', (failure: NodeJS.ErrnoException) => {
      error = { code: failure.code, message: failure.message };
    });
    child.on('close', (code, signal) => resolve(error ? { code, signal, error } : { code, signal }));
  });
  child.stdout!.on('data', options.onStdout);
  child.stderr!.on('data', options.onStderr);
  // A program that exits before reading its input must not crash this process with EPIPE.
  child.stdin!.on('error', () => undefined);
  child.stdin!.end(options.input);
  return { exit, kill: () => child.kill('SIGKILL') };
}
