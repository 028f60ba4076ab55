// Method name → params schema, result schema, serialization key and handler.
import type { z } from 'zod';
import type { RequestDescriptor, RequestId } from '../protocol';
import type { Connection } from './connection';
import type { SerializationKey } from './serialization';

export interface RequestContext {
  readonly connection: Connection;
  readonly requestId: RequestId;
  /** Aborted when the connection closes or the server shuts down. */
  readonly signal: AbortSignal;
  /** Runs right after the response is sent (notifications that must follow it, like `thread/started`). */
  afterResponse(callback: () => void): void;
}

export interface MethodSpec<P, R> {
  /** Requests with the same key run FIFO; `null` runs concurrently. */
  key(params: P, context: RequestContext): SerializationKey | null;
  handle(params: P, context: RequestContext): Promise<R>;
  /** Experimental methods need `capabilities.experimentalApi`. */
  experimental?: boolean;
}

export interface RegisteredMethod {
  readonly descriptor: RequestDescriptor;
  readonly spec: MethodSpec<unknown, unknown>;
}

export class MethodRegistry {
  private readonly methods = new Map<string, RegisteredMethod>();

  register<P extends z.ZodType, R extends z.ZodType>(
    descriptor: RequestDescriptor<P, R>,
    spec: MethodSpec<z.infer<P>, z.input<R>>,
  ): void {
    if (this.methods.has(descriptor.method)) throw new Error(`method registered twice: ${descriptor.method}`);
    this.methods.set(descriptor.method, { descriptor, spec: spec as MethodSpec<unknown, unknown> });
  }

  get(method: string): RegisteredMethod | undefined {
    return this.methods.get(method);
  }

  names(): string[] {
    return [...this.methods.keys()].sort();
  }
}
