// Typed descriptors for the three kinds of method on the wire. Handlers, clients and tests all refer to
// a method through its descriptor, so the name and the shapes can never drift apart.
import type { z } from 'zod';
import { once, type Builder } from './lazy';

export interface RequestDescriptor<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType, M extends string = string> {
  readonly kind: 'request';
  readonly method: M;
  readonly params: P;
  readonly result: R;
}

export interface NotificationDescriptor<P extends z.ZodType = z.ZodType, M extends string = string> {
  readonly kind: 'notification';
  readonly method: M;
  readonly params: P;
  /** Sent only to clients that asked for the experimental API (`capabilities.experimentalApi`). */
  readonly experimental?: boolean;
}

export type ParamsOf<D extends { params: z.ZodType }> = z.infer<D['params']>;
export type ResultOf<D extends { result: z.ZodType }> = z.infer<D['result']>;

/**
 * A client→server request, or a server→client request (approvals, dynamic tool calls). `params` and
 * `result` are builders (`() => z.object(…)`), run once when the schema is first used (see lazy.ts).
 */
export function request<P extends z.ZodType, R extends z.ZodType, M extends string>(
  method: M,
  params: Builder<P>,
  result: Builder<R>,
): RequestDescriptor<P, R, M> {
  const paramsSchema = once(params);
  const resultSchema = once(result);
  return {
    kind: 'request',
    method,
    get params() {
      return paramsSchema();
    },
    get result() {
      return resultSchema();
    },
  };
}

export function notification<P extends z.ZodType, M extends string>(method: M, params: Builder<P>, options: { experimental?: boolean } = {}): NotificationDescriptor<P, M> {
  const paramsSchema = once(params);
  return {
    kind: 'notification',
    method,
    ...(options.experimental ? { experimental: true } : {}),
    get params() {
      return paramsSchema();
    },
  };
}

/** The message a notification descriptor stands for, as a discriminated union member. */
export type NotificationMessage<D> = D extends NotificationDescriptor<infer P, infer M> ? { method: M; params: z.infer<P> } : never;
