// The exec-server (exec-server.v0): start processes, read their output by sequence number, write to
// terminals, terminate. It shares the ProcessManager with the tools when both run in one process.
// Output chunks are the bytes the process wrote, retained per process up to a cap, oldest chunks dropped
// first (and reads say so); closing a connection terminates every process it started. A pipe process
// starts with stdin closed (only a terminal takes input), so a child that reads stdin sees end of input
// instead of waiting for writes that would be refused.
import {
  ErrorCode,
  EXEC_SERVER_PROTOCOL_VERSION,
  ExecInitialize,
  ProcessExited,
  ProcessOutput,
  ProcessRead,
  ProcessStart,
  ProcessTerminate,
  ProcessWrite,
  RpcError,
  classifyMessage,
  describeZodError,
  invalidRequest,
  type JsonRpcRequest,
  type ParamsOf,
  type RequestDescriptor,
} from '../protocol';
import type { Logger } from '../core/log';
import type { ManagedProcess, ProcessManager } from '../core/exec/processManager';
import { Connection, type ConnectionHost, type MessageSink } from './connection';

/** Retained output per process, in bytes. */
export const DEFAULT_RETAINED_BYTES = 1024 * 1024;
const MAX_READ_WAIT_MS = 30_000;

interface Chunk {
  seq: number;
  stream: 'stdout' | 'stderr' | 'pty';
  bytes: Buffer;
}

interface ServedProcess {
  process: ManagedProcess;
  chunks: Chunk[];
  retained: number;
  nextSeq: number;
  waiters: Set<() => void>;
}

export class ExecServer implements ConnectionHost {
  private readonly state = new WeakMap<Connection, Map<string, ServedProcess>>();
  private readonly open = new Set<Connection>();

  constructor(
    readonly logger: Logger,
    private readonly processes: ProcessManager,
    private readonly options: { retainedBytes?: number } = {},
  ) {}

  openConnection(sink: MessageSink, label: string): Connection {
    const connection = new Connection(sink, label);
    this.state.set(connection, new Map());
    this.open.add(connection);
    return connection;
  }

  closeConnection(connection: Connection): void {
    if (connection.closed) return;
    connection.close();
    this.open.delete(connection);
    for (const served of this.state.get(connection)?.values() ?? []) served.process.terminate();
  }

  shutdown(): void {
    for (const connection of [...this.open]) this.closeConnection(connection);
  }

  receive(connection: Connection, message: unknown): void {
    const classified = classifyMessage(message);
    if (classified.kind === 'notification') {
      if (classified.message.method === 'initialized') connection.initialized = true;
      return;
    }
    if (classified.kind !== 'request') {
      if (classified.kind === 'invalid') this.logger.warn('dropped an invalid message', { connection: connection.label, reason: classified.reason });
      return;
    }
    const request = classified.message;
    this.dispatch(connection, request).then(
      (result) => !connection.closed && connection.sink.send({ id: request.id, result }),
      (error: unknown) => {
        const object = error instanceof RpcError ? error.toObject() : { code: ErrorCode.Internal, message: error instanceof Error ? error.message : String(error) };
        if (!connection.closed) connection.sink.send({ id: request.id, error: object });
      },
    );
  }

  private async dispatch(connection: Connection, request: JsonRpcRequest): Promise<unknown> {
    if (request.method === ExecInitialize.method) {
      const params = parse(ExecInitialize, request.params);
      connection.clientInfo = { name: params.clientName, version: '' };
      return { protocolVersion: EXEC_SERVER_PROTOCOL_VERSION };
    }
    if (!connection.initialized) throw invalidRequest('not initialized: send initialize, then the initialized notification');
    const processes = this.state.get(connection)!;
    switch (request.method) {
      case ProcessStart.method:
        return this.start(connection, processes, parse(ProcessStart, request.params));
      case ProcessRead.method: {
        const params = parse(ProcessRead, request.params);
        return this.read(find(processes, params.processId), params);
      }
      case ProcessWrite.method: {
        const params = parse(ProcessWrite, request.params);
        const served = find(processes, params.processId);
        if (!served.process.tty) throw invalidRequest(`stdin is closed for process ${params.processId} (it uses pipes; writing is only supported for tty processes)`);
        return { accepted: served.process.write(Buffer.from(params.chunk, 'base64')) };
      }
      case ProcessTerminate.method: {
        const served = find(processes, parse(ProcessTerminate, request.params).processId);
        const running = served.process.exit === undefined;
        served.process.terminate();
        return { running };
      }
      default:
        throw new RpcError(ErrorCode.MethodNotFound, `method not found: ${request.method}`);
    }
  }

  private start(connection: Connection, processes: Map<string, ServedProcess>, params: ReturnType<typeof ProcessStart.params.parse>) {
    if (params.argv.length === 0) throw invalidRequest('argv must not be empty');
    if (processes.has(params.processId)) throw invalidRequest(`process id ${params.processId} already exists`);
    let process: ManagedProcess;
    try {
      // closedStdin also covers a tty request that falls back to pipes: it takes no writes either.
      const request = { argv: params.argv, cwd: params.cwd, env: params.env ?? {}, tty: params.tty ?? false, arg0: params.arg0 ?? undefined, closedStdin: true };
      process = this.processes.spawn(request);
    } catch (error) {
      throw invalidRequest(`could not start the process: ${(error as Error).message}`);
    }
    const served: ServedProcess = { process, chunks: [], retained: 0, nextSeq: 0, waiters: new Set() };
    processes.set(params.processId, served);
    const cap = this.options.retainedBytes ?? DEFAULT_RETAINED_BYTES;
    process.onBytes((bytes, stream) => {
      const chunk: Chunk = { seq: served.nextSeq++, stream: process.tty ? 'pty' : stream, bytes };
      served.chunks.push(chunk);
      served.retained += chunk.bytes.length;
      while (served.retained > cap && served.chunks.length > 1) served.retained -= served.chunks.shift()!.bytes.length;
      if (!connection.closed) {
        const output: ParamsOf<typeof ProcessOutput> = { processId: params.processId, seq: chunk.seq, stream: chunk.stream, chunk: chunk.bytes.toString('base64') };
        connection.sink.send({ method: ProcessOutput.method, params: output });
      }
      wake(served);
    });
    void process.exited.then((exit) => {
      const exited: ParamsOf<typeof ProcessExited> = { processId: params.processId, exitCode: exit.exitCode };
      if (!connection.closed) connection.sink.send({ method: ProcessExited.method, params: exited });
      wake(served);
    });
    return { processId: params.processId };
  }

  private async read(served: ServedProcess, params: ReturnType<typeof ProcessRead.params.parse>) {
    const after = params.afterSeq ?? -1;
    const pending = () => served.chunks.some((c) => c.seq > after);
    if (!pending() && !served.process.exit && params.waitMs) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(params.waitMs!, MAX_READ_WAIT_MS));
        served.waiters.add(done);
        function done() {
          clearTimeout(timer);
          served.waiters.delete(done);
          resolve();
        }
      });
    }
    const available = served.chunks.filter((c) => c.seq > after);
    const chunks: Chunk[] = [];
    let bytes = 0;
    for (const chunk of available) {
      if (params.maxBytes && chunks.length > 0 && bytes + chunk.bytes.length > params.maxBytes) break;
      chunks.push(chunk);
      bytes += chunk.bytes.length;
    }
    const firstRetained = served.chunks[0]?.seq ?? served.nextSeq;
    return {
      chunks: chunks.map((c) => ({ seq: c.seq, stream: c.stream, chunk: c.bytes.toString('base64') })),
      nextSeq: chunks.length > 0 ? chunks[chunks.length - 1]!.seq : after,
      exited: served.process.exit !== undefined && chunks.length === available.length,
      exitCode: served.process.exit?.exitCode ?? null,
      truncated: firstRetained > after + 1,
    };
  }
}

function wake(served: ServedProcess): void {
  for (const waiter of [...served.waiters]) waiter();
}

function find(processes: Map<string, ServedProcess>, processId: string): ServedProcess {
  const served = processes.get(processId);
  if (!served) throw invalidRequest(`unknown process id ${processId}`);
  return served;
}

function parse<D extends RequestDescriptor>(descriptor: D, params: unknown): ReturnType<D['params']['parse']> {
  const parsed = descriptor.params.safeParse(params);
  if (!parsed.success) throw new RpcError(ErrorCode.InvalidParams, `invalid params for ${descriptor.method}: ${describeZodError(parsed.error)}`);
  return parsed.data as ReturnType<D['params']['parse']>;
}
