// Applies the protocol's rules to each inbound message of a connection: handshake, envelope and params
// validation, size limit, overload, serialization and error mapping. A handler failure becomes a JSON-RPC
// error value; nothing here lets an exception reach a transport.
import {
  ErrorCode,
  Initialize,
  MAX_MESSAGE_BYTES,
  RpcError,
  classifyMessage,
  describeZodError,
  type InitializeParams,
  type InitializeResult,
  type JsonRpcErrorObject,
  type JsonRpcRequest,
} from '../protocol';
import type { Logger } from '../core/log';
import type { Connection } from './connection';
import type { MethodRegistry, RequestContext } from './methodRegistry';
import type { OutgoingMessageSender } from './outgoing';
import type { KeyedSerializer } from './serialization';

/** Default bound on requests admitted and not yet answered, across all connections. */
export const DEFAULT_MAX_IN_FLIGHT_REQUESTS = 128;

export interface ProcessorOptions {
  maxInFlightRequests: number;
  /** Check every result against its schema before sending (tests turn this on). */
  validateResults: boolean;
  initialize(connection: Connection, params: InitializeParams): InitializeResult;
  afterInitialize(connection: Connection): void;
}

export class MessageProcessor {
  private inFlightTotal = 0;

  constructor(
    private readonly registry: MethodRegistry,
    private readonly outgoing: OutgoingMessageSender,
    private readonly serializer: KeyedSerializer,
    private readonly logger: Logger,
    private readonly options: ProcessorOptions,
  ) {}

  get inFlight(): number {
    return this.inFlightTotal;
  }

  /** `sizeBytes`: the encoded size when the transport knows it (stdio, websocket). */
  receive(connection: Connection, value: unknown, sizeBytes?: number): void {
    if (connection.closed) return;
    const classified = classifyMessage(value);
    switch (classified.kind) {
      case 'request':
        this.handleRequest(connection, classified.message, sizeBytes);
        return;
      case 'notification':
        // Client notifications (only `initialized` exists) have no effect on the server.
        this.logger.debug('client notification', { connection: connection.label, method: classified.message.method });
        return;
      case 'response':
        this.outgoing.handleClientAnswer(connection, classified.message.id, { result: classified.message.result });
        return;
      case 'error':
        this.outgoing.handleClientAnswer(connection, classified.message.id, { error: classified.message.error });
        return;
      case 'invalid':
        this.logger.warn('dropped an invalid message', { connection: connection.label, reason: classified.reason });
        return;
    }
  }

  private handleRequest(connection: Connection, request: JsonRpcRequest, sizeBytes: number | undefined): void {
    const fail = (error: JsonRpcErrorObject) => this.outgoing.respondError(connection, request.id, error);
    const size = sizeBytes ?? 0;
    if (size > MAX_MESSAGE_BYTES) {
      return fail({
        code: ErrorCode.InvalidParams,
        message: `Request exceeds the maximum size of ${MAX_MESSAGE_BYTES} bytes.`,
        data: { input_error_code: 'request_too_large', max_bytes: MAX_MESSAGE_BYTES, actual_bytes: size },
      });
    }
    if (connection.inFlight.has(request.id)) {
      return fail(invalid(`Invalid request: request id ${JSON.stringify(request.id)} is already in flight`));
    }
    if (request.method === Initialize.method) return this.handleInitialize(connection, request);
    if (!connection.initialized) return fail(invalid('Not initialized'));

    const registered = this.registry.get(request.method);
    if (!registered) return fail(invalid(`Invalid request: unknown method \`${request.method}\``));
    if (registered.spec.experimental && !connection.experimentalApi) {
      return fail(invalid(`${request.method} requires experimentalApi capability`));
    }
    const parsed = registered.descriptor.params.safeParse(request.params);
    if (!parsed.success) return fail(invalid(`Invalid request: ${describeZodError(parsed.error)}`));
    if (this.inFlightTotal >= this.options.maxInFlightRequests) {
      return fail({ code: ErrorCode.Overloaded, message: 'Server overloaded; retry later.' });
    }

    const controller = new AbortController();
    connection.inFlight.set(request.id, controller);
    this.inFlightTotal += 1;
    const followUps: Array<() => void> = [];
    const context: RequestContext = {
      connection,
      requestId: request.id,
      signal: controller.signal,
      afterResponse: (callback) => followUps.push(callback),
    };
    const { spec, descriptor } = registered;
    let key;
    try {
      key = spec.key(parsed.data, context);
    } catch (error) {
      key = null;
      this.logger.error('serialization key failed', { method: request.method, error: String(error) });
    }
    this.serializer
      .run(key, () => (controller.signal.aborted ? Promise.reject(controller.signal.reason) : spec.handle(parsed.data, context)))
      .then(
        (result) => {
          if (this.options.validateResults) {
            const check = descriptor.result.safeParse(result);
            if (!check.success) {
              throw new Error(`${request.method} produced an invalid result: ${describeZodError(check.error)}`);
            }
          }
          this.outgoing.respond(connection, request.id, result ?? {});
          for (const followUp of followUps) followUp();
        },
      )
      .catch((error: unknown) => fail(toErrorObject(error, request.method, this.logger)))
      .finally(() => {
        this.inFlightTotal -= 1;
        if (connection.inFlight.get(request.id) === controller) connection.inFlight.delete(request.id);
      });
  }

  private handleInitialize(connection: Connection, request: JsonRpcRequest): void {
    const fail = (error: JsonRpcErrorObject) => this.outgoing.respondError(connection, request.id, error);
    if (connection.initialized) return fail(invalid('Already initialized'));
    const parsed = Initialize.params.safeParse(request.params);
    if (!parsed.success) return fail(invalid(`Invalid request: ${describeZodError(parsed.error)}`));
    let result: InitializeResult;
    try {
      result = this.options.initialize(connection, parsed.data);
    } catch (error) {
      return fail(toErrorObject(error, request.method, this.logger));
    }
    this.outgoing.respond(connection, request.id, result);
    this.options.afterInitialize(connection);
  }
}

function invalid(message: string): JsonRpcErrorObject {
  return { code: ErrorCode.InvalidRequest, message };
}

function toErrorObject(error: unknown, method: string, logger: Logger): JsonRpcErrorObject {
  if (error instanceof RpcError) return error.toObject();
  const message = error instanceof Error ? error.message : String(error);
  logger.error('request failed', { method, error: message });
  return { code: ErrorCode.Internal, message };
}
