// The app-server runtime: connections, method registry, serialization and outgoing messages, wired
// together. Transports open connections on it and feed it decoded messages.
import type { Logger } from '../core/log';
import { Connection, ConnectionRegistry, type ConnectionHost, type MessageSink } from './connection';
import { initializeConnection } from './handlers/initialize';
import { DEFAULT_MAX_IN_FLIGHT_REQUESTS, MessageProcessor } from './messageProcessor';
import { MethodRegistry } from './methodRegistry';
import { OutgoingMessageSender } from './outgoing';
import { KeyedSerializer } from './serialization';

export interface AppServerOptions {
  logger: Logger;
  /** Tandem's home directory, reported as `codexHome`. */
  home: string;
  /** Requests admitted and not yet answered, across connections; past it: -32001 (clamped to ≥ 1). */
  maxInFlightRequests?: number;
  validateResults?: boolean;
}

/** Something to tell each connection once it has initialized (config warnings, for example). */
export type InitializedHook = (connection: Connection) => void;

/** How often the pass after `initialize` looks whether requests are still being answered, and how long it defers to them at most. */
const IDLE_CHECK_MS = 10;
const MAX_IDLE_WAIT_MS = 2_000;

export class AppServer implements ConnectionHost {
  readonly registry = new MethodRegistry();
  readonly connections = new ConnectionRegistry();
  readonly outgoing: OutgoingMessageSender;
  readonly logger: Logger;
  private readonly processor: MessageProcessor;
  private readonly initializedHooks: InitializedHook[] = [];
  private readonly answeredHooks: InitializedHook[] = [];
  private readonly shutdownHooks: Array<() => Promise<void> | void> = [];
  private readonly stoppingHooks: Array<() => void> = [];
  private stopped = false;

  constructor(readonly options: AppServerOptions) {
    this.logger = options.logger;
    this.outgoing = new OutgoingMessageSender(this.connections, this.logger);
    this.processor = new MessageProcessor(this.registry, this.outgoing, new KeyedSerializer(), this.logger, {
      maxInFlightRequests: Math.max(1, options.maxInFlightRequests ?? DEFAULT_MAX_IN_FLIGHT_REQUESTS),
      validateResults: options.validateResults ?? false,
      initialize: (connection, params) => initializeConnection(connection, params, options.home),
      // Reading the config for its warnings (and the idle unloader's pace) costs a cold server tens of
      // milliseconds: the requests a client sends right after `initialize` are answered first.
      afterInitialize: (connection) => {
        for (const hook of this.answeredHooks) hook(connection);
        this.whenIdle(() => {
          for (const hook of this.initializedHooks) hook(connection);
        });
      },
    });
  }

  get inFlightRequests(): number {
    return this.processor.inFlight;
  }

  openConnection(sink: MessageSink, label: string): Connection {
    const connection = new Connection(sink, label);
    if (this.stopped) {
      connection.close();
      sink.close('server is shutting down');
      return connection;
    }
    this.connections.add(connection);
    this.logger.debug('connection opened', { connection: label });
    return connection;
  }

  /** A decoded inbound message; `sizeBytes` is its encoded size when the transport knows it. */
  receive(connection: Connection, message: unknown, sizeBytes?: number): void {
    this.processor.receive(connection, message, sizeBytes);
  }

  /** Cleans up at once: in-flight work aborted, pending server requests failed, subscriptions dropped. */
  closeConnection(connection: Connection): void {
    if (connection.closed) return;
    connection.close();
    this.connections.remove(connection);
    this.outgoing.connectionClosed(connection);
    this.logger.debug('connection closed', { connection: connection.label });
  }

  /** Runs `fn` once no request is being answered, or after MAX_IDLE_WAIT_MS; never once the server stops. */
  private whenIdle(fn: () => void): void {
    const since = Date.now();
    const check = () => {
      if (this.stopped) return;
      if (this.processor.inFlight > 0 && Date.now() - since < MAX_IDLE_WAIT_MS) setTimeout(check, IDLE_CHECK_MS).unref();
      else fn();
    };
    setTimeout(check, IDLE_CHECK_MS).unref();
  }

  /** Runs `hook` after each connection's initialize, once the requests sent right after it are answered. */
  onInitialized(hook: InitializedHook): void {
    this.initializedHooks.push(hook);
  }

  /** Runs `hook` right after each connection's initialize is answered, before anything else (keep it cheap). */
  onInitializeAnswered(hook: InitializedHook): void {
    this.answeredHooks.push(hook);
  }

  onShutdown(hook: () => Promise<void> | void): void {
    this.shutdownHooks.push(hook);
  }

  /** Runs synchronously at the start of shutdown, before pending requests fail and clients disconnect. */
  onStopping(hook: () => void): void {
    this.stoppingHooks.push(hook);
  }

  async shutdown(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const hook of this.stoppingHooks) hook();
    this.outgoing.failAll('the server is shutting down');
    for (const connection of [...this.connections.all()]) {
      connection.sink.close('server shutdown');
      this.closeConnection(connection);
    }
    for (const hook of this.shutdownHooks) await hook();
  }
}
