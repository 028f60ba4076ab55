// The host's single reader of the in-process server's events: notifications go to the chat view; server
// requests are answered by the host (approvals arrive with the tools), never by the webview.
import type { InProcessClient } from '../server/transports/inProcess';
import type { Logger } from '../core/log';

export interface ServerEventHandlers {
  notification(method: string, params: unknown): void;
  /** Answers a server request; resolves with the result or rejects with the error to send back. */
  serverRequest(id: number, method: string, params: unknown): Promise<unknown>;
}

export async function pumpServerEvents(client: InProcessClient, handlers: ServerEventHandlers, logger: Logger): Promise<void> {
  for await (const event of client.events()) {
    switch (event.kind) {
      case 'notification':
        handlers.notification(event.method, event.params);
        break;
      case 'lagged':
        logger.warn(`the chat view fell behind; ${event.skipped} notifications were dropped (the view rebuilds from the server)`);
        break;
      case 'serverRequest':
        handlers.serverRequest(event.id, event.method, event.params).then(
          (result) => client.respondToServerRequest(event.id, result),
          (error: unknown) => client.failServerRequest(event.id, { code: -32603, message: error instanceof Error ? error.message : String(error) }),
        );
        break;
    }
  }
}
