// Everything the server writes: responses (only to the connection that asked), notifications (broadcast
// or to a thread's subscribers) and server→client requests with their pending map.
import { ErrorCode, RpcError, ServerRequestResolved, type JsonRpcErrorObject, type NotificationDescriptor, type ParamsOf, type RequestDescriptor, type RequestId } from '../protocol';
import type { Logger } from '../core/log';
import type { Connection, ConnectionRegistry } from './connection';

export interface ServerRequestOptions {
  /** Thread-scoped requests go to the thread's subscribers and end with `serverRequest/resolved`. */
  threadId?: string;
  /** Send to this connection only (otherwise: the thread's subscribers). */
  target?: Connection;
  timeoutMs?: number;
  signal?: AbortSignal;
}

interface PendingServerRequest {
  readonly id: number;
  readonly method: string;
  readonly params: unknown;
  readonly threadId: string | undefined;
  readonly targets: Set<Connection>;
  settle(outcome: { result: unknown } | { error: RpcError }): void;
}

export class OutgoingMessageSender {
  /** Server-initiated request ids: integers from a process-wide counter starting at 0. */
  private static nextRequestId = 0;
  private readonly pending = new Map<number, PendingServerRequest>();

  constructor(
    private readonly connections: ConnectionRegistry,
    private readonly logger: Logger,
  ) {}

  respond(connection: Connection, id: RequestId, result: unknown): void {
    if (connection.closed) return;
    connection.sink.send({ id, result });
  }

  respondError(connection: Connection, id: RequestId, error: JsonRpcErrorObject): void {
    if (connection.closed) return;
    connection.sink.send({ id, error });
  }

  /** To every initialized connection that has not opted out of the method. */
  broadcast<D extends NotificationDescriptor>(descriptor: D, params: ParamsOf<D>): void {
    for (const connection of this.connections.all()) this.notifyConnection(connection, descriptor, params);
  }

  /** To the connections subscribed to `threadId`. */
  notifyThread<D extends NotificationDescriptor>(threadId: string, descriptor: D, params: ParamsOf<D>): void {
    for (const connection of this.connections.subscribersOf(threadId)) this.notifyConnection(connection, descriptor, params);
  }

  notifyConnection<D extends NotificationDescriptor>(connection: Connection, descriptor: D, params: ParamsOf<D>): void {
    if (!connection.wants(descriptor.method)) return;
    // codex keeps experimental notifications from clients that did not opt into the experimental API.
    if (descriptor.experimental && !connection.experimentalApi) return;
    connection.sink.send(params === undefined ? { method: descriptor.method } : { method: descriptor.method, params });
  }

  /** Settles when every subscriber of the thread that is behind has caught up; undefined when none is behind. */
  threadSubscribersBehind(threadId: string): Promise<void> | undefined {
    const waits: Array<Promise<void>> = [];
    for (const connection of this.connections.subscribersOf(threadId)) {
      const wait = connection.closed ? undefined : connection.sink.whenWritable?.();
      if (wait) waits.push(wait);
    }
    return waits.length === 0 ? undefined : Promise.all(waits).then(() => undefined);
  }

  /**
   * Sends a server→client request; resolves with the client's result (read by the caller, which decides what
   * an unreadable answer means), rejects with its error.
   */
  sendRequest<D extends RequestDescriptor>(descriptor: D, params: ParamsOf<D>, options: ServerRequestOptions = {}): Promise<unknown> {
    const id = OutgoingMessageSender.nextRequestId++;
    const targets = new Set<Connection>(
      options.target ? [options.target] : options.threadId ? this.connections.subscribersOf(options.threadId) : [],
    );
    return new Promise<unknown>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const onAbort = () => entry.settle({ error: new RpcError(ErrorCode.Internal, 'request cancelled') });
      const entry: PendingServerRequest = {
        id,
        method: descriptor.method,
        params,
        threadId: options.threadId,
        targets,
        settle: (outcome) => {
          if (!this.pending.delete(id)) return;
          if (timer) clearTimeout(timer);
          options.signal?.removeEventListener('abort', onAbort);
          if ('result' in outcome) resolve(outcome.result);
          else reject(outcome.error);
          if (options.threadId !== undefined) {
            this.notifyThread(options.threadId, ServerRequestResolved, { threadId: options.threadId, requestId: id });
          }
        },
      };
      this.pending.set(id, entry);
      if (options.signal?.aborted) return onAbort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      if (options.timeoutMs !== undefined) {
        timer = setTimeout(
          () => entry.settle({ error: new RpcError(ErrorCode.Internal, `${descriptor.method} timed out after ${options.timeoutMs} ms`) }),
          options.timeoutMs,
        );
      }
      for (const connection of [...targets]) this.deliver(entry, connection);
      // A thread's request waits for the next client that resumes the thread (as codex does); any other
      // request with nobody to answer it fails at once.
      if (entry.targets.size === 0 && options.threadId === undefined && this.pending.has(id)) {
        entry.settle({ error: new RpcError(ErrorCode.Internal, `no connected client can answer ${descriptor.method}`) });
      }
    });
  }

  /** Re-sends a thread's pending requests to a connection that just (re)subscribed. */
  replayPending(connection: Connection, threadId: string): void {
    for (const entry of this.pending.values()) {
      if (entry.threadId === threadId && !entry.targets.has(connection)) {
        entry.targets.add(connection);
        this.deliver(entry, connection);
      }
    }
  }

  /** A client's answer to a server request. Answers from connections the request was not sent to are ignored. */
  handleClientAnswer(connection: Connection, id: RequestId, outcome: { result: unknown } | { error: JsonRpcErrorObject }): void {
    const entry = typeof id === 'number' ? this.pending.get(id) : undefined;
    if (!entry || !entry.targets.has(connection)) {
      this.logger.warn('ignored an answer to an unknown server request', { connection: connection.label, id });
      return;
    }
    if ('result' in outcome) entry.settle({ result: outcome.result });
    else entry.settle({ error: new RpcError(outcome.error.code, outcome.error.message, outcome.error.data) });
  }

  /**
   * A closed connection can no longer answer. A thread's requests (approvals, client tools) outlive it: they
   * stay pending and are re-sent to the next client that resumes the thread, and the first answer wins.
   * Requests only this connection could answer fail.
   */
  connectionClosed(connection: Connection): void {
    for (const entry of [...this.pending.values()]) {
      if (!entry.targets.delete(connection)) continue;
      if (entry.targets.size === 0 && entry.threadId === undefined) entry.settle({ error: new RpcError(ErrorCode.Internal, 'the client connection closed') });
    }
  }

  /** Fails every pending server request (shutdown). */
  failAll(reason: string): void {
    for (const entry of [...this.pending.values()]) entry.settle({ error: new RpcError(ErrorCode.Internal, reason) });
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  private deliver(entry: PendingServerRequest, connection: Connection): void {
    const accepted =
      connection.initialized &&
      !connection.closed &&
      connection.sink.send({ id: entry.id, method: entry.method, params: entry.params });
    if (accepted) return;
    entry.targets.delete(connection);
    this.logger.warn('a client could not take a server request', { connection: connection.label, method: entry.method });
    if (entry.targets.size === 0 && entry.threadId === undefined) {
      entry.settle({ error: new RpcError(ErrorCode.Overloaded, `the client could not accept ${entry.method}`) });
    }
  }
}
