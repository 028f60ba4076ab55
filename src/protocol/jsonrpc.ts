// The JSON-RPC "lite" envelope spoken by codex app-server: JSON-RPC 2.0 without the `jsonrpc` member.
import { z } from 'zod';
import { lazy } from './lazy';

export const RequestId = lazy(() => z.union([z.string(), z.number().int()]));
export type RequestId = z.infer<typeof RequestId>;

export const TraceContext = lazy(() => z.object({
  traceparent: z.string().nullish(),
  tracestate: z.string().nullish(),
}));

export const JsonRpcRequest = lazy(() => z.object({
  id: RequestId,
  method: z.string(),
  params: z.unknown().optional(),
  trace: TraceContext.nullish(),
}));
export type JsonRpcRequest = z.infer<typeof JsonRpcRequest>;

export const JsonRpcNotification = lazy(() => z.object({
  method: z.string(),
  params: z.unknown().optional(),
}));
export type JsonRpcNotification = z.infer<typeof JsonRpcNotification>;

export const JsonRpcErrorObject = lazy(() => z.object({
  code: z.number().int(),
  message: z.string(),
  data: z.unknown().optional(),
}));
export type JsonRpcErrorObject = z.infer<typeof JsonRpcErrorObject>;

export const JsonRpcResponse = lazy(() => z.object({ id: RequestId, result: z.unknown() }));
export type JsonRpcResponse = z.infer<typeof JsonRpcResponse>;

export const JsonRpcErrorResponse = lazy(() => z.object({ id: RequestId, error: JsonRpcErrorObject }));
export type JsonRpcErrorResponse = z.infer<typeof JsonRpcErrorResponse>;

export type JsonRpcMessage = JsonRpcRequest | JsonRpcNotification | JsonRpcResponse | JsonRpcErrorResponse;

/** Error codes the server uses. */
export const ErrorCode = {
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  Internal: -32603,
  Overloaded: -32001,
} as const;

/**
 * The largest JSON-RPC message read, in bytes (a stdio line or a websocket frame): room for a turn carrying
 * images as data URLs. A request beyond it is answered with -32602 `request_too_large`, not read.
 */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** An error a handler throws to answer with a specific JSON-RPC error instead of -32603. */
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = 'RpcError';
  }

  toObject(): JsonRpcErrorObject {
    return this.data === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, data: this.data };
  }
}

export const invalidRequest = (message: string, data?: unknown) =>
  new RpcError(ErrorCode.InvalidRequest, message, data);

export type ClassifiedMessage =
  | { kind: 'request'; message: JsonRpcRequest }
  | { kind: 'notification'; message: JsonRpcNotification }
  | { kind: 'response'; message: JsonRpcResponse }
  | { kind: 'error'; message: JsonRpcErrorResponse }
  | { kind: 'invalid'; reason: string };

/** Sorts a decoded JSON value into one of the four envelope shapes, or says why it is none of them. */
export function classifyMessage(value: unknown): ClassifiedMessage {
  return classifyWellFormed(value) ?? classifyWithSchemas(value);
}

const isRequestId = (id: unknown): id is RequestId => typeof id === 'string' || Number.isSafeInteger(id);
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The well-formed envelopes, checked by hand and shaped as the schemas would (unknown members dropped):
 * zod builds and compiles a schema on its first use, milliseconds of every start for the first message.
 * Anything else (a trace context, any mistake) is left to the schemas and their error messages.
 */
function classifyWellFormed(value: unknown): ClassifiedMessage | undefined {
  if (!isRecord(value)) return undefined;
  if ('method' in value) {
    if (typeof value.method !== 'string' || 'trace' in value) return undefined;
    const params = 'params' in value ? { params: value.params } : {};
    if (!('id' in value)) return { kind: 'notification', message: { method: value.method, ...params } };
    return isRequestId(value.id) ? { kind: 'request', message: { id: value.id, method: value.method, ...params } } : undefined;
  }
  if (!isRequestId(value.id)) return undefined;
  if ('result' in value) return { kind: 'response', message: { id: value.id, result: value.result } };
  const error = value.error;
  if (!isRecord(error) || !Number.isSafeInteger(error.code) || typeof error.message !== 'string') return undefined;
  const data = 'data' in error ? { data: error.data } : {};
  return { kind: 'error', message: { id: value.id, error: { code: error.code as number, message: error.message, ...data } } };
}

/** `classifyMessage` by the envelope schemas alone. */
export function classifyWithSchemas(value: unknown): ClassifiedMessage {
  if (!isRecord(value)) {
    return { kind: 'invalid', reason: 'a message must be a JSON object' };
  }
  const record = value;
  if ('method' in record) {
    if ('id' in record) {
      const parsed = JsonRpcRequest.safeParse(value);
      return parsed.success
        ? { kind: 'request', message: parsed.data }
        : { kind: 'invalid', reason: `malformed request: ${describeZodError(parsed.error)}` };
    }
    const parsed = JsonRpcNotification.safeParse(value);
    return parsed.success
      ? { kind: 'notification', message: parsed.data }
      : { kind: 'invalid', reason: `malformed notification: ${describeZodError(parsed.error)}` };
  }
  if ('result' in record) {
    const parsed = JsonRpcResponse.safeParse(value);
    return parsed.success
      ? { kind: 'response', message: parsed.data }
      : { kind: 'invalid', reason: `malformed response: ${describeZodError(parsed.error)}` };
  }
  if ('error' in record) {
    const parsed = JsonRpcErrorResponse.safeParse(value);
    return parsed.success
      ? { kind: 'error', message: parsed.data }
      : { kind: 'invalid', reason: `malformed error response: ${describeZodError(parsed.error)}` };
  }
  return { kind: 'invalid', reason: 'a message needs a method, a result or an error' };
}

/** "<path>: <reason>" for the first issue, the form used in `Invalid request: …` messages. */
export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid value';
  const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '<root>';
  return `${path}: ${issue.message}`;
}
