// The in-process transport the extension host uses: messages stay JavaScript objects (no JSON framing),
// but the envelope, the handshake and the rules are the same as on stdio. Both directions are bounded
// queues: a full client→server queue rejects at once (would block); a full server→client queue drops
// notifications (and says how many with a `lagged` event), never `turn/completed`, and fails server
// requests back to the server so approval flows cannot hang.
import {
  ErrorCode,
  Initialize,
  RpcError,
  type ClientInfo,
  type InitializeCapabilities,
  type InitializeResult,
  type JsonRpcErrorObject,
  type RequestDescriptor,
  type RequestId,
  type ResultOf,
  type ParamsOf,
} from '../../protocol';
import type { AppServer } from '../appServer';
import type { Connection, MessageSink, OutgoingMessage } from '../connection';

export const DEFAULT_CHANNEL_CAPACITY = 128;
/** How long `shutdown()` waits for the server before giving up on it. */
export const SHUTDOWN_TIMEOUT_MS = 5_000;
/** Notifications that are never dropped under saturation. */
const UNDROPPABLE_NOTIFICATIONS = new Set(['turn/completed']);

export type InProcessEvent =
  | { kind: 'notification'; method: string; params: unknown }
  | { kind: 'serverRequest'; id: number; method: string; params: unknown }
  | { kind: 'lagged'; skipped: number };

/** The client→server queue is full; the caller may retry once the server catches up. */
export class WouldBlockError extends Error {
  readonly code = 'WOULD_BLOCK';
  constructor() {
    super('the in-process server queue is full; retry later');
    this.name = 'WouldBlockError';
  }
}

export interface InProcessOptions {
  server: AppServer;
  clientInfo: ClientInfo;
  capabilities?: InitializeCapabilities;
  /** Capacity of each queue; clamped to ≥ 1. */
  channelCapacity?: number;
  /** Shut the server down with the client (the extension owns its server). Default true. */
  ownsServer?: boolean;
  /** How long `shutdown()` waits for the server; default SHUTDOWN_TIMEOUT_MS. */
  shutdownTimeoutMs?: number;
}

export interface InProcessClient {
  readonly initializeResult: InitializeResult;
  request(method: string, params?: unknown): Promise<unknown>;
  call<D extends RequestDescriptor>(descriptor: D, params: ParamsOf<D>): Promise<ResultOf<D>>;
  notify(method: string, params?: unknown): void;
  respondToServerRequest(id: number, result: unknown): void;
  failServerRequest(id: number, error: JsonRpcErrorObject): void;
  /** The next server request, notification or lagged marker; `undefined` once shut down. */
  nextEvent(): Promise<InProcessEvent | undefined>;
  events(): AsyncIterableIterator<InProcessEvent>;
  shutdown(): Promise<void>;
}

export async function startInProcess(options: InProcessOptions): Promise<InProcessClient> {
  const client = new InProcessChannel(options);
  await client.start();
  return client;
}

interface PendingCall {
  resolve(result: unknown): void;
  reject(error: unknown): void;
}

class InProcessChannel implements InProcessClient, MessageSink {
  private caughtUp: Promise<void> | undefined;
  private settleCaughtUp: (() => void) | undefined;
  private readonly capacity: number;
  private readonly connection: Connection;
  private readonly pending = new Map<RequestId, PendingCall>();
  private nextId = 1;
  private readonly inbound: Array<{ message: unknown; size: number }> = [];
  private drainScheduled = false;
  private readonly outbound: InProcessEvent[] = [];
  private outboundHead = 0;
  private skipped = 0;
  private waiter: ((event: InProcessEvent | undefined) => void) | undefined;
  private closed = false;
  private result: InitializeResult | undefined;

  constructor(private readonly options: InProcessOptions) {
    this.capacity = Math.max(1, Math.floor(options.channelCapacity ?? DEFAULT_CHANNEL_CAPACITY));
    this.connection = options.server.openConnection(this, 'in-process');
  }

  get initializeResult(): InitializeResult {
    if (!this.result) throw new Error('in-process client is not initialized');
    return this.result;
  }

  async start(): Promise<void> {
    const params = { clientInfo: this.options.clientInfo, capabilities: this.options.capabilities ?? null };
    this.result = (await this.request(Initialize.method, params)) as InitializeResult;
    this.notify('initialized');
  }

  request(method: string, params?: unknown): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('the in-process client is shut down'));
    const id = this.nextId++;
    const message = params === undefined ? { id, method } : { id, method, params };
    // Codex limits input by characters; the JSON length of the params is the same measure here.
    const size = params === undefined ? 0 : (JSON.stringify(params)?.length ?? 0);
    if (!this.enqueueInbound(message, size)) return Promise.reject(new WouldBlockError());
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }

  async call<D extends RequestDescriptor>(descriptor: D, params: ParamsOf<D>): Promise<ResultOf<D>> {
    return (await this.request(descriptor.method, params)) as ResultOf<D>;
  }

  notify(method: string, params?: unknown): void {
    if (this.closed) return;
    if (!this.enqueueInbound(params === undefined ? { method } : { method, params }, 0)) throw new WouldBlockError();
  }

  respondToServerRequest(id: number, result: unknown): void {
    if (!this.closed) this.options.server.receive(this.connection, { id, result });
  }

  failServerRequest(id: number, error: JsonRpcErrorObject): void {
    if (!this.closed) this.options.server.receive(this.connection, { id, error });
  }

  nextEvent(): Promise<InProcessEvent | undefined> {
    const event = this.shiftOutbound();
    if (event) return Promise.resolve(event);
    if (this.closed) return Promise.resolve(undefined);
    if (this.waiter) return Promise.reject(new Error('only one consumer may read in-process events'));
    return new Promise((resolve) => (this.waiter = resolve));
  }

  async *events(): AsyncIterableIterator<InProcessEvent> {
    while (true) {
      const event = await this.nextEvent();
      if (!event) return;
      yield event;
    }
  }

  async shutdown(): Promise<void> {
    if (this.closed) return;
    // The server starts stopping first, so running turns see a shutdown before their client goes away.
    const stopped = (this.options.ownsServer ?? true) ? this.options.server.shutdown() : undefined;
    this.closeChannel('the in-process client is shut down');
    this.options.server.closeConnection(this.connection);
    if (stopped) {
      const limitMs = this.options.shutdownTimeoutMs ?? SHUTDOWN_TIMEOUT_MS;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), limitMs)));
      const outcome = await Promise.race([stopped.then(() => 'done' as const), timeout]);
      clearTimeout(timer);
      if (outcome === 'timeout') this.options.server.logger.warn(`server shutdown took longer than ${limitMs} ms; gave up waiting`);
    }
  }

  // ---- MessageSink: what the server sends to this client ----

  send(message: OutgoingMessage): boolean {
    if (this.closed) return false;
    if ('method' in message) {
      if ('id' in message) {
        return this.enqueueOutbound({ kind: 'serverRequest', id: message.id, method: message.method, params: message.params }, false);
      }
      const force = UNDROPPABLE_NOTIFICATIONS.has(message.method);
      return this.enqueueOutbound({ kind: 'notification', method: message.method, params: message.params }, force);
    }
    const call = this.pending.get(message.id);
    if (!call) return true;
    this.pending.delete(message.id);
    if ('result' in message) call.resolve(message.result);
    else call.reject(new RpcError(message.error.code, message.error.message, message.error.data));
    return true;
  }

  close(reason: string): void {
    this.closeChannel(reason);
  }

  /**
   * Producers that can wait (a command's output) pause while half the queue is unread, and go on once the
   * client has read it down to a quarter, before any notification would have to be dropped.
   */
  whenWritable(): Promise<void> | undefined {
    if (this.closed || this.outboundSize < Math.max(1, Math.floor(this.capacity / 2))) return undefined;
    this.caughtUp ??= new Promise<void>((resolve) => (this.settleCaughtUp = resolve));
    return this.caughtUp;
  }

  private releaseWriters(): void {
    const settle = this.settleCaughtUp;
    this.caughtUp = undefined;
    this.settleCaughtUp = undefined;
    settle?.();
  }

  // ---- queues ----

  private enqueueInbound(message: unknown, size: number): boolean {
    if (this.inbound.length >= this.capacity) return false;
    this.inbound.push({ message, size });
    if (!this.drainScheduled) {
      this.drainScheduled = true;
      queueMicrotask(() => this.drainInbound());
    }
    return true;
  }

  private drainInbound(): void {
    this.drainScheduled = false;
    const batch = this.inbound.splice(0, this.inbound.length);
    for (const { message, size } of batch) this.options.server.receive(this.connection, message, size);
  }

  private enqueueOutbound(event: InProcessEvent, force: boolean): boolean {
    if (this.waiter && this.skipped === 0) {
      const waiter = this.waiter;
      this.waiter = undefined;
      waiter(event);
      return true;
    }
    const needed = this.skipped > 0 ? 2 : 1;
    if (!force && this.outboundSize + needed > this.capacity) {
      if (event.kind === 'notification') this.skipped += 1;
      return false;
    }
    if (this.skipped > 0) {
      this.pushOutbound({ kind: 'lagged', skipped: this.skipped });
      this.skipped = 0;
    }
    this.pushOutbound(event);
    return true;
  }

  private get outboundSize(): number {
    return this.outbound.length - this.outboundHead;
  }

  private pushOutbound(event: InProcessEvent): void {
    this.outbound.push(event);
    const waiter = this.waiter;
    if (waiter) {
      this.waiter = undefined;
      waiter(this.shiftOutbound());
    }
  }

  private shiftOutbound(): InProcessEvent | undefined {
    if (this.outboundHead >= this.outbound.length) return undefined;
    const event = this.outbound[this.outboundHead++];
    if (this.caughtUp && this.outboundSize <= Math.floor(this.capacity / 4)) this.releaseWriters();
    // Compact now and then so the array does not grow without bound.
    if (this.outboundHead > 1024 && this.outboundHead * 2 > this.outbound.length) {
      this.outbound.splice(0, this.outboundHead);
      this.outboundHead = 0;
    }
    return event;
  }

  private closeChannel(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.releaseWriters();
    for (const call of this.pending.values()) call.reject(new RpcError(ErrorCode.Internal, reason));
    this.pending.clear();
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.(undefined);
  }
}
