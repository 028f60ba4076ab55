// command/exec and its companions: one-off commands for a client, under the configured sandbox (or the
// one it asks for), with a timeout and capped output. A process belongs to the connection that started
// it: only that connection can write to it, and closing the connection terminates it. Streamed output is
// the exact bytes (base64); buffered output is text. Without streamStdin or tty, stdin is closed.
import * as path from 'node:path';
import { CommandExec, CommandExecResize, CommandExecTerminate, CommandExecWrite, invalidRequest, type CommandExecParams, CommandExecOutputDelta } from '../../protocol';
import { buildEnvironment } from '../../core/exec/environment';
import type { ManagedProcess } from '../../core/exec/processManager';
import { isRestricted, NO_SANDBOX_FIX } from '../../core/approvals/commandRule';
import { detectSandbox, wrapCommand, type WrappedCommand } from '../../core/exec/sandbox';
import type { ThreadManager } from '../../core/thread/threadManager';
import type { AppServer } from '../appServer';
import type { Connection } from '../connection';

/** Per-stream capture cap when the client names none. */
export const DEFAULT_OUTPUT_BYTES_CAP = 1024 * 1024;
export const DEFAULT_COMMAND_TIMEOUT_MS = 60_000;

interface ClientProcess {
  process: ManagedProcess;
  acceptsStdin: boolean;
}

export function registerCommandExecHandlers(server: AppServer, threads: ThreadManager): void {
  const byConnection = new WeakMap<Connection, Map<string, ClientProcess>>();
  const processesOf = (connection: Connection) => {
    let map = byConnection.get(connection);
    if (!map) {
      map = new Map();
      byConnection.set(connection, map);
      const owned = map;
      connection.signal.addEventListener('abort', () => {
        for (const entry of owned.values()) entry.process.terminate();
      });
    }
    return map;
  };
  const find = (connection: Connection, processId: string): ClientProcess => {
    const entry = processesOf(connection).get(processId);
    if (!entry || entry.process.exit) throw invalidRequest(`no running process with id ${processId}`);
    return entry;
  };

  server.registry.register(CommandExec, {
    key: () => null,
    handle: (params, context) => runCommand(params, context.connection, processesOf(context.connection), server, threads),
  });

  server.registry.register(CommandExecWrite, {
    key: () => null,
    handle: async (params, context) => {
      const entry = find(context.connection, params.processId);
      if (!entry.acceptsStdin) throw invalidRequest(`stdin streaming is not enabled for this command/exec (process ${params.processId}; start it with streamStdin or tty)`);
      if (params.deltaBase64) entry.process.write(Buffer.from(params.deltaBase64, 'base64'));
      if (params.closeStdin) entry.process.closeStdin();
      return {};
    },
  });

  server.registry.register(CommandExecTerminate, {
    key: () => null,
    handle: async (params, context) => {
      find(context.connection, params.processId).process.terminate();
      return {};
    },
  });

  server.registry.register(CommandExecResize, {
    key: () => null,
    handle: async (params, context) => {
      if (!find(context.connection, params.processId).process.resize(params.size.cols, params.size.rows)) {
        throw invalidRequest(`process ${params.processId} has no terminal to resize`);
      }
      return {};
    },
  });
}

async function runCommand(
  params: CommandExecParams,
  connection: Connection,
  owned: Map<string, ClientProcess>,
  server: AppServer,
  threads: ThreadManager,
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  if (params.command.length === 0 || params.command[0] === '') throw invalidRequest('command must not be empty');
  const tty = params.tty ?? false;
  const stream = tty || (params.streamStdoutStderr ?? false);
  const acceptsStdin = tty || (params.streamStdin ?? false);
  const processId = params.processId ?? undefined;
  if ((stream || acceptsStdin) && !processId) throw invalidRequest('streaming, stdin and tty need a client-supplied processId');
  if (params.outputBytesCap != null && params.disableOutputCap) throw invalidRequest('outputBytesCap cannot be combined with disableOutputCap');
  if (params.timeoutMs != null && params.disableTimeout) throw invalidRequest('timeoutMs cannot be combined with disableTimeout');
  if (params.size && !tty) throw invalidRequest('size is only valid with tty');
  if (processId && owned.get(processId) && !owned.get(processId)!.process.exit) throw invalidRequest(`process id ${processId} is already in use on this connection`);

  const defaults = threads.resolver.commandDefaults();
  const cwd = path.resolve(defaults.cwd, params.cwd ?? '.');
  const env = buildEnvironment(defaults.environmentPolicy, process.env);
  for (const [name, value] of Object.entries(params.env ?? {})) {
    if (value === null) delete env[name];
    else env[name] = value;
  }
  const sandbox = params.sandboxPolicy ?? defaults.sandbox;
  const support = detectSandbox();
  // A restricted policy without a working sandbox fails closed: the client asked for a sandbox, so never run bare.
  if (isRestricted(sandbox) && support.kind === 'none') {
    throw invalidRequest(`not run: no sandbox can run on this machine (${support.reason}); to fix this, ${NO_SANDBOX_FIX}, or pass sandboxPolicy {"type": "dangerFullAccess"}`);
  }
  let wrapped: WrappedCommand;
  try {
    wrapped = wrapCommand(params.command, sandbox, cwd, support, { home: server.options.home });
  } catch (error) {
    throw invalidRequest(`not run: the sandbox could not be set up (${(error as Error).message})`);
  }
  let proc: ManagedProcess;
  try {
    proc = threads.processes.spawn({ argv: wrapped.argv, cwd, env, tty, size: params.size ?? undefined, closedStdin: !acceptsStdin });
  } catch (error) {
    throw invalidRequest((error as Error).message);
  }
  if (processId) owned.set(processId, { process: proc, acceptsStdin });

  const cap = params.disableOutputCap ? Infinity : (params.outputBytesCap ?? DEFAULT_OUTPUT_BYTES_CAP);
  const captured = { stdout: { chunks: [] as Buffer[], bytes: 0, capped: false }, stderr: { chunks: [] as Buffer[], bytes: 0, capped: false } };
  proc.onBytes((bytes, streamName) => {
    const target = captured[streamName];
    if (target.capped) return;
    let chunk = bytes;
    if (target.bytes + bytes.length > cap) {
      chunk = bytes.subarray(0, Math.max(0, cap - target.bytes));
      target.capped = true;
    }
    target.bytes += chunk.length;
    // Streaming always comes with a processId (checked above).
    if (stream && processId) {
      server.outgoing.notifyConnection(connection, CommandExecOutputDelta, {
        processId,
        stream: streamName,
        deltaBase64: chunk.toString('base64'),
        capReached: target.capped,
      });
      // A client that is behind pauses the command rather than letting its output pile up here.
      const behind = connection.sink.whenWritable?.();
      if (behind) proc.holdOutput(behind);
    } else {
      target.chunks.push(chunk);
    }
  });

  const timeoutMs = params.disableTimeout ? undefined : (params.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS);
  let timedOut = false;
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => ((timedOut = true), proc.terminate()), timeoutMs);
  const exit = await proc.exited;
  if (timer) clearTimeout(timer);
  if (processId && owned.get(processId)?.process === proc) owned.delete(processId);
  const exitCode = timedOut ? 124 : (exit.exitCode ?? 128 + signalNumber(exit.signal));
  // Decoded once at the end, so a character split across reads comes out whole.
  const stdout = Buffer.concat(captured.stdout.chunks).toString('utf8');
  const capturedStderr = Buffer.concat(captured.stderr.chunks).toString('utf8');
  const stderr = timedOut ? `${capturedStderr}command timed out after ${timeoutMs} milliseconds\n` : capturedStderr;
  return { exitCode, stdout, stderr };
}

function signalNumber(signal: string | null): number {
  const numbers: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
  return (signal && numbers[signal]) || 0;
}
