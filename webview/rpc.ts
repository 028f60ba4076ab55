// Requests from the webview to the app-server, through the host (which checks them against its allow-list).
import type { HostToWebview, WebviewToHost } from '../src/protocol';

export class HostRpc {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(result: unknown): void; reject(error: Error): void }>();

  constructor(private readonly post: (message: WebviewToHost) => void) {}

  request<T = unknown>(method: string, params?: unknown): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (r: unknown) => void, reject });
      this.post({ kind: 'request', id, method, params });
    });
  }

  /** A call the host answers itself (the pickers' defaults and warning), under the same ids. */
  call<T = unknown>(build: (id: number) => WebviewToHost): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (r: unknown) => void, reject });
      this.post(build(id));
    });
  }

  /** Settles a pending request from a host message; returns whether it was one. */
  settle(message: HostToWebview): boolean {
    if (message.kind !== 'response' && message.kind !== 'error') return false;
    const pending = this.pending.get(message.id);
    if (!pending) return true;
    this.pending.delete(message.id);
    if (message.kind === 'response') pending.resolve(message.result);
    else pending.reject(Object.assign(new Error(message.error.message), { code: message.error.code }));
    return true;
  }
}
