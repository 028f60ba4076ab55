// The loopback page an authorization server sends the browser back to after an MCP sign-in, as codex serves
// it: http://127.0.0.1:<port>/callback/<id>, on a port the system picks unless `mcp_oauth_callback_port` fixes
// one, listening only for the one sign-in. <id> comes from the server's URL, so callbacks meant for another
// server's sign-in on a fixed port are told apart. Requests that are not this sign-in's callback get 400 and
// the wait goes on; the answer to the real one waits until the code has been exchanged, so the browser
// says how it ended.
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the authorization server sent back. */
export type CallbackResult = { kind: 'code'; code: string } | { kind: 'error'; message: string };

/** Answers the browser; settles once the answer is sent. */
export type CallbackReply = (status: number, text: string) => Promise<void>;

const LOOPBACK = '127.0.0.1';

export class OAuthCallbackServer {
  private waiting: ((result: { result: CallbackResult; reply: CallbackReply }) => void) | undefined;
  private received: { result: CallbackResult; reply: CallbackReply } | undefined;

  private constructor(
    private readonly server: http.Server,
    readonly redirectUrl: string,
    private readonly path: string,
    private readonly expectedState: string,
  ) {
    server.on('request', (req, res) => this.handle(req, res));
  }

  /** Listens on 127.0.0.1 (port 0: one the system picks) for the callback of a sign-in to `serverUrl`. */
  static async listen(port: number, serverUrl: string, expectedState: string): Promise<OAuthCallbackServer> {
    const server = http.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(error.code === 'EADDRINUSE' ? new Error(`the OAuth callback port ${port} is in use (mcp_oauth_callback_port)`) : error),
      );
      server.listen(port, LOOPBACK, () => resolve());
    });
    const path = `/callback/${callbackId(serverUrl)}`;
    const { port: bound } = server.address() as AddressInfo;
    return new OAuthCallbackServer(server, `http://${LOOPBACK}:${bound}${path}`, path, expectedState);
  }

  /** The first callback for this sign-in (a code or an error), with the way to answer the browser. */
  next(signal: AbortSignal): Promise<{ result: CallbackResult; reply: CallbackReply }> {
    if (this.received) return Promise.resolve(this.received);
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
      signal.addEventListener('abort', () => reject(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason))), { once: true });
      this.waiting = resolve;
    });
  }

  /** Stops listening; a callback that arrives later finds nothing on the port. */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const reply: CallbackReply = (status, text) =>
      new Promise<void>((resolve) => {
        if (res.headersSent) return resolve();
        res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', connection: 'close' });
        res.end(text, () => resolve());
        res.once('close', () => resolve());
      });
    const result = this.received || req.method !== 'GET' ? undefined : this.parse(req.url ?? '');
    if (!result) return void reply(400, 'Invalid OAuth callback');
    this.received = { result, reply };
    this.waiting?.(this.received);
  }

  private parse(target: string): CallbackResult | undefined {
    const url = new URL(target, `http://${LOOPBACK}`);
    if (url.pathname !== this.path) return undefined;
    const query = url.searchParams;
    // A callback without this sign-in's state is someone else's (or forged): it neither finishes nor fails it.
    if (query.get('state') !== this.expectedState) return undefined;
    const code = query.get('code');
    if (code) return { kind: 'code', code };
    const error = query.get('error');
    const description = query.get('error_description');
    if (error === null && description === null) return undefined;
    return { kind: 'error', message: providerError(error, description) };
  }
}

/** codex's wording for an error the authorization server redirected with. */
function providerError(error: string | null, description: string | null): string {
  if (error && description) return `OAuth provider returned \`${error}\`: ${description}`;
  if (error) return `OAuth provider returned \`${error}\``;
  return `OAuth error: ${description}`;
}

/** codex's callback id: the first 9 bytes of SHA-256 of the server URL (without fragment), base64url. */
export function callbackId(serverUrl: string): string {
  const url = new URL(serverUrl);
  url.hash = '';
  return createHash('sha256').update(url.href).digest().subarray(0, 9).toString('base64url');
}
