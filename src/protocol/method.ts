// Typed descriptors for the three kinds of method on the wire. Handlers, clients and tests all refer to
// a method through its descriptor, so the name and the shapes can never drift apart.
import type { z } from 'zod';

export interface RequestDescriptor<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  readonly kind: 'request';
  readonly method: string;
  readonly params: P;
  readonly result: R;
}

export interface NotificationDescriptor<P extends z.ZodType = z.ZodType> {
  readonly kind: 'notification';
  readonly method: string;
  readonly params: P;
}

export type ParamsOf<D extends { params: z.ZodType }> = z.infer<D['params']>;
export type ResultOf<D extends { result: z.ZodType }> = z.infer<D['result']>;

/** A client→server request, or a server→client request (approvals, dynamic tool calls). */
export function request<P extends z.ZodType, R extends z.ZodType>(
  method: string,
  params: P,
  result: R,
): RequestDescriptor<P, R> {
  return { kind: 'request', method, params, result };
}

export function notification<P extends z.ZodType>(method: string, params: P): NotificationDescriptor<P> {
  return { kind: 'notification', method, params };
}
