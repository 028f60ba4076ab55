// Typed descriptors for the three kinds of method on the wire. Handlers, clients and tests all refer to
// a method through its descriptor, so the name and the shapes can never drift apart.
import type { z } from 'zod';

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
}

export type ParamsOf<D extends { params: z.ZodType }> = z.infer<D['params']>;
export type ResultOf<D extends { result: z.ZodType }> = z.infer<D['result']>;

/** A client→server request, or a server→client request (approvals, dynamic tool calls). */
export function request<P extends z.ZodType, R extends z.ZodType, M extends string>(
  method: M,
  params: P,
  result: R,
): RequestDescriptor<P, R, M> {
  return { kind: 'request', method, params, result };
}

export function notification<P extends z.ZodType, M extends string>(method: M, params: P): NotificationDescriptor<P, M> {
  return { kind: 'notification', method, params };
}

/** The message a notification descriptor stands for, as a discriminated union member. */
export type NotificationMessage<D> = D extends NotificationDescriptor<infer P, infer M> ? { method: M; params: z.infer<P> } : never;
