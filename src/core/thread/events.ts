// How the runtime reaches clients, without knowing about connections: thread-scoped notifications and
// server→client requests, each named by its protocol descriptor so its params are typed. The server
// implements this over its subscriptions.
import type { NotificationDescriptor, ParamsOf, RequestDescriptor } from '../../protocol';

export interface ThreadEventSink {
  notify<D extends NotificationDescriptor>(threadId: string, descriptor: D, params: ParamsOf<D>): void;
  request<D extends RequestDescriptor>(threadId: string, descriptor: D, params: ParamsOf<D>, options?: { timeoutMs?: number; signal?: AbortSignal }): Promise<unknown>;
  /** While a client of the thread is behind, a promise that settles when all have caught up (backpressure). */
  clientsBehind?(threadId: string): Promise<void> | undefined;
  /** To every client (warnings that are not about one thread). */
  broadcast<D extends NotificationDescriptor>(descriptor: D, params: ParamsOf<D>): void;
}
