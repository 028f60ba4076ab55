// How the runtime reaches clients, without knowing about connections: thread-scoped notifications and
// server→client requests. The server implements this over its subscriptions.

export interface ThreadEventSink {
  notify(threadId: string, method: string, params: unknown): void;
  request(threadId: string, method: string, params: unknown, options?: { timeoutMs?: number; signal?: AbortSignal }): Promise<unknown>;
  /** To every client (warnings that are not about one thread). */
  broadcast(method: string, params: unknown): void;
}
