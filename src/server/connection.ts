// A client connection's session state, and the registry that knows every connection and which threads
// each one is subscribed to.
import type { ClientInfo, InitializeCapabilities, JsonRpcErrorObject, RequestId } from '../protocol';
import type { Logger } from '../core/log';

/** What a transport needs from a server: the app-server and the exec-server both provide it. */
export interface ConnectionHost {
  readonly logger: Logger;
  openConnection(sink: MessageSink, label: string): Connection;
  receive(connection: Connection, message: unknown, sizeBytes?: number): void;
  closeConnection(connection: Connection): void;
}

/** What the server writes to a client. */
export type OutgoingMessage =
  | { id: RequestId; result: unknown }
  | { id: RequestId; error: JsonRpcErrorObject }
  | { method: string; params?: unknown }
  | { id: number; method: string; params?: unknown };

/** A transport's handle on one client. */
export interface MessageSink {
  /** Delivers or queues the message; returns false when it was not accepted (an in-process client that is full). */
  send(message: OutgoingMessage): boolean;
  /** Ends the client side; the transport reports the close back through `AppServer.closeConnection`. */
  close(reason: string): void;
  /**
   * While the client is behind its bound, a promise that settles once it has caught up (or closed); otherwise
   * undefined. Producers that can wait (a command's output) wait on it instead of queueing more.
   */
  whenWritable?(): Promise<void> | undefined;
}

export class Connection {
  private static nextId = 1;

  readonly id = Connection.nextId++;
  initialized = false;
  clientInfo: ClientInfo | undefined;
  experimentalApi = false;
  optedOut: ReadonlySet<string> = new Set();
  readonly subscriptions = new Set<string>();
  /** Requests from this client that are queued or running, by id, so a close can abort them. */
  readonly inFlight = new Map<RequestId, AbortController>();
  private readonly lifetime = new AbortController();

  constructor(
    readonly sink: MessageSink,
    readonly label: string,
  ) {}

  get closed(): boolean {
    return this.lifetime.signal.aborted;
  }

  /** Aborted when the connection closes. */
  get signal(): AbortSignal {
    return this.lifetime.signal;
  }

  markInitialized(clientInfo: ClientInfo, capabilities: InitializeCapabilities | null | undefined): void {
    this.initialized = true;
    this.clientInfo = clientInfo;
    this.experimentalApi = capabilities?.experimentalApi ?? false;
    this.optedOut = new Set(capabilities?.optOutNotificationMethods ?? []);
  }

  wants(notificationMethod: string): boolean {
    return this.initialized && !this.closed && !this.optedOut.has(notificationMethod);
  }

  /** Marks the connection closed and aborts its in-flight work. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.lifetime.abort(new Error('connection closed'));
    for (const controller of this.inFlight.values()) controller.abort(new Error('connection closed'));
    this.inFlight.clear();
  }
}

export type ThreadUnwatchedListener = (threadId: string) => void;

export class ConnectionRegistry {
  private readonly connections = new Set<Connection>();
  private readonly subscribers = new Map<string, Set<Connection>>();
  private readonly unwatchedListeners: ThreadUnwatchedListener[] = [];

  add(connection: Connection): void {
    this.connections.add(connection);
  }

  all(): Iterable<Connection> {
    return this.connections;
  }

  get size(): number {
    return this.connections.size;
  }

  /** Removes the connection and its subscriptions; threads left with no subscriber are reported. */
  remove(connection: Connection): void {
    if (!this.connections.delete(connection)) return;
    for (const threadId of [...connection.subscriptions]) this.unsubscribe(connection, threadId);
  }

  subscribe(connection: Connection, threadId: string): void {
    if (connection.closed) return;
    connection.subscriptions.add(threadId);
    let set = this.subscribers.get(threadId);
    if (!set) {
      set = new Set();
      this.subscribers.set(threadId, set);
    }
    set.add(connection);
  }

  /** Returns whether the connection was subscribed. */
  unsubscribe(connection: Connection, threadId: string): boolean {
    const wasSubscribed = connection.subscriptions.delete(threadId);
    const set = this.subscribers.get(threadId);
    if (!set || !set.delete(connection)) return wasSubscribed;
    if (set.size === 0) {
      this.subscribers.delete(threadId);
      for (const listener of this.unwatchedListeners) listener(threadId);
    }
    return wasSubscribed;
  }

  subscribersOf(threadId: string): ReadonlySet<Connection> {
    return this.subscribers.get(threadId) ?? EMPTY;
  }

  /** Called when the last subscriber of a thread leaves, so the thread's listener can stop. */
  onThreadUnwatched(listener: ThreadUnwatchedListener): void {
    this.unwatchedListeners.push(listener);
  }
}

const EMPTY: ReadonlySet<Connection> = new Set();
