// The host's single reader of the in-process server's events: notifications go to the chat view; server
// requests are answered by the host through typed handlers (approvals arrive with the tools), never by the
// webview.
import type { z } from 'zod';
import { isServerNotification, type RequestDescriptor, type ServerNotification } from '../protocol';
import type { InProcessClient } from '../server/transports/inProcess';
import type { Logger } from '../core/log';

type Route = (id: number, params: unknown) => Promise<unknown>;

/** Server requests the host answers, each registered with its descriptor: its params arrive parsed and typed. */
export class ServerRequestRouter {
  private readonly routes = new Map<string, Route>();

  on<P extends z.ZodType, R extends z.ZodType, M extends string>(descriptor: RequestDescriptor<P, R, M>, handler: (id: number, params: z.output<P>) => Promise<z.input<R>>): this {
    this.routes.set(descriptor.method, async (id, raw) => {
      const parsed = descriptor.params.safeParse(raw);
      if (!parsed.success) throw new Error(`${descriptor.method} came with params Tandem cannot read: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      return handler(id, parsed.data);
    });
    return this;
  }

  /** Resolves with the result, or rejects with the error to send back. */
  answer(id: number, method: string, params: unknown): Promise<unknown> {
    const route = this.routes.get(method);
    if (!route) return Promise.reject(new Error(`Tandem's editor client cannot answer ${method}`));
    return route(id, params);
  }
}

export interface ServerEventHandlers {
  notification(notification: ServerNotification): void;
  requests: ServerRequestRouter;
}

export async function pumpServerEvents(client: InProcessClient, handlers: ServerEventHandlers, logger: Logger): Promise<void> {
  for await (const event of client.events()) {
    switch (event.kind) {
      case 'notification': {
        const notification = { method: event.method, params: event.params };
        if (isServerNotification(notification)) handlers.notification(notification);
        else logger.warn('ignored a notification the protocol does not define', { method: event.method });
        break;
      }
      case 'lagged':
        logger.warn(`the chat view fell behind; ${event.skipped} notifications were dropped (the view rebuilds from the server)`);
        break;
      case 'serverRequest':
        handlers.requests.answer(event.id, event.method, event.params).then(
          (result) => client.respondToServerRequest(event.id, result),
          (error: unknown) => client.failServerRequest(event.id, { code: -32603, message: error instanceof Error ? error.message : String(error) }),
        );
        break;
    }
  }
}
